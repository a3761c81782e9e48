#include "workers/movie_normalise.h"

#include "workers/movie_encode.h"
#include "workers/movie_probe.h"

#include <optional>
#include <system_error>

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

namespace {

void check_target(const NormaliseTarget& target) {
    if (target.width <= 0 || target.height <= 0 || target.width % 2 || target.height % 2)
        throw av::Failure("the target size " + std::to_string(target.width) + "x" + std::to_string(target.height) +
                          " is not a positive even size");
    if (target.fps.num <= 0 || target.fps.den <= 0 || target.fps.value() > 1000)
        throw av::Failure("the target frame rate " + std::to_string(target.fps.num) + "/" +
                          std::to_string(target.fps.den) + " is not a frame rate");
    if (target.video_bitrate <= 0)
        throw av::Failure("the target bitrate is not positive");
}

/// Decodes `input` once and writes the MP4 at `path`; returns whether a silent track was made.
bool transcode(const fs::path& input_path, const fs::path& path, const NormaliseTarget& target) {
    av::InputContext input = av::open_input(input_path);
    const int video_index = av::first_video_stream(input.get());
    if (video_index < 0)
        throw av::Failure("no video stream");
    int audio_index = av::first_audio_stream(input.get());
    if (audio_index >= 0 && !avcodec_find_decoder(input->streams[audio_index]->codecpar->codec_id))
        audio_index = -1; // a sound FFmpeg cannot decode: the movie gets silence instead
    for (unsigned index = 0; index < input->nb_streams; ++index)
        if (int(index) != video_index && int(index) != audio_index)
            input->streams[index]->discard = AVDISCARD_ALL;

    Muxer muxer(path);
    VideoPath video(input.get(), video_index, target, muxer);
    std::optional<AudioPath> audio;
    if (audio_index >= 0)
        audio.emplace(input.get(), audio_index, muxer);
    else
        audio.emplace(muxer);
    muxer.open();

    av::Packet packet = av::make_packet();
    for (;;) {
        const int code = av_read_frame(input.get(), packet.get());
        if (code == AVERROR_EOF)
            break;
        av::check(code, "the movie cannot be read");
        if (packet->stream_index == video_index)
            video.send(packet.get());
        else if (packet->stream_index == audio_index)
            audio->send(packet.get());
        if (audio->silent())
            audio->fill_silence(video.seconds_encoded());
        av_packet_unref(packet.get());
    }
    video.finish();
    audio->finish(video.seconds_encoded());
    muxer.finish();
    return audio->silent();
}

} // namespace

NormaliseResult normalise_movie(const fs::path& input, const fs::path& output, const NormaliseTarget& target) {
    NormaliseResult result;
    const fs::path partial = output.parent_path() / (output.filename().string() + ".part");
    try {
        check_target(target);
        // The probe refuses what is no movie, and a cut movie, before anything is written.
        const MovieProbe source = probe_movie(input);
        if (!source.ok)
            throw av::Failure(source.reason);
        result.silent_audio = transcode(input, partial, target);
        const MovieProbe written = probe_movie(partial);
        if (!written.ok)
            throw av::Failure("the normalised movie cannot be read back: " + written.reason);
        fs::rename(partial, output);
        result.width = written.width;
        result.height = written.height;
        result.duration = written.duration;
        result.frame_count = written.frame_count;
        result.file_size = written.file_size;
        result.ok = true;
    } catch (const std::exception& e) {
        std::error_code ignored;
        fs::remove(partial, ignored);
        result = NormaliseResult{};
        result.reason = e.what();
    }
    return result;
}

} // namespace slate::workers
