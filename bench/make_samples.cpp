#include "make_samples.h"

#include "support/make_test_movie.h"
#include "workers/movie_frames.h"
#include "workers/movie_normalise.h"
#include "workers/picture_variants.h"

#include <cstdio>
#include <fstream>
#include <stdexcept>
#include <unistd.h>

namespace slate::bench {

namespace fs = std::filesystem;

namespace {

void check(bool ok, const std::string& what, const std::string& reason) {
    if (!ok)
        throw std::runtime_error(what + ": " + reason);
}

/// Moves the picture variants of `source` into `dir` under their store prefixes' names.
workers::PictureVariants variants(const fs::path& source, const fs::path& dir, const fs::path& scratch) {
    auto made = workers::make_picture_variants(source, scratch);
    check(made.ok, "picture variants", made.reason);
    fs::rename(made.original, dir / "original.png");
    fs::rename(made.thumbnail, dir / "thumbnails.png");
    fs::rename(made.square_thumbnail, dir / "thumbnails-square.png");
    fs::remove(made.preview); // 1200 wide: too heavy to ship; the store's previews get the original
    return made;
}

} // namespace

int run_make_samples(const fs::path& out) {
    workers::init_media_libraries();
    const fs::path scratch = fs::temp_directory_path() / ("slate-samples-" + std::to_string(::getpid()));
    fs::create_directories(scratch);
    fs::create_directories(out / "movie");
    fs::create_directories(out / "picture");
    // A 2-second 320×180 clip with sound, normalised as an upload would be (at a sample's
    // bitrate rather than Zou's 28 Mb/s, to stay small), and its low-definition version.
    test::TestMovieSpec spec;
    spec.width = 320, spec.height = 180, spec.seconds = 2.0, spec.video_bitrate = 400'000;
    make_test_movie(spec, scratch / "source.mp4");
    workers::NormaliseTarget hd{320, 180, {25, 1}, 200'000};
    const auto movie = workers::normalise_movie(scratch / "source.mp4", out / "movie" / "previews.mp4", hd);
    check(movie.ok, "normalise", movie.reason);
    workers::NormaliseTarget ld{160, 90, {25, 1}, 80'000};
    const auto lowdef = workers::normalise_movie(scratch / "source.mp4", out / "movie" / "lowdef.mp4", ld);
    check(lowdef.ok, "normalise (low definition)", lowdef.reason);
    const auto frame = workers::extract_frame_png(out / "movie" / "previews.mp4", 0, scratch / "frame.png");
    check(frame.ok, "first frame", frame.reason);
    const auto movie_pictures = variants(scratch / "frame.png", out / "movie", scratch);
    // No tile sheet: 50 cells of 178×100 weigh more than everything else together.
    // A still of the clip as the pictures' original (assets' previews are pictures).
    const auto still = workers::extract_frame_png(scratch / "source.mp4", 1.0, scratch / "still.png");
    check(still.ok, "still", still.reason);
    const auto picture = variants(scratch / "still.png", out / "picture", scratch);
    std::ofstream json(out / "media.json");
    json << "{\n  \"movie\": {\"width\": " << movie.width << ", \"height\": " << movie.height
         << ", \"duration\": " << movie.duration << ", \"file_size\": " << movie.file_size << "},\n"
         << "  \"picture\": {\"width\": " << picture.width << ", \"height\": " << picture.height
         << ", \"file_size\": " << picture.file_size << "}\n}\n";
    json.close();
    fs::remove_all(scratch);
    std::uintmax_t total = 0;
    for (const auto& entry : fs::recursive_directory_iterator(out))
        if (entry.is_regular_file()) {
            std::printf("%-40s %8ju bytes\n", fs::relative(entry.path(), out).c_str(), entry.file_size());
            total += entry.file_size();
        }
    std::printf("%-40s %8ju bytes\n", "total", total);
    (void)movie_pictures;
    return 0;
}

} // namespace slate::bench
