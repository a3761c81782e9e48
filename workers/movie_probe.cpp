#include "workers/movie_probe.h"

#include "workers/av_handles.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string_view>

namespace fs = std::filesystem;

namespace slate::workers {
namespace {

/// The largest byte offset any stream's index points at: past the file's end means the
/// file was cut (an MP4 whose moov survived but whose mdat did not).
int64_t index_end(const AVFormatContext* input) {
    int64_t end = 0;
    for (unsigned index = 0; index < input->nb_streams; ++index) {
        AVStream* stream = input->streams[index];
        const int count = avformat_index_get_entries_count(stream);
        for (int entry_idx = 0; entry_idx < count; ++entry_idx) {
            const AVIndexEntry* entry = avformat_index_get_entry(stream, entry_idx);
            if (entry && entry->pos >= 0)
                end = std::max(end, entry->pos + entry->size);
        }
    }
    return end;
}

/// Seconds from the start of the movie up to the end of the last packet that can be read,
/// reading only the last few seconds; a negative value when that cannot be told (no seek).
double readable_seconds(AVFormatContext* input, double declared) {
    const int64_t start = input->start_time == AV_NOPTS_VALUE ? 0 : input->start_time;
    const int64_t from = start + static_cast<int64_t>((declared - 3.0) * AV_TIME_BASE);
    if (from > start && avformat_seek_file(input, -1, std::numeric_limits<int64_t>::min(), from, from, 0) < 0)
        return -1.0;
    av::Packet packet = av::make_packet();
    int64_t last_end = std::numeric_limits<int64_t>::min();
    for (int read = 0; read < 100000 && av_read_frame(input, packet.get()) >= 0; ++read) {
        const AVStream* stream = input->streams[packet->stream_index];
        int64_t timestamp = packet->pts != AV_NOPTS_VALUE ? packet->pts : packet->dts;
        if (timestamp != AV_NOPTS_VALUE) {
            timestamp += std::max<int64_t>(packet->duration, 0);
            last_end = std::max(last_end, av_rescale_q(timestamp, stream->time_base, AV_TIME_BASE_Q));
        }
        av_packet_unref(packet.get());
    }
    if (last_end == std::numeric_limits<int64_t>::min())
        return 0.0;
    return double(last_end - start) / AV_TIME_BASE;
}

std::string seconds_text(double seconds) {
    char text[32];
    std::snprintf(text, sizeof text, "%.2f s", seconds);
    return text;
}

/// Throws Failure when the file is shorter than its own header says.
void check_complete(AVFormatContext* input, int64_t file_size, double fps) {
    // MP4/MOV indexes hold exact file offsets (other demuxers' may be relative or rebuilt).
    const bool exact_index = std::string_view(input->iformat->name).starts_with("mov,");
    if (exact_index && index_end(input) > file_size)
        throw av::Failure("the movie is cut short or damaged: its index points past the end of the file");
    if (input->duration == AV_NOPTS_VALUE || input->duration <= 0 ||
        input->duration_estimation_method == AVFMT_DURATION_FROM_BITRATE)
        return;
    const double declared = double(input->duration) / AV_TIME_BASE;
    const double readable = readable_seconds(input, declared);
    const double tolerance = std::max(0.25, fps > 0 ? 2.0 / fps : 0.0);
    if (readable >= 0 && declared - readable > tolerance)
        throw av::Failure("the movie is truncated: " + seconds_text(readable) + " of " + seconds_text(declared) +
                          " can be read");
}

Rational rational(AVRational value) {
    return {value.num, value.den};
}

MovieProbe read_probe(const fs::path& path) {
    MovieProbe probe;
    av::InputContext input = av::open_input(path);
    probe.file_size = static_cast<int64_t>(fs::file_size(path));
    probe.container = input->iformat->name;
    const int video_index = av::first_video_stream(input.get());
    if (video_index < 0)
        throw av::Failure("no video stream");
    AVStream* video = input->streams[video_index];
    const AVCodecParameters* params = video->codecpar;
    if (!avcodec_find_decoder(params->codec_id))
        throw av::Failure(std::string("no decoder for the codec ") + avcodec_get_name(params->codec_id));
    if (params->width <= 0 || params->height <= 0)
        throw av::Failure("the video stream has no picture size");
    probe.width = params->width;
    probe.height = params->height;
    probe.video_codec = avcodec_get_name(params->codec_id);
    probe.rotation = av::display_rotation(video);
    const char* pixel_format = av_get_pix_fmt_name(static_cast<AVPixelFormat>(params->format));
    probe.pixel_format = pixel_format ? pixel_format : "";

    AVRational sar = av_guess_sample_aspect_ratio(input.get(), video, nullptr);
    if (sar.num <= 0 || sar.den <= 0)
        sar = {1, 1};
    probe.sample_aspect_ratio = rational(sar);
    AVRational dar{0, 1};
    av_reduce(&dar.num, &dar.den, int64_t(probe.width) * sar.num, int64_t(probe.height) * sar.den, 1024 * 1024);
    probe.display_aspect_ratio = rational(dar);

    AVRational rate = video->r_frame_rate;
    if (rate.num <= 0 || rate.den <= 0)
        rate = av_guess_frame_rate(input.get(), video, nullptr);
    if (rate.num > 0 && rate.den > 0) {
        probe.frame_rate = rational(rate);
        probe.fps = av_q2d(rate);
    }
    if (video->duration != AV_NOPTS_VALUE && video->duration > 0)
        probe.duration = double(video->duration) * av_q2d(video->time_base);
    else if (input->duration != AV_NOPTS_VALUE && input->duration > 0)
        probe.duration = double(input->duration) / AV_TIME_BASE;
    if (video->nb_frames > 0) {
        probe.frame_count = video->nb_frames;
    } else {
        probe.frame_count = std::llround(probe.duration * probe.fps);
        probe.frame_count_estimated = true;
    }

    const int audio_index = av::first_audio_stream(input.get());
    if (audio_index >= 0) {
        const AVCodecParameters* audio = input->streams[audio_index]->codecpar;
        probe.has_audio = true;
        probe.audio_codec = avcodec_get_name(audio->codec_id);
        probe.audio_sample_rate = audio->sample_rate;
        probe.audio_channels = audio->ch_layout.nb_channels;
    }
    check_complete(input.get(), probe.file_size, probe.fps);
    probe.ok = true;
    return probe;
}

} // namespace

MovieProbe probe_movie(const fs::path& path) {
    try {
        return read_probe(path);
    } catch (const std::exception& e) {
        MovieProbe failed;
        failed.reason = e.what();
        return failed;
    }
}

} // namespace slate::workers
