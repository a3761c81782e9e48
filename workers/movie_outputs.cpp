// workers/movie_outputs.cpp: a movie upload's outputs from one decode (movie_outputs.h,
// movie_pipeline.h).
#include "workers/movie_outputs.h"

#include "workers/movie_pictures.h"
#include "workers/movie_pipeline.h"

#include <cmath>
#include <numeric>
#include <optional>
#include <system_error>

namespace fs = std::filesystem;

namespace slate::workers {
namespace {

/// Sound frames a piece holds at most before it goes on without a picture (a movie whose
/// sound is stored far ahead of its pictures).
constexpr size_t max_sound_per_piece = 256;

void remove_file(const fs::path& path) {
    std::error_code ignored;
    if (!path.empty())
        fs::remove(path, ignored);
}

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

/// One normalised movie being written beside its final name, from the pieces it is given.
class EncodedMovie {
public:
    EncodedMovie(const NormaliseTarget& target, const fs::path& output, const PipelineSource& source)
        : m_target(target), m_output(output), m_partial(output.parent_path() / (output.filename().string() + ".part")),
          m_muxer(m_partial), m_video(source.video, m_target, m_muxer) {
        if (source.audio)
            m_audio.emplace(source.input, source.audio, source.audio_decoder, m_muxer);
        else
            m_audio.emplace(m_muxer);
        m_muxer.open();
    }
    ~EncodedMovie() {
        if (!m_done)
            remove_file(m_partial);
    }
    EncodedMovie(const EncodedMovie&) = delete;
    EncodedMovie& operator=(const EncodedMovie&) = delete;

    VideoPath& video() { return m_video; }

    /// Removes the movie once committed (a later output failed).
    void discard() {
        if (m_done)
            remove_file(m_output);
    }

    /// Encodes a piece; keeps the pictures the thumbnail and tiles want in `piece.shown`.
    void take(DecodedPiece& piece) {
        for (const av::Frame& sound : piece.sound)
            m_audio->push(sound.get());
        for (const av::Frame& picture : piece.pictures)
            m_video.push(picture.get());
        if (m_audio->silent())
            m_audio->fill_silence(m_video.seconds_encoded());
        if (piece.last) {
            m_video.finish();
            m_audio->finish(m_video.seconds_encoded());
            m_muxer.finish();
        }
        for (auto& kept : m_video.take_kept())
            piece.shown.push_back(std::move(kept));
    }

    /// Reads the written movie back and gives it its name.
    NormaliseResult commit(MovieProbe& probe) {
        probe = probe_movie(m_partial);
        if (!probe.ok)
            throw av::Failure("the normalised movie cannot be read back: " + probe.reason);
        fs::rename(m_partial, m_output);
        m_done = true;
        NormaliseResult result;
        result.ok = true;
        result.width = probe.width;
        result.height = probe.height;
        result.duration = probe.duration;
        result.frame_count = probe.frame_count;
        result.file_size = probe.file_size;
        result.silent_audio = m_audio->silent();
        return result;
    }

private:
    NormaliseTarget m_target;
    fs::path m_output, m_partial;
    Muxer m_muxer;
    VideoPath m_video;
    std::optional<AudioPath> m_audio;
    bool m_done = false;
};

/// The thumbnail and the tile cells, taken from the pictures as they come.
class PictureTaker {
public:
    /// `encoded`: the pictures are a normalised movie's, before encoding (read as its decoder
    /// will show them); else the source's own, timed by `input`.
    PictureTaker(const TileGeometry& layout, bool encoded, const VideoInput& input)
        : m_tiles(layout), m_encoded(encoded), m_input(input) {}

    bool wants(int64_t index) const { return !m_thumbnail_found || m_tiles.wants(index); }

    void take(int64_t index, AVFrame* picture) {
        if (m_encoded) {
            // x264 writes no colour description: the movie's decoder shows BT.601, limited range.
            picture->colorspace = AVCOL_SPC_UNSPECIFIED;
            picture->color_range = AVCOL_RANGE_MPEG;
        }
        if (!m_thumbnail_found) {
            // The first picture at or after 0 (extract_frame's rule), else the last one.
            const int64_t timestamp =
                picture->best_effort_timestamp != AV_NOPTS_VALUE ? picture->best_effort_timestamp : picture->pts;
            const double seconds =
                timestamp == AV_NOPTS_VALUE ? 0.0 : double(timestamp - m_input.start) * av_q2d(m_input.time_base);
            m_thumbnail = av::make_frame();
            av::check(av_frame_ref(m_thumbnail.get(), picture), "picture reference");
            if (m_encoded || seconds >= -0.001) {
                m_thumbnail_found = true;
                keep_thumbnail();
            }
        }
        m_tiles.add(index, picture);
    }

    /// Writes the thumbnail; throws when there is none.
    MoviePicture write_thumbnail(const fs::path& png) {
        if (m_thumbnail)
            keep_thumbnail();
        if (m_rgb.empty())
            throw av::Failure("no picture of the movie can be decoded");
        write_png(m_rgb, m_width, m_height, png);
        MoviePicture result;
        result.ok = true;
        result.width = m_width;
        result.height = m_height;
        result.file_size = static_cast<int64_t>(fs::file_size(png));
        return result;
    }

    TileBuilder& tiles() { return m_tiles; }

private:
    void keep_thumbnail() {
        m_width = m_thumbnail->width;
        m_height = m_thumbnail->height;
        m_rgb.resize(size_t(m_width) * 3 * size_t(m_height));
        RgbScaler().scale(m_thumbnail.get(), m_width, m_height, m_rgb.data(), size_t(m_width) * 3);
        m_thumbnail.reset();
    }

    TileBuilder m_tiles;
    bool m_encoded;
    VideoInput m_input;
    bool m_thumbnail_found = false;
    av::Frame m_thumbnail; ///< the candidate not yet converted
    std::vector<uint8_t> m_rgb;
    int m_width = 0, m_height = 0;
};

Rational reduced(int num, int den) {
    const int divisor = std::gcd(num, den);
    return divisor > 0 ? Rational{num / divisor, den / divisor} : Rational{0, 1};
}

/// Everything the pipeline's stages share: made at the first piece.
struct Outputs {
    MovieOutputsRequest request;
    std::optional<EncodedMovie> hd, ld;
    std::optional<PictureTaker> pictures;
    int64_t source_index = 0; ///< pictures of the source seen (an upload kept as sent)

    EncodedMovie* first() { return hd ? &*hd : ld ? &*ld : nullptr; }
};

void make_outputs(Outputs& outputs, const PipelineSource& source, const OutputPlan& plan, const DecodedPiece& piece) {
    const AVFrame* picture = piece.pictures.empty() ? nullptr : piece.pictures.front().get();
    outputs.request = plan(picture ? picture->width : 0, picture ? picture->height : 0);
    const MovieOutputsRequest& request = outputs.request;
    if (request.hd)
        outputs.hd.emplace(*request.hd, request.hd_path, source);
    if (request.ld)
        outputs.ld.emplace(*request.ld, request.ld_path, source);
    if (request.thumbnail_png.empty() && request.tile_png.empty())
        return;
    EncodedMovie* first = outputs.first();
    const NormaliseTarget* target = request.hd ? &*request.hd : request.ld ? &*request.ld : nullptr;
    // The tiles are laid out from the source's announced length; the movie made may end up a
    // frame longer or shorter, which only matters when the step changes (write() checks).
    const TileGeometry layout =
        target ? tile_geometry(source.expected_seconds, target->fps.value(), reduced(target->width, target->height))
               : tile_geometry(source.expected_seconds, source.source_fps, source.display_aspect);
    outputs.pictures.emplace(layout, first != nullptr, source.video);
    if (first)
        // Called on the encoder's stage: only the (constant) layout is read there.
        first->video().keep(
            [tiles = &outputs.pictures->tiles()](int64_t index) { return index == 0 || tiles->wants(index); });
}

void take_pictures(Outputs& outputs, DecodedPiece& piece) {
    if (!outputs.pictures)
        return;
    if (outputs.first()) {
        for (auto& [index, picture] : piece.shown)
            outputs.pictures->take(index, picture.get());
        return;
    }
    for (const av::Frame& picture : piece.pictures) {
        const int64_t index = outputs.source_index++;
        if (outputs.pictures->wants(index)) {
            av::Frame copy = av::make_frame();
            av::check(av_frame_ref(copy.get(), picture.get()), "picture reference");
            outputs.pictures->take(index, copy.get());
        }
    }
}

/// The pictures and the tiles once the movies are written.
void write_pictures(Outputs& outputs, const PipelineSource& source, MovieOutputs& result) {
    const MovieOutputsRequest& request = outputs.request;
    if (!outputs.pictures)
        return;
    if (!request.thumbnail_png.empty())
        result.thumbnail = outputs.pictures->write_thumbnail(request.thumbnail_png);
    if (request.tile_png.empty())
        return;
    const MovieProbe& movie = result.movie;
    const TileGeometry geometry = outputs.first()
                                      ? tile_geometry(movie.duration, movie.fps, movie.display_aspect_ratio)
                                      : tile_geometry(source.expected_seconds, source.source_fps, source.display_aspect);
    try {
        result.tile = outputs.pictures->tiles().write(geometry, request.tile_png);
    } catch (const std::exception& e) {
        result.tile = TileSheet{};
        result.tile.reason = e.what();
        // The movie made is longer than announced by a step: its cells are read from it.
        const fs::path& made = outputs.hd ? request.hd_path : request.ld_path;
        if (geometry.rows > 0 && outputs.first() &&
            geometry.step != outputs.pictures->tiles().layout().step)
            result.tile = build_tile_sheet(made, request.tile_png);
    }
}

/// A movie file's pictures and sound, decoded once, in pieces.
class MovieSource {
public:
    explicit MovieSource(const fs::path& path) : m_input(av::open_input(path)), m_packet(av::make_packet()) {
        m_video_index = av::first_video_stream(m_input.get());
        if (m_video_index < 0)
            throw av::Failure("no video stream");
        m_audio_index = av::first_audio_stream(m_input.get());
        if (m_audio_index >= 0 && !avcodec_find_decoder(m_input->streams[m_audio_index]->codecpar->codec_id))
            m_audio_index = -1; // a sound FFmpeg cannot decode: the movie gets silence instead
        for (unsigned index = 0; index < m_input->nb_streams; ++index)
            if (int(index) != m_video_index && int(index) != m_audio_index)
                m_input->streams[index]->discard = AVDISCARD_ALL;
        m_video = av::open_decoder(m_input->streams[m_video_index]);
        if (m_audio_index >= 0)
            m_audio = av::open_decoder(m_input->streams[m_audio_index]);
    }

    PipelineSource shape(const MovieProbe& probe) {
        PipelineSource source;
        source.video = VideoInput::of(m_input.get(), m_input->streams[m_video_index]);
        source.input = m_input.get();
        if (m_audio_index >= 0) {
            source.audio = m_input->streams[m_audio_index];
            source.audio_decoder = m_audio.get();
        }
        source.expected_seconds = probe.duration;
        source.display_aspect = probe.display_aspect_ratio;
        source.source_fps = probe.fps;
        return source;
    }

    /// The next piece; nullptr after the last one.
    Piece next() {
        if (m_done)
            return nullptr;
        auto piece = std::make_shared<DecodedPiece>();
        while (piece->pictures.empty() && piece->sound.size() < max_sound_per_piece) {
            const int code = av_read_frame(m_input.get(), m_packet.get());
            if (code == AVERROR_EOF) {
                decode(m_video.get(), nullptr, piece->pictures, "the video cannot be decoded");
                if (m_audio)
                    decode(m_audio.get(), nullptr, piece->sound, "the audio cannot be decoded");
                piece->last = true;
                m_done = true;
                break;
            }
            av::check(code, "the movie cannot be read");
            if (m_packet->stream_index == m_video_index)
                decode(m_video.get(), m_packet.get(), piece->pictures, "the video cannot be decoded");
            else if (m_packet->stream_index == m_audio_index)
                decode(m_audio.get(), m_packet.get(), piece->sound, "the audio cannot be decoded");
            av_packet_unref(m_packet.get());
        }
        m_pictures += int64_t(piece->pictures.size());
        return piece;
    }

    int64_t pictures() const { return m_pictures; }

private:
    static void decode(AVCodecContext* decoder, const AVPacket* packet, std::vector<av::Frame>& into,
                       const char* what) {
        av::send_to_decoder(decoder, packet, what);
        for (;;) {
            av::Frame frame = av::make_frame();
            if (av::receive_from_decoder(decoder, frame.get(), what) != av::Decoded::frame)
                return;
            into.push_back(std::move(frame));
        }
    }

    av::InputContext m_input;
    av::Packet m_packet;
    int m_video_index = -1, m_audio_index = -1;
    av::CodecContext m_video, m_audio;
    bool m_done = false;
    int64_t m_pictures = 0;
};

} // namespace

MovieOutputs run_movie_pipeline(const tbb::filter<void, Piece>& front, const PipelineSource& source,
                                const OutputPlan& plan) {
    Outputs outputs;
    struct Cleanup { // no movie is left unless all went well (the pictures are written last)
        Outputs& outputs;
        bool done = false;
        ~Cleanup() {
            if (done)
                return;
            if (outputs.hd)
                outputs.hd->discard();
            if (outputs.ld)
                outputs.ld->discard();
        }
    } cleanup{outputs};
    bool planned = false;
    const auto serial = tbb::filter_mode::serial_in_order;
    tbb::parallel_pipeline(
        pipeline_pieces, front &
                             tbb::make_filter<Piece, Piece>(serial,
                                                            [&](Piece piece) {
                                                                if (!planned)
                                                                    make_outputs(outputs, source, plan, *piece);
                                                                planned = true;
                                                                if (outputs.hd)
                                                                    outputs.hd->take(*piece);
                                                                return piece;
                                                            }) &
                             tbb::make_filter<Piece, Piece>(serial,
                                                            [&](Piece piece) {
                                                                if (outputs.ld)
                                                                    outputs.ld->take(*piece);
                                                                return piece;
                                                            }) &
                             tbb::make_filter<Piece, void>(serial, [&](Piece piece) { take_pictures(outputs, *piece); }));
    if (!planned)
        throw av::Failure("no picture of the movie can be decoded");

    MovieOutputs result;
    MovieProbe hd_probe, ld_probe;
    if (outputs.hd)
        result.hd = outputs.hd->commit(hd_probe);
    if (outputs.ld)
        result.ld = outputs.ld->commit(ld_probe);
    if (outputs.hd)
        result.movie = hd_probe;
    else if (outputs.ld)
        result.movie = ld_probe;
    write_pictures(outputs, source, result);
    result.ok = true;
    cleanup.done = true;
    return result;
}

MovieOutputs make_movie_outputs(const fs::path& path, const MovieOutputsRequest& request, const MovieProbe* probed) {
    MovieOutputs result;
    int64_t decodes = 0, pictures = 0;
    try {
        for (const auto* target : {&request.hd, &request.ld})
            if (*target)
                check_target(**target);
        // The probe refuses what is no movie, and a cut movie, before anything is written.
        const MovieProbe source_probe = probed ? *probed : probe_movie(path);
        if (!source_probe.ok)
            throw av::Failure(source_probe.reason);
        MovieSource source(path);
        ++decodes;
        const PipelineSource shape = source.shape(source_probe);
        const auto front = tbb::make_filter<void, Piece>(tbb::filter_mode::serial_in_order,
                                                         [&](tbb::flow_control& control) -> Piece {
                                                             Piece piece = source.next();
                                                             pictures = source.pictures();
                                                             if (!piece)
                                                                 control.stop();
                                                             return piece;
                                                         });
        result = run_movie_pipeline(front, shape, [&](int, int) { return request; });
        if (!request.hd && !request.ld)
            result.movie = source_probe;
    } catch (const std::exception& e) {
        result = MovieOutputs{};
        result.reason = e.what();
    }
    result.source_decodes = decodes;
    result.pictures_decoded = pictures;
    return result;
}

} // namespace slate::workers
