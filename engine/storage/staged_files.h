#pragma once
// engine/storage/staged_files.h: files moved into the file store on behalf of a database
// transaction, undone unless the transaction commits. A row naming a stored file and the file
// itself live in two places that cannot commit together; StagedFiles makes the file side follow
// the database: kept after the commit, put back where it came from after a rollback, so that a
// failed request leaves no orphan in the store and still has its upload (the spool owner
// removes it as it would have without the move).
//
// Use, with the guard declared before the transaction (destroyed after it, so the rollback runs
// first):
//     storage::StagedFiles staged(files);
//     db::Transaction transaction(c);
//     ... staged.move_in(bucket, key, upload); insert the row ...
//     transaction.commit();
//     staged.keep();
// keep() belongs after the *outermost* commit: a db::Transaction opened inside another one is a
// savepoint whose commit() is not final. A function that runs inside its caller's transaction
// takes the caller's StagedFiles rather than making its own.
//
// Not thread-safe; one guard per request.

#include "engine/storage/file_store.h"

#include <filesystem>
#include <optional>
#include <string_view>
#include <vector>

namespace slate::engine::storage {

class StagedFiles {
public:
    explicit StagedFiles(const LocalFileStore& store);
    StagedFiles(const StagedFiles&) = delete;
    StagedFiles& operator=(const StagedFiles&) = delete;
    /// Without keep(): undoes every move, newest first (see rollback()). Never throws.
    ~StagedFiles();

    /// The store the files go to (for reads and removals that need no undo).
    const LocalFileStore& store() const { return m_store; }

    /// LocalFileStore::move_in, remembered: `source` can be put back, and a file the key already
    /// held (move_in overwrites, as Zou does) is restored on rollback. Throws as move_in does,
    /// with nothing staged and an overwritten file left as it was.
    void move_in(Bucket bucket, std::string_view key, const std::filesystem::path& source);

    /// LocalFileStore::put (a copy of `source`, which stays), remembered: a rollback removes the
    /// copy and restores what the key held before.
    void copy_in(Bucket bucket, std::string_view key, const std::filesystem::path& source);

    /// storage::move_file, remembered: for uploads placed outside the store (a job's temporary
    /// folder) whose record is written in the same transaction. Unlike move_in, a file `target`
    /// already held is not restored on rollback: meant for fresh names.
    void move(const std::filesystem::path& source, const std::filesystem::path& target);

    /// The transaction has committed: the moved files stay where they are. Never throws.
    void keep() noexcept;

    /// Puts every moved file back at its source (a rename, or a copy and removal across file
    /// systems), removing what cannot be put back so that nothing is orphaned, and restores the
    /// files that were overwritten. Called by the destructor; idempotent. Never throws.
    void rollback() noexcept;

    /// How many moves are pending (neither kept nor rolled back).
    size_t size() const { return m_moves.size(); }

private:
    struct Move {
        std::filesystem::path stored;                  ///< where the file is now
        std::filesystem::path original;                ///< where it came from
        std::optional<std::filesystem::path> previous; ///< a copy of what `stored` held before
    };

    const LocalFileStore& m_store;
    std::vector<Move> m_moves;
};

} // namespace slate::engine::storage
