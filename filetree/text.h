#pragma once
// filetree/text.h: the string operations Zou's file-tree code gets from Python (str.split,
// str.zfill, slicing by code point, \w, upper/lower), written once so the rendering and the
// guessing code read like the behaviour they mirror. Strings are UTF-8; invalid bytes read as
// U+FFFD.

#include <string>
#include <string_view>
#include <vector>

namespace slate::filetree {

/// The case a tree asks for: exactly "uppercase" or "lowercase"; anything else leaves the text
/// as it is (Zou's apply_style). Unicode-aware, with Poco's simple case mapping.
std::string apply_style(std::string_view text, std::string_view style);

/// Python's str.zfill: left-pads with '0' to `width` code points, after a leading sign.
std::string zfill(std::string_view text, std::size_t width);

/// Python's str.split(sep) for a non-empty `sep`: empty fields are kept.
std::vector<std::string> split(std::string_view text, std::string_view sep);

/// Python's str.replace(from, to) for a non-empty `from`.
std::string replace_all(std::string_view text, std::string_view from, std::string_view to);

namespace detail {

/// UTF-8 to code points; an invalid byte becomes U+FFFD.
std::u32string decode_utf8(std::string_view text);
/// Code points to UTF-8.
std::string encode_utf8(std::u32string_view text);
/// Python's text[start:stop] on code points, with Python's rules for negative or oversized
/// bounds.
std::u32string py_slice(std::u32string_view text, long long start, long long stop);
/// A code point Python's `\w` matches in a str pattern: a letter, a number or '_'.
bool is_word(char32_t code_point);

} // namespace detail
} // namespace slate::filetree
