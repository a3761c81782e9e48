#pragma once
// api/job_wait.h: a request that needs media work queues it for the worker pool and waits for
// it: the work never runs on an HTTP thread.

#include "engine/fwd.h"

#include <string>

namespace slate::api {

/// Waits for a job to end (done or failed, or 30 minutes); answers its state row.
engine::db::Result wait_for_job(engine::db::Pool& pool, const std::string& job_id);

/// Queues a job and waits for it.
engine::db::Result run_job(engine::db::Pool& pool, const std::string& kind, const std::string& payload_json);

/// A temporary file path under the data folder's tmp/ (created), unique to this process.
std::string temporary_path(const std::string& data_dir, const std::string& name);

} // namespace slate::api
