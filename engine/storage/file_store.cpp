#include "engine/storage/file_store.h"

#include "engine/error.h"
#include "engine/log.h"
#include "engine/uuid.h"

#include <fstream>

namespace fs = std::filesystem;

namespace slate::engine::storage {
namespace {

const char* bucket_name(Bucket bucket) {
    switch (bucket) {
    case Bucket::pictures: return "pictures";
    case Bucket::movies: return "movies";
    case Bucket::files: return "files";
    }
    return "files";
}

/// Writes through a temporary sibling and renames it into place (atomic on one filesystem).
template <typename Write>
void write_atomically(const fs::path& target, Write write) {
    fs::create_directories(target.parent_path());
    const fs::path temporary = target.parent_path() / (".tmp-" + new_uuid());
    try {
        write(temporary);
        fs::rename(temporary, target);
    } catch (...) {
        std::error_code ignored;
        fs::remove(temporary, ignored);
        throw;
    }
}

} // namespace

std::string make_key(std::string_view prefix, std::string_view id) {
    return std::string(prefix) + "-" + std::string(id);
}

fs::path relative_path(std::string_view key) {
    const auto dash = key.find('-');
    if (dash == std::string_view::npos || dash == 0 || dash + 1 >= key.size())
        throw Error(ErrorKind::internal, "not a file store key: " + std::string(key));
    const std::string head(key.substr(0, dash));
    const std::string rest(key.substr(dash + 1));
    if (head == "dbbackup")
        return fs::path(head) / rest;
    return fs::path(head) / rest.substr(0, 3) / rest.substr(3, 3) / rest;
}

LocalFileStore::LocalFileStore(fs::path root, std::string bucket_prefix)
    : m_root(std::move(root)), m_bucket_prefix(std::move(bucket_prefix)) {}

fs::path LocalFileStore::path_of(Bucket bucket, std::string_view key) const {
    return m_root / (m_bucket_prefix + bucket_name(bucket)) / relative_path(key);
}

void LocalFileStore::put(Bucket bucket, std::string_view key, const fs::path& source) const {
    write_atomically(path_of(bucket, key), [&](const fs::path& temporary) {
        fs::copy_file(source, temporary, fs::copy_options::overwrite_existing);
    });
}

void move_file(const fs::path& source, const fs::path& target) {
    std::error_code renamed;
    fs::rename(source, target, renamed);
    if (!renamed)
        return;
    fs::copy_file(source, target, fs::copy_options::overwrite_existing); // another file system
    std::error_code ignored;
    fs::remove(source, ignored);
}

void LocalFileStore::move_in(Bucket bucket, std::string_view key, const fs::path& source) const {
    write_atomically(path_of(bucket, key), [&](const fs::path& temporary) { move_file(source, temporary); });
}

void LocalFileStore::put_bytes(Bucket bucket, std::string_view key, std::string_view bytes) const {
    write_atomically(path_of(bucket, key), [&](const fs::path& temporary) {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        if (!out) {
            // The path is for the log: answers never show the server's folders.
            log::error("the file store cannot write " + temporary.string());
            throw Error(ErrorKind::unavailable, "The file store cannot be written.");
        }
    });
}

std::optional<fs::path> LocalFileStore::find(Bucket bucket, std::string_view key) const {
    const fs::path path = path_of(bucket, key);
    std::error_code error;
    const auto size = fs::file_size(path, error);
    if (error || size == 0)
        return std::nullopt;
    return path;
}

void LocalFileStore::remove(Bucket bucket, std::string_view key) const {
    std::error_code ignored;
    fs::remove(path_of(bucket, key), ignored);
}

} // namespace slate::engine::storage
