// engine/people/user_chats.cpp: the SQL of a person's entity chats.
#include "engine/people/user_chats.h"

#include "engine/db/connection.h"
#include "engine/json.h"
#include "engine/people/entity_names.h"
#include "engine/serialize.h"
#include "engine/uuid.h"

namespace slate::engine::user {

db::Result chat_of(db::Connection& c, const std::string& entity_id) {
    auto chat = c.exec("SELECT * FROM chat WHERE object_id = $1::uuid LIMIT 1", {entity_id});
    if (chat.rows() == 0)
        chat = c.exec("INSERT INTO chat (id, object_id, object_type, created_at, updated_at) VALUES ($1::uuid, "
                      "$2::uuid, 'entity', now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc') RETURNING *",
                      {new_uuid(), entity_id});
    return chat;
}

void chat_signal(db::Connection& c, const char* name, const std::string& data_json) {
    c.exec("SELECT pg_notify('slate_events', json_build_object('name', $1::text, 'data', $2::jsonb, 'project_id', "
           "NULL)::text)",
           {std::string(name), data_json});
}

namespace {

/// chat:joined and chat:left are only live signals: Zou does not persist them.
void signal(db::Connection& c, const char* name, const std::string& chat_id, const std::string& person_id) {
    JsonWriter data;
    data.begin_object().field("chat_id", chat_id).field("person_id", person_id).end_object();
    chat_signal(c, name, data.take());
}

} // namespace

std::string chats_json(db::Connection& c, const std::string& person_id) {
    const auto rows = c.exec(std::string("SELECT ch.id, ch.object_id, ch.last_message, ") + full_entity_name_sql +
                                 " AS entity_name, e.project_id, e.preview_file_id FROM chat ch "
                                 "JOIN chat_participant cp ON cp.chat_id = ch.id AND cp.person_id = $1::uuid "
                                 "JOIN entity e ON e.id = ch.object_id" +
                                 entity_name_joins +
                                 " JOIN project p ON p.id = e.project_id "
                                 "JOIN project_status ps ON ps.id = p.project_status_id AND ps.name = 'Open'",
                             {person_id});
    return rows_array_json(rows);
}

std::string join_chat(db::Connection& c, const std::string& entity_id, const std::string& person_id) {
    db::Transaction transaction(c);
    const auto chat = chat_of(c, entity_id);
    const std::string chat_id(chat.get(0, "id"));
    c.exec("INSERT INTO chat_participant (chat_id, person_id) VALUES ($1::uuid, $2::uuid) ON CONFLICT DO NOTHING",
           {chat_id, person_id});
    signal(c, "chat:joined", chat_id, person_id);
    transaction.commit();
    return row_json(chat, 0, "Chat");
}

void leave_chat(db::Connection& c, const std::string& entity_id, const std::string& person_id) {
    db::Transaction transaction(c);
    const std::string chat_id(chat_of(c, entity_id).get(0, "id"));
    c.exec("DELETE FROM chat_participant WHERE chat_id = $1::uuid AND person_id = $2::uuid", {chat_id, person_id});
    signal(c, "chat:left", chat_id, person_id);
    transaction.commit();
}

} // namespace slate::engine::user
