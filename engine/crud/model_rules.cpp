#include "engine/crud/model_rules.h"

#include "engine/auth/password.h"
#include "engine/config.h"
#include "engine/crud/descriptors.h"
#include "engine/crud/values.h"
#include "engine/error.h"
#include "engine/services/auth_service.h"

#include <algorithm>

namespace slate::engine::crud {
namespace {

db::Param* find(queries::Assignments& values, const std::string& column) {
    for (auto& [name, value] : values)
        if (name == column)
            return &value;
    return nullptr;
}

void set_default(queries::Assignments& values, const std::string& column, db::Param value) {
    db::Param* existing = find(values, column);
    if (!existing)
        values.emplace_back(column, std::move(value));
    else if (!*existing)
        *existing = std::move(value);
}

[[noreturn]] void wrong_parameter(const std::string& message) {
    throw Error(ErrorKind::bad_request, message);
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
        c.exec("SELECT 1 FROM person WHERE lower(email) = $1 AND is_bot IS NOT TRUE", {*email})
                .rows() > 0)
        wrong_parameter("Email already in use.");
    hash_password_value(config, values);
}

} // namespace

void prepare_create(const ModelDescriptor& model, const Config& config, db::Connection& c,
                    queries::Assignments& values) {
    if (model.table == "person") {
        prepare_person(config, c, values);
    } else if (model.table == "project") {
        // A new project is open unless told otherwise; Zou creates the status if needed.
        if (!find(values, "project_status_id") || !*find(values, "project_status_id")) {
            const auto open = c.exec("SELECT id FROM project_status WHERE name = 'Open' LIMIT 1");
            if (open.rows() == 0)
                wrong_parameter("The Open project status is missing: run slate init-data.");
            set_default(values, "project_status_id", std::string(open.get(0, 0)));
        }
        set_default(values, "production_style", std::string("2d3d"));
    } else if (model.table == "task") {
        set_default(values, "name", std::string("main"));
    } else if (model.table == "salary_scale") {
        wrong_parameter("Salary scales cannot be created");
    }
}

bool protected_on_update(const ModelDescriptor& model, const services::Identity& caller,
                         const std::string& field) {
    if (field == "id" || field == "created_at" || field == "updated_at" || field == "project_id")
        return true;
    if (model.table != "person")
        return false;
    if (field == "password" || field == "jti")
        return true;
    static const char* const admin_only[] = {
        "role", "departments", "active", "is_bot", "archived", "login_failed_attemps",
        "last_login_failed", "is_generated_from_ldap", "ldap_uid", "last_presence", "studio_id"};
    if (caller.role == "admin")
        return false;
    return std::find(std::begin(admin_only), std::end(admin_only), field) != std::end(admin_only);
}

void prepare_update(const ModelDescriptor& model, const Config&, queries::Assignments& values) {
    if (model.table == "person")
        lower_email(values);
}

void check_delete(const ModelDescriptor& model, const services::Identity& caller,
                  db::Connection& c, const std::string& id) {
    if (model.table == "project") {
        const auto status = c.exec(R"(SELECT s.name FROM project p
            JOIN project_status s ON s.id = p.project_status_id WHERE p.id = $1::uuid)",
                                   {id});
        if (status.rows() == 0 || status.get(0, 0) != "Closed")
            wrong_parameter("Only closed projects can be deleted");
    } else if (model.table == "person" && id == caller.person_id) {
        throw_forbidden();
    }
}

} // namespace slate::engine::crud
