#include "workers/av_handles.h"

#include "engine/log.h"

#include <cmath>
#include <cstdarg>
#include <mutex>
#include <new>

namespace slate::workers::av {
namespace {

/// Demuxers of movie containers and raw video streams. Left out on purpose: playlists and
/// concatenation (hls, dash, concat), image sequences (image2), and everything that is no
/// movie, so an upload cannot make FFmpeg open another file.
constexpr const char* movie_demuxers =
    "mov,matroska,avi,asf,flv,mpeg,mpegts,mxf,ogg,nut,dv,ivf,m4v,h264,hevc,mpegvideo,"
    "yuv4mpegpipe,gif,mjpeg";

void log_line(void* object, int level, const char* format, va_list arguments) {
    if (level > AV_LOG_WARNING)
        return;
    const slate::log::Level ours = level <= AV_LOG_ERROR ? slate::log::Level::warning : slate::log::Level::debug;
    // FFmpeg writes a line in several calls; keep the pieces per thread until its newline.
    thread_local int print_prefix = 1;
    thread_local std::string pending;
    char piece[1024];
    av_log_format_line2(object, level, format, arguments, piece, sizeof piece, &print_prefix);
    pending += piece;
    if (pending.empty() || pending.back() != '\n')
        return;
    pending.pop_back();
    if (slate::log::enabled(ours))
        slate::log::write(ours, "ffmpeg: " + pending);
    pending.clear();
}

} // namespace

std::string error_text(int code) {
    char text[AV_ERROR_MAX_STRING_SIZE] = {};
    av_strerror(code, text, sizeof text);
    return text;
}

int check(int code, std::string_view what) {
    if (code < 0)
        throw Failure(std::string(what) + ": " + error_text(code));
    return code;
}

Frame make_frame() {
    Frame frame(av_frame_alloc());
    if (!frame)
        throw std::bad_alloc();
    return frame;
}

Packet make_packet() {
    Packet packet(av_packet_alloc());
    if (!packet)
        throw std::bad_alloc();
    return packet;
}

void init_logging() {
    static std::once_flag once;
    std::call_once(once, [] {
        av_log_set_level(AV_LOG_WARNING);
        av_log_set_callback(log_line);
    });
}

InputContext open_input(const std::filesystem::path& path) {
    init_logging();
    std::error_code error;
    if (!std::filesystem::is_regular_file(path, error))
        throw Failure("the movie file does not exist: " + path.filename().string());
    Dictionary options;
    options.set("protocol_whitelist", "file");
    options.set("format_whitelist", movie_demuxers);
    AVFormatContext* raw = nullptr;
    // "file:" keeps a colon in the name from being read as a protocol.
    const std::string url = "file:" + path.string();
    if (const int code = avformat_open_input(&raw, url.c_str(), nullptr, &options.entries); code < 0)
        throw Failure("not a movie FFmpeg can read: " + error_text(code));
    InputContext input(raw);
    check(avformat_find_stream_info(input.get(), nullptr), "the movie's streams cannot be read");
    return input;
}

int first_video_stream(const AVFormatContext* input) {
    for (unsigned index = 0; index < input->nb_streams; ++index) {
        const AVStream* stream = input->streams[index];
        if (stream->codecpar->codec_type == AVMEDIA_TYPE_VIDEO && !(stream->disposition & AV_DISPOSITION_ATTACHED_PIC))
            return static_cast<int>(index);
    }
    return -1;
}

int first_audio_stream(const AVFormatContext* input) {
    for (unsigned index = 0; index < input->nb_streams; ++index)
        if (input->streams[index]->codecpar->codec_type == AVMEDIA_TYPE_AUDIO)
            return static_cast<int>(index);
    return -1;
}

CodecContext open_decoder(const AVStream* stream) {
    const AVCodec* codec = avcodec_find_decoder(stream->codecpar->codec_id);
    if (!codec)
        throw Failure(std::string("no decoder for the codec ") + avcodec_get_name(stream->codecpar->codec_id));
    CodecContext decoder(avcodec_alloc_context3(codec));
    if (!decoder)
        throw std::bad_alloc();
    check(avcodec_parameters_to_context(decoder.get(), stream->codecpar), "the decoder cannot be set up");
    decoder->pkt_timebase = stream->time_base;
    decoder->thread_count = 0;
    check(avcodec_open2(decoder.get(), codec, nullptr),
          std::string("the ") + codec->name + " decoder cannot be opened");
    return decoder;
}

void send_to_decoder(AVCodecContext* decoder, const AVPacket* packet, std::string_view what) {
    const int code = avcodec_send_packet(decoder, packet);
    if (code == AVERROR(ENOMEM))
        check(code, what);
}

Decoded receive_from_decoder(AVCodecContext* decoder, AVFrame* frame, std::string_view what) {
    for (int errors = 0;; ++errors) {
        const int code = avcodec_receive_frame(decoder, frame);
        if (code >= 0)
            return Decoded::frame;
        if (code == AVERROR(EAGAIN))
            return Decoded::needs_input;
        if (code == AVERROR_EOF)
            return Decoded::finished;
        if (code == AVERROR(ENOMEM) || errors == 1000)
            check(code, what);
    }
}

double display_rotation(const AVStream* stream) {
    const uint8_t* matrix = av_stream_get_side_data(stream, AV_PKT_DATA_DISPLAYMATRIX, nullptr);
    if (!matrix)
        return 0.0;
    // The matrix answers counter-clockwise; ffmpeg negates, rounds to whole degrees, wraps.
    double degrees = -std::round(av_display_rotation_get(reinterpret_cast<const int32_t*>(matrix)));
    if (std::isnan(degrees))
        return 0.0;
    degrees -= 360.0 * std::floor(degrees / 360.0 + 0.9 / 360.0);
    return degrees;
}

double frame_seconds(const AVFrame* frame, const AVStream* stream, const AVFormatContext* input) {
    int64_t timestamp = frame->best_effort_timestamp;
    if (timestamp == AV_NOPTS_VALUE)
        timestamp = frame->pts;
    if (timestamp == AV_NOPTS_VALUE)
        return 0.0;
    double seconds = double(timestamp) * av_q2d(stream->time_base);
    if (input->start_time != AV_NOPTS_VALUE)
        seconds -= double(input->start_time) / AV_TIME_BASE;
    return seconds;
}

} // namespace slate::workers::av
