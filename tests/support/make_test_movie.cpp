#include "support/make_test_movie.h"

#include "workers/av_handles.h"

extern "C" {
#include <libavfilter/buffersink.h>
#include <libavutil/opt.h>
}

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <vector>

namespace slate::test {
namespace av = slate::workers::av;

namespace {

/// One source stream: a lavfi graph ending in a sink, its encoder and its output stream.
struct Source {
    av::FilterGraph graph;
    AVFilterContext* sink = nullptr;
    av::CodecContext encoder;
    AVStream* stream = nullptr;
    int64_t next_pts = 0; ///< in the encoder's time base, of the next frame to pull
    bool finished = false;
    int64_t frame_index = 0;
};

std::string text_of(AVRational value) {
    return std::to_string(value.num) + "/" + std::to_string(value.den);
}

/// `description` (a source chain with no open input) feeding a (a)buffersink.
void build_graph(Source& source, const std::string& description, bool audio) {
    source.graph.reset(avfilter_graph_alloc());
    if (!source.graph)
        throw std::bad_alloc();
    source.graph->nb_threads = 1;
    av::check(avfilter_graph_create_filter(&source.sink, avfilter_get_by_name(audio ? "abuffersink" : "buffersink"),
                                           "out", nullptr, nullptr, source.graph.get()),
              "test movie: sink");
    av::FilterInOut inputs(avfilter_inout_alloc());
    inputs->name = av_strdup("out");
    inputs->filter_ctx = source.sink;
    inputs->pad_idx = 0;
    inputs->next = nullptr;
    AVFilterInOut* open_inputs = inputs.release();
    AVFilterInOut* open_outputs = nullptr;
    const int code =
        avfilter_graph_parse_ptr(source.graph.get(), description.c_str(), &open_inputs, &open_outputs, nullptr);
    avfilter_inout_free(&open_inputs);
    avfilter_inout_free(&open_outputs);
    av::check(code, "test movie: graph " + description);
    av::check(avfilter_graph_config(source.graph.get(), nullptr), "test movie: graph config");
}

const AVCodec* find_encoder(const std::string& name) {
    const AVCodec* codec = avcodec_find_encoder_by_name(name.c_str());
    if (!codec)
        throw std::runtime_error("test movie: no encoder " + name);
    return codec;
}

void open_encoder(Source& source, const AVCodec* codec, AVFormatContext* output) {
    if (output->oformat->flags & AVFMT_GLOBALHEADER)
        source.encoder->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    av::check(avcodec_open2(source.encoder.get(), codec, nullptr), std::string("test movie: open ") + codec->name);
    source.stream = avformat_new_stream(output, nullptr);
    if (!source.stream)
        throw std::bad_alloc();
    av::check(avcodec_parameters_from_context(source.stream->codecpar, source.encoder.get()),
              "test movie: stream parameters");
    source.stream->time_base = source.encoder->time_base;
    source.stream->sample_aspect_ratio = source.encoder->sample_aspect_ratio;
}

void write_packets(Source& source, AVFormatContext* output, AVPacket* packet) {
    for (;;) {
        const int code = avcodec_receive_packet(source.encoder.get(), packet);
        if (code == AVERROR(EAGAIN) || code == AVERROR_EOF)
            return;
        av::check(code, "test movie: encode");
        if (packet->duration <= 0 && source.encoder->codec_type == AVMEDIA_TYPE_VIDEO)
            packet->duration = 1; // one frame of the encoder's time base
        av_packet_rescale_ts(packet, source.encoder->time_base, source.stream->time_base);
        packet->stream_index = source.stream->index;
        av::check(av_interleaved_write_frame(output, packet), "test movie: write");
    }
}

/// Pulls one frame from the graph into the encoder; at the graph's end flushes the encoder.
void step(Source& source, const TestMovieSpec& spec, AVFormatContext* output, AVFrame* frame, AVPacket* packet) {
    const int code = av_buffersink_get_frame(source.sink, frame);
    if (code == AVERROR_EOF) {
        av::check(avcodec_send_frame(source.encoder.get(), nullptr), "test movie: flush");
        write_packets(source, output, packet);
        source.finished = true;
        return;
    }
    av::check(code, "test movie: filter");
    const bool video = source.encoder->codec_type == AVMEDIA_TYPE_VIDEO;
    const bool dropped = video && spec.variable_frame_rate && source.frame_index % 3 == 1;
    ++source.frame_index;
    frame->pts = av_rescale_q(frame->pts, av_buffersink_get_time_base(source.sink), source.encoder->time_base);
    source.next_pts = frame->pts + (video ? 1 : frame->nb_samples);
    if (!dropped) {
        frame->pict_type = AV_PICTURE_TYPE_NONE;
        av::check(avcodec_send_frame(source.encoder.get(), frame), "test movie: encode");
        write_packets(source, output, packet);
    }
    av_frame_unref(frame);
}

} // namespace

void make_test_movie(const TestMovieSpec& spec, const std::filesystem::path& path) {
    av::init_logging();
    AVFormatContext* raw = nullptr;
    av::check(avformat_alloc_output_context2(&raw, nullptr, spec.container.c_str(), path.c_str()),
              "test movie: container " + spec.container);
    av::OutputContext output(raw);
    std::vector<Source> sources(spec.audio_codec.empty() ? 1 : 2);

    // The picture: testsrc2 (every frame differs), in the encoder's first pixel format.
    Source& video = sources[0];
    const AVCodec* video_codec = find_encoder(spec.video_codec);
    const AVRational rate{spec.fps_num, spec.fps_den};
    const AVRational sar{spec.sar_num, spec.sar_den};
    char seconds[32];
    std::snprintf(seconds, sizeof seconds, "%.6f", spec.seconds);
    build_graph(video,
                "testsrc2=size=" + std::to_string(spec.width) + "x" + std::to_string(spec.height) +
                    ":rate=" + text_of(rate) + ":duration=" + seconds + ":sar=" + text_of(sar) +
                    ",format=" + av_get_pix_fmt_name(video_codec->pix_fmts[0]),
                false);
    video.encoder.reset(avcodec_alloc_context3(video_codec));
    video.encoder->width = spec.width;
    video.encoder->height = spec.height;
    video.encoder->pix_fmt = video_codec->pix_fmts[0];
    video.encoder->time_base = av_inv_q(rate);
    video.encoder->framerate = rate;
    video.encoder->sample_aspect_ratio = sar;
    video.encoder->bit_rate = spec.video_bitrate;
    video.encoder->gop_size = 12;
    if (spec.video_codec == "libx264")
        av_opt_set(video.encoder->priv_data, "preset", "ultrafast", 0);
    if (video.encoder->pix_fmt == AV_PIX_FMT_YUVJ420P)
        video.encoder->color_range = AVCOL_RANGE_JPEG;
    open_encoder(video, video_codec, output.get());
    if (spec.rotation != 0) {
        uint8_t* matrix = av_stream_new_side_data(video.stream, AV_PKT_DATA_DISPLAYMATRIX, sizeof(int32_t) * 9);
        if (!matrix)
            throw std::bad_alloc();
        // Set takes a clockwise angle (get answers counter-clockwise): as a phone writes it,
        // ffprobe then says "rotation of -90.00 degrees".
        av_display_rotation_set(reinterpret_cast<int32_t*>(matrix), spec.rotation);
    }

    // The sound: a mono 440 Hz sine, in the encoder's format and frame size.
    if (sources.size() == 2) {
        Source& audio = sources[1];
        const AVCodec* audio_codec = find_encoder(spec.audio_codec);
        audio.encoder.reset(avcodec_alloc_context3(audio_codec));
        audio.encoder->sample_fmt = audio_codec->sample_fmts[0];
        audio.encoder->sample_rate = spec.audio_sample_rate;
        audio.encoder->ch_layout = AV_CHANNEL_LAYOUT_MONO;
        audio.encoder->time_base = {1, spec.audio_sample_rate};
        audio.encoder->bit_rate = 96000;
        open_encoder(audio, audio_codec, output.get());
        build_graph(
            audio,
            "sine=frequency=440:sample_rate=" + std::to_string(spec.audio_sample_rate) + ":duration=" + seconds +
                ",aformat=sample_fmts=" + av_get_sample_fmt_name(audio.encoder->sample_fmt) + ":channel_layouts=mono",
            true);
        if (audio.encoder->frame_size > 0 && !(audio_codec->capabilities & AV_CODEC_CAP_VARIABLE_FRAME_SIZE))
            av_buffersink_set_frame_size(audio.sink, audio.encoder->frame_size);
    }

    av::check(avio_open(&output->pb, path.c_str(), AVIO_FLAG_WRITE), "test movie: open file");
    av::Dictionary options;
    if (spec.faststart)
        options.set("movflags", "+faststart");
    av::check(avformat_write_header(output.get(), &options.entries), "test movie: header");
    av::Frame frame = av::make_frame();
    av::Packet packet = av::make_packet();
    // Interleaved: always step the stream that is behind.
    for (;;) {
        Source* behind = nullptr;
        for (Source& source : sources)
            if (!source.finished && (!behind || av_compare_ts(source.next_pts, source.encoder->time_base,
                                                              behind->next_pts, behind->encoder->time_base) < 0))
                behind = &source;
        if (!behind)
            break;
        step(*behind, spec, output.get(), frame.get(), packet.get());
    }
    av::check(av_write_trailer(output.get()), "test movie: trailer");
}

std::vector<bool> video_key_flags(const std::filesystem::path& path) {
    av::InputContext input = av::open_input(path);
    const int video = av::first_video_stream(input.get());
    if (video < 0)
        throw std::runtime_error("no video stream in " + path.string());
    std::vector<bool> flags;
    av::Packet packet = av::make_packet();
    while (av_read_frame(input.get(), packet.get()) >= 0) {
        if (packet->stream_index == video)
            flags.push_back(packet->flags & AV_PKT_FLAG_KEY);
        av_packet_unref(packet.get());
    }
    return flags;
}

double audio_seconds(const std::filesystem::path& path) {
    av::InputContext input = av::open_input(path);
    const int audio = av::first_audio_stream(input.get());
    if (audio < 0)
        return 0;
    int64_t total = 0;
    av::Packet packet = av::make_packet();
    while (av_read_frame(input.get(), packet.get()) >= 0) {
        if (packet->stream_index == audio)
            total += packet->duration;
        av_packet_unref(packet.get());
    }
    return double(total) * av_q2d(input->streams[audio]->time_base);
}

int64_t mp4_atom_offset(const std::filesystem::path& path, const std::string& type) {
    std::ifstream in(path, std::ios::binary);
    const auto file_size = static_cast<int64_t>(std::filesystem::file_size(path));
    int64_t offset = 0;
    while (offset + 8 <= file_size) {
        unsigned char header[16] = {};
        in.seekg(offset);
        in.read(reinterpret_cast<char*>(header), sizeof header);
        uint64_t size =
            (uint64_t(header[0]) << 24) | (uint64_t(header[1]) << 16) | (uint64_t(header[2]) << 8) | header[3];
        if (std::string(reinterpret_cast<char*>(header) + 4, 4) == type)
            return offset;
        if (size == 1) { // a 64-bit size follows the type
            size = 0;
            for (int byte = 8; byte < 16; ++byte)
                size = (size << 8) | header[byte];
        }
        if (size < 8)
            return -1;
        offset += static_cast<int64_t>(size);
    }
    return -1;
}

namespace {

/// Copies an RGB24 frame into a packed picture.
RgbPicture packed(const AVFrame* frame) {
    RgbPicture picture;
    picture.width = frame->width;
    picture.height = frame->height;
    picture.pixels.resize(size_t(frame->width) * frame->height * 3);
    for (int row = 0; row < frame->height; ++row)
        std::memcpy(picture.pixels.data() + size_t(row) * frame->width * 3, frame->data[0] + row * frame->linesize[0],
                    size_t(frame->width) * 3);
    return picture;
}

} // namespace

RgbPicture test_source_frame(const TestMovieSpec& spec, int64_t index, const std::string& filters) {
    Source source;
    build_graph(source,
                "testsrc2=size=" + std::to_string(spec.width) + "x" + std::to_string(spec.height) +
                    ":rate=" + std::to_string(spec.fps_num) + "/" + std::to_string(spec.fps_den) +
                    ",trim=start_frame=" + std::to_string(index) + ":end_frame=" + std::to_string(index + 1) +
                    (filters.empty() ? "" : "," + filters) + ",format=rgb24",
                false);
    av::Frame frame = av::make_frame();
    av::check(av_buffersink_get_frame(source.sink, frame.get()), "test source frame");
    return packed(frame.get());
}

RgbPicture read_png(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const AVCodec* codec = avcodec_find_decoder(AV_CODEC_ID_PNG);
    av::CodecContext decoder(avcodec_alloc_context3(codec));
    av::check(avcodec_open2(decoder.get(), codec, nullptr), "png decoder");
    av::Packet packet = av::make_packet();
    av::check(av_new_packet(packet.get(), static_cast<int>(bytes.size())), "png packet");
    std::memcpy(packet->data, bytes.data(), bytes.size());
    av::check(avcodec_send_packet(decoder.get(), packet.get()), "png decode " + path.string());
    av::Frame frame = av::make_frame();
    av::check(avcodec_receive_frame(decoder.get(), frame.get()), "png decode " + path.string());
    if (frame->format == AV_PIX_FMT_RGB24)
        return packed(frame.get());
    if (frame->format != AV_PIX_FMT_RGBA)
        throw std::runtime_error("read_png: neither RGB nor RGBA: " + path.string());
    RgbPicture picture;
    picture.width = frame->width;
    picture.height = frame->height;
    for (int row = 0; row < frame->height; ++row)
        for (int column = 0; column < frame->width; ++column)
            for (int channel = 0; channel < 3; ++channel)
                picture.pixels.push_back(frame->data[0][row * frame->linesize[0] + column * 4 + channel]);
    return picture;
}

double mean_difference(const RgbPicture& a, const RgbPicture& b, int x, int y) {
    if (x + a.width > b.width || y + a.height > b.height)
        throw std::runtime_error("mean_difference: the crop is outside the picture");
    double total = 0;
    for (int row = 0; row < a.height; ++row)
        for (int column = 0; column < a.width; ++column)
            for (int channel = 0; channel < 3; ++channel)
                total += std::abs(int(a.at(column, row)[channel]) - int(b.at(x + column, y + row)[channel]));
    return total / (double(a.width) * a.height * 3);
}

} // namespace slate::test
