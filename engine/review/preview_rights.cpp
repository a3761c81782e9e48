// engine/review/preview_rights.cpp: the annotation rule, read on the caller's departments.
#include "engine/review/preview_rights.h"

#include "engine/access.h"
#include "engine/db/connection.h"
#include "engine/error.h"
#include "engine/people/auth_service.h"

namespace slate::engine::services {

void require_annotation_rights(const Identity& caller, db::Connection& c, const std::string& project_id,
                               const std::string& task_type_department) {
    const std::string role = access::effective_role(caller, c, project_id);
    bool allowed = role == "admin" || role == "manager" || role == "client";
    if (!allowed && role == "supervisor") {
        const auto departments =
            c.exec("SELECT department_id::text FROM department_link WHERE person_id = $1::uuid", {caller.person_id});
        allowed = departments.rows() == 0;
        for (int row = 0; row < departments.rows() && !allowed; ++row)
            allowed = std::string(departments.get(row, 0)) == task_type_department;
    }
    if (!allowed)
        throw_forbidden();
}

} // namespace slate::engine::services
