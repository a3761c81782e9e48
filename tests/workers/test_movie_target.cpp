// tests/workers/test_movie_target.cpp: Zou's movie target size, LD canvas and fps text
// (media.md §4.2, §4.3-5), and fps text read as a rational.
#include <catch2/catch.hpp>

#include "workers/movie_target.h"

using namespace slate::workers;

TEST_CASE("the entity's resolution wins only when it is a full WxH", "[workers][movie]") {
    CHECK(pick_resolution("1280x720", "1920x1080") == "1280x720");
    CHECK(pick_resolution("x720", "1920x1080") == "1920x1080");
    CHECK(pick_resolution("", "x720") == "x720");
    CHECK(pick_resolution("12x34", "2048x858") == "2048x858");
}

TEST_CASE("the target size follows get_preview_file_dimensions", "[workers][movie]") {
    CHECK(movie_target_size("1920x1080", 640, 480) == MovieSize{1920, 1080});
    CHECK(movie_target_size("1921x1081", 640, 480) == MovieSize{1922, 1082}); // up to even
    CHECK(movie_target_size("x720", 1920, 1080) == MovieSize{1280, 720});
    CHECK(movie_target_size("x720", 1000, 750) == MovieSize{960, 720});
    CHECK(movie_target_size("x721", 640, 480) == MovieSize{962, 722}); // floor(961.33), even
    CHECK(movie_target_size("junk", 1920, 800) == MovieSize{2592, 1080});
    CHECK(movie_target_size("12x34", 1920, 1080) == MovieSize{1920, 1080}); // not 3–4 digits
    CHECK(movie_target_size("", 1000, 1000) == MovieSize{1080, 1080});
    CHECK(movie_target_size("x720", 0, 0) == MovieSize{0, 720}); // width unknowable
}

TEST_CASE("the LD canvas is 1280 wide with an even height", "[workers][movie]") {
    CHECK(lowdef_size({1920, 1080}) == MovieSize{1280, 720});
    CHECK(lowdef_size({2048, 858}) == MovieSize{1280, 536});  // floor(536.25)
    CHECK(lowdef_size({1998, 1080}) == MovieSize{1280, 692}); // floor(691.89) = 691, +1
    CHECK(lowdef_size({0, 0}) == MovieSize{0, 0});
}

TEST_CASE("fps text is the project's, or the entity's, with three decimals", "[workers][movie]") {
    CHECK(movie_fps_text("25") == "25.000");
    CHECK(movie_fps_text("23,976") == "23.976");
    CHECK(movie_fps_text("29.97") == "29.970");
    CHECK(movie_fps_text("24", "30") == "30.000");
    CHECK(movie_fps_text("24", "") == "24.000");
    CHECK(movie_fps_text("junk") == "25.000");
    CHECK(movie_fps_text("") == "25.000");
    CHECK(movie_fps_text("-5", "nope") == "25.000");
}

TEST_CASE("fps text reads as an exact rational, NTSC rates as N·1000/1001", "[workers][movie]") {
    CHECK(parse_frame_rate("25.000") == FrameRate{25, 1});
    CHECK(parse_frame_rate("24") == FrameRate{24, 1});
    CHECK(parse_frame_rate("23.976") == FrameRate{24000, 1001});
    CHECK(parse_frame_rate("29.970") == FrameRate{30000, 1001});
    CHECK(parse_frame_rate("59,94") == FrameRate{60000, 1001});
    CHECK(parse_frame_rate("23.976023976") == FrameRate{24000, 1001});
    CHECK(parse_frame_rate("12.5") == FrameRate{25, 2});
    CHECK(parse_frame_rate("23.98") == FrameRate{1199, 50}); // not close enough to NTSC
    CHECK(parse_frame_rate("24000/1001") == FrameRate{24000, 1001});
    CHECK(parse_frame_rate("50/2") == FrameRate{25, 1});
    CHECK_FALSE(parse_frame_rate("0").has_value());
    CHECK_FALSE(parse_frame_rate("").has_value());
    CHECK_FALSE(parse_frame_rate("abc").has_value());
    CHECK_FALSE(parse_frame_rate("-5").has_value());
    CHECK_FALSE(parse_frame_rate("2000").has_value());
    CHECK_FALSE(parse_frame_rate("25/0").has_value());
}
