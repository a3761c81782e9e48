#pragma once
// workers/av_handles.h: FFmpeg handles for the movie code. Private: include it only from
// workers/*.cpp (and the test-media support library), never from a public header.
//
// Every FFmpeg object is owned by a unique_ptr whose deleter is FFmpeg's release function.
// Inside the movie code a failed FFmpeg call throws av::Failure; each public movie function
// catches it at its boundary and answers ok=false with the reason (media code never throws
// across a TBB task).

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavfilter/avfilter.h>
#include <libavformat/avformat.h>
#include <libavutil/audio_fifo.h>
#include <libavutil/display.h>
#include <libavutil/pixdesc.h>
#include <libswresample/swresample.h>
#include <libswscale/swscale.h>
}

#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

namespace slate::workers::av {

struct InputDeleter {
    void operator()(AVFormatContext* context) const { avformat_close_input(&context); }
};
struct OutputDeleter {
    void operator()(AVFormatContext* context) const {
        if (context->pb && !(context->oformat->flags & AVFMT_NOFILE))
            avio_closep(&context->pb);
        avformat_free_context(context);
    }
};
struct CodecDeleter {
    void operator()(AVCodecContext* context) const { avcodec_free_context(&context); }
};
struct FrameDeleter {
    void operator()(AVFrame* frame) const { av_frame_free(&frame); }
};
struct PacketDeleter {
    void operator()(AVPacket* packet) const { av_packet_free(&packet); }
};
struct GraphDeleter {
    void operator()(AVFilterGraph* graph) const { avfilter_graph_free(&graph); }
};
struct SwsDeleter {
    void operator()(SwsContext* context) const { sws_freeContext(context); }
};
struct SwrDeleter {
    void operator()(SwrContext* context) const { swr_free(&context); }
};
struct FifoDeleter {
    void operator()(AVAudioFifo* fifo) const { av_audio_fifo_free(fifo); }
};
struct FilterInOutDeleter {
    void operator()(AVFilterInOut* inout) const { avfilter_inout_free(&inout); }
};

using InputContext = std::unique_ptr<AVFormatContext, InputDeleter>;
using OutputContext = std::unique_ptr<AVFormatContext, OutputDeleter>;
using CodecContext = std::unique_ptr<AVCodecContext, CodecDeleter>;
using Frame = std::unique_ptr<AVFrame, FrameDeleter>;
using Packet = std::unique_ptr<AVPacket, PacketDeleter>;
using FilterGraph = std::unique_ptr<AVFilterGraph, GraphDeleter>;
using ScaleContext = std::unique_ptr<SwsContext, SwsDeleter>;
using ResampleContext = std::unique_ptr<SwrContext, SwrDeleter>;
using AudioFifo = std::unique_ptr<AVAudioFifo, FifoDeleter>;
using FilterInOut = std::unique_ptr<AVFilterInOut, FilterInOutDeleter>;

/// An AVDictionary freed when it goes out of scope; pass `&dict.entries` to FFmpeg.
struct Dictionary {
    AVDictionary* entries = nullptr;
    Dictionary() = default;
    Dictionary(const Dictionary&) = delete;
    Dictionary& operator=(const Dictionary&) = delete;
    ~Dictionary() { av_dict_free(&entries); }
    void set(const char* key, const char* value) { av_dict_set(&entries, key, value, 0); }
};

/// Why a movie operation stopped; the text is fit for a broken preview's reason.
class Failure : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// FFmpeg's text for an error code ("Invalid data found when processing input").
std::string error_text(int code);

/// `code` when it is not an error; else throws Failure("<what>: <FFmpeg's text>").
int check(int code, std::string_view what);

Frame make_frame();
Packet make_packet();

/// Routes FFmpeg's log lines to Slate's log once per process (errors as warnings, warnings
/// as debug lines, the rest dropped). Thread-safe, idempotent.
void init_logging();

/// Opens a local movie for reading and reads its stream info. Only the file protocol and
/// demuxers of movie containers are allowed: a playlist or an image sequence in disguise
/// cannot make FFmpeg read other files. Throws Failure with a human reason.
InputContext open_input(const std::filesystem::path& path);

/// Index of the first video stream that is not an attached picture (cover art), or -1.
int first_video_stream(const AVFormatContext* input);

/// Index of the first audio stream, or -1.
int first_audio_stream(const AVFormatContext* input);

/// An opened decoder for `stream`, using every core (thread count 0: FFmpeg's automatic).
CodecContext open_decoder(const AVStream* stream);

/// Sends `packet` (nullptr: the end) to a decoder. A damaged packet is skipped, as ffmpeg
/// does; only running out of memory throws.
void send_to_decoder(AVCodecContext* decoder, const AVPacket* packet, std::string_view what);

enum class Decoded { frame, needs_input, finished };

/// The decoder's next frame into `frame`, skipping frames it reports damaged (as ffmpeg
/// does); throws only when out of memory or when it reports nothing but errors.
Decoded receive_from_decoder(AVCodecContext* decoder, AVFrame* frame, std::string_view what);

/// The degrees a stream's pictures are turned clockwise for display, as ffmpeg's autorotate
/// reads its display matrix (a phone's portrait movie: 90), in [0, 360); 0 without one.
double display_rotation(const AVStream* stream);

/// The stream's time of a frame in seconds from the start of the movie (the container's
/// start time subtracted), from its best-effort timestamp.
double frame_seconds(const AVFrame* frame, const AVStream* stream, const AVFormatContext* input);

} // namespace slate::workers::av
