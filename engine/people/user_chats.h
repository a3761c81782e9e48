#pragma once
// engine/people/user_chats.h: the chats of entities a person takes part in (Zou's
// chats_service get_chats_for_person, join_chat, leave_chat). An entity's chat is created the
// first time someone asks for it.

#include "engine/db/connection.h"

#include <string>

namespace slate::engine::user {

/// The entity's chat row, created when missing.
db::Result chat_of(db::Connection& c, const std::string& entity_id);
/// Publishes a live-only chat event (Zou's persist=False): no ApiEvent row.
void chat_signal(db::Connection& c, const char* name, const std::string& data_json);

/// The person's chats on entities of open productions: {id, object_id, last_message,
/// entity_name, project_id, preview_file_id}.
std::string chats_json(db::Connection& c, const std::string& person_id);
/// Joins the entity's chat (chat:joined, live only); answers the chat.
std::string join_chat(db::Connection& c, const std::string& entity_id, const std::string& person_id);
/// Leaves it (chat:left, live only).
void leave_chat(db::Connection& c, const std::string& entity_id, const std::string& person_id);

} // namespace slate::engine::user
