#pragma once
// engine/people/picture_owners.h: the rows pictures belong to: persons' avatars, projects' and
// the organisation's logos, and preview backgrounds (their HDR file and thumbnail).

#include "engine/db/connection.h"

#include <cstdint>
#include <optional>
#include <string>

namespace slate::engine::queries {

/// What a thumbnail belongs to; each is a table with has_avatar.
enum class PictureOwnerKind { person, project, organisation };

/// The table (and event model) name of a kind: "person", "project", "organisation".
const char* picture_owner_table(PictureOwnerKind kind);

struct PictureOwner {
    std::string id;
    bool has_avatar = false;
    std::string updated_at; ///< PostgreSQL's text of updated_at, for Last-Modified
};

/// The row a thumbnail belongs to, or nothing (a malformed id names nothing). The
/// organisation is the studio's one whatever `id` says, created with Zou's defaults if need be.
std::optional<PictureOwner> find_picture_owner(db::Connection& c, PictureOwnerKind kind, const std::string& id);

/// Marks the owner as having a thumbnail, with Zou's "<table>:set-thumbnail" event
/// ({"<table>_id"}) by `user_id`, in one transaction.
void set_has_thumbnail(db::Connection& c, PictureOwnerKind kind, const std::string& owner_id,
                       const std::string& user_id);

/// Turns a person's avatar off, with a person:update event by `user_id`, in one transaction.
void clear_person_avatar(db::Connection& c, const std::string& person_id, const std::string& user_id);

struct PreviewBackground {
    std::optional<std::string> extension; ///< of the uploaded file; none before an upload
    std::string original_name;
    std::string updated_at; ///< PostgreSQL's text of updated_at, for Last-Modified
};

/// A preview background file, or nothing (a malformed id names nothing).
std::optional<PreviewBackground> find_preview_background(db::Connection& c, const std::string& id);

/// Deletes the row (Zou drops a background whose upload is refused).
void delete_preview_background(db::Connection& c, const std::string& id);

/// Records an uploaded file on the background, with Zou's preview-background-file:update and
/// :add-file events by `user_id`, in one transaction; answers the row as Zou serialises it.
std::string set_preview_background_file(db::Connection& c, const std::string& id, const std::string& extension,
                                        const std::string& original_name, int64_t file_size,
                                        const std::string& user_id);

/// Marks the background updated (a new thumbnail), with a preview-background-file:update event.
void touch_preview_background(db::Connection& c, const std::string& id, const std::string& user_id);

} // namespace slate::engine::queries
