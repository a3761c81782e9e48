#pragma once
// engine/error.h: the one exception family for errors a client caused or must be told about.

#include <optional>
#include <stdexcept>
#include <string>

namespace slate {

/// What went wrong, from the client's point of view. api/ maps each kind to one HTTP status.
enum class ErrorKind {
    bad_request,       // 400: malformed or invalid input
    unauthorized,      // 401: no identity, or a bad one
    forbidden,         // 403: identity known, not allowed
    not_found,         // 404: the object does not exist
    conflict,          // 409
    unprocessable,     // 422: flask-jwt-extended's answer to malformed tokens
    payload_too_large, // 413
    not_implemented,   // 501: an honest "not written yet"
    unavailable,       // 503: a dependency (the database) is down
    internal,          // 500: a bug or an unexpected state
};

/// A client-facing error. `what()` is the message shown to the client, so it must never carry
/// secrets. `body_json`, when set, replaces the standard {"error":true,"message":...} body:
/// some Zou answers have their own shape (login failures, flask-jwt-extended's {"msg":...}).
class Error : public std::runtime_error {
public:
    Error(ErrorKind kind, const std::string& message) : std::runtime_error(message), m_kind(kind) {}
    Error(ErrorKind kind, const std::string& message, std::string body_json)
        : std::runtime_error(message), m_kind(kind), m_body_json(std::move(body_json)) {}

    ErrorKind kind() const { return m_kind; }
    const std::optional<std::string>& body_json() const { return m_body_json; }

private:
    ErrorKind m_kind;
    std::optional<std::string> m_body_json;
};

[[noreturn]] void throw_bad_request(const std::string& message);
[[noreturn]] void throw_not_found(const std::string& message);
[[noreturn]] void throw_forbidden();
/// Zou's WrongParameterException: 400 {"error": true, "message": message, "data": null}.
/// Defined in engine/json.cpp, which writes its body (this file stays free of dependencies).
[[noreturn]] void throw_wrong_parameter(const std::string& message);

/// Zou's text for a missing object (Werkzeug's NotFound description).
extern const char* const not_found_message;
/// Zou's text for a permission refusal.
extern const char* const forbidden_message;
/// Zou's text for an identity it cannot verify.
extern const char* const unauthorized_message;

} // namespace slate
