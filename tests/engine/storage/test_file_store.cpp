// tests/engine/storage/test_file_store.cpp: keys and paths exactly as Zou's local store lays
// them out (storage.md §2.2), and writes that never leave half a file.
#include <catch2/catch.hpp>

#include "engine/storage/file_store.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;
using namespace slate::engine::storage;

TEST_CASE("keys map to Zou's local paths, dashes in prefixes included", "[engine]") {
    const std::string id = "63e453f1-9655-49ad-acba-ff7f27c49e9d";
    const struct {
        std::string key;
        std::string path;
    } examples[] = {
        {make_key("thumbnails", id), "thumbnails/63e/453/" + id},
        {make_key("previews", id), "previews/63e/453/" + id},
        {make_key("original", id), "original/63e/453/" + id},
        {make_key("tiles", id), "tiles/63e/453/" + id},
        {make_key("lowdef", id), "lowdef/63e/453/" + id},
        {make_key("attachments", id), "attachments/63e/453/" + id},
        {make_key("thumbnails-square", id), "thumbnails/squ/are/square-" + id},
        {make_key("preview-backgrounds", id), "preview/bac/kgr/backgrounds-" + id},
        {"dbbackup-zou-db-backup-2024-05-06T10:20:30.sql.gz", "dbbackup/zou-db-backup-2024-05-06T10:20:30.sql.gz"},
    };
    for (const auto& example : examples) {
        INFO(example.key);
        CHECK(relative_path(example.key).string() == example.path);
    }
    LocalFileStore store("/srv/previews");
    CHECK(store.path_of(Bucket::movies, make_key("previews", id)).string() ==
          "/srv/previews/movies/previews/63e/453/" + id);
    LocalFileStore prefixed("/srv/previews", "studio-");
    CHECK(prefixed.path_of(Bucket::pictures, make_key("thumbnails", id)).string() ==
          "/srv/previews/studio-pictures/thumbnails/63e/453/" + id);
}

TEST_CASE("stored files are found, empty ones count as missing, and removal works", "[engine]") {
    char pattern[] = "/tmp/slate-store-XXXXXX";
    const fs::path root = mkdtemp(pattern);
    LocalFileStore store(root);
    const std::string key = make_key("attachments", "0123456789-abcdef");
    CHECK_FALSE(store.find(Bucket::files, key));
    store.put_bytes(Bucket::files, key, "hello");
    const auto found = store.find(Bucket::files, key);
    REQUIRE(found);
    CHECK(fs::file_size(*found) == 5);
    store.put_bytes(Bucket::files, key, ""); // overwritten, now empty: missing for readers
    CHECK_FALSE(store.find(Bucket::files, key));
    const fs::path source = root / "upload.bin";
    std::ofstream(source) << "movie bytes";
    store.put(Bucket::movies, make_key("source", "abcdef123456"), source);
    CHECK(store.find(Bucket::movies, "source-abcdef123456"));
    store.remove(Bucket::movies, "source-abcdef123456");
    CHECK_FALSE(store.find(Bucket::movies, "source-abcdef123456"));
    // No temporary file is left behind beside the stored ones.
    for (const auto& entry : fs::recursive_directory_iterator(root))
        CHECK(entry.path().filename().string().rfind(".tmp-", 0) != 0);
    fs::remove_all(root);
}
