#pragma once
// engine/people/person_name.h: Zou's Person.full_name, in C++ and in SQL, written once.

#include <string>
#include <string_view>

namespace slate::engine::people {

/// "First Last" when both parts are set, else the one part there is ("Guest", not "Guest ").
std::string full_name(std::string_view first_name, std::string_view last_name);

/// The same as a SQL expression over the person row aliased `alias`.
std::string full_name_sql(std::string_view alias);

} // namespace slate::engine::people
