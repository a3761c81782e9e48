// tests/fuzz/fuzz_multipart.cpp: libFuzzer target for the multipart/form-data reader
// (api::read_multipart). The input's first line is the request's Content-Type, the rest its
// body. File parts spool under a temporary folder made for this process and removed at its
// exit; after each input that folder must be empty again (the form's spool is gone). A
// slate::Error (bad_request, payload_too_large, unavailable) is an answer; anything else
// escaping, a left-over upload folder, or a sanitizer report is a finding.
#include "api/multipart.h"
#include "engine/error.h"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <string>
#include <string_view>

namespace fs = std::filesystem;

namespace {

/// Small on purpose: bodies past it take the payload_too_large path.
constexpr int64_t max_bytes = 2048;

struct SpoolRoot {
    fs::path path;
    SpoolRoot() {
        std::string pattern = (fs::temp_directory_path() / "slate-fuzz-multipart-XXXXXX").string();
        if (!mkdtemp(pattern.data())) {
            std::perror("mkdtemp");
            std::abort();
        }
        path = pattern;
    }
    ~SpoolRoot() {
        std::error_code ignored;
        fs::remove_all(path, ignored);
    }
};

const SpoolRoot& spool_root() {
    static const SpoolRoot root;
    return root;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const std::size_t eol = input.find('\n');
    const std::string content_type(input.substr(0, eol));
    const std::string body(eol == std::string_view::npos ? std::string_view() : input.substr(eol + 1));
    const fs::path& root = spool_root().path;
    (void)slate::api::is_multipart(content_type);
    {
        std::istringstream in(body);
        try {
            const slate::api::MultipartForm form = slate::api::read_multipart(in, content_type, root, max_bytes);
            int64_t total = 0;
            for (const auto& [name, file] : form.files) {
                // Every file part is on disk, with the size counted, inside the form's spool.
                if (file.path.parent_path() != form.spool->folder() || fs::file_size(file.path) != uint64_t(file.size))
                    __builtin_trap();
                total += file.size;
            }
            if (total > max_bytes)
                __builtin_trap();
        } catch (const slate::Error&) {
        }
    }
    if (!fs::is_empty(root)) // an upload folder outlived its form
        __builtin_trap();
    return 0;
}
