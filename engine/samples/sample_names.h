#pragma once
// engine/samples/sample_names.h: the words a sample production is named with.

#include <string>
#include <vector>

namespace slate::engine::samples::names {

extern const std::vector<std::string> first_names;
extern const std::vector<std::string> last_names;
extern const std::vector<std::string> title_words; ///< film titles: "The <word> of <word>"
extern const std::vector<std::string> places;
extern const std::vector<std::string> comment_notes; ///< what artists and supervisors write

/// The words assets of a type are named with ("Character": "Captain", "Fox", ...).
const std::vector<std::string>& asset_words(const std::string& asset_type);
/// The adjectives that tell assets of the same word apart ("Old", "Red", ...).
extern const std::vector<std::string> asset_qualifiers;

} // namespace slate::engine::samples::names
