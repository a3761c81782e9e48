#pragma once
// workers/image_sequence.h: numbered frames (a zip, or several uploaded files) made into a
// preview movie: each frame read by OpenImageIO and colour-managed as a still
// (still_images.h), in parallel on the TBB pool, and given in order as 4:2:0 pictures at the
// production's frame rate to the same one-pass outputs as movies (movie_outputs.h): HD and
// LD encodes, thumbnail and tile sheet, no intermediate file. A missing, unreadable or differently sized
// frame holds the previous one and is named in the preview's reason (data.reason); no
// readable frame at all, or a zip entry whose path leaves its folder, makes the preview broken.

#include "workers/movie_outputs.h"
#include "workers/movie_target.h"
#include "workers/worker_pool.h"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace slate::engine::storage {
class LocalFileStore;
}

namespace slate::workers {

struct MovieSettings;

/// The frame number of a frame's file name: the digits right before the extension of a
/// picture or still ("sh010_comp.1001.exr" → 1001, "0007.png" → 7); nothing otherwise.
std::optional<int64_t> frame_number(const std::string& name);

/// Whether a file is a zip with at least one picture or still in it (read from its directory
/// only). False for a file that is no zip.
bool zip_holds_frames(const std::filesystem::path& zip);

/// Numbered frames, sorted by number.
using Frames = std::vector<std::pair<int64_t, std::filesystem::path>>;

struct SequenceMovie {
    bool ok = false;
    std::string reason; ///< why no movie can be made, when !ok
    std::string notes;  ///< the frames missing, unreadable or of another size, when any
    int64_t frames = 0; ///< pictures given to the movie (held ones included)
    int width = 0, height = 0;
    MovieOutputs outputs; ///< what was made (outputs.ok when ok)
};

/// Makes the outputs `plan` asks for the sequence's size (its first readable frame's) of
/// `frames` at `fps`, decoding each frame once: every number from the first to the last has
/// one picture (the previous one held where a frame is missing, bad or of another size).
/// `plan` may throw std::exception (its text is the reason). Never throws.
SequenceMovie make_sequence_movie(const Frames& frames, FrameRate fps,
                                  const std::function<MovieOutputsRequest(int width, int height)>& plan);

/// Runs one sequence-preview job (payload: see sequence_preview_job in media_jobs.h).
JobResult run_sequence_preview(const engine::storage::LocalFileStore& files, const MovieSettings& settings,
                               const std::string& payload, engine::db::Connection& c);

} // namespace slate::workers
