#pragma once
// bench/upload_bench.h: movie uploads at once over HTTP, from answer to normalised preview.

namespace slate::bench {

struct UploadBenchOptions {
    int clients = 8;     ///< uploads at once in the second round (the first has one)
    double seconds = 10; ///< length of the uploaded clip
    int width = 1920, height = 1080;
};

/// Makes a clip, then for 1 and for `clients` uploads at once: a server (with its worker pool)
/// in a child process, each client posting a comment, a preview and the clip (streamed from
/// disk as multipart), until every preview is ready. Prints when the uploads were answered,
/// when all were ready, the throughput in movie seconds per second, and the server process's
/// CPU time and peak memory. Returns a process exit code.
int run_upload_bench(const UploadBenchOptions& options);

} // namespace slate::bench
