// engine/people/desktop_login_queries.cpp: the SQL of desktop login logs and presence sheets.
#include "engine/people/desktop_login_queries.h"

#include "engine/people/person_queries.h"
#include "engine/uuid.h"

#include <cstdio>
#include <regex>

namespace slate::engine::queries {

db::Result desktop_login_logs(db::Connection& c, const std::string& person_id) {
    return c.exec("SELECT * FROM desktop_login_log WHERE person_id = $1::uuid ORDER BY date DESC", {person_id});
}

db::Result add_desktop_login_log(db::Connection& c, const std::string& person_id,
                                 const std::optional<std::string>& date) {
    db::Transaction transaction(c);
    const std::string id = new_uuid();
    try {
        c.exec(R"(INSERT INTO desktop_login_log (id, person_id, date, created_at, updated_at)
                  VALUES ($1::uuid, $2::uuid, COALESCE($3::timestamp, now() AT TIME ZONE 'utc'),
                          now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'))",
               {id, person_id, date});
    } catch (const Error&) {
        throw_bad_request("Invalid date."); // a well-formed date that does not exist
    }
    c.exec(R"(UPDATE person SET last_presence = GREATEST(
                  (SELECT max(date)::date FROM desktop_login_log WHERE person_id = $1::uuid),
                  (SELECT max(date) FROM time_spent WHERE person_id = $1::uuid)),
              updated_at = now() AT TIME ZONE 'utc' WHERE id = $1::uuid)",
           {person_id});
    insert_person_event(c, "person:update", person_id);
    auto row = c.exec("SELECT * FROM desktop_login_log WHERE id = $1::uuid", {id});
    transaction.commit();
    return row;
}

MonthPresence month_presence(db::Connection& c, int year, int month) {
    char start[16];
    std::snprintf(start, sizeof start, "%04d-%02d-01", year, month);
    MonthPresence presence;
    presence.days_in_month = std::stoi(std::string(
        c.exec("SELECT extract(day FROM ($1::date + interval '1 month' - interval '1 day'))::int", {std::string(start)})
            .get(0, 0)));
    const auto rows = c.exec(R"(SELECT p.first_name, p.last_name,
            COALESCE((SELECT array_agg(DISTINCT extract(day FROM l.date)::int) FROM desktop_login_log l
                      WHERE l.person_id = p.id AND l.date >= $1::date AND l.date < $1::date + interval '1 month'),
                     '{}') AS days
        FROM person p WHERE p.active AND p.is_guest IS NOT TRUE ORDER BY p.first_name, p.last_name)",
                             {std::string(start)});
    static const std::regex number(R"(\d+)");
    for (int row = 0; row < rows.rows(); ++row) {
        PresenceRow line;
        line.first_name = rows.optional(row, "first_name").value_or("");
        line.last_name = rows.optional(row, "last_name").value_or("");
        const std::string listed(rows.get(row, "days")); // PostgreSQL's int[] text: {3,17}
        for (auto it = std::sregex_iterator(listed.begin(), listed.end(), number); it != std::sregex_iterator(); ++it)
            line.days.push_back(std::stoi(it->str()));
        presence.rows.push_back(std::move(line));
    }
    return presence;
}

} // namespace slate::engine::queries
