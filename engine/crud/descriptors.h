#pragma once
// engine/crud/descriptors.h: one descriptor per /data/<collection> model: which table, who
// may list, read, create, update and delete it, how lists are scoped for non-admins, and
// what Zou's resource adds (hidden fields, checks, defaults). The generic CRUD service and
// the route table are both built from this list.

#include "engine/fwd.h"

#include <string>
#include <vector>

namespace slate::engine::crud {

/// Who passes a permission check (conventions.md §5).
enum class Rule {
    admin,           ///< studio managers only (Zou's default for CRUD)
    everyone,        ///< any authenticated person
    manager,         ///< global role admin or manager
    project_member,  ///< admin, or member of the row's project team
    project_manager, ///< admin, or team member whose effective role is manager
    project_supervisor, ///< admin, or team member whose effective role is manager or supervisor
    self_or_admin,   ///< admin, or the row is the caller's own (person, or person_id)
    not_vendor,      ///< any authenticated person but a vendor (Zou's block_access_to_vendor)
};

/// How a list is narrowed for non-admins.
enum class Scope {
    all,                ///< every row
    team_open_projects, ///< rows of open projects whose team holds the caller
    team_projects,      ///< rows of any project whose team holds the caller (working files)
};

struct ModelDescriptor {
    std::string collection; ///< path segment: "task-types"
    std::string table;      ///< "task_type"
    Rule list = Rule::admin;
    Rule read = Rule::admin;
    Rule create = Rule::admin;
    Rule update = Rule::admin;
    Rule remove = Rule::admin;
    Scope scope = Scope::all;
    std::vector<std::string> hidden;     ///< columns that never leave the server
    std::vector<std::string> admin_only; ///< columns only admins see (an organisation's chat secrets)
    bool allow_force_delete = false;     ///< ?force=true deletes dependants first
    bool minimal_person_shape = false;   ///< persons: non-admins see present_minimal
    /// An update's 400s as {"error": true, "message"} alone, without WrongParameterException's
    /// "data" (Zou's EntityResource.put catches every refusal and answers it so).
    bool plain_update_refusals = false;
    /// A whole (unpaginated) list stops at this many rows, in the table's order; 0: no cap
    /// (events: EventsResource.all_entries' 1,000).
    int64_t list_cap = 0;
    /// Roles (effective in the row's production) refused a read by id though `read` lets them
    /// (Zou's block_access_to_vendor and its like in check_read_permissions).
    std::vector<std::string> read_refused_roles;

    const models::Table& schema() const;
    /// The event prefix: the table name with dashes ("task-type").
    std::string event_prefix() const;
};

/// Every CRUD collection Zou serves, in routes.tsv order of collections.
const std::vector<ModelDescriptor>& descriptors();
/// The descriptor of a collection, or null.
const ModelDescriptor* find_descriptor(const std::string& collection);

} // namespace slate::engine::crud
