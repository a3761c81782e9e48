#pragma once
// workers/annotation_jobs.h: the annotated-frames job (the extract-annotated-frame(s) routes):
// frames taken from a preview's movie (or its picture), each annotation burnt in
// (annotation_overlay.h), delivered as one PNG, a zip of PNGs or a PDF.

#include "workers/worker_pool.h"

namespace slate::engine::storage {
class LocalFileStore;
}

namespace slate::workers {

/// Job kind of annotated frames. Payload: {"preview_file_id", "kind" ("movie" | "picture"),
/// "fps" (text, movies), "entries": [{"frame_number", "name", "annotation"}], "bundle"
/// ("png": the first entry's picture; "zip"; "pdf"), "output"}. An entry whose frame cannot
/// be had (past the movie's end) is left out of a bundle.
constexpr const char* annotated_frames_job = "annotated-frames";

/// The reason a job fails when the preview's file is not stored (Zou's message).
constexpr const char* binary_not_available = "preview file binary is not available";

/// The reason a job fails when no entry could be rendered (Zou's message).
constexpr const char* no_annotated_frame = "No annotated frame could be extracted from this preview";

JobResult run_annotated_frames(const engine::storage::LocalFileStore& files, const std::string& payload);

} // namespace slate::workers
