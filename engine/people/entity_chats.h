#pragma once
// engine/people/entity_chats.h: an entity's chat and its messages (Zou's chats_service get_chat,
// get_chat_messages, get_chat_message, create_chat_message, delete_chat_message). The chat is
// created the first time it is asked for.

#include "engine/fwd.h"

#include <optional>
#include <string>

namespace slate::engine::user {

/// The entity's chat with its "participants" (ids) and its "messages".
std::string entity_chat_json(db::Connection& c, const std::string& entity_id);
/// The chat's messages, oldest first, each with "attachment_files" ({id, name, extension}).
std::string chat_messages_json(db::Connection& c, const std::string& entity_id);

/// A message of the entity's chat: nullopt when there is none with that id; `in_chat` false when
/// it belongs to another chat. `person_id` is its author.
struct ChatMessage {
    std::string json;
    std::string person_id;
    bool in_chat = false;
};
std::optional<ChatMessage> chat_message(db::Connection& c, const std::string& entity_id, const std::string& message_id);

/// Posts a message (chat:new-message, live only); 400 "You are not a participant of this chat"
/// unless the person joined it. Answers the message.
std::string post_chat_message(db::Connection& c, const std::string& entity_id, const std::string& person_id,
                              const std::string& text);
/// Removes a message and its attachment rows (chat:deleted-message, live only).
void delete_chat_message(db::Connection& c, const std::string& message_id);

} // namespace slate::engine::user
