#include "engine/crud/permissions.h"

#include "engine/error.h"
#include "engine/crud/queries.h"
#include "engine/people/auth_service.h"

namespace slate::engine::crud {

bool allowed(Rule rule, const services::Identity& caller, db::Connection& c, const RowFacts& row) {
    if (caller.role == "admin")
        return true;
    switch (rule) {
    case Rule::admin: return false;
    case Rule::everyone: return true;
    case Rule::manager: return caller.role == "manager";
    case Rule::not_vendor: return caller.role != "vendor";
    case Rule::self_or_admin: return row.person_id && *row.person_id == caller.person_id;
    case Rule::project_member: return row.project_id && queries::project_role(c, *row.project_id, caller.person_id);
    case Rule::project_manager: {
        if (!row.project_id)
            return false;
        // The effective role: the team link's role when set, else the global one.
        const auto role = queries::project_role(c, *row.project_id, caller.person_id);
        return role && *role == "manager";
    }
    }
    return false;
}

void require(Rule rule, const services::Identity& caller, db::Connection& c, const RowFacts& row) {
    if (!allowed(rule, caller, c, row))
        throw_forbidden();
}

void require_manager_project_access(const services::Identity& caller, db::Connection& c,
                                    const std::string& project_id) {
    require(Rule::project_manager, caller, c, RowFacts{project_id, std::nullopt});
}

} // namespace slate::engine::crud
