#pragma once
// workers/movie_outputs.h: everything a movie upload makes, from one decode of its source
// (media.md §4.3): the HD and LD normalised movies (movie_normalise.h), the first-frame
// thumbnail and the tile sheet (movie_frames.h). The source is read and decoded once; its
// pictures and sound are given to the HD and LD encoders, which run side by side on the TBB
// pool with a few pictures in flight between them (memory does not grow with the movie's
// length); the thumbnail and the tile cells are taken from the pictures of the first movie
// made, as they are encoded. Each output is what the one-output functions make: same format,
// size, rate, bitrate, quality and sound. Never throws.

#include "workers/movie_frames.h"
#include "workers/movie_normalise.h"
#include "workers/movie_probe.h"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace slate::workers {

/// What to make of one upload. Without HD nor LD, the thumbnail and the tile sheet are the
/// source's own pictures (an upload kept as sent).
struct MovieOutputsRequest {
    std::optional<NormaliseTarget> hd, ld;
    std::filesystem::path hd_path, ld_path;           ///< where each movie is written
    std::filesystem::path thumbnail_png, tile_png;    ///< empty: not made
};

struct MovieOutputs {
    bool ok = false;
    std::string reason; ///< why the upload failed (no movie, thumbnail or readable source), when !ok
    NormaliseResult hd, ld; ///< as normalise_movie answers, for each one asked
    MovieProbe movie;       ///< the first movie made (HD, else LD) read back; the source when none
    MoviePicture thumbnail; ///< the first picture of `movie`, as extract_frame_png(movie, 0) makes it
    TileSheet tile;         ///< as build_tile_sheet(movie) makes it; its failure is not the upload's
    int64_t source_decodes = 0;   ///< times the source was opened and decoded (1)
    int64_t pictures_decoded = 0; ///< pictures the source's decoder gave
};

/// Makes every output `request` asks of the movie at `source`, decoding it once. `probed` is
/// the source's probe when the caller has it (else it is probed here). On failure no movie,
/// thumbnail or tile is left at the request's paths.
MovieOutputs make_movie_outputs(const std::filesystem::path& source, const MovieOutputsRequest& request,
                                const MovieProbe* probed = nullptr);

} // namespace slate::workers
