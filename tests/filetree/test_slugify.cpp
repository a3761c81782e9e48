// tests/filetree/test_slugify.cpp: slugify as python-slugify 8.0.4 writes it (the expected
// values were produced by python-slugify with text-unidecode, Zou's back end), and the Python
// string helpers the rendering rests on.
#include <catch2/catch.hpp>

#include "filetree/slugify.h"
#include "filetree/text.h"

using namespace slate::filetree;

TEST_CASE("slugify writes what python-slugify writes", "[filetree]") {
    const std::vector<std::pair<const char*, const char*>> cases = {
        {"Big Buck Bunny", "big_buck_bunny"}, // filetree.md §3
        {"3ds Max", "3ds_max"},
        {"Été-1", "ete_1"},
        {"Cosmos Landromat", "cosmos_landromat"},
        {"L'été", "l_ete"}, // an ASCII apostrophe separates
        {"L’été", "lete"},  // a typographic one vanishes
        {"1,000", "1000"},  // a comma between digits goes
        {"a,b", "a_b"},
        {"Tom &amp; Jerry", "tom_jerry"},
        {"caf&eacute;s", "cafe_s"}, // a decoded entity is only NFKD-normalised
        {"&#233;t&#xE9;", "e_te"},
        {"x&#99999999;y&#65;", "x_99999999_y_65"}, // one bad reference: none decoded
        {"Æther", "aether"},
        {"Straße", "strasse"},
        {"Ørn", "orn"},
        {"Łódź", "lodz"},
        {"Москва", "moskva"},
        {"Αθήνα", "athena"},
        {"Ｆｕｌｌ", "full"},
        {"ﬁne", "fine"},
        {"½", "1_2"},
        {"™", "tm"},
        {"__a__b__", "a_b"},
        {"Sc01 / Seq_02 -- Shot.003", "sc01_seq_02_shot_003"},
        {"São Paulo", "sao_paulo"},
        {"İstanbul", "istanbul"},
        {"Tiếng Việt", "tieng_viet"},
        {"😀x", "x"},
        {"", ""},
        {"---", ""},
        {"\xff\xfe bad utf-8", "bad_utf_8"},
    };
    for (const auto& [text, expected] : cases) {
        INFO(text);
        CHECK(slugify(text) == expected);
    }
}

TEST_CASE("the Python string helpers behave as Python's", "[filetree]") {
    // Zou's test_the_style_of_a_tree_is_applied.
    CHECK(apply_style("Shaders", "uppercase") == "SHADERS");
    CHECK(apply_style("Shaders", "lowercase") == "shaders");
    CHECK(apply_style("Shaders", "") == "Shaders");
    CHECK(apply_style("Shaders", "Lowercase") == "Shaders");
    CHECK(apply_style("ÉTÉ", "lowercase") == "été");
    // Zou's test_the_separators_of_a_template_are_rewritten.
    CHECK(replace_all("/simple/big_buck_bunny/props", "/", "\\") == "\\simple\\big_buck_bunny\\props");
    CHECK(zfill("7", 3) == "007");
    CHECK(zfill("1234", 3) == "1234");
    CHECK(zfill("-5", 3) == "-05");
    CHECK(zfill("é", 3) == "00é");
    CHECK(split("a//b", "/") == std::vector<std::string>{"a", "", "b"});
    CHECK(split("", "/") == std::vector<std::string>{""});
}
