// api/areas/index.cpp: the index routes (/, /status, /status.txt, /status/resources,
// /status/influx, /status/test-event, /stats, /config), as Zou's index blueprint answers.

#include "api/areas/areas.h"

#include "engine/config.h"
#include "engine/db/pool.h"
#include "engine/json.h"
#include "engine/jobs/job_queries.h"
#include "engine/people/person_queries.h"
#include "engine/system/status_queries.h"
#include "engine/serialize.h"
#include "engine/system/system_stats.h"

#include <chrono>
#include <ctime>

namespace slate::api {
namespace {

using engine::JsonWriter;

constexpr const char* app_name = "Zou"; // clients check the API name Zou reports
constexpr const char* api_version = "1.0.67";

struct Health {
    bool database = false;
    bool key_value_store = false; ///< Slate keeps Zou's Redis data in PostgreSQL
    bool event_stream = false;    ///< serving /socket.io and hearing the database's events
    bool job_queue = false;       ///< a worker pool is alive somewhere
    bool indexer = false;
};

Health health(Services& services) {
    Health h;
    try {
        auto connection = services.pool.acquire();
        h.database = engine::queries::database_answers(*connection);
        h.job_queue = h.database && engine::queries::workers_alive(*connection);
    } catch (const Error&) {
        h.database = false;
    }
    h.key_value_store = h.database;
    h.event_stream = services.event_stream_up();
    return h;
}

Reply index(Request&, Services&) {
    JsonWriter out;
    out.begin_object().field("api", app_name).field("version", api_version).end_object();
    return json_reply(200, out.take());
}

Reply status(Request&, Services& services) {
    const Health h = health(services);
    JsonWriter out;
    out.begin_object()
        .field("name", app_name)
        .field("version", api_version)
        .field("database-up", h.database)
        .field("key-value-store-up", h.key_value_store)
        .field("event-stream-up", h.event_stream)
        .field("job-queue-up", h.job_queue)
        .field("indexer-up", h.indexer)
        .end_object();
    return json_reply(200, out.take());
}

Reply status_text(Request&, Services& services) {
    const Health h = health(services);
    auto up = [](bool b) { return b ? "up" : "down"; };
    Reply reply;
    reply.content_type = "text/plain; charset=utf-8";
    reply.body = std::string("name: ") + app_name + "\nversion: " + api_version + "\ndatabase-up: " + up(h.database) +
                 "\nevent-stream-up: " + up(h.event_stream) + "\nkey-value-store-up: " + up(h.key_value_store) +
                 "\njob-queue-up: " + up(h.job_queue) + "\nindexer-up: " + up(h.indexer) + "\n";
    return reply;
}

Reply status_influx(Request&, Services& services) {
    const Health h = health(services);
    const double now = std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
    JsonWriter out;
    out.begin_object()
        .field("database-up", int(h.database))
        .field("key-value-store-up", int(h.key_value_store))
        .field("event-stream-up", int(h.event_stream))
        .field("job-queue-up", int(h.job_queue))
        .field("indexer-up", int(h.indexer))
        .key("time")
        .number(now)
        .end_object();
    return json_reply(200, out.take());
}

/// Local time as Python's datetime.now().isoformat() writes it.
std::string local_isoformat() {
    const auto now = std::chrono::system_clock::now();
    const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
    const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count() % 1000000;
    std::tm local{};
    localtime_r(&seconds, &local);
    char text[40];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &local);
    char fraction[16];
    std::snprintf(fraction, sizeof fraction, ".%06lld", static_cast<long long>(micros));
    return std::string(text) + fraction;
}

Reply status_resources(Request&, Services& services) {
    int64_t running_jobs = 0;
    {
        auto connection = services.pool.acquire();
        running_jobs = engine::queries::count_running_jobs(*connection);
    }
    const auto memory = engine::memory_stats();
    const auto load = engine::load_average();
    JsonWriter out;
    out.begin_object().field("date", local_isoformat()).key("cpu").begin_object();
    out.key("percent").begin_array();
    for (double core : engine::cpu_percent_per_core(250))
        out.number(core);
    out.end_array();
    out.key("loadavg")
        .begin_object()
        .key("last 1 min")
        .number(load[0])
        .key("last 5 min")
        .number(load[1])
        .key("last 10 min")
        .number(load[2])
        .end_object()
        .end_object();
    out.key("memory")
        .begin_object()
        .field("total", int64_t(memory.total))
        .field("used", int64_t(memory.used))
        .field("available", int64_t(memory.available))
        .key("percent")
        .number(memory.percent)
        .end_object();
    out.key("jobs").begin_object().field("running_jobs", running_jobs).end_object();
    out.end_object();
    return json_reply(200, out.take());
}

Reply test_event(Request&, Services& services) {
    auto connection = services.pool.acquire();
    engine::queries::notify_event(*connection, R"({"name":"main:test","data":{},"project_id":null})");
    return json_reply(200, R"({"success":true})");
}

Reply stats(Request&, Services& services) {
    auto connection = services.pool.acquire();
    const auto counts = engine::queries::main_stats(*connection);
    JsonWriter out;
    out.begin_object();
    engine::write_row_fields(out, counts, 0);
    out.end_object();
    return json_reply(200, out.take());
}

Reply config(Request&, Services& services) {
    const engine::Config& c = services.config;
    auto connection = services.pool.acquire();
    const auto organisation = engine::queries::get_or_create_organisation(*connection);
    JsonWriter out;
    out.begin_object()
        .field("is_self_hosted", c.is_self_hosted)
        .field("crisp_token", c.crisp_token)
        .field("dark_theme_by_default", organisation.get_bool(0, "dark_theme_by_default"))
        .field("indexer_configured", !c.indexer_key.empty())
        .field("saml_enabled", c.saml_enabled)
        .field("saml_idp_name", c.saml_idp_name)
        .field("oidc_enabled", c.oidc_enabled)
        .field("oidc_idp_name", c.oidc_idp_name)
        .field("default_locale", c.default_locale)
        .field("default_timezone", c.default_timezone)
        .field("enforce_2fa", c.enforce_2fa)
        .end_object();
    return json_reply(200, out.take());
}

} // namespace

RouteList index_routes() {
    return {
        {Method::get, "/", Access::open, index},
        {Method::get, "/status", Access::open, status},
        {Method::get, "/status.txt", Access::open, status_text},
        {Method::get, "/status/influx", Access::open, status_influx},
        {Method::get, "/status/resources", Access::open, status_resources},
        {Method::get, "/status/test-event", Access::open, test_event},
        {Method::get, "/stats", Access::admin, stats},
        {Method::get, "/config", Access::open, config},
    };
}

} // namespace slate::api
