#pragma once
// engine/crud/queries.h: the SQL of the generic CRUD resource, generated from the catalog.
// Identifiers come only from the catalog; every value is a parameter.

#include "engine/db/connection.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace slate::engine::models {
struct Table;
struct Relation;
} // namespace slate::engine::models

namespace slate::engine::storage {
struct DeletedFiles;
} // namespace slate::engine::storage

namespace slate::engine::queries {

/// A WHERE clause under construction, over the table aliased "t".
class Where {
public:
    /// Adds a parameter and returns its placeholder ("$3").
    std::string param(db::Param value);
    void add(std::string condition);
    std::string sql() const; ///< "" or " WHERE a AND b"
    const db::Params& params() const { return m_params; }
    /// Declares another table a condition reads (a subquery's), so that a count kept for
    /// this filter is dropped when that table changes too.
    void reads(std::string table) { m_tables.push_back(std::move(table)); }
    const std::vector<std::string>& tables() const { return m_tables; }

private:
    std::vector<std::string> m_conditions;
    db::Params m_params;
    std::vector<std::string> m_tables;
};

struct Page {
    int64_t limit = 100; ///< 0: every row, still in the page order
    int64_t offset = 0;
};

/// Rows with every column and, with `relations`, one text[] column per relationship. Without a
/// page, `cap` (when above 0) stops them at that many, in the table's order.
db::Result select_rows(db::Connection& c, const models::Table& table, bool relations, const Where& where,
                       const std::optional<Page>& page, int64_t cap = 0);
/// The number of rows a filter selects. Kept per filter while the table and the tables the
/// filter declares it reads do not change (a page of a big production is not a recount).
int64_t count_rows(db::Connection& c, const models::Table& table, const Where& where);
db::Result select_by_id(db::Connection& c, const models::Table& table, const std::string& id, bool relations);

using Assignments = std::vector<std::pair<std::string, db::Param>>; ///< column, value

/// SQL expressions for columns, written verbatim (identifiers and literals from the catalog).
using Expressions = std::vector<std::pair<std::string, std::string>>;

/// Inserts a row from parameter values and SQL expressions (defaults already resolved).
void insert_row(db::Connection& c, const models::Table& table, const Assignments& values,
                const Expressions& expressions);
/// Updates the columns given and updated_at.
void update_row(db::Connection& c, const models::Table& table, const std::string& id, const Assignments& values);
/// Deletes the row and its many-to-many link rows; returns whether a row was deleted.
bool delete_row(db::Connection& c, const models::Table& table, const std::string& id);

/// ?force=true: deletes the rows and, first, what depends on them. A row that belongs to a
/// deleted one (its foreign key is NOT NULL, or named after the deleted table, as task.project_id)
/// is deleted the same way; other references (created_by, last_preview_file_id, ...) are set to
/// NULL. A task's comments (linked by object_id, without a foreign key) go with it. The stored
/// files of the rows it deletes are added to `deleted` (gather_stored_files).
void delete_cascade(db::Connection& c, const models::Table& table, const std::vector<std::string>& ids,
                    storage::DeletedFiles& deleted);

/// Adds to `deleted` the stored files of the rows of `table` with those ids, read before they
/// are deleted: preview files, attachment files and playlist build jobs (other tables keep none).
void gather_stored_files(db::Connection& c, std::string_view table, const std::vector<std::string>& ids,
                         storage::DeletedFiles& deleted);

/// Replaces the ids linked through a relationship; ids of rows that do not exist are dropped,
/// as Zou does.
void replace_links(db::Connection& c, const models::Relation& relation, const std::string& id,
                   const std::vector<std::string>& ids);

/// Writes the ApiEvent row and publishes the event on Slate's channel, in the caller's
/// transaction (published at commit).
void insert_event(db::Connection& c, const std::string& name, const std::optional<std::string>& user_id,
                  const std::optional<std::string>& project_id, const std::string& data_json);

/// Publishes an event Zou does not persist (a live signal: notification:new, acknowledgements):
/// no ApiEvent row, the relay only; `project_id` decides who may hear it.
void signal_event(db::Connection& c, const std::string& name, const std::string& project_id,
                  const std::string& data_json);

/// The project's effective role of a person (the team link's role, else the global role);
/// nullopt when the person is not in the project's team.
std::optional<std::string> project_role(db::Connection& c, const std::string& project_id, const std::string& person_id);
/// Zou's get_project_role: the team link's role, else the person's own (a guest or anyone off
/// the team keeps theirs); empty when there is no such person.
std::string role_in_project(db::Connection& c, const std::string& project_id, const std::string& person_id);

/// SQL matching project ids of open projects whose team holds person `$n`.
/// Whether `person_id` is assigned the task `id` (table "task"), a task of the entity
/// (table "entity"), or the preview's task (table "preview_file").
bool assigned_work(db::Connection& c, const std::string& table, const std::string& id, const std::string& person_id);

/// The production of a task (nullopt when there is no such task).
std::optional<std::string> project_of_task(db::Connection& c, const std::string& task_id);
/// The production of an entity (nullopt when there is no such entity).
std::optional<std::string> project_of_entity(db::Connection& c, const std::string& entity_id);

std::string open_team_projects_sql(const std::string& person_placeholder);
/// SQL matching project ids, open or not, whose team holds person `$n`.
std::string team_projects_sql(const std::string& person_placeholder);

} // namespace slate::engine::queries
