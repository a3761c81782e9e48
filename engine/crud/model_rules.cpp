#include "engine/crud/model_rules.h"
#include "engine/access.h"
#include "engine/people/person_queries.h"

#include "engine/auth/password.h"
#include "engine/config.h"
#include "engine/crud/descriptors.h"
#include "engine/crud/model_integrity.h"
#include "engine/crud/values.h"
#include "engine/error.h"
#include "engine/people/auth_service.h"

#include "engine/json.h"
#include "engine/models/catalog.h"
#include "engine/production/templates.h"
#include "engine/crud/queries.h"
#include "engine/uuid.h"

#include <algorithm>
#include <ctime>
#include <optional>
#include <regex>

namespace slate::engine::crud {
namespace {

db::Param* find(queries::Assignments& values, const std::string& column) {
    for (auto& [name, value] : values)
        if (name == column)
            return &value;
    return nullptr;
}

/// Sets a column whatever the body said (Zou's update_data overrides it).
void set_value(queries::Assignments& values, const std::string& column, db::Param value) {
    if (db::Param* existing = find(values, column))
        *existing = std::move(value);
    else
        values.emplace_back(column, std::move(value));
}

/// The row's data merged with `incoming` (a shallow dict.update, as Zou's entity and task
/// resources do); a body value that is not an object cannot be merged.
std::string merged_data(db::Connection& c, const std::string& table, const std::string& id,
                        const db::Param& incoming) {
    const auto merged = c.exec("SELECT jsonb_typeof($2::jsonb) = 'object' AS object, "
                               "COALESCE(t.data, '{}'::jsonb) || COALESCE($2::jsonb, '{}'::jsonb) AS data FROM " +
                                   db::quote_identifier(table) + " t WHERE t.id = $1::uuid",
                               {id, incoming});
    if (merged.rows() == 0)
        throw_not_found(not_found_message);
    if (incoming && !merged.get_bool(0, "object"))
        throw_crud_error(invalid_format_message);
    return std::string(merged.get(0, "data"));
}

void set_default(queries::Assignments& values, const std::string& column, db::Param value) {
    db::Param* existing = find(values, column);
    if (!existing)
        values.emplace_back(column, std::move(value));
    else if (!*existing)
        *existing = std::move(value);
}

bool one_of(const std::string& value, std::initializer_list<const char*> allowed) {
    for (const char* candidate : allowed)
        if (value == candidate)
            return true;
    return false;
}

/// A string member, or nullopt when absent or null; another type fails like a bad choice.
std::optional<std::string> text_member(const Poco::JSON::Object& body, const std::string& key) {
    if (!body.has(key) || body.isNull(key))
        return std::nullopt;
    return body.get(key).toString();
}

/// Today's date in UTC as YYYY-MM-DD (ISO dates compare as text).
std::string utc_today() {
    const std::time_t now = std::time(nullptr);
    std::tm today{};
    gmtime_r(&now, &today);
    char text[16];
    std::strftime(text, sizeof text, "%Y-%m-%d", &today);
    return text;
}

void check_person(const Poco::JSON::Object& body, bool creating) {
    if (body.has("role") &&
        !one_of(body.get("role").toString(), {"user", "admin", "supervisor", "manager", "client", "vendor"}))
        throw_wrong_parameter("Invalid role");
    if (body.has("contract_type") &&
        !one_of(body.get("contract_type").toString(),
                {"open-ended", "fixed-term", "short-term", "freelance", "apprentice", "internship"}))
        throw_wrong_parameter("Invalid contract_type");
    if (auto country = text_member(body, "country"); country && !country->empty()) {
        static const std::regex alpha2("^[A-Za-z]{2}$");
        if (!std::regex_match(*country, alpha2))
            throw_wrong_parameter("Invalid country code, expected an ISO 3166-1 alpha-2 code.");
    }
    if (auto locale = text_member(body, "locale"); locale && !locale->empty()) {
        static const std::regex babel("^[a-z]{2,3}(_[A-Z]{2})?$");
        if (!std::regex_match(*locale, babel))
            throw_wrong_parameter("Invalid locale, expected a name available in Python Babel "
                            "(e.g. en_US, fr_FR).");
    }
    if (auto format = text_member(body, "display_date_format");
        format && !one_of(*format, {"YYYY-MM-DD", "DD/MM/YYYY", "MM/DD/YYYY"}))
        throw_wrong_parameter("Invalid display_date_format, expected one of: YYYY-MM-DD, "
                        "DD/MM/YYYY, MM/DD/YYYY.");
    if (body.has("two_factor_authentication") &&
        !one_of(body.get("two_factor_authentication").toString(), {"totp", "email_otp", "fido"}))
        throw_wrong_parameter("Invalid two_factor_authentication");
    if (auto expiration = text_member(body, "expiration_date")) {
        static const std::regex iso_date(R"(^(\d{4})-(\d{2})-(\d{2})$)");
        std::smatch parts;
        if (!std::regex_match(*expiration, parts, iso_date))
            throw_wrong_parameter("Expiration date is not valid.");
        if (creating && *expiration < utc_today())
            throw_wrong_parameter("Expiration date can't be in the past.");
    }
    if (auto email = text_member(body, "email")) {
        static const std::regex address(R"(^[^@\s]+@[^@\s]+\.[^@\s]+$)");
        if (!std::regex_match(*email, address))
            throw_wrong_parameter("The email address is not valid. It must have exactly one @-sign.");
    }
}

void check_task(const Poco::JSON::Object& body, db::Connection& c) {
    // TasksResource.post reads both as data[key]; without one Zou fails (500) and writes
    // nothing: the KeyError's text, as Zou's other resources answer it, is a 400 here.
    for (const char* key : {"task_type_id", "entity_id"})
        if (!body.has(key) || body.isNull(key))
            throw_crud_error(std::string("'") + key + "'");
    const auto task_type_id = text_member(body, "task_type_id");
    const auto entity_id = text_member(body, "entity_id");
    if (!task_type_id || !entity_id || !is_uuid(*task_type_id) || !is_uuid(*entity_id))
        return; // the generic checks answer for missing or malformed ids
    // An asset task type needs an asset (an entity whose type is not a temporal one); any
    // other needs an entity of the type of that name.
    const auto match = c.exec(R"(
        SELECT CASE WHEN tt.for_entity = 'Asset'
                    THEN et.name NOT IN ('Episode', 'Sequence', 'Shot', 'Scene', 'Edit', 'Concept')
                    ELSE et.name = tt.for_entity END AS matches
        FROM task_type tt, entity e JOIN entity_type et ON et.id = e.entity_type_id
        WHERE tt.id = $1::uuid AND e.id = $2::uuid)",
                              {*task_type_id, *entity_id});
    if (match.rows() == 1 && !match.get_bool(0, "matches"))
        throw Error(ErrorKind::bad_request, "Task type of the task does not match entity type.");
}

void hash_password_value(const Config& config, queries::Assignments& values) {
    if (db::Param* password = find(values, "password"); password && *password)
        *password = "\\x" + [&] {
            // bytea in hex form: Zou stores the bcrypt hash's bytes.
            const std::string hash = auth::hash_password(**password, config.bcrypt_rounds);
            static const char digits[] = "0123456789abcdef";
            std::string hex;
            for (unsigned char ch : hash) {
                hex.push_back(digits[ch >> 4]);
                hex.push_back(digits[ch & 15]);
            }
            return hex;
        }();
}

void lower_email(queries::Assignments& values) {
    if (db::Param* email = find(values, "email"); email && *email)
        std::transform((*email)->begin(), (*email)->end(), (*email)->begin(),
                       [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
}

void prepare_person(const Config& config, db::Connection& c, queries::Assignments& values) {
    lower_email(values);
    const db::Param* email = find(values, "email");
    const db::Param* is_bot = find(values, "is_bot");
    const bool bot = is_bot && *is_bot && **is_bot == "true";
    if (email && *email && !bot &&
        c.exec("SELECT 1 FROM person WHERE lower(email) = $1 AND is_bot IS NOT TRUE", {*email}).rows() > 0)
        throw_wrong_parameter("Email already in use.");
    hash_password_value(config, values);
}

} // namespace

/// USER_LIMIT: active persons who are not bots (checked first, as Zou's create permission).
void check_user_limit(const Config& config, const Poco::JSON::Object& body, db::Connection& c) {
    const bool bot = body.has("is_bot") && body.get("is_bot").isBoolean() && body.getValue<bool>("is_bot");
    const bool active = !body.has("active") || !body.get("active").isBoolean() || body.getValue<bool>("active");
    if (bot || !active)
        return;
    if (queries::user_limit_reached(c, config.user_limit)) {
        JsonWriter out;
        out.begin_object()
            .field("error", true)
            .field("message", "User limit reached.")
            .key("data")
            .begin_object()
            .field("limit", config.user_limit)
            .end_object()
            .end_object();
        throw Error(ErrorKind::bad_request, "User limit reached.", out.take());
    }
}

void check_entity(const Poco::JSON::Object& body) {
    if (body.has("status") && !one_of(body.get("status").toString(), {"standby", "running", "complete", "canceled"}))
        throw_wrong_parameter("Invalid status");
}

void check_integrity(const ModelDescriptor& model, const Config& config, const Poco::JSON::Object& body, bool creating,
                     db::Connection& c) {
    if (model.table == "person") {
        if (creating)
            check_user_limit(config, body, c);
        else // PersonResource.update_data: the base class's date check comes before the person's
            for (const auto& [key, value] : body)
                if (const auto* column = model.schema().column(key);
                    column && (column->kind == models::ValueKind::date || column->kind == models::ValueKind::timestamp))
                    body_value(*column, value, true);
        check_person(body, creating);
    } else if (model.table == "task" && creating) {
        check_task(body, c);
    } else if (model.table == "entity") {
        check_entity(body);
    }
}

std::optional<ProjectTemplateChoice> take_project_template(Poco::JSON::Object& body) {
    if (!body.has("project_template_id"))
        return std::nullopt;
    const auto value = body.get("project_template_id");
    body.remove("project_template_id");
    if (value.isEmpty() || (value.isString() && value.extract<std::string>().empty()))
        return std::nullopt;
    ProjectTemplateChoice choice{value.toString(), {}};
    for (const auto& [key, field] : body)
        if (!field.isEmpty() && key != "id" && key != "created_at" && key != "updated_at")
            choice.kept_fields.insert(key);
    return choice;
}

void apply_project_template(const services::Identity& caller, db::Connection& c, const std::string& project_id,
                            const ProjectTemplateChoice& choice) {
    try {
        production::apply_template_to_project(c, caller.person_id, project_id, choice.template_id,
                                              choice.kept_fields);
    } catch (const Error& e) {
        if (e.kind() == ErrorKind::not_found) // raised past Zou's post_creation: its generic 404
            throw_not_found(not_found_message);
        throw;
    }
}

std::vector<std::pair<std::string, std::string>>
after_create(const ModelDescriptor& model, const services::Identity& caller, db::Connection& c, const std::string& id) {
    std::vector<std::pair<std::string, std::string>> extra;
    if (model.table == "day_off")
        remove_time_spents_under_day_off(c, id);
    if (model.table != "project")
        return extra;
    // A TV show starts with its first episode, E01 (Zou's post_creation).
    const auto episode = c.exec(R"(
        INSERT INTO entity (id, name, is_shared, status, project_id, entity_type_id, created_by,
                            created_at, updated_at)
        SELECT $2::uuid, 'E01', false, 'running', p.id, t.id, $3::uuid,
               now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
        FROM project p, entity_type t
        WHERE p.id = $1::uuid AND p.production_type = 'tvshow' AND t.name = 'Episode'
        RETURNING id)",
                                {id, new_uuid(), caller.person_id});
    if (episode.rows() == 1) {
        const std::string episode_id(episode.get(0, 0));
        JsonWriter data;
        data.begin_object().field("episode_id", episode_id).field("project_id", id).end_object();
        queries::insert_event(c, "episode:new", caller.person_id, id, data.take());
        JsonWriter value;
        value.string(episode_id);
        extra.emplace_back("first_episode_id", value.take());
    }
    // The all-projects metadata columns are editable on the new project at once.
    production::copy_project_metadata_descriptors(c, caller.person_id, id);
    return extra;
}

bool supervisor_may_update_task(const services::Identity& caller, db::Connection& c, const std::string& task_id,
                                const Poco::JSON::Object& body) {
    for (const auto& [key, value] : body)
        if (!one_of(key, {"priority", "start_date", "due_date", "estimation", "difficulty", "data"}))
            return false;
    const auto allowed = c.exec(R"(
        SELECT 1 FROM task t
        JOIN project_person_link l ON l.project_id = t.project_id AND l.person_id = $2::uuid
        JOIN person p ON p.id = l.person_id
        LEFT JOIN task_type tt ON tt.id = t.task_type_id
        WHERE t.id = $1::uuid AND COALESCE(NULLIF(l.role, ''), p.role) = 'supervisor'
          AND )" + access::supervises_department_sql("p.id", "tt.department_id"),
                                {task_id, caller.person_id});
    return allowed.rows() == 1;
}

bool filterable_by_non_admin(const ModelDescriptor& model, const std::string& field) {
    if (!model.minimal_person_shape)
        return true;
    // Zou's MINIMAL_PERSON_FILTER_FIELDS: the minimal shape's columns, and the e-mail lookup
    // every pipeline relies on (gazu.person.get_person_by_email).
    return one_of(field, {"id", "first_name", "last_name", "full_name", "has_avatar", "active", "departments",
                          "studio_id", "role", "desktop_login", "email", "is_bot"});
}

void prepare_create(const ModelDescriptor& model, const services::Identity& caller, const Config& config,
                    db::Connection& c, queries::Assignments& values) {
    // EntitiesResource and PlaylistsResource record who created the row, whatever was sent.
    if (model.table == "entity" || model.table == "playlist")
        set_value(values, "created_by", caller.person_id);
    if (model.table == "person") {
        prepare_person(config, c, values);
    } else if (model.table == "project") {
        // A new project is open unless told otherwise; Zou creates the status if needed.
        if (!find(values, "project_status_id") || !*find(values, "project_status_id")) {
            const auto open = c.exec("SELECT id FROM project_status WHERE name = 'Open' LIMIT 1");
            if (open.rows() == 0)
                throw_wrong_parameter("The Open project status is missing: run slate init-data.");
            set_default(values, "project_status_id", std::string(open.get(0, 0)));
        }
        set_default(values, "production_style", std::string("2d3d"));
    } else if (model.table == "task") {
        set_default(values, "name", std::string("main"));
    } else if (model.table == "salary_scale") {
        throw_wrong_parameter("Salary scales cannot be created");
    }
}

bool protected_on_update(const ModelDescriptor& model, const services::Identity& caller, const std::string& field) {
    if (field == "id" || field == "created_at" || field == "updated_at" || field == "project_id")
        return true;
    // EntityResource's and CommentResource's protected_fields.
    if (model.table == "entity")
        return one_of(field, {"instance_casting", "entities_in", "entities_out", "type", "shotgun_id", "created_by"});
    if (model.table == "comment")
        return one_of(field, {"mentions", "department_mentions"});
    // The protected_fields other resources add.
    if (model.table == "asset_instance")
        return field == "number";
    if (model.table == "budget")
        return field == "revision";
    if (model.table == "budget_entry")
        return field == "budget_id";
    if (model.table == "salary_scale")
        return field == "department_id";
    if (model.table == "production_schedule_version_task_link")
        return one_of(field, {"task_id", "production_schedule_version_id"});
    if (model.table != "person")
        return false;
    if (field == "password" || field == "jti")
        return true;
    static const char* const admin_only[] = {"role",
                                             "departments",
                                             "active",
                                             "is_bot",
                                             "archived",
                                             "login_failed_attemps",
                                             "last_login_failed",
                                             "is_generated_from_ldap",
                                             "ldap_uid",
                                             "last_presence",
                                             "studio_id"};
    if (caller.role == "admin")
        return false;
    return std::find(std::begin(admin_only), std::end(admin_only), field) != std::end(admin_only);
}

void prepare_update(const ModelDescriptor& model, const services::Identity& caller, db::Connection& c,
                    const std::string& id, queries::Assignments& values) {
    if (model.table == "person") {
        lower_email(values);
    } else if (model.table == "comment") {
        set_value(values, "editor_id", caller.person_id); // CommentResource.update_data
    } else if (model.table == "entity") {
        // EntityResource.put: the body's data (none: {}) merged into the row's.
        db::Param* data = find(values, "data");
        set_value(values, "data", merged_data(c, "entity", id, data ? *data : db::Param()));
    } else if (model.table == "task") {
        // TaskResource.pre_update merges a non-empty data into the row's.
        db::Param* data = find(values, "data");
        if (data && *data && **data != "{}" && **data != "[]" && **data != "\"\"")
            *data = merged_data(c, "task", id, *data);
    }
}

void check_delete(const ModelDescriptor& model, const services::Identity& caller, db::Connection& c,
                  const std::string& id) {
    if (model.table == "project") {
        const auto status = c.exec(R"(SELECT s.name FROM project p
            JOIN project_status s ON s.id = p.project_status_id WHERE p.id = $1::uuid)",
                                   {id});
        if (status.rows() == 0 || status.get(0, 0) != "Closed")
            throw Error(ErrorKind::bad_request, "Only closed projects can be deleted"); // a literal dict in Zou
    } else if (model.table == "person" && id == caller.person_id) {
        throw_forbidden();
    } else if (model.table == "time_spent") {
        // TimeSpentResource: check_time_spent_access. The person must be assigned to the task,
        // and the caller be that person, an admin, or a manager in the task's project.
        const auto time_spent = c.exec(R"(SELECT ts.person_id::text, t.project_id::text,
                EXISTS (SELECT 1 FROM task_person_link a WHERE a.task_id = ts.task_id
                        AND a.person_id = ts.person_id) AS assigned
            FROM time_spent ts JOIN task t ON t.id = ts.task_id WHERE ts.id = $1::uuid)",
                                       {id});
        if (time_spent.rows() == 0 || !time_spent.get_bool(0, "assigned"))
            throw_forbidden();
        const bool allowed = caller.role == "admin" || caller.person_id == time_spent.get(0, "person_id") ||
                             (caller.role == "manager" &&
                              queries::project_role(c, std::string(time_spent.get(0, "project_id")), caller.person_id));
        if (!allowed)
            throw_forbidden();
    }
}

bool regenerates_api_token(const ModelDescriptor& model, queries::Assignments& written) {
    if (model.table != "person")
        return false;
    const db::Param* expiration = find(written, "expiration_date");
    return expiration && (!*expiration || **expiration >= utc_today());
}

} // namespace slate::engine::crud
