#pragma once
// filetree/source_node.h (internal): a parsed document, whichever format it was written in, so
// that JSON and YAML trees are built by the same code and so read the same.

#include "filetree/tree.h"

#include <string>
#include <utility>
#include <vector>

namespace slate::filetree::detail {

struct SourceNode {
    enum class Type { null, string, number, boolean, object, array };
    Type type = Type::null;
    std::string text; ///< the value of a string, number or boolean
    /// An object's members in document order: keys[i] names values[i]. (Two vectors, since a
    /// pair cannot hold the type being defined.)
    std::vector<std::string> keys;
    std::vector<SourceNode> values;

    void add(std::string key, SourceNode value) {
        keys.push_back(std::move(key));
        values.push_back(std::move(value));
    }
};

/// Builds the tree from a document whose top is an object (the caller checked).
FileTree build_tree(const SourceNode& document);

} // namespace slate::filetree::detail
