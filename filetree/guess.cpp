#include "filetree/guess.h"

#include "filetree/error.h"
#include "filetree/text.h"
#include "filetree/tree.h"

#include <algorithm>
#include <optional>

namespace slate::filetree {
namespace {

/// Zou's re.search(r"(\w*)<(\w*)>(\w*)", element): the leftmost token of an element.
struct ElementToken {
    std::string token;
    std::size_t prefix_length = 0; ///< in code points
    std::size_t suffix_length = 0;
};

std::optional<ElementToken> element_token(std::string_view element) {
    const std::u32string points = detail::decode_utf8(element);
    for (std::size_t open = 0; open < points.size(); ++open) {
        if (points[open] != U'<') {
            continue;
        }
        std::size_t close = open + 1;
        while (close < points.size() && detail::is_word(points[close])) {
            ++close;
        }
        if (close == points.size() || points[close] != U'>') {
            continue;
        }
        ElementToken found;
        found.token = detail::encode_utf8(points.substr(open + 1, close - open - 1));
        for (std::size_t at = open; at > 0 && detail::is_word(points[at - 1]); --at) {
            ++found.prefix_length;
        }
        for (std::size_t at = close + 1; at < points.size() && detail::is_word(points[at]); ++at) {
            ++found.suffix_length;
        }
        return found;
    }
    return std::nullopt;
}

/// Python's repr() of a list of str, for Zou's messages.
std::string python_list(const std::vector<std::string>& items) {
    std::string out = "[";
    for (std::size_t index = 0; index < items.size(); ++index) {
        const std::string& item = items[index];
        const bool double_quotes = item.find('\'') != std::string::npos && item.find('"') == std::string::npos;
        const char quote = double_quotes ? '"' : '\'';
        out += index ? ", " : "";
        out.push_back(quote);
        for (char c : item) {
            static const char* const hex = "0123456789abcdef";
            const auto byte = static_cast<unsigned char>(c);
            if (c == '\\' || c == quote) {
                out += '\\';
                out += c;
            } else if (c == '\n') {
                out += "\\n";
            } else if (c == '\r') {
                out += "\\r";
            } else if (c == '\t') {
                out += "\\t";
            } else if (byte < 0x20 || byte == 0x7F) {
                out += "\\x";
                out += hex[byte >> 4];
                out += hex[byte & 0xF];
            } else {
                out += c;
            }
        }
        out.push_back(quote);
    }
    return out + "]";
}

} // namespace

const std::string* find_token(const TokenValues& values, std::string_view token) {
    for (const auto& [name, value] : values) {
        if (name == token) {
            return &value;
        }
    }
    return nullptr;
}

TokenValues extract_variable_values_from_path(const std::vector<std::string>& elements,
                                              const std::vector<std::string>& template_elements) {
    TokenValues values;
    const std::size_t count = std::min(elements.size(), template_elements.size());
    for (std::size_t index = 0; index < count; ++index) {
        const std::optional<ElementToken> found = element_token(template_elements[index]);
        if (!found) {
            if (template_elements[index] == elements[index]) {
                continue;
            }
            throw_bad_request(python_list(elements) + " doesn't match " + python_list(template_elements));
        }
        const std::u32string value = detail::decode_utf8(replace_all(elements[index], "_", " "));
        const auto length = static_cast<long long>(value.size());
        const std::string cut =
            detail::encode_utf8(detail::py_slice(value, static_cast<long long>(found->prefix_length),
                                                 length - static_cast<long long>(found->suffix_length)));
        // First occurrence wins, unless it read nothing (Zou tests the value, not the key).
        bool placed = false;
        for (auto& [token, existing] : values) {
            if (token == found->token) {
                if (existing.empty()) {
                    existing = cut;
                }
                placed = true;
            }
        }
        if (!placed) {
            values.emplace_back(found->token, cut);
        }
    }
    return values;
}

std::vector<GuessCandidate> guess_from_path(const FileTree& tree, std::string_view file_path, std::string_view sep) {
    if (sep.empty()) {
        throw_bad_request("The path separator must not be empty.");
    }
    std::vector<GuessCandidate> candidates;
    for (const Mode& mode : tree.modes()) {
        if (!mode.problems.empty()) {
            throw MalformedTree(mode.problems.front());
        }
        if (!mode.folder_path) {
            throw MalformedTree("Mode " + mode.name + " has no folder_path.");
        }
        const std::string& style = mode.folder_path->style;
        const std::string root = apply_style(root_path(tree, mode.name, sep), style);
        const std::string path = apply_style(file_path, style);
        if (path.compare(0, root.size(), root) != 0) {
            continue;
        }
        const std::vector<std::string> elements = split(path.substr(root.size()), sep);
        for (const auto& [kind, text] : mode.folder_path->templates) {
            const std::vector<std::string> template_elements = split(text, sep);
            TokenValues tokens;
            try {
                tokens = extract_variable_values_from_path(elements, template_elements);
            } catch (const Error&) {
                continue; // a literal element differs: not this template
            }
            if (tokens.empty()) {
                continue;
            }
            GuessCandidate candidate{mode.name, kind, {}};
            for (const std::string& element : template_elements) {
                for (const auto& [token, value] : tokens) {
                    if (element.find("<" + token + ">") != std::string::npos) {
                        candidate.lookups.emplace_back(token, value);
                        break;
                    }
                }
            }
            candidates.push_back(std::move(candidate));
        }
    }
    return candidates;
}

TokenValues task_path_tokens(const FileTree& tree, std::string_view kind_key, std::string_view file_path,
                             std::string_view mode, std::string_view sep) {
    if (sep.empty()) {
        throw_bad_request("The path separator must not be empty.");
    }
    const std::string root = root_path(tree, mode, sep);
    const Mode& found = *tree.find(mode);
    if (!found.folder_path) {
        throw MalformedTree("Mode " + found.name + " has no folder_path.");
    }
    const std::string* text = found.folder_path->find(kind_key);
    const std::string template_text = text ? *text : std::string();
    // Zou cuts the root by its length, without checking that the path starts with it.
    const std::u32string path = detail::decode_utf8(file_path);
    const auto root_length = static_cast<long long>(detail::decode_utf8(root).size());
    const std::vector<std::string> elements =
        split(detail::encode_utf8(detail::py_slice(path, root_length, 1LL << 40)), sep);
    const std::vector<std::string> template_elements = split(template_text, sep);
    if (elements.size() != template_elements.size()) {
        throw_bad_request(std::string(file_path) + " doesn't match " + template_text);
    }
    return extract_variable_values_from_path(elements, template_elements);
}

} // namespace slate::filetree
