// workers/movie_video.cpp: the video path of a normalisation (movie_encode.h).
#include "workers/movie_encode.h"
#include "workers/movie_normalise.h"

extern "C" {
#include <libavfilter/buffersink.h>
#include <libavfilter/buffersrc.h>
#include <libavutil/opt.h>
}

#include <climits>
#include <cmath>
#include <cstdio>

namespace slate::workers {
namespace {

std::string text_of(AVRational value) {
    return std::to_string(value.num) + "/" + std::to_string(value.den);
}

/// Pictures turned upright as ffmpeg does by default (autorotate), before Zou's filter: a
/// phone's portrait movie is normalised standing, pillarboxed in the landscape canvas.
std::string upright_filter(double rotation) {
    if (std::abs(rotation - 90) < 1.0)
        return "transpose=clock,";
    if (std::abs(rotation - 180) < 1.0)
        return "hflip,vflip,";
    if (std::abs(rotation - 270) < 1.0)
        return "transpose=cclock,";
    if (std::abs(rotation) > 1.0 && std::abs(rotation - 360) > 1.0) {
        char text[64];
        std::snprintf(text, sizeof text, "rotate=%f*PI/180,", rotation);
        return text;
    }
    return "";
}

/// Zou's video filter (media.md §4.3-5), then the output rate and pixel format. The rate
/// filter starts its output at `start` seconds, as ffmpeg -r does at 0: a movie whose first
/// picture comes a little late (after the sound's priming) still gets a picture at 0.
std::string filter_description(const NormaliseTarget& target, double start, double rotation) {
    char start_text[32];
    std::snprintf(start_text, sizeof start_text, "%.6f", start);
    const std::string w = std::to_string(target.width);
    const std::string h = std::to_string(target.height);
    return upright_filter(rotation) +
           "scale=trunc(iw*sar/2)*2:ih:flags=bicubic,"
           "scale=" +
           w + ":" + h +
           ":force_original_aspect_ratio=decrease:force_divisible_by=2:flags=bicubic,"
           "pad=" +
           w + ":" + h +
           ":(ow-iw)/2:(oh-ih)/2:black,"
           "setsar=1,"
           "fps=fps=" +
           std::to_string(target.fps.num) + "/" + std::to_string(target.fps.den) + ":start_time=" + start_text +
           ",format=yuv420p";
}

} // namespace

VideoInput VideoInput::of(AVFormatContext* input, AVStream* stream) {
    VideoInput shape;
    shape.time_base = stream->time_base;
    if (input->start_time != AV_NOPTS_VALUE)
        shape.start = av_rescale_q(input->start_time, AV_TIME_BASE_Q, stream->time_base);
    shape.frame_rate = av_guess_frame_rate(input, stream, nullptr);
    shape.sar = stream->sample_aspect_ratio;
    shape.rotation = av::display_rotation(stream);
    return shape;
}

VideoPath::VideoPath(const VideoInput& input, const NormaliseTarget& target, Muxer& muxer)
    : m_input(input), m_muxer(muxer), m_target(target), m_filtered(av::make_frame()) {
    const AVCodec* codec = avcodec_find_encoder_by_name("libx264");
    if (!codec)
        throw av::Failure("the libx264 encoder is not available");
    m_encoder.reset(avcodec_alloc_context3(codec));
    if (!m_encoder)
        throw std::bad_alloc();
    m_encoder->width = target.width;
    m_encoder->height = target.height;
    m_encoder->pix_fmt = AV_PIX_FMT_YUV420P;
    m_encoder->framerate = {target.fps.num, target.fps.den};
    m_encoder->time_base = {target.fps.den, target.fps.num};
    m_encoder->sample_aspect_ratio = {1, 1};
    m_encoder->bit_rate = target.video_bitrate; // average bitrate, as -b: no CRF
    m_encoder->thread_count = 0;                // x264's automatic thread count
    m_encoder->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    av::Dictionary options;
    options.set("preset", "slow");
    options.set("x264opts", "keyint=2:scenecut=0");
    av::check(avcodec_open2(m_encoder.get(), codec, &options.entries), "the H.264 encoder cannot be opened");
    m_out = m_muxer.add_stream(m_encoder.get());
}

VideoPath::~VideoPath() = default;

double VideoPath::seconds_encoded() const {
    return double(m_frames_encoded) * av_q2d(m_encoder->time_base);
}

void VideoPath::push(AVFrame* decoded) {
    // From the movie's start; a picture without a time comes right after the last one.
    const int64_t timestamp = decoded->best_effort_timestamp;
    if (timestamp != AV_NOPTS_VALUE)
        decoded->pts = timestamp - m_input.start;
    else
        decoded->pts = m_end == AV_NOPTS_VALUE ? 0 : m_end;
    int64_t duration = decoded->pkt_duration;
    if (duration <= 0) {
        const AVRational rate = m_input.frame_rate;
        duration = rate.num > 0 ? av_rescale_q(1, av_inv_q(rate), m_input.time_base) : 1;
    }
    if (m_end == AV_NOPTS_VALUE || decoded->pts + duration > m_end)
        m_end = decoded->pts + duration;
    ++m_pictures_decoded;

    if (m_graph &&
        (decoded->width != m_graph_width || decoded->height != m_graph_height || decoded->format != m_graph_format)) {
        // The picture changed size mid-stream: end this graph at this picture, start anew.
        av::check(av_buffersrc_close(m_source, decoded->pts, AV_BUFFERSRC_FLAG_PUSH),
                  "the video filter cannot be flushed");
        drain_graph();
        m_graph.reset();
    }
    if (!m_graph)
        build_graph(decoded);
    av::check(av_buffersrc_add_frame_flags(m_source, decoded, AV_BUFFERSRC_FLAG_KEEP_REF),
              "the video filter refused a picture");
    drain_graph();
}

void VideoPath::build_graph(const AVFrame* first) {
    m_graph.reset(avfilter_graph_alloc());
    if (!m_graph)
        throw std::bad_alloc();
    m_graph->scale_sws_opts = av_strdup("flags=bicubic");
    // The stream's pixel shape, else the picture's (av_guess_sample_aspect_ratio), else square.
    AVRational sar = m_input.sar;
    if (sar.num <= 0 || sar.den <= 0)
        sar = first->sample_aspect_ratio;
    if (sar.num <= 0 || sar.den <= 0)
        sar = {1, 1};
    av_reduce(&sar.num, &sar.den, sar.num, sar.den, INT_MAX);
    const std::string arguments = "video_size=" + std::to_string(first->width) + "x" + std::to_string(first->height) +
                                  ":pix_fmt=" + std::to_string(first->format) +
                                  ":time_base=" + text_of(m_input.time_base) + ":pixel_aspect=" + text_of(sar);
    av::check(avfilter_graph_create_filter(&m_source, avfilter_get_by_name("buffer"), "in", arguments.c_str(), nullptr,
                                           m_graph.get()),
              "the video filter's source cannot be made");
    av::check(avfilter_graph_create_filter(&m_sink, avfilter_get_by_name("buffersink"), "out", nullptr, nullptr,
                                           m_graph.get()),
              "the video filter's sink cannot be made");
    // The graph's open ends: its input is fed by our source, its output feeds our sink.
    av::FilterInOut outputs(avfilter_inout_alloc());
    av::FilterInOut inputs(avfilter_inout_alloc());
    if (!outputs || !inputs)
        throw std::bad_alloc();
    outputs->name = av_strdup("in");
    outputs->filter_ctx = m_source;
    inputs->name = av_strdup("out");
    inputs->filter_ctx = m_sink;
    AVFilterInOut* open_inputs = inputs.release();
    AVFilterInOut* open_outputs = outputs.release();
    // The first graph starts the output at 0; one made after a size change where it changed.
    const double start = m_pictures_decoded > 1 ? double(first->pts) * av_q2d(m_input.time_base) : 0.0;
    const int code = avfilter_graph_parse_ptr(
        m_graph.get(), filter_description(m_target, start, m_input.rotation).c_str(), &open_inputs,
        &open_outputs, nullptr);
    avfilter_inout_free(&open_inputs);
    avfilter_inout_free(&open_outputs);
    av::check(code, "the video filter cannot be made");
    av::check(avfilter_graph_config(m_graph.get(), nullptr), "the video filter cannot be set up");
    m_graph_width = first->width;
    m_graph_height = first->height;
    m_graph_format = first->format;
}

void VideoPath::drain_graph() {
    for (;;) {
        const int code = av_buffersink_get_frame(m_sink, m_filtered.get());
        if (code == AVERROR(EAGAIN) || code == AVERROR_EOF)
            return;
        av::check(code, "the video filter failed");
        m_filtered->pts = av_rescale_q(m_filtered->pts, av_buffersink_get_time_base(m_sink), m_encoder->time_base);
        m_filtered->pict_type = AV_PICTURE_TYPE_NONE; // keyframes are x264's choice alone
        if (m_wanted && m_wanted(m_frames_encoded)) {
            av::Frame kept = av::make_frame();
            av::check(av_frame_ref(kept.get(), m_filtered.get()), "picture reference");
            m_kept.emplace_back(m_frames_encoded, std::move(kept));
        }
        encode(m_filtered.get());
        av_frame_unref(m_filtered.get());
    }
}

void VideoPath::encode(AVFrame* frame) {
    av::check(avcodec_send_frame(m_encoder.get(), frame), "the H.264 encoder failed");
    if (frame)
        ++m_frames_encoded;
    av::Packet packet = av::make_packet();
    for (;;) {
        const int code = avcodec_receive_packet(m_encoder.get(), packet.get());
        if (code == AVERROR(EAGAIN) || code == AVERROR_EOF)
            return;
        av::check(code, "the H.264 encoder failed");
        if (packet->duration <= 0)
            packet->duration = 1; // one frame of the encoder's time base
        m_muxer.write(packet.get(), m_encoder->time_base, m_out);
    }
}

void VideoPath::finish() {
    if (m_pictures_decoded == 0)
        throw av::Failure("no picture of the movie can be decoded");
    // The rate filter needs the end time to know how long the last picture lasts.
    av::check(av_buffersrc_close(m_source, m_end, AV_BUFFERSRC_FLAG_PUSH), "the video filter cannot be flushed");
    drain_graph();
    encode(nullptr);
    if (m_frames_encoded == 0)
        throw av::Failure("the movie is too short to hold a picture at the target rate");
}

} // namespace slate::workers
