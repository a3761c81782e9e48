#pragma once
// engine/samples/sample_production.h: `slate sample-production`: a realistic production
// (episodes, sequences, shots, assets, casting, tasks with assignees and statuses, comments
// with status changes and previews, time spents over a year, playlists, a studio of persons
// in departments), the same for a given seed on every load, written with COPY.

#include "engine/fwd.h"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace slate::engine::samples {

/// How much is written.
struct SampleSize {
    std::string name;
    int episodes = 0;
    int sequences = 0; ///< in all, spread over the episodes
    int shots = 0;     ///< in all, spread over the sequences
    int assets = 0;
    int persons = 0;
    int tasks = 0;
    long long comments = 0;
    int casting = 0;   ///< assets cast per shot, on average
    int playlists = 0; ///< per episode
};

/// "small", "big" or "spec" (the performance goals' production: 15,000 shots, 3,000 assets,
/// 120,000 tasks — one per task type and entity —, 100 persons); anything else is a bad request.
SampleSize sample_size(std::string_view name);

/// Called as each stage goes: its name, rows done, rows it will write.
using SampleProgress = std::function<void(const std::string& stage, long long done, long long total)>;

/// The password every sample person logs in with.
constexpr const char* sample_password = "slate-sample";

struct SampleOptions {
    SampleSize size;
    uint64_t seed = 1;
    SampleProgress progress; ///< optional
    /// The sample media (samples/ of the source tree, with its media.json) the previews show,
    /// linked into the file store; empty: preview rows only.
    std::filesystem::path media;
};

struct SampleSummary {
    std::string project_id;
    std::string project_name;
    std::string artist_email;  ///< an artist with tasks, to log in as
    std::string manager_email; ///< a production manager
    std::vector<std::pair<std::string, long long>> rows; ///< table → rows written
    long long media_files = 0; ///< files linked into the file store
};

/// Writes the production in one transaction (Zou's init-data must be there: `slate
/// init-data`, or a served database). Refuses, with a bad request, a seed whose production is
/// already loaded.
SampleSummary load_sample_production(db::Connection& c, const Config& config, const SampleOptions& options);

} // namespace slate::engine::samples
