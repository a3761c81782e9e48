#pragma once
// bench/folders_bench.h: `slate-bench create-folders`: the sample production (big: 200,000
// tasks) loaded into a throw-away cluster, its folders rendered from the simple tree (a dry run,
// on every core and on one) and made in a temporary folder: paths per second.

#include <string>

namespace slate::bench {

struct FoldersBenchOptions {
    std::string size = "big"; ///< of the sample production: small or big
};

int run_folders_bench(const FoldersBenchOptions& options);

} // namespace slate::bench
