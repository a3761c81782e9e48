#include "api/request.h"

#include "engine/error.h"
#include "engine/json.h"

namespace slate::api {

const std::string& Request::param(const std::string& name) const {
    auto it = path_params.find(name);
    if (it == path_params.end())
        throw Error(ErrorKind::internal, "route has no parameter " + name);
    return it->second;
}

std::optional<std::string> Request::query_value(const std::string& name) const {
    auto it = query.find(name);
    if (it == query.end())
        return std::nullopt;
    return it->second;
}

std::string Request::header(const std::string& lower_case_name) const {
    auto it = headers.find(lower_case_name);
    return it == headers.end() ? std::string() : it->second;
}

const Poco::JSON::Object& Request::json() {
    if (!m_json)
        m_json = engine::parse_json_object(body);
    return *m_json;
}

bool Request::from_browser() const {
    // Zou asks the user_agents package whether the browser family is a known browser; every
    // such agent announces itself as Mozilla-compatible, scripts (gazu, curl) do not.
    const std::string agent = header("user-agent");
    return agent.find("Mozilla/") != std::string::npos;
}

const engine::services::Identity& Request::caller() const {
    if (!identity)
        throw Error(ErrorKind::internal, "route reads the caller without authenticating");
    return *identity;
}

const engine::access::Subject& Request::subject() const {
    if (!loaded)
        throw Error(ErrorKind::internal, "route reads a subject it does not load");
    return *loaded;
}

} // namespace slate::api
