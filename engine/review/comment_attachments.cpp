// engine/review/comment_attachments.cpp: the SQL of reading comment attachments.
#include "engine/review/comment_attachments.h"

#include "engine/uuid.h"

namespace slate::engine::queries {

db::Result comment_attachment_rows(db::Connection& c, const std::string& comment_id) {
    return c.exec("SELECT id, name, extension, size FROM attachment_file WHERE comment_id = $1::uuid "
                  "ORDER BY created_at",
                  {comment_id});
}

std::optional<AttachmentOwner> attachment_owner(db::Connection& c, const std::string& attachment_id) {
    if (!is_uuid(attachment_id))
        return std::nullopt;
    const auto row = c.exec("SELECT comment_id FROM attachment_file WHERE id = $1::uuid", {attachment_id});
    if (row.rows() == 0)
        return std::nullopt;
    return AttachmentOwner{row.optional(0, "comment_id")};
}

std::optional<AttachmentFile> find_attachment_file(db::Connection& c, const std::string& attachment_id) {
    if (!is_uuid(attachment_id))
        return std::nullopt;
    const auto row = c.exec(R"(SELECT a.name, a.mimetype, a.updated_at::text AS updated_at, cm.object_id,
            t.project_id, t.entity_id, m.chat_id, e.project_id AS chat_project_id, e.id AS chat_entity_id
        FROM attachment_file a LEFT JOIN comment cm ON cm.id = a.comment_id
        LEFT JOIN task t ON t.id = cm.object_id
        LEFT JOIN chat_message m ON m.id = a.chat_message_id
        LEFT JOIN chat ch ON ch.id = m.chat_id LEFT JOIN entity e ON e.id = ch.object_id
        WHERE a.id = $1::uuid)",
                            {attachment_id});
    if (row.rows() == 0)
        return std::nullopt;
    AttachmentFile file;
    file.name = row.optional(0, "name");
    file.mimetype = row.optional(0, "mimetype");
    file.updated_at = row.optional(0, "updated_at");
    file.task_project_id = row.optional(0, "project_id");
    file.task_entity_id = row.optional(0, "entity_id");
    file.chat_project_id = row.optional(0, "chat_project_id");
    file.chat_entity_id = row.optional(0, "chat_entity_id");
    return file;
}

namespace {

db::Result attachment_files_where(db::Connection& c, const char* column, const std::string& id) {
    return c.exec(std::string(R"(SELECT a.* FROM attachment_file a
        JOIN comment cm ON cm.id = a.comment_id JOIN task t ON t.id = cm.object_id WHERE )") +
                      column + " = $1::uuid ORDER BY a.created_at",
                  {id});
}

} // namespace

db::Result project_attachment_files(db::Connection& c, const std::string& project_id) {
    return attachment_files_where(c, "t.project_id", project_id);
}

db::Result task_attachment_files(db::Connection& c, const std::string& task_id) {
    return attachment_files_where(c, "t.id", task_id);
}

} // namespace slate::engine::queries
