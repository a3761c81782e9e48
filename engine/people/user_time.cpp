// engine/people/user_time.cpp: the SQL of the caller's time sheet reads.
#include "engine/people/user_time.h"

#include "engine/db/connection.h"
#include "engine/serialize.h"

namespace slate::engine::user {

db::Result casting(db::Connection& c, const std::string& sql, const db::Params& params) {
    try {
        return c.exec(sql, params);
    } catch (const db::DbError& e) {
        if (e.kind() != ErrorKind::bad_request)
            throw;
        throw WrongDate();
    }
}

std::string time_spents_of_day(db::Connection& c, const std::string& person_id,
                               const std::optional<std::string>& date) {
    return rows_json(
        casting(c, "SELECT * FROM time_spent WHERE person_id = $1::uuid AND date = $2::date", {person_id, date}),
        "TimeSpent");
}

std::string time_spents_between(db::Connection& c, const std::string& person_id, const std::string& start,
                                const std::string& end) {
    return rows_json(casting(c,
                             "SELECT * FROM time_spent WHERE person_id = $1::uuid "
                             "AND date BETWEEN $2::date AND $3::date",
                             {person_id, start, end}),
                     "TimeSpent");
}

std::string time_spent_of_task(db::Connection& c, const std::string& person_id, const std::string& task_id,
                               const std::string& date) {
    const auto row = casting(c,
                             "SELECT * FROM time_spent WHERE person_id = $1::uuid AND task_id = $2::uuid "
                             "AND date = $3::date LIMIT 1",
                             {person_id, task_id, date});
    return row.rows() ? row_json(row, 0, "TimeSpent") : "null";
}

std::string day_off_of(db::Connection& c, const std::string& person_id, const std::string& date) {
    const auto row = casting(c,
                             "SELECT * FROM day_off WHERE person_id = $1::uuid "
                             "AND $2::date BETWEEN date AND end_date LIMIT 1",
                             {person_id, date});
    return row.rows() ? row_json(row, 0, "DayOff") : "{}";
}

} // namespace slate::engine::user
