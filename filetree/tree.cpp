#include "filetree/tree.h"

#include "filetree/error.h"
#include "filetree/source_node.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/ParseHandler.h>
#include <Poco/JSON/Parser.h>

namespace slate::filetree {
namespace {

using detail::SourceNode;

std::string type_name(SourceNode::Type type) {
    switch (type) {
    case SourceNode::Type::null: return "null";
    case SourceNode::Type::string: return "a string";
    case SourceNode::Type::number: return "a number";
    case SourceNode::Type::boolean: return "a boolean";
    case SourceNode::Type::object: return "an object";
    case SourceNode::Type::array: return "a list";
    }
    return "a value";
}

Section build_section(const SourceNode& node) {
    Section section;
    for (std::size_t index = 0; index < node.keys.size(); ++index) {
        const std::string& kind = node.keys[index];
        const SourceNode& value = node.values[index];
        if (kind == "style") {
            // Zou compares the style with two strings: any other value changes no case.
            section.style = value.type == SourceNode::Type::string ? value.text : "";
        } else if (value.type == SourceNode::Type::string) {
            section.templates.emplace_back(kind, value.text);
        } else {
            section.bad_keys.push_back(kind);
        }
    }
    return section;
}

Mode build_mode(const std::string& name, const SourceNode& node) {
    Mode mode;
    mode.name = name;
    if (node.type != SourceNode::Type::object) {
        mode.problems.push_back("Mode " + name + " of the file tree is " + type_name(node.type) + ", not an object.");
        return mode;
    }
    for (std::size_t index = 0; index < node.keys.size(); ++index) {
        const std::string& key = node.keys[index];
        const SourceNode& value = node.values[index];
        const bool is_string = value.type == SourceNode::Type::string;
        if (key == "mountpoint") {
            if (is_string) {
                mode.mountpoint = value.text;
            } else {
                mode.problems.push_back("Mode " + name + ": mountpoint is " + type_name(value.type) +
                                        ", not a string.");
            }
        } else if (key == "root") {
            if (is_string || value.type == SourceNode::Type::null) {
                mode.root = value.text; // null: no root folder, as in Zou
            } else {
                mode.problems.push_back("Mode " + name + ": root is " + type_name(value.type) + ", not a string.");
            }
        } else if (key == "folder_path" || key == "file_name") {
            if (value.type != SourceNode::Type::object) {
                mode.problems.push_back("Mode " + name + ": " + key + " is " + type_name(value.type) +
                                        ", not an object.");
            } else if (key == "folder_path") {
                mode.folder_path = build_section(value);
            } else {
                mode.file_name = build_section(value);
            }
        }
    }
    return mode;
}

SourceNode from_poco(const Poco::Dynamic::Var& value) {
    SourceNode node;
    if (value.type() == typeid(Poco::JSON::Object::Ptr)) {
        node.type = SourceNode::Type::object;
        const auto object = value.extract<Poco::JSON::Object::Ptr>();
        for (const std::string& name : object->getNames()) {
            node.add(name, from_poco(object->get(name)));
        }
    } else if (value.type() == typeid(Poco::JSON::Array::Ptr)) {
        node.type = SourceNode::Type::array;
    } else if (value.isEmpty()) {
        node.type = SourceNode::Type::null;
    } else if (value.isString()) {
        node.type = SourceNode::Type::string;
        node.text = value.extract<std::string>();
    } else if (value.isBoolean()) {
        node.type = SourceNode::Type::boolean;
        node.text = value.convert<std::string>();
    } else {
        node.type = SourceNode::Type::number;
        node.text = value.convert<std::string>();
    }
    return node;
}

} // namespace

namespace detail {

FileTree build_tree(const SourceNode& document) {
    std::vector<Mode> modes;
    for (std::size_t index = 0; index < document.keys.size(); ++index) {
        modes.push_back(build_mode(document.keys[index], document.values[index]));
    }
    return FileTree(std::move(modes));
}

} // namespace detail

const std::string* Section::find(std::string_view kind) const {
    for (const auto& [key, value] : templates) {
        if (key == kind) {
            return &value;
        }
    }
    return nullptr;
}

const Mode* FileTree::find(std::string_view mode) const {
    for (const Mode& candidate : m_modes) {
        if (candidate.name == mode) {
            return &candidate;
        }
    }
    return nullptr;
}

FileTree parse_tree_json(std::string_view text) {
    const std::size_t start = text.find_first_not_of(" \t\r\n");
    const std::size_t end = text.find_last_not_of(" \t\r\n");
    if (start == std::string_view::npos || text.substr(start, end - start + 1) == "null") {
        throw MalformedTree("No tree can be found for given project.");
    }
    Poco::Dynamic::Var parsed;
    try {
        // The handler keeps key order: guessing walks modes and templates in the tree's order.
        Poco::JSON::Parser parser(new Poco::JSON::ParseHandler(true)); // adopted by the parser
        parsed = parser.parse(std::string(text));
    } catch (const Poco::Exception&) {
        throw_bad_request("The file tree is not valid JSON.");
    }
    const SourceNode document = from_poco(parsed);
    if (document.type != SourceNode::Type::object) {
        throw_bad_request("The file tree must be a JSON object.");
    }
    return detail::build_tree(document);
}

std::string root_path(const FileTree& tree, std::string_view mode_name, std::string_view sep) {
    const std::string name(mode_name);
    const Mode* mode = tree.find(mode_name);
    if (mode == nullptr) {
        throw MalformedTree("Mode " + name + " cannot be found on given tree.");
    }
    if (!mode->problems.empty()) {
        throw MalformedTree(mode->problems.front());
    }
    if (!mode->mountpoint || !mode->root) {
        throw MalformedTree("Can't find given mode (" + name + ") in given tree.");
    }
    std::string root = *mode->mountpoint + std::string(sep);
    if (!mode->root->empty()) {
        root += *mode->root + std::string(sep);
    }
    return root;
}

std::string join_path(std::string_view left, std::string_view right, std::string_view sep) {
    if (left.empty()) {
        return std::string(right);
    }
    if (right.empty()) {
        return std::string(left);
    }
    return std::string(left) + std::string(sep) + std::string(right);
}

} // namespace slate::filetree
