#include "api/job_wait.h"

#include "engine/db/pool.h"
#include "engine/jobs/job_queries.h"
#include "engine/uuid.h"

#include <chrono>
#include <filesystem>
#include <thread>

namespace slate::api {

engine::db::Result wait_for_job(engine::db::Pool& pool, const std::string& job_id) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(30);
    while (true) {
        {
            auto connection = pool.acquire();
            auto state = engine::queries::job_state(*connection, job_id);
            const std::string s(state.get(0, "state"));
            if (s == "done" || s == "failed" || std::chrono::steady_clock::now() > deadline)
                return state;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

engine::db::Result run_job(engine::db::Pool& pool, const std::string& kind, const std::string& payload_json) {
    std::string job_id;
    {
        auto connection = pool.acquire();
        job_id = engine::queries::enqueue_job(*connection, kind, payload_json);
    }
    return wait_for_job(pool, job_id);
}

std::string temporary_path(const std::string& data_dir, const std::string& name) {
    const std::filesystem::path tmp = std::filesystem::path(data_dir) / "tmp";
    std::filesystem::create_directories(tmp);
    return std::filesystem::absolute(tmp / (engine::new_uuid() + "-" + name)).string();
}

} // namespace slate::api
