#include "engine/production/team.h"
#include "engine/people/person_name.h"

#include "engine/crud/descriptors.h"
#include "engine/db/connection.h"
#include "engine/error.h"
#include "engine/json.h"
#include "engine/production/production_common.h"
#include "engine/serialize.h"
#include "engine/uuid.h"

#include <algorithm>

namespace slate::engine::production {
namespace {

const char* const minimal_fields[] = {"id",        "first_name", "last_name",     "has_avatar", "active",
                                      "studio_id", "role",       "desktop_login", "is_bot"};

bool is_hidden(std::string_view column) {
    static const auto& hidden = crud::find_descriptor("persons")->hidden;
    return std::find(hidden.begin(), hidden.end(), column) != hidden.end();
}

std::string full_name(const db::Result& rows, int row) {
    return people::full_name(rows.get(row, "first_name"), rows.get(row, "last_name"));
}

} // namespace

std::string team_json(db::Connection& c, const std::string& project_id, bool manager_view) {
    const auto rows = c.exec(R"(SELECT p.*, COALESCE((SELECT array_agg(d.department_id::text) FROM department_link d
                                                      WHERE d.person_id = p.id), '{}'::text[]) AS departments,
            l.role AS project_role
        FROM project_person_link l JOIN person p ON p.id = l.person_id WHERE l.project_id = $1::uuid)",
                             {project_id});
    const int project_role = rows.column_index("project_role");
    JsonWriter out;
    out.begin_array();
    for (int row = 0; row < rows.rows(); ++row) {
        out.begin_object();
        if (manager_view) {
            for (int column = 0; column < rows.columns(); ++column) {
                const std::string_view name = rows.column_name(column);
                if (column == project_role || is_hidden(name))
                    continue;
                out.key(name);
                write_value(out, rows, row, column);
            }
            out.field("full_name", full_name(rows, row)).field("type", "Person");
        } else { // present_minimal: departments only with relations, which Zou does not ask here
            out.field("type", "Person").field("full_name", full_name(rows, row));
            for (const char* name : minimal_fields) {
                out.key(name);
                write_value(out, rows, row, rows.column_index(name));
            }
            out.key("departments").begin_array().end_array();
        }
        out.key("project_role");
        write_value(out, rows, row, project_role);
        out.end_object();
    }
    out.end_array();
    return out.take();
}

std::string add_team_member(db::Connection& c, const std::string& user_id, const std::string& project_id,
                            const std::string& person_id, const std::optional<std::string>& role) {
    if (!is_uuid(person_id) || c.exec("SELECT 1 FROM person WHERE id = $1::uuid", {person_id}).rows() == 0)
        throw_wrong_parameter("Person with id " + person_id + " not found");
    db::Transaction tx(c);
    // ON CONFLICT: a concurrent request adding the same person is a no-op, as Zou treats it.
    const auto added = c.exec(R"(INSERT INTO project_person_link (project_id, person_id)
        VALUES ($1::uuid, $2::uuid) ON CONFLICT DO NOTHING)",
                              {project_id, person_id});
    if (added.affected() > 0)
        emit_project_update(c, user_id, project_id);
    if (role)
        set_team_member_role(c, user_id, project_id, person_id, role);
    std::string project = project_json(c, project_id);
    tx.commit();
    return project;
}

void remove_team_member(db::Connection& c, const std::string& user_id, const std::string& project_id,
                        const std::string& person_id) {
    db::Transaction tx(c);
    c.exec("DELETE FROM project_person_link WHERE project_id = $1::uuid AND person_id = $2::uuid",
           {project_id, person_id});
    emit_project_update(c, user_id, project_id);
    tx.commit();
}

std::string set_team_member_role(db::Connection& c, const std::string& user_id, const std::string& project_id,
                                 const std::string& person_id, const std::optional<std::string>& role) {
    db::Transaction tx(c);
    const auto link =
        is_uuid(person_id)
            ? c.exec("UPDATE project_person_link SET role = $3 WHERE project_id = $1::uuid AND person_id = $2::uuid "
                     "RETURNING project_id, person_id, role",
                     {project_id, person_id, role})
            : db::Result();
    if (link.rows() == 0)
        throw_wrong_parameter("Person is not a member of the project team");
    emit_project_update(c, user_id, project_id);
    tx.commit();
    JsonWriter out;
    out.begin_object();
    write_row_fields(out, link, 0);
    out.end_object();
    return out.take();
}

} // namespace slate::engine::production
