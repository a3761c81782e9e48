#pragma once
// api/body_fields.h: reading a request body the way Zou's pydantic schemas do
// (zou/app/utils/validation.py): the JSON object, or the query/form values when the body is no
// JSON; unknown keys ignored; every field error gathered into one 400 "Validation error." with
// {"data": {"errors": [{"field", "message"}]}} and pydantic v2's messages.

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace slate::api {

class Request;
struct MultipartForm;

class BodyFields {
public:
    /// A multipart body's text fields are read as the body (then the query).
    explicit BodyFields(Request& request);

    /// `str = fallback`.
    std::string text(const std::string& name, const std::string& fallback = "");
    /// `str = Field(..., min_length=1)`.
    std::string required_text(const std::string& name);
    /// `Optional[str] = None`.
    std::optional<std::string> optional_text(const std::string& name);
    /// `int = fallback` (pydantic's lax mode: integral numbers and numeric strings).
    long long integer(const std::string& name, long long fallback);

    /// `Optional[int] = None`.
    std::optional<long long> optional_integer(const std::string& name);
    /// `bool = fallback` (true/false, 1/0, and pydantic's strings: "true", "yes", "on", ...).
    bool boolean(const std::string& name, bool fallback);
    /// `list = []` that also takes a JSON-encoded string (a multipart field) or null: the
    /// list as JSON text.
    std::string json_list(const std::string& name);

    /// `list[UUID]`: required (`Field required` when absent) unless `required` is false (then
    /// absent or null is an empty list); every item a UUID ("Input should be a valid UUID").
    std::vector<std::string> uuid_list(const std::string& name, bool required = true);
    /// `Literal[...] = fallback`: one of `allowed` ("Input should be 'a', 'b' or 'c'").
    std::string choice(const std::string& name, const std::vector<std::string>& allowed, const std::string& fallback);
    /// `Optional[date] = None`: YYYY-MM-DD ("Input should be a valid date...").
    std::optional<std::string> optional_date(const std::string& name);

    /// Records a rule of the route's own on a field (e.g. "Input should be greater than or
    /// equal to 0"), reported with the others by check().
    void invalid(const std::string& field, const std::string& message) { fail(field, message); }

    /// Throws the gathered validation errors, if any. Call once every field is read.
    void check() const;

private:
    struct Value;
    std::optional<Value> find(const std::string& name) const;
    void fail(const std::string& field, const std::string& message);

    Request& m_request;
    bool m_from_json = false;
    std::vector<std::pair<std::string, std::string>> m_errors;
};

} // namespace slate::api
