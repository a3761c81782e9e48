#pragma once
// filetree/slugify.h: python-slugify 8.0.4's slugify(text, separator="_"), which Zou runs on
// every token value and on every whole file name.

#include <string>
#include <string_view>

namespace slate::filetree {

/// Transliterates to ASCII (NFKD, then letters of other scripts spelt in Latin; characters the
/// table lacks, CJK among them, vanish), decodes HTML character references, lower-cases,
/// removes apostrophes (an ASCII "'" typed in the text separates words instead), removes a ","
/// between two digits, and turns every run of other characters into one "_", none at either
/// end: "Big Buck Bunny" → "big_buck_bunny", "Été-1" → "ete_1", "1,000" → "1000".
std::string slugify(std::string_view text);

} // namespace slate::filetree
