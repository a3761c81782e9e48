#pragma once
// filetree/transliteration.h: the tables slugify reads, generated into transliteration_data.cpp
// by make_transliteration.py (see there for where they come from).

#include <cstddef>
#include <cstdint>

namespace slate::filetree::detail {

/// One non-ASCII code point, sorted by `code_point`. A code point missing from the table
/// transliterates to "" and NFKD-decodes to "-".
struct TransliterationEntry {
    std::uint32_t code_point;
    const char* translit; ///< NFKD then transliteration to ASCII
    const char* nfkd;     ///< NFKD alone, each non-ASCII character left written as "-"
};

/// One HTML 4 named character reference ("amp" → U+0026), sorted by name.
struct HtmlEntity {
    const char* name;
    std::uint32_t code_point;
};

extern const TransliterationEntry transliteration_table[];
extern const std::size_t transliteration_table_size;
extern const HtmlEntity html_entity_table[];
extern const std::size_t html_entity_table_size;

} // namespace slate::filetree::detail
