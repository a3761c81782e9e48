// engine/people/picture_owners.cpp: the SQL behind avatars, logos and preview backgrounds.
#include "engine/people/picture_owners.h"

#include "engine/crud/crud_service.h"
#include "engine/crud/queries.h"
#include "engine/json.h"
#include "engine/people/person_queries.h"
#include "engine/uuid.h"

namespace slate::engine::queries {

const char* picture_owner_table(PictureOwnerKind kind) {
    return kind == PictureOwnerKind::person ? "person" : kind == PictureOwnerKind::project ? "project" : "organisation";
}

std::optional<PictureOwner> find_picture_owner(db::Connection& c, PictureOwnerKind kind, const std::string& id) {
    db::Result row;
    if (kind == PictureOwnerKind::organisation) {
        get_or_create_organisation(c);
        row = c.exec(
            "SELECT id, has_avatar, updated_at::text AS updated_at FROM organisation ORDER BY created_at LIMIT 1");
    } else {
        if (!is_uuid(id))
            return std::nullopt;
        // The table name comes from the enum, never from the request.
        row = c.exec(std::string("SELECT id, has_avatar, updated_at::text AS updated_at FROM ") +
                         picture_owner_table(kind) + " WHERE id = $1::uuid",
                     {id});
    }
    if (row.rows() == 0)
        return std::nullopt;
    return PictureOwner{std::string(row.get(0, "id")), row.optional(0, "has_avatar") == std::optional<std::string>("t"),
                        row.optional(0, "updated_at").value_or("")};
}

void set_has_thumbnail(db::Connection& c, PictureOwnerKind kind, const std::string& owner_id,
                       const std::string& user_id) {
    const std::string model = picture_owner_table(kind);
    db::Transaction transaction(c);
    c.exec("UPDATE " + model + " SET has_avatar = true, updated_at = now() AT TIME ZONE 'utc' WHERE id = $1::uuid",
           {owner_id});
    JsonWriter data;
    data.begin_object().field(model + "_id", owner_id).end_object();
    insert_event(c, model + ":set-thumbnail", user_id, std::nullopt, data.take());
    transaction.commit();
}

void clear_person_avatar(db::Connection& c, const std::string& person_id, const std::string& user_id) {
    db::Transaction transaction(c);
    c.exec("UPDATE person SET has_avatar = false, updated_at = now() AT TIME ZONE 'utc' WHERE id = $1::uuid",
           {person_id});
    insert_person_event(c, "person:update", person_id, user_id);
    transaction.commit();
}

std::optional<PreviewBackground> find_preview_background(db::Connection& c, const std::string& id) {
    if (!is_uuid(id))
        return std::nullopt;
    const auto row =
        c.exec("SELECT extension, original_name, updated_at::text AS updated_text FROM preview_background_file "
               "WHERE id = $1::uuid",
               {id});
    if (row.rows() == 0)
        return std::nullopt;
    return PreviewBackground{row.optional(0, "extension"), row.optional(0, "original_name").value_or(""),
                             row.optional(0, "updated_text").value_or("")};
}

void delete_preview_background(db::Connection& c, const std::string& id) {
    c.exec("DELETE FROM preview_background_file WHERE id = $1::uuid", {id});
}

std::string set_preview_background_file(db::Connection& c, const std::string& id, const std::string& extension,
                                        const std::string& original_name, int64_t file_size,
                                        const std::string& user_id) {
    db::Transaction transaction(c);
    c.exec(R"(UPDATE preview_background_file SET extension = $2, original_name = $3, file_size = $4::bigint,
                  updated_at = now() AT TIME ZONE 'utc' WHERE id = $1::uuid)",
           {id, extension, original_name, std::to_string(file_size)});
    JsonWriter update, added;
    update.begin_object().field("preview_background_file_id", id).end_object();
    added.begin_object().field("preview_background_file_id", id).field("extension", extension).end_object();
    insert_event(c, "preview-background-file:update", user_id, std::nullopt, update.take());
    insert_event(c, "preview-background-file:add-file", user_id, std::nullopt, added.take());
    std::string answer = crud::serialize_by_id(c, "preview-background-files", id, false);
    transaction.commit();
    return answer;
}

void touch_preview_background(db::Connection& c, const std::string& id, const std::string& user_id) {
    db::Transaction transaction(c);
    c.exec("UPDATE preview_background_file SET updated_at = now() AT TIME ZONE 'utc' WHERE id = $1::uuid", {id});
    JsonWriter update;
    update.begin_object().field("preview_background_file_id", id).end_object();
    insert_event(c, "preview-background-file:update", user_id, std::nullopt, update.take());
    transaction.commit();
}

} // namespace slate::engine::queries
