#pragma once
// workers/movie_encode.h: the parts of a movie normalisation (movie_outputs.cpp): the MP4
// being written, the video path (decoded pictures → filter graph → libx264) and the audio
// path (decoded sound → resample → AAC, or a silent AAC track). The source is decoded once,
// elsewhere (movie_pipeline.h), and its frames given to every path. Private to workers' .cpp
// files: it names FFmpeg types. Every failure throws av::Failure; the callers turn it into
// a reason.

#include "workers/av_handles.h"
#include "workers/movie_target.h"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace slate::workers {

struct NormaliseTarget;

/// An MP4 file being written, with its moov moved first on finish (+faststart).
class Muxer {
public:
    explicit Muxer(const std::filesystem::path& path);
    AVFormatContext* context() { return m_output.get(); }
    /// A new stream with the parameters of an opened encoder.
    AVStream* add_stream(const AVCodecContext* encoder);
    /// Opens the file and writes the header: call once every stream is added.
    void open();
    /// Writes an encoder's packet (timestamps in `encoder_time_base`) into `stream`.
    void write(AVPacket* packet, AVRational encoder_time_base, AVStream* stream);
    /// Writes the trailer (and moves the moov first) and closes the file.
    void finish();

private:
    std::filesystem::path m_path;
    av::OutputContext m_output;
};

/// How the decoded pictures a VideoPath is given are timed and shaped.
struct VideoInput {
    AVRational time_base{1, 25}; ///< of the pictures' timestamps
    int64_t start = 0;           ///< the movie's start time, in time_base
    AVRational frame_rate{0, 1}; ///< a picture's length when it has none (0/1: one tick)
    AVRational sar{0, 1};        ///< the stream's pixel shape (0/1: the picture's own)
    double rotation = 0;         ///< degrees clockwise the pictures are shown turned

    /// What FFmpeg says of `stream` of `input`.
    static VideoInput of(AVFormatContext* input, AVStream* stream);
};

/// Decoded pictures → de-anamorph, fit, pad, square pixels, output rate (the `fps` filter
/// drops and duplicates as ffmpeg -r does) → libx264, written to the muxer. Of the pictures
/// it is given only the pts is set (alike by every path): several paths may be given the same
/// ones in turn.
class VideoPath {
public:
    VideoPath(const VideoInput& input, const NormaliseTarget& target, Muxer& muxer);
    ~VideoPath();
    /// One decoded picture (its pts is set from its best-effort timestamp).
    void push(AVFrame* decoded);
    /// Flushes the graph and the encoder. Throws when no picture was given.
    void finish();
    /// Seconds of output the encoder was given so far.
    double seconds_encoded() const;
    /// Keeps a reference to each filtered picture whose index (0-based, at the output rate)
    /// `wanted` accepts, for take_kept().
    void keep(std::function<bool(int64_t)> wanted) { m_wanted = std::move(wanted); }
    /// The pictures kept since the last call, in order, with their index.
    std::vector<std::pair<int64_t, av::Frame>> take_kept() { return std::exchange(m_kept, {}); }

private:
    void build_graph(const AVFrame* first);
    void drain_graph();
    void encode(AVFrame* frame);

    VideoInput m_input;
    Muxer& m_muxer;
    const NormaliseTarget& m_target;
    av::CodecContext m_encoder;
    av::FilterGraph m_graph;
    AVFilterContext* m_source = nullptr;
    AVFilterContext* m_sink = nullptr;
    AVStream* m_out = nullptr;
    av::Frame m_filtered;
    int m_graph_width = 0, m_graph_height = 0, m_graph_format = -1;
    int64_t m_end = AV_NOPTS_VALUE; ///< end of the last decoded picture, in the input's time base
    int64_t m_frames_encoded = 0;
    int64_t m_pictures_decoded = 0;
    std::function<bool(int64_t)> m_wanted;
    std::vector<std::pair<int64_t, av::Frame>> m_kept;
};

/// An AAC track of the MP4 being written (FFmpeg's encoder, 128 kb/s, planar float): samples
/// are queued and encoded in whole 1024-sample frames as they fill; the last one may be short.
class AacTrack {
public:
    /// At the AAC rate nearest `sample_rate`, with `layout`'s channels.
    AacTrack(Muxer& muxer, int sample_rate, const AVChannelLayout& layout);
    const AVCodecContext* encoder() const { return m_encoder.get(); }
    /// The time of the next sample queued, in samples: encoded and waiting ones counted.
    int64_t end() const;
    /// Where the first sample goes (a sound that starts after the picture): call before any.
    void start_at(int64_t sample) { m_next_pts = sample; }
    /// Queues `samples` samples of the encoder's format and layout, encoding whole frames.
    void push(uint8_t* const* planes, int samples);
    /// Queues silence.
    void push_silence(int64_t samples);
    /// Encodes what waits (a short last frame) and flushes the encoder.
    void finish();

private:
    void encode_waiting(bool final);
    void encode(AVFrame* frame);

    Muxer& m_muxer;
    av::CodecContext m_encoder;
    AVStream* m_out = nullptr;
    av::AudioFifo m_fifo;
    av::Frame m_chunk;
    int64_t m_next_pts = 0; ///< in samples (the encoder's time base), of the next chunk
};

/// Decoded sound converted to an AacTrack's format, rate and layout; a change of input
/// format mid-stream starts a new conversion after flushing the old one.
class SoundConverter {
public:
    explicit SoundConverter(const AVCodecContext* encoder) : m_encoder(encoder) {}
    ~SoundConverter();
    /// `decoded` converted (nullptr: what the conversion still holds); an empty frame when
    /// there is nothing yet.
    av::Frame convert(const AVFrame* decoded);

private:
    const AVCodecContext* m_encoder;
    av::ResampleContext m_resampler;
    AVChannelLayout m_layout{};
    int m_rate = 0, m_format = -1;
};

/// The sound of the first audio stream → resampled to planar float at its own rate and
/// channel layout (when AAC takes them) → an AacTrack. Or, for an input without audio, a
/// silent 44.1 kHz stereo AAC track as long as the video.
class AudioPath {
public:
    /// Sound decoded by `decoder` (opened, not yet fed) from `stream` of `input`.
    AudioPath(const AVFormatContext* input, const AVStream* stream, const AVCodecContext* decoder, Muxer& muxer);
    /// Silence.
    explicit AudioPath(Muxer& muxer);
    /// One decoded sound frame (read, never written).
    void push(const AVFrame* decoded);
    /// Silence up to `seconds` (silent track only; whole frames until the end).
    void fill_silence(double seconds);
    /// Flushes everything; a silent track is first completed up to `end_seconds`.
    void finish(double end_seconds);
    bool silent() const { return !m_converter; }

private:
    void queue(const AVFrame* decoded);

    const AVFormatContext* m_input = nullptr;
    const AVStream* m_stream = nullptr;
    std::optional<AacTrack> m_track;
    std::optional<SoundConverter> m_converter;
    int64_t m_skip = 0; ///< samples before the movie's start still to drop
    bool m_started = false;
};

} // namespace slate::workers
