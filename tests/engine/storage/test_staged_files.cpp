// tests/engine/storage/test_staged_files.cpp: files moved into the store for a transaction stay
// when it commits (keep) and go back where they came from when it does not, restoring what a
// move overwrote and leaving nothing behind in the store.
#include <catch2/catch.hpp>

#include "engine/storage/staged_files.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;
using namespace slate::engine::storage;

namespace {

struct Folders {
    fs::path root = [] {
        char pattern[] = "/tmp/slate-staged-XXXXXX";
        return fs::path(mkdtemp(pattern));
    }();
    fs::path store_root = root / "store";
    fs::path spool = root / "spool";
    LocalFileStore store{store_root};

    Folders() { fs::create_directories(spool); }
    ~Folders() {
        std::error_code ignored;
        fs::remove_all(root, ignored);
    }

    fs::path upload(const std::string& name, const std::string& bytes) const {
        const fs::path path = spool / name;
        std::ofstream(path, std::ios::binary) << bytes;
        return path;
    }
};

std::string read(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    return bytes.str();
}

/// Regular files under `folder` (hidden leftovers included).
int files_under(const fs::path& folder) {
    int count = 0;
    std::error_code error;
    for (fs::recursive_directory_iterator it(folder, error), end; !error && it != end; it.increment(error))
        if (it->is_regular_file())
            ++count;
    return count;
}

const std::string key = make_key("attachments", "63e453f1-9655-49ad-acba-ff7f27c49e9d");

} // namespace

TEST_CASE("staged files moved then kept stay in the store", "[engine][staged_files]") {
    Folders folders;
    const fs::path source = folders.upload("part-0", "line one\n");
    {
        StagedFiles staged(folders.store);
        staged.move_in(Bucket::files, key, source);
        CHECK(staged.size() == 1);
        CHECK_FALSE(fs::exists(source));
        staged.keep();
        CHECK(staged.size() == 0);
    }
    const auto stored = folders.store.find(Bucket::files, key);
    REQUIRE(stored);
    CHECK(read(*stored) == "line one\n");
    CHECK_FALSE(fs::exists(source));
    CHECK(files_under(folders.store_root) == 1);
}

TEST_CASE("staged files dropped without keep go back to their originals", "[engine][staged_files]") {
    Folders folders;
    const fs::path first = folders.upload("part-0", "first");
    const fs::path second = folders.upload("part-1", "second");
    const fs::path job_file = folders.root / "tmp" / "job-input.png";
    fs::create_directories(job_file.parent_path());
    {
        StagedFiles staged(folders.store);
        staged.move_in(Bucket::files, key, first);
        staged.move(second, job_file);
        CHECK(folders.store.find(Bucket::files, key));
        CHECK(fs::exists(job_file));
        // No keep(): the transaction rolled back (an exception, or an early return).
    }
    CHECK(read(first) == "first");
    CHECK(read(second) == "second");
    CHECK_FALSE(fs::exists(job_file));
    CHECK_FALSE(folders.store.find(Bucket::files, key));
    CHECK(files_under(folders.store_root) == 0);
}

TEST_CASE("a staged move over a stored file restores it on rollback", "[engine][staged_files]") {
    Folders folders;
    folders.store.put_bytes(Bucket::files, key, "before");
    SECTION("rolled back") {
        const fs::path source = folders.upload("part-0", "after");
        {
            StagedFiles staged(folders.store);
            staged.move_in(Bucket::files, key, source);
            CHECK(read(*folders.store.find(Bucket::files, key)) == "after");
        }
        CHECK(read(*folders.store.find(Bucket::files, key)) == "before");
        CHECK(read(source) == "after");
    }
    SECTION("kept") {
        const fs::path source = folders.upload("part-0", "after");
        StagedFiles staged(folders.store);
        staged.move_in(Bucket::files, key, source);
        staged.keep();
        CHECK(read(*folders.store.find(Bucket::files, key)) == "after");
    }
    CHECK(files_under(folders.store_root) == 1); // no copy of the old file left aside
}

TEST_CASE("a staged file that cannot go back is removed, not orphaned", "[engine][staged_files]") {
    Folders folders;
    const fs::path source = folders.upload("part-0", "bytes");
    {
        StagedFiles staged(folders.store);
        staged.move_in(Bucket::files, key, source);
        fs::remove_all(folders.spool); // the request's spool went first
    }
    CHECK(files_under(folders.store_root) == 0);
}

TEST_CASE("a failed staged move stages nothing and keeps the stored file", "[engine][staged_files]") {
    Folders folders;
    folders.store.put_bytes(Bucket::files, key, "before");
    StagedFiles staged(folders.store);
    CHECK_THROWS_AS(staged.move_in(Bucket::files, key, folders.spool / "missing"), fs::filesystem_error);
    CHECK(staged.size() == 0);
    CHECK(read(*folders.store.find(Bucket::files, key)) == "before");
    CHECK(files_under(folders.store_root) == 1);
}

TEST_CASE("a staged copy stays when kept and goes on rollback, its source untouched", "[engine][staged_files]") {
    Folders folders;
    const std::string stored_key = make_key("previews", "0b7c4f7e-8f8d-4d55-9d8c-3c0f1f1ad2a0");
    const std::string copy_key = make_key("previews", "5c4a9e7b-3b1f-4b0e-a1f5-9a2b6c7d8e9f");
    folders.store.put_bytes(Bucket::files, stored_key, "frame");
    const fs::path source = *folders.store.find(Bucket::files, stored_key);
    {
        StagedFiles staged(folders.store);
        staged.copy_in(Bucket::files, copy_key, source);
        CHECK(read(*folders.store.find(Bucket::files, copy_key)) == "frame");
        // No keep(): an automation's comment rolled back.
    }
    CHECK_FALSE(folders.store.find(Bucket::files, copy_key));
    CHECK(read(source) == "frame");
    {
        StagedFiles staged(folders.store);
        staged.copy_in(Bucket::files, copy_key, source);
        staged.keep();
    }
    CHECK(read(*folders.store.find(Bucket::files, copy_key)) == "frame");
    CHECK(files_under(folders.store_root) == 2);
}
