#pragma once
// tests/support/test_media.h: real media made in the tests.

#include <filesystem>
#include <string>

namespace slate::test {

/// The bytes of a real PNG of that size (a flat colour), written by libvips.
std::string make_png(const std::filesystem::path& dir, int width, int height);

/// The bytes of a real Radiance HDR picture of that size (float values up to 4), by libvips.
std::string make_hdr(const std::filesystem::path& dir, int width, int height);

/// The width and height a PNG's header announces.
int png_width(const std::string& png);
int png_height(const std::string& png);

/// A file's bytes.
std::string read_file(const std::filesystem::path& path);

} // namespace slate::test
