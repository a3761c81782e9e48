#include "workers/movie_normalise.h"

#include "workers/movie_encode.h"
#include "workers/movie_outputs.h"

namespace fs = std::filesystem;

namespace slate::workers {

Muxer::Muxer(const fs::path& path) : m_path(path) {
    AVFormatContext* raw = nullptr;
    // "file:" keeps a colon in the name from being read as a protocol; the faststart pass
    // reopens the file by this name.
    const std::string url = "file:" + path.string();
    av::check(avformat_alloc_output_context2(&raw, nullptr, "mp4", url.c_str()), "the MP4 writer cannot be made");
    m_output.reset(raw);
}

AVStream* Muxer::add_stream(const AVCodecContext* encoder) {
    AVStream* stream = avformat_new_stream(m_output.get(), nullptr);
    if (!stream)
        throw std::bad_alloc();
    av::check(avcodec_parameters_from_context(stream->codecpar, encoder), "the MP4 stream cannot be set up");
    stream->time_base = encoder->time_base;
    stream->sample_aspect_ratio = encoder->sample_aspect_ratio;
    return stream;
}

void Muxer::open() {
    av::check(avio_open(&m_output->pb, m_output->url, AVIO_FLAG_WRITE), "the movie cannot be written");
    av::Dictionary options;
    options.set("movflags", "+faststart");
    av::check(avformat_write_header(m_output.get(), &options.entries), "the MP4 header cannot be written");
}

void Muxer::write(AVPacket* packet, AVRational encoder_time_base, AVStream* stream) {
    av_packet_rescale_ts(packet, encoder_time_base, stream->time_base);
    packet->stream_index = stream->index;
    av::check(av_interleaved_write_frame(m_output.get(), packet), "the movie cannot be written");
}

void Muxer::finish() {
    av::check(av_write_trailer(m_output.get()), "the MP4 index cannot be written");
    av::check(avio_closep(&m_output->pb), "the movie cannot be written");
}

NormaliseTarget hd_target(MovieSize size, FrameRate fps) {
    return {size.width, size.height, fps, hd_video_bitrate};
}

NormaliseTarget ld_target(MovieSize hd, FrameRate fps) {
    const MovieSize size = lowdef_size(hd);
    return {size.width, size.height, fps, ld_video_bitrate};
}

NormaliseResult normalise_movie(const fs::path& input, const fs::path& output, const NormaliseTarget& target) {
    MovieOutputsRequest request;
    request.hd = target;
    request.hd_path = output;
    const MovieOutputs made = make_movie_outputs(input, request);
    if (!made.ok) {
        NormaliseResult failed;
        failed.reason = made.reason;
        return failed;
    }
    return made.hd;
}

} // namespace slate::workers
