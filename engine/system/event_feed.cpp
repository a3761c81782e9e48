#include "engine/system/event_feed.h"

#include "engine/log.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <chrono>
#include <sstream>

namespace slate::engine::system {
namespace {

std::optional<std::string> text_of(const Poco::JSON::Object& object, const std::string& key) {
    if (!object.has(key) || object.isNull(key))
        return std::nullopt;
    return object.getValue<std::string>(key);
}

} // namespace

std::optional<StreamEvent> read_stream_event(const std::string& payload) {
    try {
        Poco::JSON::Parser parser;
        const auto root = parser.parse(payload).extract<Poco::JSON::Object::Ptr>();
        if (!root || !root->has("name"))
            return std::nullopt;
        StreamEvent event;
        event.name = root->getValue<std::string>("name");
        event.event_id = text_of(*root, "event_id");
        Poco::JSON::Object::Ptr data = root->getObject("data");
        if (!data)
            data = new Poco::JSON::Object;
        std::ostringstream text;
        data->stringify(text);
        event.data_json = text.str();
        event.project_id = text_of(*root, "project_id");
        if (!event.project_id)
            event.project_id = text_of(*data, "project_id");
        if (event.name.rfind("notification:", 0) == 0)
            event.person_id = text_of(*data, "person_id");
        return event;
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

bool read_back_event(db::Connection& c, StreamEvent& event) {
    const auto row = c.exec("SELECT json_build_object('name', name, 'data', data, 'project_id', project_id)::text "
                            "FROM api_event WHERE id = $1::uuid",
                            {*event.event_id});
    if (row.rows() == 0)
        return false;
    auto full = read_stream_event(std::string(row.get(0, 0)));
    if (!full)
        return false;
    event = std::move(*full);
    return true;
}

EventFeed::EventFeed(db::ConnectionSettings settings, Handler handler)
    : m_settings(std::move(settings)), m_handler(std::move(handler)) {}

EventFeed::~EventFeed() {
    stop();
}

void EventFeed::start() {
    m_stopping = false;
    m_thread = std::thread([this] { listen_loop(); });
}

void EventFeed::stop() {
    m_stopping = true;
    if (m_thread.joinable())
        m_thread.join();
    m_live = false;
}

void EventFeed::listen_loop() {
    std::unique_ptr<db::Connection> listener;
    while (!m_stopping) {
        try {
            if (!listener) {
                listener = std::make_unique<db::Connection>(m_settings);
                listener->exec("LISTEN slate_events");
                m_live = true;
            }
            for (const auto& notification : listener->wait_for_notifications(250))
                if (notification.channel == "slate_events")
                    if (auto event = read_stream_event(notification.payload))
                        if (!event->event_id || read_back_event(*listener, *event))
                            m_handler(*event);
        } catch (const std::exception& e) {
            if (m_live)
                log::warning(std::string("event feed stopped listening: ") + e.what());
            m_live = false;
            listener.reset();
            std::this_thread::sleep_for(std::chrono::milliseconds(500));
        }
    }
}

} // namespace slate::engine::system
