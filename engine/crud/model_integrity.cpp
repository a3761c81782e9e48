#include "engine/crud/model_integrity.h"

#include "engine/crud/descriptors.h"
#include "engine/crud/values.h"
#include "engine/db/connection.h"
#include "engine/error.h"
#include "engine/json.h"
#include "engine/models/catalog.h"
#include "engine/production/templates.h"
#include "engine/uuid.h"

#include <Poco/JSON/Array.h>

#include <algorithm>
#include <vector>
#include <regex>

namespace slate::engine::crud {
namespace {

/// A string member; none when absent, null or not a string.
std::optional<std::string> text(const Poco::JSON::Object& body, const std::string& key) {
    if (!body.has(key) || body.isNull(key) || !body.get(key).isString())
        return std::nullopt;
    return body.get(key).extract<std::string>();
}

/// Whether another row of `table` has this name (`exact`: Zou's get_by; else ilike).
bool name_taken(db::Connection& c, const char* table, const std::string& name, const std::optional<std::string>& id,
                bool exact) {
    const std::string match = exact ? "name = $1" : "name ILIKE $1";
    return c.exec("SELECT 1 FROM " + std::string(table) + " WHERE " + match +
                      " AND ($2::uuid IS NULL OR id <> $2::uuid) LIMIT 1",
                  {name, id})
               .rows() > 0;
}

void check_resolution(const Poco::JSON::Object& body) {
    const auto resolution = text(body, "resolution");
    if (!resolution || resolution->empty())
        return;
    static const std::regex full(R"(^\d{3,4}x\d{3,4}$)"), partial(R"(^x\d{3,4}$)");
    if (!std::regex_match(*resolution, full) && !std::regex_match(*resolution, partial))
        throw_wrong_parameter("Invalid resolution " + *resolution + ". Expected format: '1920x1080' or 'x1080'.");
}

void check_playlist(Poco::JSON::Object& body, bool creating) {
    if (body.has("for_entity") && !body.isNull("for_entity")) {
        static const char* const kinds[] = {"shot", "asset", "sequence", "edit", "episode"};
        const std::string kind = body.get("for_entity").toString();
        if (std::find(std::begin(kinds), std::end(kinds), kind) == std::end(kinds))
            throw_wrong_parameter("for_entity must be one of shot, asset, sequence, edit, episode");
    }
    if (creating) { // PlaylistsResource.update_data
        if (const auto episode = text(body, "episode_id"); episode && (*episode == "all" || *episode == "main"))
            body.set("episode_id", Poco::Dynamic::Var());
        if (body.has("task_type_id") && !body.isNull("task_type_id") &&
            !(body.get("task_type_id").isString() && is_uuid(body.get("task_type_id").toString())))
            body.set("task_type_id", Poco::Dynamic::Var());
    } else if (body.has("shots") && body.get("shots").type() == typeid(Poco::JSON::Array::Ptr)) {
        // PlaylistResource.pre_update: entries with a preview, as {entity_id, preview_file_id}.
        Poco::JSON::Array::Ptr shots = new Poco::JSON::Array;
        for (const auto& item : *body.get("shots").extract<Poco::JSON::Array::Ptr>()) {
            if (item.type() != typeid(Poco::JSON::Object::Ptr))
                continue;
            const auto shot = item.extract<Poco::JSON::Object::Ptr>();
            if (!shot->has("preview_file_id"))
                continue;
            Poco::JSON::Object::Ptr entry = new Poco::JSON::Object;
            entry->set("entity_id", shot->has("entity_id") ? shot->get("entity_id")
                                    : shot->has("id")      ? shot->get("id")
                                                           : Poco::Dynamic::Var(std::string()));
            entry->set("preview_file_id", shot->get("preview_file_id"));
            shots->add(entry);
        }
        body.set("shots", shots);
    }
}

void check_day_off(db::Connection& c, const Poco::JSON::Object& body, const std::optional<std::string>& id) {
    if (!id) // DayOffsResource reads them as data[key]: a KeyError's message
        for (const char* key : {"person_id", "date", "end_date"})
            if (!body.has(key))
                throw_crud_error(std::string("'") + key + "'");
    std::optional<std::string> date = text(body, "date"), end_date = text(body, "end_date"),
                               person = text(body, "person_id");
    if (id) { // what the PUT leaves as it is
        const auto row = c.exec("SELECT date::text, end_date::text, person_id::text FROM day_off WHERE id = $1::uuid",
                                {*id});
        if (row.rows() == 0)
            return;
        date = date ? date : row.optional(0, "date");
        end_date = end_date ? end_date : row.optional(0, "end_date");
        person = person ? person : row.optional(0, "person_id");
    }
    static const std::regex iso_date(R"(^\d{4}-\d{2}-\d{2}$)");
    if (id) // DayOffResource.pre_update queries with what was sent before any check of it
        for (const auto& sent : {text(body, "date"), text(body, "end_date")})
            if (sent && !sent->empty() && !std::regex_match(*sent, iso_date))
                throw_crud_error(invalid_format_message);
    if (!date || !end_date || !person || !is_uuid(*person) || !std::regex_match(*date, iso_date) ||
        !std::regex_match(*end_date, iso_date))
        return; // the generic checks answer for what is missing or malformed
    // Compared as ISO text: a well-shaped but impossible date is the generic check's to refuse.
    const auto overlapping = c.exec(R"(SELECT 1 FROM day_off WHERE person_id = $3::uuid
            AND $1 <= end_date::text AND $2 >= date::text AND ($4::uuid IS NULL OR id <> $4::uuid) LIMIT 1)",
                                    {*date, *end_date, *person, id});
    if (overlapping.rows() > 0)
        throw_wrong_parameter("Day off already exists for this period");
}

/// A choice column's value among the model's choices, with the resource's own message.
void check_choice(const ModelDescriptor& model, const Poco::JSON::Object& body, const std::string& column,
                  const std::string& message) {
    if (!body.has(column))
        return;
    const auto& choices = model.schema().column(column)->choices;
    const std::string value = body.isNull(column) ? std::string() : body.get(column).toString();
    if (body.isNull(column) || std::find(choices.begin(), choices.end(), value) == choices.end())
        throw_wrong_parameter(message);
}

/// PersonResource.update_data: a new expiration date in the past is refused; the stored one,
/// even past, may be sent again (an expired bot is still edited).
void check_expiration_change(db::Connection& c, const Poco::JSON::Object& body, const std::string& id) {
    const auto expiration = text(body, "expiration_date");
    static const std::regex iso_date(R"(^\d{4}-\d{2}-\d{2}$)");
    if (!expiration || !std::regex_match(*expiration, iso_date))
        return; // no date, or a malformed one: check_integrity answers
    // Compared as ISO text: a well-shaped but impossible date is check_integrity's to refuse.
    const auto past = c.exec("SELECT $2 < to_char(now() AT TIME ZONE 'utc', 'YYYY-MM-DD') "
                             "AND $2 IS DISTINCT FROM expiration_date::text AS past FROM person WHERE id = $1::uuid",
                             {id, *expiration});
    if (past.rows() && past.get_bool(0, "past"))
        throw_wrong_parameter("Expiration date can't be in the past.");
}

/// ProjectTemplatesResource / project_templates_service: a name, unique; on create only the
/// template's own fields are read, on update its link lists are not (they have their routes).
void check_project_template(db::Connection& c, Poco::JSON::Object& body, const std::optional<std::string>& id) {
    static const char* const own_fields[] = {"name", "description", "file_tree", "data", "metadata_descriptors"};
    std::vector<std::string> dropped;
    for (const auto& [key, value] : body)
        if (id ? (key == "type" || key == "task_types" || key == "task_statuses" || key == "asset_types" ||
                  key == "status_automations")
               : std::find(std::begin(own_fields), std::end(own_fields), key) == std::end(own_fields) &&
                     !production::is_production_setting(key))
            dropped.push_back(key);
    for (const auto& key : dropped)
        body.remove(key);
    const auto name = text(body, "name");
    if (!id && (!name || name->empty()))
        throw_crud_error("name is required");
    if (name && name_taken(c, "project_template", *name, id, true))
        throw_crud_error("A project template with this name already exists");
}

/// ScheduleItemsResource.check_creation_integrity: one item per project, task type and object
/// (a missing key counts as null, which matches the items that have none).
void check_schedule_item_unique(db::Connection& c, const Poco::JSON::Object& body) {
    std::vector<db::Param> keys;
    for (const char* key : {"project_id", "task_type_id", "object_id"}) {
        const auto value = text(body, key);
        if (value && !is_uuid(*value))
            return; // malformed: the generic checks answer
        keys.push_back(value);
    }
    const auto similar = c.exec(R"(SELECT 1 FROM schedule_item WHERE project_id IS NOT DISTINCT FROM $1::uuid
            AND task_type_id IS NOT DISTINCT FROM $2::uuid AND object_id IS NOT DISTINCT FROM $3::uuid LIMIT 1)",
                                keys);
    if (similar.rows() > 0)
        throw_wrong_parameter("A similar schedule item already exists");
}

} // namespace

Poco::JSON::Object checked_body(const ModelDescriptor& model, const Poco::JSON::Object& original,
                                const std::optional<std::string>& id, db::Connection& c) {
    Poco::JSON::Object body(original);
    const bool creating = !id;
    const std::string& table = model.table;
    if (table == "entity_type" && creating) {
        if (name_taken(c, "entity_type", text(body, "name").value_or(""), std::nullopt, false))
            throw_wrong_parameter("Entity type with this name already exists");
    } else if (table == "task_type" || table == "preview_background_file") {
        // On a POST Zou looks the name up even when none is sent (a type named null matches none).
        const auto name = text(body, "name");
        if (name && name_taken(c, table.c_str(), *name, id, true))
            throw_wrong_parameter(table == "task_type" ? "A task type with similar name already exists"
                                                 : "A preview background file with similar name already exists");
    } else if (table == "project") {
        if (body.has("production_style") && body.isNull("production_style"))
            body.set("production_style", std::string("2d3d"));
        check_choice(model, body, "production_style", "Invalid production_style");
        check_resolution(body);
    } else if (table == "playlist") {
        check_playlist(body, creating);
    } else if (table == "day_off") {
        check_day_off(c, body, id);
    } else if (table == "production_schedule_version_task_link" && creating) {
        const auto version = text(body, "production_schedule_version_id"), task = text(body, "task_id");
        if (!version || !task || !is_uuid(*version) || !is_uuid(*task))
            return body; // the generic checks answer
        const auto same = c.exec(R"(SELECT v.project_id = t.project_id AS same FROM production_schedule_version v, task t
            WHERE v.id = $1::uuid AND t.id = $2::uuid)",
                                 {*version, *task});
        if (same.rows() && !same.get_bool(0, "same"))
            throw_wrong_parameter("The task and the production schedule version must be in the same project.");
    } else if (table == "project_template") {
        check_project_template(c, body, id);
    } else if (table == "metadata_descriptor") {
        check_choice(model, body, "data_type", "Invalid data_type");
    } else if (table == "custom_action") {
        if (creating && (!body.has("name") || body.isNull("name")))
            throw_wrong_parameter("The 'name' field is required and cannot be None.");
        if (!creating && body.has("name") && body.isNull("name"))
            throw_wrong_parameter("The 'name' field cannot be set to None.");
    } else if (table == "person" && !creating) {
        check_expiration_change(c, body, *id);
    } else if (table == "schedule_item" && creating) {
        check_schedule_item_unique(c, body);
    } else if (table == "schedule_item" && body.has("man_days") && body.get("man_days").isString()) {
        body.remove("man_days"); // ScheduleItemResource.update_data drops a textual man_days
    }
    return body;
}

void remove_time_spents_under_day_off(db::Connection& c, const std::string& day_off_id) {
    c.exec(R"(DELETE FROM time_spent ts USING day_off d WHERE d.id = $1::uuid AND ts.person_id = d.person_id
              AND ts.date >= d.date AND ts.date <= d.end_date)",
           {day_off_id});
}

} // namespace slate::engine::crud
