#include "engine/storage/staged_files.h"

#include "engine/log.h"
#include "engine/uuid.h"

#include <string>
#include <system_error>

namespace fs = std::filesystem;

namespace slate::engine::storage {
namespace {

/// A second name for what `target` holds now, beside it (same folder, same file system), or
/// nullopt when it holds nothing. A hard link keeps the old bytes without copying them and
/// leaves `target` in place, so readers go on seeing a whole file until move_in's atomic rename;
/// a copy where links are not supported. Throws std::filesystem::filesystem_error.
std::optional<fs::path> keep_previous(const fs::path& target) {
    std::error_code error;
    if (!fs::is_regular_file(target, error))
        return std::nullopt;
    const fs::path previous = target.parent_path() / (".staged-" + new_uuid());
    fs::create_hard_link(target, previous, error);
    if (error)
        fs::copy_file(target, previous);
    return previous;
}

} // namespace

StagedFiles::StagedFiles(const LocalFileStore& store) : m_store(store) {}

StagedFiles::~StagedFiles() {
    rollback();
}

void StagedFiles::move_in(Bucket bucket, std::string_view key, const fs::path& source) {
    m_moves.reserve(m_moves.size() + 1); // the push_back below must not fail once the file moved
    const fs::path target = m_store.path_of(bucket, key);
    const auto previous = keep_previous(target);
    try {
        m_store.move_in(bucket, key, source); // replaces `target` only as its last step
    } catch (...) {
        if (previous) {
            std::error_code ignored;
            fs::remove(*previous, ignored);
        }
        throw;
    }
    m_moves.push_back(Move{target, source, previous});
}

void StagedFiles::copy_in(Bucket bucket, std::string_view key, const fs::path& source) {
    m_moves.reserve(m_moves.size() + 1);
    const fs::path target = m_store.path_of(bucket, key);
    const auto previous = keep_previous(target);
    try {
        m_store.put(bucket, key, source);
    } catch (...) {
        if (previous) {
            std::error_code ignored;
            fs::remove(*previous, ignored);
        }
        throw;
    }
    m_moves.push_back(Move{target, fs::path(), previous}); // no original: a rollback removes it
}

void StagedFiles::move(const fs::path& source, const fs::path& target) {
    m_moves.reserve(m_moves.size() + 1);
    move_file(source, target);
    m_moves.push_back(Move{target, source, std::nullopt});
}

void StagedFiles::keep() noexcept {
    for (const auto& move : m_moves)
        if (move.previous) {
            std::error_code ignored;
            fs::remove(*move.previous, ignored);
        }
    m_moves.clear();
}

void StagedFiles::rollback() noexcept {
    // Newest first, so that a key staged twice ends as it was before the first move.
    for (auto move = m_moves.rbegin(); move != m_moves.rend(); ++move) {
        try {
            if (!move->original.empty()) // a copy has nothing to go back to
                move_file(move->stored, move->original);
        } catch (...) {
            // The source's folder is gone (or full): the upload is lost either way, but the
            // store must not keep a file no row names.
            log::warning("staged file not put back to " + move->original.string() + "; removed from the store");
        }
        std::error_code error;
        fs::remove(move->stored, error); // a copy across file systems may leave it behind
        if (move->previous) {
            fs::rename(*move->previous, move->stored, error);
            if (error) {
                log::error("overwritten file " + move->stored.string() + " could not be restored: " + error.message());
                fs::remove(*move->previous, error);
            }
        }
    }
    m_moves.clear();
}

} // namespace slate::engine::storage
