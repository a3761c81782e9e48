#pragma once
// bench/make_samples.h: `slate-bench make-samples`: the sample media of samples/, made by
// Slate's own media code (a generated clip, normalised; its frames and pictures).

#include <filesystem>

namespace slate::bench {

/// Writes movie/ and picture/ under `out` and media.json describing them; prints what it wrote.
int run_make_samples(const std::filesystem::path& out);

} // namespace slate::bench
