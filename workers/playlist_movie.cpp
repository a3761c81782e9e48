// workers/playlist_movie.cpp: a playlist's movies joined into one MP4 (playlist_movie.h):
// picture packets copied, sound re-encoded as one continuous AAC track.
#include "workers/playlist_movie.h"

#include "workers/movie_encode.h"
#include "workers/movie_probe.h"

#include "engine/log.h"

extern "C" {
#include <libavutil/channel_layout.h>
#include <libavutil/samplefmt.h>
}

#include <algorithm>
#include <cmath>
#include <cstring>
#include <optional>

namespace fs = std::filesystem;

namespace slate::workers {
namespace {

constexpr int joined_sample_rate = 48'000;

/// What decides whether two movies' pictures can follow each other in one H.264 stream.
struct PictureShape {
    bool has_video = false;
    bool matches_target = false; ///< H.264 yuv420p, target size and rate, square pixels
    std::string extradata;       ///< SPS/PPS: equal only when the encoder settings are
};

PictureShape picture_shape(const fs::path& path, const NormaliseTarget& target) {
    PictureShape shape;
    const av::InputContext input = av::open_input(path);
    const int index = av::first_video_stream(input.get());
    if (index < 0)
        return shape;
    shape.has_video = true;
    const AVStream* stream = input->streams[index];
    const AVCodecParameters* parameters = stream->codecpar;
    const AVRational rate = stream->r_frame_rate;
    const AVRational sar = parameters->sample_aspect_ratio;
    shape.matches_target = parameters->codec_id == AV_CODEC_ID_H264 && parameters->format == AV_PIX_FMT_YUV420P &&
                           parameters->width == target.width && parameters->height == target.height && rate.num > 0 &&
                           rate.den > 0 && int64_t(rate.num) * target.fps.den == int64_t(target.fps.num) * rate.den &&
                           (sar.num == 0 || sar.num == sar.den) && av::display_rotation(stream) == 0;
    if (parameters->extradata)
        shape.extradata.assign(reinterpret_cast<const char*>(parameters->extradata),
                               static_cast<size_t>(parameters->extradata_size));
    return shape;
}

/// Where a movie's pictures start and end, in its video stream's time base.
struct PictureSpan {
    int64_t start = 0, end = 0;
    int64_t frames = 0;
};

/// The span of `stream` in `input` (opened for joining): from an MP4's index when it gives it,
/// else by reading the packets once (rewinding after).
PictureSpan picture_span(AVFormatContext* input, int index, const fs::path& path) {
    const AVStream* stream = input->streams[index];
    if (stream->duration > 0 && stream->start_time != AV_NOPTS_VALUE && stream->nb_frames > 0)
        return {stream->start_time, stream->start_time + stream->duration, stream->nb_frames};
    PictureSpan span{INT64_MAX, INT64_MIN, 0};
    av::Packet packet = av::make_packet();
    while (av_read_frame(input, packet.get()) >= 0) {
        if (packet->stream_index == index && packet->pts != AV_NOPTS_VALUE) {
            span.start = std::min(span.start, packet->pts);
            span.end = std::max(span.end, packet->pts + std::max<int64_t>(packet->duration, 0));
            ++span.frames;
        }
        av_packet_unref(packet.get());
    }
    if (span.frames == 0)
        throw av::Failure(path.filename().string() + " holds no picture");
    av::check(avformat_seek_file(input, -1, INT64_MIN, INT64_MIN, INT64_MIN, AVSEEK_FLAG_BACKWARD),
              "the movie cannot be read again");
    return span;
}

AVChannelLayout stereo() {
    AVChannelLayout layout{};
    av_channel_layout_default(&layout, 2);
    return layout;
}

/// One AAC track made of each movie's sound in turn, each cut or padded with silence to
/// end where that movie's pictures end.
class JoinedSound {
public:
    explicit JoinedSound(Muxer& muxer) : m_track(muxer, joined_sample_rate, stereo()) {}

    /// The next movie's sound (`stream` may be null: silence), to end at `end_sample`.
    void begin(const AVStream* stream, int64_t end_sample) {
        m_end = end_sample;
        m_converter.emplace(m_track.encoder());
        m_decoder.reset();
        if (stream)
            m_decoder = av::open_decoder(stream);
    }

    void send(const AVPacket* packet) {
        if (!m_decoder)
            return;
        av::send_to_decoder(m_decoder.get(), packet, "the audio cannot be decoded");
        av::Frame decoded = av::make_frame();
        while (av::receive_from_decoder(m_decoder.get(), decoded.get(), "the audio cannot be decoded") ==
               av::Decoded::frame) {
            queue(decoded.get());
            av_frame_unref(decoded.get());
        }
    }

    /// The movie's sound is over: what the decoder holds, then silence up to its end.
    void end() {
        if (m_decoder) {
            send(nullptr);
            queue(nullptr);
        }
        if (m_end > m_track.end())
            m_track.push_silence(m_end - m_track.end());
    }

    void finish() { m_track.finish(); }

private:
    /// Sound past the end of the movie's pictures is cut.
    void queue(const AVFrame* decoded) {
        const av::Frame converted = m_converter->convert(decoded);
        const int64_t kept = std::clamp<int64_t>(m_end - m_track.end(), 0, converted->nb_samples);
        m_track.push(converted->extended_data, static_cast<int>(kept));
    }

    AacTrack m_track;
    std::optional<SoundConverter> m_converter;
    av::CodecContext m_decoder;
    int64_t m_end = 0; ///< where the current movie's sound must end, in samples
};

/// Copies the movies' picture packets one after the other and joins their sound.
PlaylistMovieResult join(const std::vector<fs::path>& movies, const fs::path& output) {
    PlaylistMovieResult result;
    Muxer muxer(output);
    AVRational reference{0, 1};
    AVStream* picture_out = nullptr;
    {
        const av::InputContext first = av::open_input(movies.front());
        const AVStream* stream = first->streams[av::first_video_stream(first.get())];
        reference = stream->time_base;
        picture_out = avformat_new_stream(muxer.context(), nullptr);
        if (!picture_out)
            throw std::bad_alloc();
        av::check(avcodec_parameters_copy(picture_out->codecpar, stream->codecpar), "the MP4 stream cannot be set up");
        picture_out->codecpar->codec_tag = 0;
        picture_out->time_base = reference;
        picture_out->avg_frame_rate = stream->avg_frame_rate;
        result.width = stream->codecpar->width;
        result.height = stream->codecpar->height;
    }
    JoinedSound sound(muxer);
    muxer.open();

    int64_t offset = 0; // where the current movie starts, in `reference`
    int64_t last_dts = INT64_MIN;
    av::Packet packet = av::make_packet();
    for (const fs::path& movie : movies) {
        const av::InputContext input = av::open_input(movie);
        const int picture_index = av::first_video_stream(input.get());
        const PictureSpan span = picture_span(input.get(), picture_index, movie);
        const int sound_index = av::first_audio_stream(input.get());
        const AVStream* picture_in = input->streams[picture_index];
        const int64_t length = av_rescale_q(span.end - span.start, picture_in->time_base, reference);
        sound.begin(sound_index >= 0 ? input->streams[sound_index] : nullptr,
                    av_rescale_q(offset + length, reference, AVRational{1, joined_sample_rate}));
        while (av_read_frame(input.get(), packet.get()) >= 0) {
            if (packet->stream_index == sound_index) {
                sound.send(packet.get());
            } else if (packet->stream_index == picture_index && packet->pts != AV_NOPTS_VALUE) {
                packet->pts = av_rescale_q(packet->pts - span.start, picture_in->time_base, reference) + offset;
                packet->dts = packet->dts == AV_NOPTS_VALUE
                                  ? packet->pts
                                  : av_rescale_q(packet->dts - span.start, picture_in->time_base, reference) + offset;
                packet->duration = av_rescale_q(packet->duration, picture_in->time_base, reference);
                // Two encoders' reorder delays may differ: decoding times must still grow.
                if (packet->dts <= last_dts)
                    packet->dts = last_dts + 1;
                if (packet->pts < packet->dts)
                    packet->pts = packet->dts;
                last_dts = packet->dts;
                packet->pos = -1;
                muxer.write(packet.get(), reference, picture_out);
                ++result.frame_count;
            }
            av_packet_unref(packet.get());
        }
        sound.end();
        offset += length;
    }
    sound.finish();
    muxer.finish();
    result.duration = av_q2d(reference) * double(offset);
    return result;
}

} // namespace

PlaylistMovieResult build_playlist_movie(const std::vector<fs::path>& inputs, const fs::path& output,
                                         const NormaliseTarget& target, const fs::path& scratch_dir,
                                         bool normalise_all) {
    av::init_logging();
    PlaylistMovieResult result;
    if (inputs.empty()) {
        result.reason = "the playlist has no movie";
        return result;
    }
    const fs::path partial = output.parent_path() / (output.filename().string() + ".part");
    std::vector<fs::path> movies = inputs;
    std::vector<bool> normalised(inputs.size(), false);
    std::error_code ignored;
    try {
        fs::create_directories(scratch_dir);
        std::vector<PictureShape> shapes;
        for (const fs::path& input : inputs) {
            shapes.push_back(picture_shape(input, target));
            if (!shapes.back().has_video)
                throw av::Failure(input.filename().string() + " holds no picture");
        }
        auto normalise = [&](size_t index) {
            const fs::path made = scratch_dir / ("joined-" + std::to_string(index) + ".mp4");
            const NormaliseResult done = normalise_movie(inputs[index], made, target);
            if (!done.ok)
                throw av::Failure(inputs[index].filename().string() + ": " + done.reason);
            movies[index] = made;
            normalised[index] = true;
            shapes[index] = picture_shape(made, target);
            ++result.normalised_inputs;
        };
        for (size_t index = 0; index < inputs.size(); ++index)
            if (normalise_all || !shapes[index].matches_target)
                normalise(index);
        auto uniform = [&] {
            return std::all_of(shapes.begin(), shapes.end(),
                               [&](const PictureShape& shape) { return shape.extradata == shapes.front().extradata; });
        };
        // Movies made by another encoder (or other x264 settings) are made again as Slate
        // makes them, so every stream shares one set of parameters.
        if (!uniform())
            for (size_t index = 0; index < inputs.size(); ++index)
                if (!normalised[index])
                    normalise(index);
        if (!uniform())
            throw av::Failure("the movies cannot be joined: their H.264 parameters differ");

        const PlaylistMovieResult joined = join(movies, partial);
        const MovieProbe written = probe_movie(partial);
        if (!written.ok)
            throw av::Failure("the joined movie cannot be read back: " + written.reason);
        fs::rename(partial, output);
        result.ok = true;
        result.duration = written.duration > 0 ? written.duration : joined.duration;
        result.frame_count = joined.frame_count;
        result.width = joined.width;
        result.height = joined.height;
        result.file_size = written.file_size;
    } catch (const av::Failure& failure) {
        result.reason = failure.what();
    } catch (const std::bad_alloc&) {
        result.reason = "out of memory while joining the movies";
    } catch (const fs::filesystem_error& failure) {
        result.reason = std::string("the joined movie cannot be written: ") + failure.what();
    }
    if (!result.ok)
        fs::remove(partial, ignored);
    for (size_t index = 0; index < movies.size(); ++index)
        if (normalised[index])
            fs::remove(movies[index], ignored);
    return result;
}

} // namespace slate::workers
