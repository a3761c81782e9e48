#pragma once
// engine/crud/values.h: client values (JSON bodies, query strings) to SQL parameters, checked
// against the column they target. Bad values are 400s with Zou's words.

#include "engine/fwd.h"
#include "engine/db/connection.h"

#include <Poco/Dynamic/Var.h>

#include <string>

namespace slate::engine::crud {

/// Zou's sanitised database-error texts (bodies {"message": ...} without "error").
extern const char* const invalid_format_message;

/// A JSON body value for `column`, in PostgreSQL's text form. `strict_dates` (PUT) checks
/// dates are ISO 8601 with Zou's message. Throws bad_request.
db::Param body_value(const models::Column& column, const Poco::Dynamic::Var& value, bool strict_dates);

/// A query-string filter value for `column` (equality). Throws bad_request with Zou's
/// filter messages ("Invalid UUID value: ...", "Invalid boolean value: ...").
std::string filter_value(const models::Column& column, const std::string& value);

/// {"a","b"} for PostgreSQL, from strings.
std::string array_literal(const std::vector<std::string>& items);

/// Throws a bad_request whose body is {"message": text} (Zou's generic CRUD shape).
[[noreturn]] void throw_crud_error(const std::string& text);

/// A JSON value as compact text.
std::string json_text(const Poco::Dynamic::Var& value);

} // namespace slate::engine::crud
