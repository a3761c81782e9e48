#include "engine/people/person_name.h"

namespace slate::engine::people {

std::string full_name(std::string_view first_name, std::string_view last_name) {
    std::string name(first_name);
    if (!first_name.empty() && !last_name.empty())
        name += ' ';
    name += last_name;
    return name;
}

std::string full_name_sql(std::string_view alias) {
    const std::string a(alias);
    return "concat_ws(' ', nullif(" + a + ".first_name, ''), nullif(" + a + ".last_name, ''))";
}

} // namespace slate::engine::people
