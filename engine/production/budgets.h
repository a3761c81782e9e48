#pragma once
// engine/production/budgets.h: a production's budgets and their entries (Zou's
// budget_service): revisions of a budget, and per entry a department (and person), a start
// date, a number of months, a daily salary and the months' exceptions.

#include "engine/fwd.h"

#include <optional>
#include <string>

namespace slate::engine::production {

/// The production's budgets, present() shape, by revision.
std::string budgets_json(db::Connection& c, const std::string& project_id);
/// One budget of the production (404 when it is not the production's), serialize() shape.
std::string budget_json(db::Connection& c, const std::string& project_id, const std::string& budget_id);
/// A new budget, revision one above the production's last; budget:create.
std::string create_budget(db::Connection& c, const std::string& user_id, const std::string& project_id,
                          const std::string& name, const std::optional<std::string>& currency);
/// Sets the name and currency given; budget:update.
std::string update_budget(db::Connection& c, const std::string& user_id, const std::string& project_id,
                          const std::string& budget_id, const std::optional<std::string>& name,
                          const std::optional<std::string>& currency);
/// Deletes the budget and its entries; budget:delete.
void delete_budget(db::Connection& c, const std::string& user_id, const std::string& project_id,
                   const std::string& budget_id);

/// What an entry is made or replaced with; unset values are written as NULL (the columns
/// with defaults take them on creation, as Zou's model does).
struct BudgetEntryFields {
    std::optional<std::string> department_id, person_id, start_date, position, seniority;
    std::optional<long long> months_duration;
    std::optional<double> daily_salary;
    std::string exceptions_json = "{}"; ///< months → days off the budget, already cleaned
};

/// The budget's entries, present() shape (404 for a budget not of the production).
std::string budget_entries_json(db::Connection& c, const std::string& project_id, const std::string& budget_id);
/// One entry of the budget, serialize() shape; 404 when it is not the budget's.
std::string budget_entry_json(db::Connection& c, const std::string& project_id, const std::string& budget_id,
                              const std::string& entry_id);
/// A new entry (exceptions {}); a department or person that does not exist is a 400;
/// budget-entry:create.
std::string create_budget_entry(db::Connection& c, const std::string& user_id, const std::string& project_id,
                                const std::string& budget_id, const BudgetEntryFields& fields);
/// Replaces every field of the entry (Zou's update writes the unset ones as NULL);
/// budget-entry:update.
std::string update_budget_entry(db::Connection& c, const std::string& user_id, const std::string& project_id,
                                const std::string& budget_id, const std::string& entry_id,
                                const BudgetEntryFields& fields);
/// budget-entry:delete.
void delete_budget_entry(db::Connection& c, const std::string& user_id, const std::string& project_id,
                         const std::string& budget_id, const std::string& entry_id);

} // namespace slate::engine::production
