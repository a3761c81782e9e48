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
    VideoPath(AVFormatContext* input, int stream_index, const NormaliseTarget& target,
              Muxer& muxer);
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

/// The first audio stream → resampled to planar float at its own rate and channel layout
/// (when AAC takes them) → FFmpeg's AAC encoder at 128 kb/s, in 1024-sample frames. Or, for
/// an input without audio, a silent 44.1 kHz stereo AAC track as long as the video.
class AudioPath {
public:
    /// Decodes `stream_index` of `input`; with no input, makes silence.
    AudioPath(AVFormatContext* input, int stream_index, Muxer& muxer);
    explicit AudioPath(Muxer& muxer);
    ~AudioPath();
    void send(const AVPacket* packet);
    /// Silence up to `seconds` (silent track only; whole frames until the end).
    void fill_silence(double seconds);
    /// Flushes everything; a silent track is first completed up to `end_seconds`.
    void finish(double end_seconds);
    bool silent() const { return !m_decoder; }

private:
    void open_encoder(int sample_rate, const AVChannelLayout& layout);
    void convert(const AVFrame* decoded);
    void encode_from_fifo(bool final);
    void encode(AVFrame* frame);

    AVFormatContext* m_input = nullptr;
    AVStream* m_stream = nullptr;
    Muxer& m_muxer;
    av::CodecContext m_decoder, m_encoder;
    av::ResampleContext m_resampler;
    AVChannelLayout m_resampler_layout{};
    int m_resampler_rate = 0, m_resampler_format = -1;
    av::AudioFifo m_fifo;
    AVStream* m_out = nullptr;
    av::Frame m_decoded, m_chunk;
    int64_t m_next_pts = 0; ///< in samples (the encoder's time base), of the next chunk
    int64_t m_skip = 0;     ///< samples before the movie's start still to drop
    bool m_started = false;
};

} // namespace slate::workers
