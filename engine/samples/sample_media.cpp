// The sample media behind a sample production's previews: samples/ (made by `slate-bench
// make-samples`) described by its media.json, and linked into the file store.

#include "engine/config.h"
#include "engine/error.h"
#include "engine/samples/sample_context.h"
#include "engine/storage/file_store.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <fstream>
#include <sstream>

namespace slate::engine::samples {

namespace fs = std::filesystem;

void read_sample_media(SampleMedia& media, const fs::path& folder) {
    std::ifstream file(folder / "media.json");
    if (!file)
        throw_bad_request("no sample media in " + folder.string() + " (media.json missing): see samples/README.md");
    std::stringstream text;
    text << file.rdbuf();
    const auto json = Poco::JSON::Parser().parse(text.str()).extract<Poco::JSON::Object::Ptr>();
    const auto movie = json->getObject("movie");
    const auto picture = json->getObject("picture");
    media.movie_width = movie->getValue<int>("width");
    media.movie_height = movie->getValue<int>("height");
    media.movie_seconds = movie->getValue<double>("duration");
    media.movie_bytes = movie->getValue<long long>("file_size");
    media.picture_width = picture->getValue<int>("width");
    media.picture_height = picture->getValue<int>("height");
    media.picture_bytes = picture->getValue<long long>("file_size");
    media.folder = folder;
}

long long store_sample_media(const Context& x) {
    if (x.media.folder.empty())
        return 0;
    using storage::Bucket;
    struct File {
        Bucket bucket;
        const char* prefix;
        const char* name;
    };
    static const std::vector<File> movie_files = {
        {Bucket::movies, "previews", "movie/previews.mp4"},         {Bucket::movies, "lowdef", "movie/lowdef.mp4"},
        {Bucket::pictures, "original", "movie/original.png"},       {Bucket::pictures, "previews", "movie/original.png"},
        {Bucket::pictures, "thumbnails", "movie/thumbnails.png"},
        {Bucket::pictures, "thumbnails-square", "movie/thumbnails-square.png"}};
    static const std::vector<File> picture_files = {
        {Bucket::pictures, "original", "picture/original.png"},
        {Bucket::pictures, "previews", "picture/original.png"}, // a small picture: its own preview
        {Bucket::pictures, "thumbnails", "picture/thumbnails.png"},
        {Bucket::pictures, "thumbnails-square", "picture/thumbnails-square.png"}};
    storage::LocalFileStore store(x.config.file_store_root(), x.config.fs_bucket_prefix);
    const fs::path source = fs::absolute(x.media.folder);
    long long linked = 0;
    const long long total = static_cast<long long>(x.tasks.size());
    // The latest preview of each task: what the pages show first (older revisions are rows only).
    for (std::size_t i = 0; i < x.tasks.size(); ++i) {
        if (i % 8192 == 0)
            x.report("media", static_cast<long long>(i), total);
        if (!x.tasks[i].comments)
            continue;
        int revision = 0;
        for (const Step& s : task_story(x, i).steps)
            revision = std::max(revision, s.revision);
        if (!revision)
            continue;
        const std::string id = x.id(s_preview, i * 64 + revision);
        for (const File& f : x.tasks[i].on_shot ? movie_files : picture_files) {
            const fs::path target = store.path_of(f.bucket, storage::make_key(f.prefix, id));
            fs::create_directories(target.parent_path());
            std::error_code error;
            fs::remove(target, error);
            fs::create_hard_link(source / f.name, target, error);
            if (error) // another file system, or the file's most links (65,000 on ext4): a symbolic link
                fs::create_symlink(source / f.name, target);
            ++linked;
        }
    }
    x.report("media", total, total);
    return linked;
}

} // namespace slate::engine::samples
