#include "engine/storage/deleted_files.h"

#include "engine/log.h"

#include <exception>

namespace slate::engine::storage {

std::vector<std::pair<Bucket, std::string>> preview_file_keys(std::string_view id, std::string_view extension) {
    std::vector<std::pair<Bucket, std::string>> keys;
    const auto add = [&](Bucket bucket, std::initializer_list<const char*> prefixes) {
        for (const char* prefix : prefixes)
            keys.emplace_back(bucket, make_key(prefix, id));
    };
    if (extension == "png") {
        add(Bucket::pictures, {"original", "thumbnails", "thumbnails-square", "previews"});
    } else if (extension == "mp4") {
        add(Bucket::movies, {"previews", "lowdef", "source"});
        add(Bucket::pictures, {"thumbnails", "thumbnails-square", "previews", "tiles"});
    } else {
        add(Bucket::files, {"previews"});
    }
    return keys;
}

void remove_deleted_files(const LocalFileStore& store, const DeletedFiles& deleted, bool remove_files) noexcept {
    try {
        if (remove_files || deleted.previews_forced)
            for (const auto& [id, extension] : deleted.previews)
                for (const auto& [bucket, key] : preview_file_keys(id, extension))
                    store.remove(bucket, key);
        if (!remove_files)
            return;
        for (const auto& id : deleted.attachments) {
            store.remove(Bucket::files, make_key("attachments", id));
            store.remove(Bucket::pictures, make_key("thumbnails", id)); // a chat picture's
        }
        for (const auto& id : deleted.builds)
            store.remove(Bucket::movies, make_key("playlists", id));
    } catch (const std::exception& error) {
        log::warning(std::string("stored files of deleted rows left in the store: ") + error.what());
    }
}

} // namespace slate::engine::storage
