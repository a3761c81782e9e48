// engine/people/entity_chats.cpp: the SQL of an entity's chat.
#include "engine/people/entity_chats.h"

#include "engine/crud/values.h"
#include "engine/db/connection.h"
#include "engine/error.h"
#include "engine/json.h"
#include "engine/people/user_chats.h"
#include "engine/review/comments.h"
#include "engine/storage/deleted_files.h"
#include "engine/serialize.h"
#include "engine/uuid.h"

namespace slate::engine::user {
namespace {

constexpr const char* message_select = R"(SELECT m.*, COALESCE((SELECT jsonb_agg(jsonb_build_object('id', a.id,
        'name', a.name, 'extension', a.extension) ORDER BY a.created_at) FROM attachment_file a
        WHERE a.chat_message_id = m.id), '[]'::jsonb) AS attachment_files FROM chat_message m)";

/// The chat (created when missing) as serialize(relations=True).
std::string chat_with_participants(db::Connection& c, const std::string& entity_id, std::string& chat_id) {
    chat_id = std::string(chat_of(c, entity_id).get(0, "id"));
    const auto chat = c.exec("SELECT ch.*, COALESCE((SELECT array_agg(cp.person_id::text ORDER BY cp.person_id) "
                             "FROM chat_participant cp WHERE cp.chat_id = ch.id), '{}') AS participants "
                             "FROM chat ch WHERE ch.id = $1::uuid",
                             {chat_id});
    return row_json(chat, 0, "Chat");
}

std::string messages_of(db::Connection& c, const std::string& chat_id) {
    return rows_json(
        c.exec(std::string(message_select) + " WHERE m.chat_id = $1::uuid ORDER BY m.created_at", {chat_id}),
        "ChatMessage");
}

} // namespace

std::string entity_chat_json(db::Connection& c, const std::string& entity_id) {
    std::string chat_id;
    std::string chat = chat_with_participants(c, entity_id, chat_id);
    chat.pop_back();
    return chat + ",\"messages\":" + messages_of(c, chat_id) + "}";
}

std::string chat_messages_json(db::Connection& c, const std::string& entity_id) {
    return messages_of(c, std::string(chat_of(c, entity_id).get(0, "id")));
}

std::optional<ChatMessage> chat_message(db::Connection& c, const std::string& entity_id,
                                        const std::string& message_id) {
    const std::string chat_id(chat_of(c, entity_id).get(0, "id"));
    if (!is_uuid(message_id))
        return std::nullopt;
    const auto row = c.exec(std::string(message_select) + " WHERE m.id = $1::uuid", {message_id});
    if (row.rows() == 0)
        return std::nullopt;
    return ChatMessage{row_json(row, 0, "ChatMessage"), std::string(row.get(0, "person_id")),
                       row.get(0, "chat_id") == chat_id};
}

std::string post_chat_message(db::Connection& c, storage::StagedFiles& staged, const std::string& entity_id,
                              const std::string& person_id, const std::string& text,
                              const std::vector<services::Attachment>& attachments) {
    db::Transaction transaction(c);
    const std::string chat_id(chat_of(c, entity_id).get(0, "id"));
    if (c.exec("SELECT 1 FROM chat_participant WHERE chat_id = $1::uuid AND person_id = $2::uuid", {chat_id, person_id})
            .rows() == 0)
        throw_wrong_parameter("You are not a participant of this chat");
    const auto message = c.exec("INSERT INTO chat_message (id, chat_id, person_id, text, created_at, updated_at) "
                                "VALUES (gen_random_uuid(), $1::uuid, $2::uuid, $3, now() AT TIME ZONE 'utc', "
                                "now() AT TIME ZONE 'utc') RETURNING *",
                                {chat_id, person_id, text});
    c.exec("UPDATE chat SET last_message = $2::timestamp, updated_at = now() AT TIME ZONE 'utc' WHERE id = $1::uuid",
           {chat_id, std::string(message.get(0, "created_at"))});
    const std::string id(message.get(0, "id"));
    JsonWriter data;
    data.begin_object()
        .field("chat_id", chat_id)
        .field("chat_message_id", id)
        .field("last_message", zou_datetime(message.get(0, "created_at")))
        .end_object();
    // Zou answers serialize(), plus the new attachments' {id, name, extension, size} when files came.
    std::string answer = row_json(message, 0, "ChatMessage");
    if (!attachments.empty()) {
        answer.pop_back();
        answer += ",\"attachment_files\":" + services::add_chat_attachments(c, staged, id, attachments) + "}";
    }
    chat_signal(c, "chat:new-message", data.take());
    transaction.commit();
    return answer;
}

void delete_chat_message(db::Connection& c, const std::string& message_id, storage::DeletedFiles& deleted) {
    db::Transaction transaction(c);
    const auto attachments = c.exec("DELETE FROM attachment_file WHERE chat_message_id = $1::uuid RETURNING id",
                                    {message_id});
    for (int row = 0; row < attachments.rows(); ++row)
        deleted.attachments.emplace_back(attachments.get(row, "id"));
    const auto message = c.exec("DELETE FROM chat_message WHERE id = $1::uuid RETURNING chat_id", {message_id});
    if (message.rows()) {
        JsonWriter data;
        data.begin_object()
            .field("chat_id", std::string(message.get(0, "chat_id")))
            .field("chat_message_id", message_id)
            .end_object();
        chat_signal(c, "chat:deleted-message", data.take());
    }
    transaction.commit();
}

} // namespace slate::engine::user
