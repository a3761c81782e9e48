#include "workers/movie_frames.h"

#include "workers/av_handles.h"
#include "workers/movie_pictures.h"
#include "workers/movie_probe.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <system_error>

namespace fs = std::filesystem;

namespace slate::workers {
namespace {

/// The pictures of a movie's first video stream, in presentation order.
class FrameReader {
public:
    explicit FrameReader(const fs::path& path) : m_input(av::open_input(path)), m_packet(av::make_packet()) {
        m_index = av::first_video_stream(m_input.get());
        if (m_index < 0)
            throw av::Failure("no video stream");
        for (unsigned index = 0; index < m_input->nb_streams; ++index)
            if (int(index) != m_index)
                m_input->streams[index]->discard = AVDISCARD_ALL;
        m_stream = m_input->streams[m_index];
        m_decoder = av::open_decoder(m_stream);
    }

    /// The next picture into `frame`; false at the end of the movie.
    bool next(AVFrame* frame) {
        for (;;) {
            switch (av::receive_from_decoder(m_decoder.get(), frame, "the video cannot be decoded")) {
            case av::Decoded::frame: return true;
            case av::Decoded::finished: return false;
            case av::Decoded::needs_input: break;
            }
            if (m_draining)
                return false; // a decoder that asks for more after the end has no more
            const int read = av_read_frame(m_input.get(), m_packet.get());
            if (read == AVERROR_EOF) {
                av::send_to_decoder(m_decoder.get(), nullptr, "the video cannot be decoded");
                m_draining = true;
                continue;
            }
            av::check(read, "the movie cannot be read");
            if (m_packet->stream_index == m_index)
                av::send_to_decoder(m_decoder.get(), m_packet.get(), "the video cannot be decoded");
            av_packet_unref(m_packet.get());
        }
    }

    /// Moves to the keyframe at or before `seconds`; stays at the start when the file
    /// cannot seek (the pictures are then decoded from there).
    void seek(double seconds) {
        int64_t target = std::llround(seconds / av_q2d(m_stream->time_base));
        if (m_input->start_time != AV_NOPTS_VALUE)
            target += av_rescale_q(m_input->start_time, AV_TIME_BASE_Q, m_stream->time_base);
        if (avformat_seek_file(m_input.get(), m_index, std::numeric_limits<int64_t>::min(), target, target, 0) >= 0)
            avcodec_flush_buffers(m_decoder.get());
        m_draining = false;
    }

    double seconds(const AVFrame* frame) const { return av::frame_seconds(frame, m_stream, m_input.get()); }

    double frame_duration(const AVFrame* frame) const {
        if (frame->pkt_duration > 0)
            return double(frame->pkt_duration) * av_q2d(m_stream->time_base);
        const AVRational rate = av_guess_frame_rate(m_input.get(), m_stream, nullptr);
        return rate.num > 0 ? av_q2d(av_inv_q(rate)) : 0.04;
    }

private:
    av::InputContext m_input;
    av::Packet m_packet;
    int m_index = -1;
    AVStream* m_stream = nullptr;
    av::CodecContext m_decoder;
    bool m_draining = false;
};

MovieFrame read_frame(const fs::path& movie, double seconds) {
    if (!(seconds > 0)) // also NaN
        seconds = 0;
    FrameReader reader(movie);
    if (seconds > 0)
        reader.seek(seconds);
    av::Frame frame = av::make_frame();
    av::Frame last = av::make_frame();
    bool have_last = false;
    double time = 0;
    bool found = false;
    while (reader.next(frame.get())) {
        time = reader.seconds(frame.get());
        // A millisecond's slack: (N − 1) / fps lands on a picture's time up to rounding.
        const double slack = std::min(0.001, 0.1 * reader.frame_duration(frame.get()));
        if (time >= seconds - slack) {
            found = true;
            break;
        }
        av_frame_unref(last.get());
        av_frame_move_ref(last.get(), frame.get());
        have_last = true;
    }
    if (!found) {
        // A time inside the last picture's display still shows that picture.
        const double last_time = have_last ? reader.seconds(last.get()) : 0;
        if (!have_last || seconds >= last_time + reader.frame_duration(last.get()))
            throw av::Failure("no picture at " + std::to_string(seconds) + " s: the movie is shorter");
        av_frame_unref(frame.get());
        av_frame_move_ref(frame.get(), last.get());
        time = last_time;
    }
    MovieFrame result;
    result.width = frame->width;
    result.height = frame->height;
    result.stride = size_t(result.width) * 3;
    result.pixels.resize(result.stride * size_t(result.height));
    RgbScaler scaler;
    scaler.scale(frame.get(), result.width, result.height, result.pixels.data(), result.stride);
    result.time = time;
    result.ok = true;
    return result;
}

TileSheet make_tile_sheet(const fs::path& movie, const fs::path& png) {
    const MovieProbe probe = probe_movie(movie);
    if (!probe.ok)
        throw av::Failure(probe.reason);
    const TileGeometry geometry = tile_geometry(probe.duration, probe.fps, probe.display_aspect_ratio);
    if (geometry.rows <= 0 || geometry.cell_width <= 0)
        throw av::Failure("the movie is too short for a tile sheet");
    TileBuilder tiles(geometry);
    FrameReader reader(movie);
    av::Frame frame = av::make_frame();
    for (int64_t index = 0; reader.next(frame.get()); ++index) {
        tiles.add(index, frame.get());
        av_frame_unref(frame.get());
    }
    return tiles.write(geometry, png);
}

} // namespace

double frame_time(int64_t frame_number, FrameRate fps) {
    if (frame_number <= 1 || fps.num <= 0 || fps.den <= 0)
        return 0.0;
    return double(frame_number - 1) * double(fps.den) / double(fps.num);
}

TileGeometry tile_geometry(double duration, double fps, Rational display_aspect) {
    TileGeometry geometry;
    if (!(duration > 0) || !(fps > 0) || display_aspect.num <= 0 || display_aspect.den <= 0)
        return geometry;
    // int(duration · fps), with slack for a product that should be whole (0.96 · 25).
    geometry.frames = static_cast<int64_t>(std::floor(duration * fps + 1e-6));
    const int64_t max_rows = 480;
    const int64_t rows = (geometry.frames + geometry.columns - 1) / geometry.columns;
    geometry.rows = static_cast<int>(std::min(rows, max_rows));
    if (rows >= max_rows)
        geometry.step = (geometry.frames + max_rows * geometry.columns - 1) / (max_rows * geometry.columns);
    // ceil(100 · DAR) in integers: 16:9 gives 178, 2:1 exactly 200.
    geometry.cell_width = static_cast<int>(
        (int64_t(geometry.cell_height) * display_aspect.num + display_aspect.den - 1) / display_aspect.den);
    return geometry;
}

MovieFrame extract_frame(const fs::path& movie, double seconds) {
    try {
        return read_frame(movie, seconds);
    } catch (const std::exception& e) {
        MovieFrame failed;
        failed.reason = e.what();
        return failed;
    }
}

MoviePicture extract_frame_png(const fs::path& movie, double seconds, const fs::path& png) {
    MoviePicture result;
    try {
        const MovieFrame frame = read_frame(movie, seconds);
        write_png(frame.pixels, frame.width, frame.height, png);
        result.width = frame.width;
        result.height = frame.height;
        result.file_size = static_cast<int64_t>(fs::file_size(png));
        result.ok = true;
    } catch (const std::exception& e) {
        result = MoviePicture{};
        result.reason = e.what();
    }
    return result;
}

TileSheet build_tile_sheet(const fs::path& movie, const fs::path& png) {
    try {
        return make_tile_sheet(movie, png);
    } catch (const std::exception& e) {
        TileSheet failed;
        failed.reason = e.what();
        return failed;
    }
}

} // namespace slate::workers
