#pragma once
// engine/people/entity_chats.h: an entity's chat and its messages (Zou's chats_service get_chat,
// get_chat_messages, get_chat_message, create_chat_message, delete_chat_message). The chat is
// created the first time it is asked for.

#include "engine/fwd.h"

#include <optional>
#include <string>
#include <vector>

namespace slate::engine::services {
struct Attachment;
} // namespace slate::engine::services
namespace slate::engine::storage {
class StagedFiles;
struct DeletedFiles;
} // namespace slate::engine::storage

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

/// Posts a message (chat:new-message, live only) with its files; 400 "You are not a
/// participant of this chat" unless the person joined it. Answers the message, with
/// "attachment_files" when files came. The files move in through `staged`, which the caller
/// keeps once this (outermost) transaction has committed.
std::string post_chat_message(db::Connection& c, storage::StagedFiles& staged, const std::string& entity_id,
                              const std::string& person_id, const std::string& text,
                              const std::vector<services::Attachment>& attachments);
/// Removes a message and its attachment rows (chat:deleted-message, live only); their stored
/// files go into `deleted`, for the caller to remove after the commit.
void delete_chat_message(db::Connection& c, const std::string& message_id, storage::DeletedFiles& deleted);

} // namespace slate::engine::user
