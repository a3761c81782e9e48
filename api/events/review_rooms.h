#pragma once
// api/events/review_rooms.h: Zou's review rooms (zou/event_stream.py): a playlist's room holds
// who joined it and the shared player state (frame, playing, comparison…); members' messages
// (annotations, version changes, pan and zoom) are relayed to everyone in the room, the sender
// included, as flask-socketio's emit(room=…) does.

#include <Poco/JSON/Object.h>

#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

namespace slate::api::events {

class ReviewRooms {
public:
    /// Sends `event` with `data` (JSON text) to the connections `sids`.
    using Emit = std::function<void(const std::vector<std::string>& sids, const std::string& event,
                                    const std::string& data_json)>;
    /// Whether `person_id` may see the playlist `playlist_id` (its production's access rule).
    using MayOpen = std::function<bool(const std::string& sid, const std::string& playlist_id)>;
    ReviewRooms(Emit emit, MayOpen may_open) : m_emit(std::move(emit)), m_may_open(std::move(may_open)) {}

    /// Handles a `preview-room:*` event; false when `event` is not one.
    bool handle(const std::string& sid, const std::string& user_id, const std::string& event,
                const Poco::JSON::Object::Ptr& data);
    /// The connection went away: it leaves every room, as a person where it had joined.
    void forget(const std::string& sid, const std::string& user_id);
    std::size_t room_count() const;

private:
    struct Room {
        Poco::JSON::Object::Ptr state; ///< Zou's room object, "people" included
        std::vector<std::string> people;
    };
    Room& room_locked(const std::string& room_id);
    void leave_locked(const std::string& room_id, const std::string& user_id);
    void emit_people_locked(const std::string& room_id);
    void emit_locked(const std::string& room_id, const std::string& event, const std::string& data_json);
    std::vector<std::string> members_locked(const std::string& room_id) const;

    Emit m_emit;
    MayOpen m_may_open;
    mutable std::mutex m_mutex;
    std::map<std::string, Room> m_rooms;
    std::map<std::string, std::set<std::string>> m_members;      ///< room → connections in it
    std::map<std::string, std::set<std::string>> m_joined_rooms; ///< user → rooms joined as a person
};

} // namespace slate::api::events
