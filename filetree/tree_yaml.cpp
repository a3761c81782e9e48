// filetree/tree_yaml.cpp: the YAML reader of file trees (yaml-cpp stays in this file).
#include "filetree/error.h"
#include "filetree/source_node.h"
#include "filetree/tree.h"

#include <yaml-cpp/yaml.h>

namespace slate::filetree {
namespace {

using detail::SourceNode;

/// A tree is three mappings deep (modes, sections, templates): below that nothing is read.
constexpr int read_depth = 3;
/// Nesting yaml-cpp would recurse into, refused before parsing since yaml-cpp 0.7 has no limit
/// of its own and deep input would exhaust the stack.
constexpr int max_nesting = 64;
constexpr std::size_t max_indent = 256;
/// Members read at most: aliases can repeat a mapping exponentially ("billion laughs").
constexpr std::size_t max_members = 100000;

void check_nesting(std::string_view text) {
    int flow_depth = 0;
    std::size_t line_start = 0;
    while (line_start < text.size()) {
        std::size_t line_end = text.find('\n', line_start);
        if (line_end == std::string_view::npos) {
            line_end = text.size();
        }
        const std::string_view line = text.substr(line_start, line_end - line_start);
        // Block nesting: the indentation, then the "- " and "? " indicators that open a
        // collection each on the same line.
        std::size_t at = line.find_first_not_of(' ');
        int indicators = 0;
        while (at != std::string_view::npos && at + 1 < line.size() && (line[at] == '-' || line[at] == '?') &&
               line[at + 1] == ' ') {
            ++indicators;
            at = line.find_first_not_of(' ', at + 1);
        }
        if (indicators > max_nesting || (at != std::string_view::npos && at > max_indent)) {
            throw_bad_request("The file tree is nested too deeply.");
        }
        for (char c : line) {
            flow_depth += (c == '[' || c == '{') ? 1 : (c == ']' || c == '}') ? -1 : 0;
            if (flow_depth > max_nesting) {
                throw_bad_request("The file tree is nested too deeply.");
            }
        }
        line_start = line_end + 1;
    }
}

SourceNode from_yaml(const YAML::Node& node, int depth, std::size_t& budget) {
    SourceNode out;
    switch (node.Type()) {
    case YAML::NodeType::Map:
        out.type = SourceNode::Type::object;
        if (depth >= read_depth) {
            break;
        }
        // yaml-cpp iterates a mapping in document order, as the JSON reader keeps it.
        for (const auto& member : node) {
            if (budget-- == 0) {
                throw_bad_request("The file tree is too large.");
            }
            if (!member.first.IsScalar()) {
                throw_bad_request("The file tree's keys must be plain strings.");
            }
            out.add(member.first.Scalar(), from_yaml(member.second, depth + 1, budget));
        }
        break;
    case YAML::NodeType::Sequence: out.type = SourceNode::Type::array; break;
    case YAML::NodeType::Scalar:
        out.type = SourceNode::Type::string;
        out.text = node.Scalar();
        break;
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined: out.type = SourceNode::Type::null; break;
    }
    return out;
}

} // namespace

FileTree parse_tree_yaml(std::string_view text) {
    check_nesting(text);
    YAML::Node document;
    try {
        document = YAML::Load(std::string(text));
    } catch (const YAML::Exception& error) {
        throw_bad_request("The file tree is not valid YAML: " + error.msg + ".");
    }
    std::size_t budget = max_members;
    const SourceNode root = from_yaml(document, 0, budget);
    if (root.type == SourceNode::Type::null) {
        throw MalformedTree("No tree can be found for given project.");
    }
    if (root.type != SourceNode::Type::object) {
        throw_bad_request("The file tree must be a YAML mapping.");
    }
    return detail::build_tree(root);
}

} // namespace slate::filetree
