#include "engine/production/budgets.h"

#include "engine/db/connection.h"
#include "engine/error.h"
#include "engine/json.h"
#include "engine/production/production_common.h"
#include "engine/serialize.h"
#include "engine/uuid.h"

#include <cstdio>

namespace slate::engine::production {
namespace {

/// The budget of the production, locked for the change to come; 404 otherwise (Zou reaches a
/// budget through any project id it manages; here only through its own).
void require_budget(db::Connection& c, const std::string& project_id, const std::string& budget_id) {
    if (c.exec("SELECT 1 FROM budget WHERE id = $1::uuid AND project_id = $2::uuid FOR UPDATE", {budget_id, project_id})
            .rows() == 0)
        throw_not_found(not_found_message);
}

void require_entry(db::Connection& c, const std::string& budget_id, const std::string& entry_id) {
    if (c.exec("SELECT 1 FROM budget_entry WHERE id = $1::uuid AND budget_id = $2::uuid", {entry_id, budget_id})
            .rows() == 0)
        throw_not_found(not_found_message);
}

std::string serialized(db::Connection& c, const char* table, const char* type, const std::string& id) {
    return row_json(c.exec(select_model_sql(table, false) + " WHERE t.id = $1::uuid", {id}), 0, type);
}

/// The rows an entry names must exist: a foreign key refused by the database is told plainly.
template <typename Body>
auto naming_rows(Body body) {
    try {
        return body();
    } catch (const db::DbError& e) {
        if (e.sqlstate() == "23503")
            throw_wrong_parameter("The department or person of the entry does not exist.");
        throw;
    }
}

std::string exact(double value) {
    char text[32];
    std::snprintf(text, sizeof text, "%.17g", value);
    return text;
}

db::Params entry_params(const BudgetEntryFields& fields) {
    return {fields.department_id,
            fields.person_id,
            fields.start_date,
            fields.months_duration ? db::Param(std::to_string(*fields.months_duration)) : std::nullopt,
            fields.daily_salary ? db::Param(exact(*fields.daily_salary)) : std::nullopt,
            fields.position,
            fields.seniority,
            fields.exceptions_json};
}

void entry_event(db::Connection& c, const std::string& action, const std::string& user_id,
                 const std::string& project_id, const std::string& budget_id, const std::string& entry_id) {
    emit_project_event(c, "budget-entry:" + action, user_id, project_id,
                       {{"budget_id", budget_id}, {"budget_entry_id", entry_id}});
}

} // namespace

std::string budgets_json(db::Connection& c, const std::string& project_id) {
    const auto rows = c.exec("SELECT b.id, b.project_id, b.revision, b.name, b.currency FROM budget b "
                             "WHERE b.project_id = $1::uuid ORDER BY b.revision",
                             {project_id});
    return rows_array_json(rows);
}

std::string budget_json(db::Connection& c, const std::string& project_id, const std::string& budget_id) {
    require_budget(c, project_id, budget_id);
    return serialized(c, "budget", "Budget", budget_id);
}

std::string create_budget(db::Connection& c, const std::string& user_id, const std::string& project_id,
                          const std::string& name, const std::optional<std::string>& currency) {
    db::Transaction tx(c);
    // One revision number per budget of a production: serialised on the production's row.
    c.exec("SELECT 1 FROM project WHERE id = $1::uuid FOR UPDATE", {project_id});
    const std::string id = new_uuid();
    c.exec(R"(INSERT INTO budget (id, project_id, revision, name, currency, created_at, updated_at)
              SELECT $1::uuid, $2::uuid, COALESCE(MAX(b.revision), 0) + 1, $3, $4,
                     now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
              FROM budget b WHERE b.project_id = $2::uuid)",
           {id, project_id, name, currency});
    emit_project_event(c, "budget:create", user_id, project_id, {{"budget_id", id}});
    std::string answer = serialized(c, "budget", "Budget", id);
    tx.commit();
    return answer;
}

std::string update_budget(db::Connection& c, const std::string& user_id, const std::string& project_id,
                          const std::string& budget_id, const std::optional<std::string>& name,
                          const std::optional<std::string>& currency) {
    db::Transaction tx(c);
    require_budget(c, project_id, budget_id);
    c.exec(R"(UPDATE budget SET name = COALESCE($2, name), currency = COALESCE($3, currency),
                  updated_at = now() AT TIME ZONE 'utc' WHERE id = $1::uuid)",
           {budget_id, name, currency});
    emit_project_event(c, "budget:update", user_id, project_id, {{"budget_id", budget_id}});
    std::string answer = serialized(c, "budget", "Budget", budget_id);
    tx.commit();
    return answer;
}

void delete_budget(db::Connection& c, const std::string& user_id, const std::string& project_id,
                   const std::string& budget_id) {
    db::Transaction tx(c);
    require_budget(c, project_id, budget_id);
    c.exec("DELETE FROM budget_entry WHERE budget_id = $1::uuid", {budget_id});
    c.exec("DELETE FROM budget WHERE id = $1::uuid", {budget_id});
    emit_project_event(c, "budget:delete", user_id, project_id, {{"budget_id", budget_id}});
    tx.commit();
}

std::string budget_entries_json(db::Connection& c, const std::string& project_id, const std::string& budget_id) {
    require_budget(c, project_id, budget_id);
    const auto rows = c.exec(R"(SELECT e.id, e.budget_id, e.department_id, e.person_id, e.start_date,
            e.months_duration, e.daily_salary, e.position, e.seniority, e.exceptions
        FROM budget_entry e WHERE e.budget_id = $1::uuid ORDER BY e.start_date, e.created_at)",
                             {budget_id});
    return rows_array_json(rows);
}

std::string budget_entry_json(db::Connection& c, const std::string& project_id, const std::string& budget_id,
                              const std::string& entry_id) {
    require_budget(c, project_id, budget_id);
    require_entry(c, budget_id, entry_id);
    return serialized(c, "budget_entry", "BudgetEntry", entry_id);
}

std::string create_budget_entry(db::Connection& c, const std::string& user_id, const std::string& project_id,
                                const std::string& budget_id, const BudgetEntryFields& fields) {
    return naming_rows([&] {
        db::Transaction tx(c);
        require_budget(c, project_id, budget_id);
        const std::string id = new_uuid();
        db::Params params = entry_params(fields);
        params.pop_back(); // a new entry has no exceptions, whatever was sent
        params.insert(params.begin(), {id, budget_id});
        c.exec(R"(INSERT INTO budget_entry (id, budget_id, department_id, person_id, start_date, months_duration,
                      daily_salary, position, seniority, exceptions, created_at, updated_at)
                  VALUES ($1::uuid, $2::uuid, $3::uuid, $4::uuid, $5::date, $6::integer, $7::double precision,
                          COALESCE($8, 'artist'), COALESCE($9, 'mid'), '{}'::jsonb,
                          now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'))",
               params);
        entry_event(c, "create", user_id, project_id, budget_id, id);
        std::string answer = serialized(c, "budget_entry", "BudgetEntry", id);
        tx.commit();
        return answer;
    });
}

std::string update_budget_entry(db::Connection& c, const std::string& user_id, const std::string& project_id,
                                const std::string& budget_id, const std::string& entry_id,
                                const BudgetEntryFields& fields) {
    return naming_rows([&] {
        db::Transaction tx(c);
        require_budget(c, project_id, budget_id);
        require_entry(c, budget_id, entry_id);
        db::Params params = entry_params(fields);
        params.insert(params.begin(), entry_id);
        c.exec(R"(UPDATE budget_entry SET department_id = $2::uuid, person_id = $3::uuid, start_date = $4::date,
                      months_duration = $5::integer, daily_salary = $6::double precision, position = $7,
                      seniority = $8, exceptions = $9::jsonb, updated_at = now() AT TIME ZONE 'utc'
                  WHERE id = $1::uuid)",
               params);
        entry_event(c, "update", user_id, project_id, budget_id, entry_id);
        std::string answer = serialized(c, "budget_entry", "BudgetEntry", entry_id);
        tx.commit();
        return answer;
    });
}

void delete_budget_entry(db::Connection& c, const std::string& user_id, const std::string& project_id,
                         const std::string& budget_id, const std::string& entry_id) {
    db::Transaction tx(c);
    require_budget(c, project_id, budget_id);
    require_entry(c, budget_id, entry_id);
    c.exec("DELETE FROM budget_entry WHERE id = $1::uuid", {entry_id});
    entry_event(c, "delete", user_id, project_id, budget_id, entry_id);
    tx.commit();
}

} // namespace slate::engine::production
