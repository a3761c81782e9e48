#pragma once
// engine/storage/file_store.h: the file store of reference/storage.md: three buckets
// (pictures, movies, files) of flat keys "<prefix>-<id>", laid out on disk exactly as Zou's
// local backend does, so an existing Zou previews folder is served as it is.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace slate::engine::storage {

enum class Bucket { pictures, movies, files };

/// The flat key of a stored object: "<prefix>-<id>" (Zou's make_key).
std::string make_key(std::string_view prefix, std::string_view id);

/// The path of a key under its bucket folder, with Zou's split on the key's first dash:
/// "thumbnails-63e453f1-…" → "thumbnails/63e/453/63e453f1-…",
/// "thumbnails-square-63e…" → "thumbnails/squ/are/square-63e…", "dbbackup-x" → "dbbackup/x".
std::filesystem::path relative_path(std::string_view key);

/// Moves `source` to `target`: a rename, or across file systems a copy and `source` removed.
/// Throws std::filesystem::filesystem_error.
void move_file(const std::filesystem::path& source, const std::filesystem::path& target);

/// The local backend (FS_BACKEND=local).
class LocalFileStore {
public:
    /// `root` is PREVIEW_FOLDER; bucket folders are <root>/<bucket_prefix><bucket name>.
    explicit LocalFileStore(std::filesystem::path root, std::string bucket_prefix = "");

    std::filesystem::path path_of(Bucket bucket, std::string_view key) const;
    /// Copies a finished file in (overwriting, as Zou does), through a temporary name in the
    /// same folder so that readers never see half a file.
    void put(Bucket bucket, std::string_view key, const std::filesystem::path& source) const;
    /// Writes bytes in, the same way.
    void put_bytes(Bucket bucket, std::string_view key, std::string_view bytes) const;
    /// Moves `source` in (a rename when it is on the store's file system, else a copy and
    /// the source removed): for uploads spooled to disk, which are not needed afterwards.
    void move_in(Bucket bucket, std::string_view key, const std::filesystem::path& source) const;
    /// The stored file's path, or nullopt when it is missing or empty (Zou's 404 rule).
    std::optional<std::filesystem::path> find(Bucket bucket, std::string_view key) const;
    void remove(Bucket bucket, std::string_view key) const;

private:
    std::filesystem::path m_root;
    std::string m_bucket_prefix;
};

} // namespace slate::engine::storage
