#include "engine/people/persons.h"
#include "engine/people/person_name.h"

#include "engine/db/connection.h"
#include "engine/json.h"
#include "engine/serialize.h"

namespace slate::engine::services {

void write_person(JsonWriter& out, const db::Result& person, int row, bool with_relations,
                  const std::string& fido_devices_json) {
    out.begin_object();
    // The fields Zou's serialize_safe never sends, and our query's helper columns.
    write_row_fields(out, person, row,
                     {"password", "password_hash", "totp_secret", "email_otp_secret", "otp_recovery_codes",
                      "fido_credentials", "jti", "login_failed_attemps", "last_login_failed", "departments"});
    out.field("full_name", people::full_name(person.get(row, "first_name"), person.get(row, "last_name")));
    out.field("type", "Person");
    if (with_relations) {
        out.key("departments");
        write_value(out, person, row, person.column_index("departments"));
    }
    if (!fido_devices_json.empty())
        out.key("fido_devices").raw(fido_devices_json);
    out.end_object();
}

void write_organisation(JsonWriter& out, const db::Result& organisation, int row, bool admin) {
    out.begin_object();
    if (admin)
        write_row_fields(out, organisation, row);
    else
        write_row_fields(out, organisation, row, {"chat_token_slack", "chat_webhook_mattermost", "chat_token_discord"});
    out.field("type", "Organisation");
    out.end_object();
}

} // namespace slate::engine::services
