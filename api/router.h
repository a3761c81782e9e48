#pragma once
// api/router.h: routes as data. One line per route: method, path template (as routes.tsv
// writes it), who may call it, and the handler.

#include "engine/access.h"
#include "engine/fwd.h"
#include "api/reply.h"
#include "api/request.h"

#include <functional>
#include <string>
#include <vector>

namespace slate::engine::storage {
class LocalFileStore;
}

namespace slate::api {

/// What handlers reach: settings and services. Owned by the server's owner.
struct Services {
    const engine::Config& config;
    engine::db::Pool& pool;
    engine::services::AuthService& auth;
    engine::crud::CrudService& crud;
    engine::services::PasswordReset& password_reset;
    engine::Mailer& mailer;
    const engine::storage::LocalFileStore& files;
    /// Whether the event stream is up and hearing the database's events (/status).
    std::function<bool()> event_stream_up = [] { return false; };
};

enum class Method { get, post, put, patch, del };

/// Who may call a route (routes.tsv's `auth` column).
enum class Access {
    open,        ///< public: no token needed
    jwt,         ///< a valid access token
    jwt_refresh, ///< the refresh token
    admin,       ///< an access token of an admin
};

using Handler = std::function<Reply(Request&, Services&)>;

/// What the dispatcher loads and checks before the handler: the subject the path parameter
/// `param` names, and the rule the caller must pass on it. The handler reads it as
/// `request.subject()`.
struct SubjectRule {
    engine::access::SubjectKind kind = engine::access::SubjectKind::project;
    std::string param;
    engine::access::Check check = engine::access::Check::none;
};

struct Route {
    Method method;
    std::string path; ///< e.g. "/data/persons/{person_id}"
    Access access;
    Handler handler;
    std::optional<SubjectRule> subject = std::nullopt;

    /// The route loads the subject `param` names and checks `check` on it: written in the
    /// table as `Route{…}.loads(SubjectKind::task, "task_id", Check::task_access)`.
    Route&& loads(engine::access::SubjectKind kind, std::string param,
                  engine::access::Check check = engine::access::Check::none) && {
        subject = SubjectRule{kind, std::move(param), check};
        return std::move(*this);
    }
};

using RouteList = std::vector<Route>;

/// The outcome of matching a method and path.
struct Match {
    const Route* route = nullptr;
    bool path_known = false; ///< some route has this path, with another method (405)
    std::map<std::string, std::string> params;
};

class Router {
public:
    void add(const RouteList& routes);
    /// Matches a path already stripped of /api and of its trailing slash. A literal segment
    /// beats a parameter, so /data/persons/me wins over /data/persons/{id}.
    Match match(Method method, const std::string& path) const;
    std::size_t size() const { return m_routes.size(); }

private:
    struct Compiled {
        Route route;
        std::vector<std::string> segments; ///< "{name}" marks a parameter
    };
    std::vector<Compiled> m_routes;
};

/// "GET" → Method::get; nullopt for a method no route uses.
std::optional<Method> parse_method(const std::string& name);

/// Splits "/a/b/c" into {"a","b","c"}.
std::vector<std::string> split_path(const std::string& path);

} // namespace slate::api
