#pragma once
// workers/movie_pipeline.h: the one decode of a movie upload feeding all its outputs
// (movie_outputs.h), for any source of decoded pictures: a movie file (movie_outputs.cpp) or
// numbered frames (image_sequence.cpp). A TBB parallel_pipeline: the source's stages, then
// the HD encoder, the LD encoder, and the thumbnail and tiles, each serial in order, so the
// encoders work side by side on successive pieces with a bounded number in flight. Private to
// workers' .cpp files: it names FFmpeg and TBB types.

#include "workers/movie_encode.h"
#include "workers/movie_outputs.h"

#include <tbb/parallel_pipeline.h>

#include <functional>
#include <memory>
#include <utility>
#include <vector>

namespace slate::workers {

/// A stretch of the decoded source: its pictures and the sound decoded with them, in order.
struct DecodedPiece {
    std::vector<av::Frame> pictures;
    std::vector<av::Frame> sound;
    bool last = false; ///< the source's end: every output is finished with this piece
    /// Pictures of the first movie made (its index at the output rate), for the thumbnail and tiles.
    std::vector<std::pair<int64_t, av::Frame>> shown;
};
using Piece = std::shared_ptr<DecodedPiece>;

/// What the pipeline's outputs need to know of the source.
struct PipelineSource {
    VideoInput video;
    const AVFormatContext* input = nullptr;        ///< the sound's container,
    const AVStream* audio = nullptr;               ///< stream and decoder;
    const AVCodecContext* audio_decoder = nullptr; ///< nullptr: a silent track
    double expected_seconds = 0; ///< the source's length as announced (lays out the tiles)
    Rational display_aspect{0, 1}; ///< of the source's pictures (tiles of an upload kept as sent)
    double source_fps = 0;         ///< the same's rate
};

/// The outputs to make, once the first picture's size is known (width, height: 0 when the
/// source holds none).
using OutputPlan = std::function<MovieOutputsRequest(int width, int height)>;

/// How many pieces are in flight at most.
constexpr size_t pipeline_pieces = 6;

/// Runs `front` (which yields pieces, the last one flagged `last`) through the outputs
/// `plan` asks for. Fills everything of MovieOutputs but the source counters. Throws
/// av::Failure (partial outputs are removed first).
MovieOutputs run_movie_pipeline(const tbb::filter<void, Piece>& front, const PipelineSource& source,
                                const OutputPlan& plan);

} // namespace slate::workers
