#pragma once
// workers/movie_encode.h: the parts of a movie normalisation (movie_normalise.cpp): the MP4
// being written, the video path (decode → filter graph → libx264) and the audio path
// (decode → resample → AAC, or a silent AAC track). Private to workers' .cpp files: it
// names FFmpeg types. Every failure throws av::Failure; movie_normalise.cpp turns it into a
// reason.

#include "workers/av_handles.h"
#include "workers/movie_target.h"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

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

/// Decoded pictures of one input stream → de-anamorph, fit, pad, square pixels, output rate
/// (the `fps` filter drops and duplicates as ffmpeg -r does) → libx264, written to the muxer.
class VideoPath {
public:
    VideoPath(AVFormatContext* input, int stream_index, const NormaliseTarget& target, Muxer& muxer);
    ~VideoPath();
    void send(const AVPacket* packet);
    /// Flushes the decoder, the graph and the encoder. Throws when no picture was decoded.
    void finish();
    /// Seconds of output the encoder was given so far.
    double seconds_encoded() const;

private:
    void push(AVFrame* decoded);
    void build_graph(const AVFrame* first);
    void drain_graph();
    void encode(AVFrame* frame);
    void receive_frames();

    AVFormatContext* m_input;
    AVStream* m_stream;
    Muxer& m_muxer;
    const NormaliseTarget& m_target;
    av::CodecContext m_decoder, m_encoder;
    av::FilterGraph m_graph;
    AVFilterContext* m_source = nullptr;
    AVFilterContext* m_sink = nullptr;
    AVStream* m_out = nullptr;
    av::Frame m_decoded, m_filtered;
    int m_graph_width = 0, m_graph_height = 0, m_graph_format = -1;
    int64_t m_start = 0;            ///< the input's start time, in the stream's time base
    int64_t m_end = AV_NOPTS_VALUE; ///< end of the last decoded picture, same base
    int64_t m_frames_encoded = 0;
    int64_t m_pictures_decoded = 0;
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

/// The first audio stream → resampled to planar float at its own rate and channel layout
/// (when AAC takes them) → an AacTrack. Or, for an input without audio, a silent 44.1 kHz
/// stereo AAC track as long as the video.
class AudioPath {
public:
    /// Decodes `stream_index` of `input`; with no input, makes silence.
    AudioPath(AVFormatContext* input, int stream_index, Muxer& muxer);
    explicit AudioPath(Muxer& muxer);
    void send(const AVPacket* packet);
    /// Silence up to `seconds` (silent track only; whole frames until the end).
    void fill_silence(double seconds);
    /// Flushes everything; a silent track is first completed up to `end_seconds`.
    void finish(double end_seconds);
    bool silent() const { return !m_decoder; }

private:
    void queue(const AVFrame* decoded);

    AVFormatContext* m_input = nullptr;
    AVStream* m_stream = nullptr;
    av::CodecContext m_decoder;
    std::optional<AacTrack> m_track;
    std::optional<SoundConverter> m_converter;
    av::Frame m_decoded;
    int64_t m_skip = 0; ///< samples before the movie's start still to drop
    bool m_started = false;
};

} // namespace slate::workers
