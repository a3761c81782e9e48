#pragma once
// api/areas/projects/project_bodies.h: what the production routes read of their bodies beyond
// BodyFields: optional choices, lists of strings and lists of objects, with pydantic v2's
// messages reported through the same BodyFields (one "Validation error." for them all).

#include "api/body_fields.h"
#include "api/reply.h"
#include "api/request.h"

#include <Poco/JSON/Array.h>

#include <optional>
#include <string>
#include <vector>

namespace slate::api::projects {

/// `Optional[Literal[...]] = None`: absent or null is none.
std::optional<std::string> optional_choice(Request& request, BodyFields& body, const std::string& name,
                                           const std::vector<std::string>& allowed);

/// `Optional[bool] = fallback`: absent or null is `fallback`.
bool optional_bool(Request& request, BodyFields& body, const std::string& name, bool fallback);

/// `str = Field(fallback, min_length=1)`.
std::string non_empty_text(BodyFields& body, const std::string& name, const std::string& fallback);

/// `List[str] = []` (or required, `Field(..., min_length=1)`): the strings; items of another
/// type are reported as "<name>.<index>".
std::vector<std::string> text_list(Request& request, BodyFields& body, const std::string& name, bool required = false,
                                   bool at_least_one = false);

/// A JSON array member of the body (null when absent, null or not a JSON body); a present
/// member that is no list is reported as "Input should be a valid list".
Poco::JSON::Array::Ptr array_member(Request& request, BodyFields& body, const std::string& name);

/// An empty 204, as Flask answers `"", 204`.
Reply no_content();

/// Path ids checked as ArgsMixin.check_id_parameter does: 400 "Wrong UUID format.".
void check_id_parameter(const std::string& id);

} // namespace slate::api::projects
