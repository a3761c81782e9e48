#include "filetree/slugify.h"

#include "filetree/text.h"
#include "filetree/transliteration.h"

#include <algorithm>
#include <optional>

namespace slate::filetree {
namespace {

const detail::TransliterationEntry* find_entry(char32_t code_point) {
    const auto* end = detail::transliteration_table + detail::transliteration_table_size;
    const auto* found = std::lower_bound(
        detail::transliteration_table, end, code_point,
        [](const detail::TransliterationEntry& entry, char32_t point) { return entry.code_point < point; });
    return found != end && found->code_point == code_point ? found : nullptr;
}

/// A character an HTML reference decoded to: slugify only NFKD-normalises it.
std::string decoded(char32_t code_point) {
    if (code_point < 0x80) {
        return std::string(1, static_cast<char>(code_point));
    }
    const auto* entry = find_entry(code_point);
    return entry ? entry->nfkd : "-";
}

std::optional<char32_t> named_entity(std::string_view name) {
    const auto* end = detail::html_entity_table + detail::html_entity_table_size;
    const auto* found = std::lower_bound(
        detail::html_entity_table, end, name,
        [](const detail::HtmlEntity& entity, std::string_view n) { return std::string_view(entity.name) < n; });
    if (found != end && found->name == name) {
        return found->code_point;
    }
    return std::nullopt;
}

bool is_ascii_alnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

bool is_hex_digit(char c) {
    return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/// "&name;" references, in one left-to-right pass like re.sub.
std::string decode_named(const std::string& text) {
    std::string out;
    std::size_t index = 0;
    while (index < text.size()) {
        if (text[index] == '&') {
            std::size_t end = index + 1;
            while (end < text.size() && is_ascii_alnum(text[end])) {
                ++end;
            }
            if (end < text.size() && text[end] == ';') {
                if (auto point = named_entity(std::string_view(text).substr(index + 1, end - index - 1))) {
                    out += decoded(*point);
                    index = end + 1;
                    continue;
                }
            }
        }
        out.push_back(text[index++]);
    }
    return out;
}

/// "&#65;" (prefix "&#") or "&#x41;" (prefix "&#x") references. As in python-slugify, one
/// reference past U+10FFFF leaves every reference of that kind undecoded.
std::string decode_numeric(const std::string& text, bool hexadecimal) {
    const std::string_view prefix = hexadecimal ? "&#x" : "&#";
    const int base = hexadecimal ? 16 : 10;
    std::string out;
    std::size_t index = 0;
    while (index < text.size()) {
        if (std::string_view(text).substr(index, prefix.size()) == prefix) {
            std::size_t end = index + prefix.size();
            unsigned long long value = 0;
            bool too_big = false;
            while (end < text.size() && (hexadecimal ? is_hex_digit(text[end]) : is_digit(text[end]))) {
                const char c = text[end];
                const int digit = is_digit(c) ? c - '0' : (c | 0x20) - 'a' + 10;
                too_big = too_big || value > 0x10FFFF;
                value = too_big ? value : value * base + digit;
                ++end;
            }
            if (end > index + prefix.size() && end < text.size() && text[end] == ';') {
                if (too_big || value > 0x10FFFF) {
                    return text;
                }
                out += decoded(static_cast<char32_t>(value));
                index = end + 1;
                continue;
            }
        }
        out.push_back(text[index++]);
    }
    return out;
}

} // namespace

std::string slugify(std::string_view text) {
    // Transliterate; an ASCII apostrophe already separates words here.
    std::string ascii;
    for (char32_t point : detail::decode_utf8(text)) {
        if (point == U'\'') {
            ascii.push_back('-');
        } else if (point < 0x80) {
            ascii.push_back(static_cast<char>(point));
        } else if (const auto* entry = find_entry(point)) {
            ascii += entry->translit;
        }
    }
    ascii = decode_numeric(decode_numeric(decode_named(ascii), false), true);

    // Lower-case and drop the apostrophes transliteration gave (’ → '); then drop each ","
    // standing between two digits, as seen once the apostrophes are gone.
    std::string lowered;
    for (char c : ascii) {
        if (c != '\'') {
            lowered.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c | 0x20) : c);
        }
    }
    std::string kept;
    for (std::size_t index = 0; index < lowered.size(); ++index) {
        const bool digit_comma = lowered[index] == ',' && index > 0 && is_digit(lowered[index - 1]) &&
                                 index + 1 < lowered.size() && is_digit(lowered[index + 1]);
        if (!digit_comma) {
            kept.push_back(lowered[index]);
        }
    }

    std::string slug;
    bool pending_separator = false;
    for (char c : kept) {
        if ((c >= 'a' && c <= 'z') || is_digit(c)) {
            if (pending_separator && !slug.empty()) {
                slug.push_back('_');
            }
            pending_separator = false;
            slug.push_back(c);
        } else {
            pending_separator = true;
        }
    }
    return slug;
}

} // namespace slate::filetree
