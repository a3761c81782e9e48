#include "api/events/review_rooms.h"

#include <Poco/JSON/Array.h>

#include <algorithm>
#include <sstream>

namespace slate::api::events {
namespace {

using Poco::JSON::Object;

std::string text(const Object::Ptr& object) {
    std::ostringstream out;
    object->stringify(out);
    return out.str();
}

std::string room_id_of(const Object::Ptr& data, const char* fallback) {
    if (data && data->has("playlist_id") && !data->isNull("playlist_id"))
        return data->get("playlist_id").toString();
    return fallback;
}

Object::Ptr empty_room() {
    Object::Ptr room = new Object;
    for (const char* key :
         {"playlist_id", "user_id", "local_id", "current_entity_id", "current_entity_index", "current_preview_file_id",
          "current_preview_file_index", "is_repeating", "is_laser_mode", "handle_in", "handle_out", "speed"})
        room->set(key, Poco::Dynamic::Var());
    room->set("people", Poco::JSON::Array::Ptr(new Poco::JSON::Array));
    room->set("is_playing", false);
    room->set("current_frame", 0);
    room->set("is_annotations_displayed", false);
    room->set("is_zoom_enabled", false);
    room->set("is_waveform_displayed", false);
    Object::Ptr comparing = new Object;
    comparing->set("enable", false);
    comparing->set("task_type", Poco::Dynamic::Var());
    comparing->set("revision", Poco::Dynamic::Var());
    comparing->set("mode", "sidebyside");
    comparing->set("comparison_preview_index", 0);
    room->set("comparing", comparing);
    return room;
}

/// Zou's _update_room_playing_status: the player fields taken from the message (absent ones
/// reset to their defaults), the frame, comparison and speed only when sent.
void update_playing_status(Object& room, const Object::Ptr& data) {
    const auto value = [&](const char* key, const Poco::Dynamic::Var& fallback) {
        room.set(key, data->has(key) ? data->get(key) : fallback);
    };
    value("playlist_id", std::string());
    for (const char* key :
         {"user_id", "local_id", "is_repeating", "is_laser_mode", "current_entity_id", "current_entity_index",
          "current_preview_file_id", "current_preview_file_index", "handle_in", "handle_out"})
        value(key, Poco::Dynamic::Var());
    for (const char* key : {"is_playing", "is_annotations_displayed", "is_zoom_enabled", "is_waveform_displayed"})
        value(key, false);
    if (data->has("current_frame"))
        room.set("current_frame", data->get("current_frame"));
    if (data->has("comparing") && data->getObject("comparing")) {
        Object::Ptr kept = new Object;
        const auto sent = data->getObject("comparing");
        for (const char* key : {"enable", "task_type", "revision", "mode", "comparison_preview_index"})
            if (sent->has(key))
                kept->set(key, sent->get(key));
        room.set("comparing", kept);
    }
    if (data->has("speed") && data->get("speed").isNumeric())
        room.set("speed", data->get("speed"));
}

} // namespace

ReviewRooms::Room& ReviewRooms::room_locked(const std::string& room_id) {
    auto& room = m_rooms[room_id];
    if (!room.state)
        room.state = empty_room();
    return room;
}

std::vector<std::string> ReviewRooms::members_locked(const std::string& room_id) const {
    const auto found = m_members.find(room_id);
    return found == m_members.end() ? std::vector<std::string>{}
                                    : std::vector<std::string>(found->second.begin(), found->second.end());
}

void ReviewRooms::emit_locked(const std::string& room_id, const std::string& event, const std::string& data_json) {
    m_emit(members_locked(room_id), event, data_json);
}

void ReviewRooms::emit_people_locked(const std::string& room_id) {
    Object::Ptr data = new Object;
    Poco::JSON::Array::Ptr people = new Poco::JSON::Array;
    if (const auto found = m_rooms.find(room_id); found != m_rooms.end())
        for (const auto& person : found->second.people)
            people->add(person);
    data->set("people", people);
    data->set("playlist_id", room_id);
    data->set("id", room_id);
    emit_locked(room_id, "preview-room:room-people-updated", text(data));
}

void ReviewRooms::leave_locked(const std::string& room_id, const std::string& user_id) {
    auto found = m_rooms.find(room_id);
    if (found != m_rooms.end()) {
        auto& people = found->second.people;
        people.erase(std::remove(people.begin(), people.end(), user_id), people.end());
        if (people.empty())
            m_rooms.erase(found);
    }
    if (auto joined = m_joined_rooms.find(user_id); joined != m_joined_rooms.end()) {
        joined->second.erase(room_id);
        if (joined->second.empty())
            m_joined_rooms.erase(joined);
    }
    emit_people_locked(room_id);
}

bool ReviewRooms::handle(const std::string& sid, const std::string& user_id, const std::string& event,
                         const Object::Ptr& data_in) {
    if (event.rfind("preview-room:", 0) != 0)
        return false;
    const Object::Ptr data = data_in ? data_in : Object::Ptr(new Object);
    const std::string action = event.substr(13);
    if (action == "open-playlist" || action == "join") {
        const std::string room_id = room_id_of(data, "0");
        if (!m_may_open(sid, room_id))
            return true; // silently, as Zou: no access, no room
        std::lock_guard lock(m_mutex);
        Room& room = room_locked(room_id);
        m_members[room_id].insert(sid);
        if (action == "join") {
            if (room.people.empty())
                update_playing_status(*room.state, data);
            if (std::find(room.people.begin(), room.people.end(), user_id) == room.people.end())
                room.people.push_back(user_id);
            room.state->set("playlist_id", room_id);
            m_joined_rooms[user_id].insert(room_id);
        }
        Poco::JSON::Array::Ptr people = new Poco::JSON::Array;
        for (const auto& person : room.people)
            people->add(person);
        room.state->set("people", people);
        emit_people_locked(room_id);
        if (action == "join")
            emit_locked(room_id, "preview-room:room-updated", text(room.state));
        return true;
    }
    std::lock_guard lock(m_mutex);
    if (action == "close-playlist") {
        const std::string room_id = room_id_of(data, "0");
        if (auto members = m_members.find(room_id); members != m_members.end())
            members->second.erase(sid);
    } else if (action == "leave") {
        leave_locked(room_id_of(data, ""), user_id);
    } else if (action == "room-updated") {
        const std::string room_id = room_id_of(data, "0");
        Room& room = room_locked(room_id);
        update_playing_status(*room.state, data);
        Object::Ptr sent = new Object(*room.state);
        sent->set("only_newcomer", false);
        emit_locked(room_id, "preview-room:room-updated", text(sent));
    } else if (action == "add-annotation" || action == "remove-annotation" || action == "update-annotation" ||
               action == "change-version" || action == "panzoom-changed" || action == "comparison-panzoom-changed") {
        emit_locked(room_id_of(data, ""), event, text(data));
    }
    return true;
}

void ReviewRooms::forget(const std::string& sid, const std::string& user_id) {
    std::lock_guard lock(m_mutex);
    for (auto& [room_id, members] : m_members)
        members.erase(sid);
    if (const auto joined = m_joined_rooms.find(user_id); joined != m_joined_rooms.end()) {
        const std::set<std::string> rooms = joined->second;
        for (const auto& room_id : rooms)
            leave_locked(room_id, user_id);
    }
}

std::size_t ReviewRooms::room_count() const {
    std::lock_guard lock(m_mutex);
    return m_rooms.size();
}

} // namespace slate::api::events
