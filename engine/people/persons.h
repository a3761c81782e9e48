#pragma once
// engine/people/persons.h: how persons and organisations leave the server.

#include "engine/fwd.h"

#include <string>

namespace slate::engine::services {

/// Writes a person row (queries::get_person's columns) as Zou's serialize_safe: every column
/// but the secrets, plus full_name and type; departments (ids) only `with_relations`;
/// `fido_devices_json`, when given, as "fido_devices" (what /auth/authenticated adds).
void write_person(JsonWriter& out, const db::Result& person, int row, bool with_relations,
                  const std::string& fido_devices_json = {});

/// Writes the organisation; chat tokens only for admins, as Zou does.
void write_organisation(JsonWriter& out, const db::Result& organisation, int row, bool admin);

} // namespace slate::engine::services
