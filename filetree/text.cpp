#include "filetree/text.h"

#include <Poco/UTF8String.h>
#include <Poco/Unicode.h>

namespace slate::filetree {

std::string apply_style(std::string_view text, std::string_view style) {
    if (style == "uppercase") {
        return Poco::UTF8::toUpper(detail::encode_utf8(detail::decode_utf8(text)));
    }
    if (style == "lowercase") {
        return Poco::UTF8::toLower(detail::encode_utf8(detail::decode_utf8(text)));
    }
    return std::string(text);
}

std::string zfill(std::string_view text, std::size_t width) {
    const std::u32string points = detail::decode_utf8(text);
    if (points.size() >= width) {
        return std::string(text);
    }
    const std::string zeros(width - points.size(), '0');
    if (!text.empty() && (text[0] == '+' || text[0] == '-')) {
        return std::string(1, text[0]) + zeros + std::string(text.substr(1));
    }
    return zeros + std::string(text);
}

std::vector<std::string> split(std::string_view text, std::string_view sep) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    while (true) {
        const std::size_t found = text.find(sep, start);
        if (found == std::string_view::npos) {
            parts.emplace_back(text.substr(start));
            return parts;
        }
        parts.emplace_back(text.substr(start, found - start));
        start = found + sep.size();
    }
}

std::string replace_all(std::string_view text, std::string_view from, std::string_view to) {
    std::string out;
    std::size_t start = 0;
    while (true) {
        const std::size_t found = text.find(from, start);
        if (found == std::string_view::npos) {
            out.append(text.substr(start));
            return out;
        }
        out.append(text.substr(start, found - start)).append(to);
        start = found + from.size();
    }
}

namespace detail {

std::u32string decode_utf8(std::string_view text) {
    std::u32string out;
    out.reserve(text.size());
    std::size_t index = 0;
    while (index < text.size()) {
        const auto lead = static_cast<unsigned char>(text[index]);
        std::size_t length = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
        char32_t code_point = lead < 0x80 ? lead : length == 2 ? lead & 0x1F : length == 3 ? lead & 0x0F : lead & 0x07;
        bool valid = lead < 0x80 || (lead >= 0xC2 && lead <= 0xF4);
        for (std::size_t offset = 1; valid && offset < length; ++offset) {
            const std::size_t at = index + offset;
            const auto next = at < text.size() ? static_cast<unsigned char>(text[at]) : 0;
            valid = (next & 0xC0) == 0x80;
            code_point = (code_point << 6) | (next & 0x3F);
        }
        // Overlong forms, surrogates and values past U+10FFFF are not UTF-8 either.
        valid = valid && !(length == 3 && code_point < 0x800) &&
                !(length == 4 && (code_point < 0x10000 || code_point > 0x10FFFF)) &&
                !(code_point >= 0xD800 && code_point <= 0xDFFF);
        out.push_back(valid ? code_point : U'\uFFFD');
        index += valid ? length : 1;
    }
    return out;
}

std::string encode_utf8(std::u32string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char32_t point : text) {
        if (point < 0x80) {
            out.push_back(static_cast<char>(point));
        } else if (point < 0x800) {
            out.push_back(static_cast<char>(0xC0 | (point >> 6)));
            out.push_back(static_cast<char>(0x80 | (point & 0x3F)));
        } else if (point < 0x10000) {
            out.push_back(static_cast<char>(0xE0 | (point >> 12)));
            out.push_back(static_cast<char>(0x80 | ((point >> 6) & 0x3F)));
            out.push_back(static_cast<char>(0x80 | (point & 0x3F)));
        } else {
            out.push_back(static_cast<char>(0xF0 | (point >> 18)));
            out.push_back(static_cast<char>(0x80 | ((point >> 12) & 0x3F)));
            out.push_back(static_cast<char>(0x80 | ((point >> 6) & 0x3F)));
            out.push_back(static_cast<char>(0x80 | (point & 0x3F)));
        }
    }
    return out;
}

std::u32string py_slice(std::u32string_view text, long long start, long long stop) {
    const auto size = static_cast<long long>(text.size());
    auto clamp = [size](long long bound) {
        if (bound < 0) {
            bound += size;
        }
        return bound < 0 ? 0 : bound > size ? size : bound;
    };
    start = clamp(start);
    stop = clamp(stop);
    if (stop <= start) {
        return {};
    }
    return std::u32string(text.substr(static_cast<std::size_t>(start), static_cast<std::size_t>(stop - start)));
}

bool is_word(char32_t code_point) {
    if (code_point < 0x80) {
        const char c = static_cast<char>(code_point);
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    }
    Poco::Unicode::CharacterProperties properties;
    Poco::Unicode::properties(static_cast<int>(code_point), properties);
    return properties.category == Poco::Unicode::UCP_LETTER || properties.category == Poco::Unicode::UCP_NUMBER;
}

} // namespace detail
} // namespace slate::filetree
