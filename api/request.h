#pragma once
// api/request.h: one request as handlers see it: path parameters, query, headers, cookies,
// body, and the caller's identity once checked. Plain std types: no Poco in handlers.

#include "engine/access.h"
#include "engine/people/auth_service.h"

#include <Poco/JSON/Object.h>

#include <map>
#include <memory>
#include <optional>
#include <string>

namespace slate::api {

struct MultipartForm;

class Request {
public:
    std::string method;
    std::string path; ///< without the /api prefix and the trailing slash
    std::map<std::string, std::string> path_params;
    std::multimap<std::string, std::string> query;
    std::map<std::string, std::string> headers; ///< names lower-cased
    std::map<std::string, std::string> cookies;
    std::string body; ///< empty for a multipart body: see `form`
    /// A multipart/form-data body, read as it arrived (its files spooled to disk).
    std::shared_ptr<const MultipartForm> form;
    std::string client_address;
    std::optional<engine::services::Identity> identity;
    /// What the route's row loaded and checked (see Route::loads).
    std::optional<engine::access::Subject> loaded;

    /// A path parameter (always present: the router filled it).
    const std::string& param(const std::string& name) const;
    /// The first value of a query parameter, if any.
    std::optional<std::string> query_value(const std::string& name) const;
    std::string header(const std::string& lower_case_name) const;
    /// The body as a JSON object (parsed once). Throws bad_request if it is not one.
    const Poco::JSON::Object& json();
    /// Whether the User-Agent is a web browser (Zou then also sets token cookies).
    bool from_browser() const;
    const engine::services::Identity& caller() const;
    /// The subject the dispatcher loaded for this route (internal error if it loads none).
    const engine::access::Subject& subject() const;

private:
    Poco::JSON::Object::Ptr m_json;
};

} // namespace slate::api
