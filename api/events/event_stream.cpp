#include "api/events/event_stream.h"

#include "api/events/engine_io.h"

#include "api/events/review_rooms.h"
#include "api/events/websocket.h"
#include "api/http/connection_loop.h"
#include "api/reply.h"
#include "api/server.h"
#include "engine/access.h"
#include "engine/config.h"
#include "engine/auth/password.h"
#include "engine/db/pool.h"
#include "engine/log.h"
#include "engine/system/event_feed.h"
#include "engine/uuid.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <istream>
#include <map>
#include <mutex>
#include <sstream>
#include <thread>

namespace slate::api::events {
namespace {

/// One Engine.IO session (a client), whichever transport carries it.
struct Session {
    std::string sid;
    std::string token; ///< from the handshake's Authorization header or cookie
    std::mutex mutex;
    std::deque<std::string> outbox; ///< packets waiting for the next poll
    std::size_t outbox_bytes = 0;
    std::shared_ptr<http::DeferredAnswer> poll;
    bool poll_keep = true;
    std::shared_ptr<http::StreamWriter> ws;
    bool upgraded = false; ///< packets now go over `ws`
    bool probed = false;   ///< the WebSocket answered its probe: polls are let go at once
    bool closed = false;
    bool awaiting_pong = false;
    Clock::time_point ping_sent = Clock::now();
    Clock::time_point checked = Clock::now();
    // Socket.IO, /events.
    bool joined = false;
    std::optional<engine::services::Identity> identity;
};


} // namespace

struct EventStream::Impl {
    explicit Impl(Services& services)
        : services(services),
          rooms([this](const std::vector<std::string>& sids, const std::string& event,
                       const std::string& data) { emit_to(sids, event, data); },
                [this](const std::string& sid, const std::string& playlist_id) { return may_open(sid, playlist_id); }),
          feed(services.pool.settings(), [this](const engine::system::StreamEvent& event) { relay(event); }) {}

    Services& services;
    mutable std::mutex sessions_mutex;
    std::map<std::string, std::shared_ptr<Session>> sessions;
    ReviewRooms rooms;
    engine::system::EventFeed feed;
    /// The stream's own thread: the WebSocket packets the loop read (a CONNECT's token check
    /// and a room join read the database: never on the loop thread), and the pings each second.
    std::thread timer;
    std::mutex timer_mutex;
    std::condition_variable timer_wake;
    bool stopping = false;
    std::deque<std::pair<std::shared_ptr<Session>, std::string>> ws_packets; ///< under timer_mutex

    void queue_ws_packet(const std::shared_ptr<Session>& session, std::string text) {
        {
            std::lock_guard lock(timer_mutex);
            ws_packets.emplace_back(session, std::move(text));
        }
        timer_wake.notify_one();
    }

    std::shared_ptr<Session> find(const std::string& sid) const {
        std::lock_guard lock(sessions_mutex);
        const auto found = sessions.find(sid);
        return found == sessions.end() ? nullptr : found->second;
    }

    std::shared_ptr<Session> create(const std::string& token) {
        auto session = std::make_shared<Session>();
        session->sid = engine::auth::random_code(20);
        session->token = token;
        std::lock_guard lock(sessions_mutex);
        sessions[session->sid] = session;
        return session;
    }

    /// Sends one Engine.IO packet by the session's transport, or keeps it for the next poll.
    /// `frame`, when given, is the packet's WebSocket frame (made once for every listener).
    void send(Session& session, const std::string& packet, const std::string* frame = nullptr) {
        std::unique_lock lock(session.mutex);
        if (session.closed)
            return;
        if (session.upgraded && session.ws) {
            if (!session.ws->send(frame ? *frame : websocket_frame(packet)))
                session.closed = true; // the loop closes the connection and calls on_closed
            return;
        }
        if (session.poll) {
            std::string payload = packet;
            answer_poll_locked(session, &payload);
            return;
        }
        session.outbox_bytes += packet.size();
        session.outbox.push_back(packet);
        if (session.outbox_bytes > static_cast<std::size_t>(services.config.event_client_backlog)) {
            lock.unlock();
            close(session); // a poller that stopped polling
        }
    }

    /// Answers the pending poll with the outbox, then `extra`.
    void answer_poll_locked(Session& session, const std::string* extra) {
        std::string payload;
        for (const auto& packet : session.outbox)
            payload += (payload.empty() ? "" : std::string(1, separator)) + packet;
        if (extra)
            payload += (payload.empty() ? "" : std::string(1, separator)) + *extra;
        session.outbox.clear();
        session.outbox_bytes = 0;
        const auto poll = std::move(session.poll);
        poll->complete(http_answer(payload, "text/plain; charset=UTF-8", session.poll_keep), session.poll_keep);
    }

    void close(Session& session) {
        {
            std::lock_guard lock(session.mutex);
            if (session.closed && !session.poll && !session.ws)
                return;
            session.closed = true;
            if (session.poll) {
                const std::string noop = "6";
                answer_poll_locked(session, &noop);
            }
            if (session.ws)
                session.ws->close();
        }
        {
            std::lock_guard lock(sessions_mutex);
            sessions.erase(session.sid);
        }
        if (session.identity)
            rooms.forget(session.sid, session.identity->person_id);
    }

    void emit_to(const std::vector<std::string>& sids, const std::string& event, const std::string& data) {
        const std::string packet = "42/events,[" + json_text(event) + "," + data + "]";
        for (const auto& sid : sids)
            if (const auto session = find(sid))
                send(*session, packet);
    }

    bool may_open(const std::string& sid, const std::string& playlist_id) {
        const auto session = find(sid);
        if (!session || !session->identity)
            return false;
        try {
            auto lease = services.pool.acquire();
            const auto playlist =
                engine::access::load_subject(*lease, engine::access::SubjectKind::playlist, playlist_id);
            return engine::access::has_project_access(*session->identity, *lease, playlist.project_id);
        } catch (const std::exception&) {
            return false;
        }
    }

    /// An event some process committed: to every client of /events allowed to see it.
    void relay(const engine::system::StreamEvent& event) {
        std::vector<std::shared_ptr<Session>> listeners;
        {
            std::lock_guard lock(sessions_mutex);
            for (const auto& [sid, session] : sessions)
                if (session->joined)
                    listeners.push_back(session);
        }
        if (listeners.empty())
            return;
        const std::string packet = "42/events,[" + json_text(event.name) + "," + event.data_json + "]";
        const std::string frame = websocket_frame(packet);
        std::optional<engine::db::Lease> lease;
        for (const auto& session : listeners) {
            const auto& identity = *session->identity;
            if (event.person_id && *event.person_id != identity.person_id)
                continue; // a notification is its recipient's only
            if (event.project_id && identity.role != "admin") {
                try {
                    if (!lease)
                        lease.emplace(services.pool.acquire());
                    if (!engine::access::has_project_access(identity, **lease, *event.project_id))
                        continue;
                } catch (const std::exception& e) {
                    log::warning(std::string("event not relayed: ") + e.what());
                    continue;
                }
            }
            send(*session, packet, &frame);
        }
    }

    void socket_io(Session& session, std::string_view text) {
        if (text.empty())
            throw std::invalid_argument("empty Socket.IO packet");
        const char type = text[0];
        text.remove_prefix(1);
        std::string space = "/";
        if (!text.empty() && text[0] == '/') {
            const auto comma = text.find(',');
            space = std::string(text.substr(0, comma));
            text.remove_prefix(comma == std::string_view::npos ? text.size() : comma + 1);
        }
        std::string ack;
        while (!text.empty() && text[0] >= '0' && text[0] <= '9' && ack.size() < 18) {
            ack.push_back(text[0]);
            text.remove_prefix(1);
        }
        Poco::Dynamic::Var payload;
        if (!text.empty())
            payload = Poco::JSON::Parser().parse(std::string(text));
        const std::string prefix = space == "/" ? "" : space + ",";
        if (type == '0') {
            if (space != "/events" && space != "/") {
                send(session, "44" + prefix + R"({"message":"Invalid namespace"})");
                return;
            }
            std::string token = session.token;
            if (const auto auth = payload.type() == typeid(Poco::JSON::Object::Ptr)
                                      ? payload.extract<Poco::JSON::Object::Ptr>()
                                      : nullptr;
                auth && auth->has("token"))
                token = auth->getValue<std::string>("token");
            try {
                session.identity = services.auth.authenticate(token, engine::services::TokenUse::access);
                session.token = token;
            } catch (const std::exception&) {
                send(session, "44" + prefix + R"({"message":"Connection rejected by server"})");
                return;
            }
            if (space == "/events")
                session.joined = true;
            send(session, "40" + prefix + "{\"sid\":\"" + engine::auth::random_code(20) + "\"}");
        } else if (type == '1') {
            if (space == "/events") {
                session.joined = false;
                if (session.identity)
                    rooms.forget(session.sid, session.identity->person_id);
            }
        } else if (type == '2') {
            if (!session.joined || payload.type() != typeid(Poco::JSON::Array::Ptr))
                return;
            const auto arguments = payload.extract<Poco::JSON::Array::Ptr>();
            if (arguments->size() == 0)
                return;
            const std::string name = arguments->get(0).toString();
            Poco::JSON::Object::Ptr data = arguments->size() > 1 ? arguments->getObject(1) : nullptr;
            rooms.handle(session.sid, session.identity->person_id, name, data);
            if (!ack.empty())
                send(session, "43" + prefix + ack + "[]");
        } else if (type != '3') {
            throw std::invalid_argument("unknown Socket.IO packet type");
        }
    }

    /// One Engine.IO packet from the client. Throws on a malformed one (the session closes).
    void packet(Session& session, std::string_view text, bool via_ws) {
        if (text.empty())
            throw std::invalid_argument("empty packet");
        switch (text[0]) {
        case '2':
            if (via_ws && text == "2probe") {
                std::lock_guard lock(session.mutex);
                if (session.ws)
                    session.ws->send(websocket_frame("3probe"));
                // The client pauses polling before it sends the upgrade: a poll waiting here, or
                // arriving before the upgrade, is let go at once (as engine.io's server does),
                // not at the next ping.
                session.probed = true;
                if (session.poll) {
                    const std::string noop = "6";
                    answer_poll_locked(session, &noop);
                }
            }
            return;
        case '3': {
            std::lock_guard lock(session.mutex);
            session.awaiting_pong = false;
            return;
        }
        case '5': {
            std::lock_guard lock(session.mutex);
            if (!via_ws || !session.ws)
                throw std::invalid_argument("upgrade without a WebSocket");
            session.upgraded = true;
            if (session.poll) {
                const std::string noop = "6";
                answer_poll_locked(session, &noop);
            }
            for (const auto& waiting : session.outbox)
                session.ws->send(websocket_frame(waiting));
            session.outbox.clear();
            session.outbox_bytes = 0;
            return;
        }
        case '6': return;
        case '1': close(session); return;
        case '4': socket_io(session, text.substr(1)); return;
        default: throw std::invalid_argument("unknown Engine.IO packet type");
        }
    }

    void safe_packet(Session& session, std::string_view text, bool via_ws) {
        try {
            packet(session, text, via_ws);
        } catch (const std::exception& e) {
            log::debug(std::string("event stream session closed on a malformed packet: ") + e.what());
            close(session);
        }
    }

    void tick() {
        std::vector<std::shared_ptr<Session>> all;
        {
            std::lock_guard lock(sessions_mutex);
            for (const auto& [sid, session] : sessions)
                all.push_back(session);
        }
        const auto now = Clock::now();
        for (const auto& session : all) {
            bool ping = false, dead = false, recheck = false;
            {
                std::lock_guard lock(session->mutex);
                if (session->awaiting_pong && now - session->ping_sent > ping_timeout)
                    dead = true;
                else if (!session->awaiting_pong && now - session->ping_sent >= ping_interval) {
                    ping = true;
                    session->awaiting_pong = true;
                    session->ping_sent = now;
                }
                if (session->identity && now - session->checked > std::chrono::seconds(5)) {
                    recheck = true;
                    session->checked = now;
                }
            }
            if (recheck) {
                // A revoked token or a deactivated person loses the stream too.
                try {
                    services.auth.authenticate(session->token, engine::services::TokenUse::access);
                } catch (const std::exception&) {
                    send(*session, "41/events,");
                    dead = true;
                }
            }
            if (dead)
                close(*session);
            else if (ping)
                send(*session, "2");
        }
    }
};

namespace {

/// A WebSocket carrying an Engine.IO session, fed by the connection loop.
class WebSocketSession : public http::StreamSession {
public:
    WebSocketSession(EventStream::Impl& stream, std::shared_ptr<Session> session,
                     std::shared_ptr<http::StreamWriter> writer)
        : m_stream(stream), m_session(std::move(session)), m_writer(std::move(writer)), m_reader(max_payload) {}

    bool on_bytes(std::string_view bytes) override {
        for (auto& item : m_reader.feed(bytes)) {
            switch (item.kind) {
            case FrameReader::Kind::message: m_stream.queue_ws_packet(m_session, std::move(item.payload)); break;
            case FrameReader::Kind::ping: m_writer->send(websocket_frame(item.payload, 0xA)); break;
            case FrameReader::Kind::close:
                m_writer->send(websocket_frame(item.payload.substr(0, 2), 0x8));
                return false;
            case FrameReader::Kind::error: return false;
            }
        }
        std::lock_guard lock(m_session->mutex);
        return !(m_session->closed && m_session->ws == m_writer);
    }

    void on_closed() override {
        bool ours = false;
        {
            std::lock_guard lock(m_session->mutex);
            ours = m_session->ws == m_writer;
            if (ours)
                m_session->ws.reset();
        }
        if (ours)
            m_stream.close(*m_session);
    }

private:
    EventStream::Impl& m_stream;
    std::shared_ptr<Session> m_session;
    std::shared_ptr<http::StreamWriter> m_writer;
    FrameReader m_reader;
};


} // namespace

EventStream::EventStream(Services& services) : m_impl(std::make_unique<Impl>(services)) {}

EventStream::~EventStream() {
    stop();
}

void EventStream::start() {
    m_impl->feed.start();
    m_impl->stopping = false;
    m_impl->timer = std::thread([impl = m_impl.get()] {
        std::unique_lock lock(impl->timer_mutex);
        auto next_tick = Clock::now() + std::chrono::seconds(1);
        while (!impl->stopping) {
            impl->timer_wake.wait_until(lock, next_tick, [impl] { return impl->stopping || !impl->ws_packets.empty(); });
            if (impl->stopping)
                break;
            auto packets = std::move(impl->ws_packets);
            impl->ws_packets.clear();
            lock.unlock();
            for (auto& [session, text] : packets) // in the order the loop read them
                impl->safe_packet(*session, text, true);
            if (Clock::now() >= next_tick) {
                impl->tick();
                next_tick = Clock::now() + std::chrono::seconds(1);
            }
            lock.lock();
        }
    });
}

void EventStream::stop() {
    {
        std::lock_guard lock(m_impl->timer_mutex);
        if (m_impl->stopping)
            return;
        m_impl->stopping = true;
    }
    m_impl->timer_wake.notify_all();
    if (m_impl->timer.joinable())
        m_impl->timer.join();
    m_impl->feed.stop();
    std::vector<std::shared_ptr<Session>> all;
    {
        std::lock_guard lock(m_impl->sessions_mutex);
        for (const auto& [sid, session] : m_impl->sessions)
            all.push_back(session);
    }
    for (const auto& session : all)
        m_impl->close(*session);
}

StreamStats EventStream::stats() const {
    std::lock_guard lock(m_impl->sessions_mutex);
    return {m_impl->sessions.size(), m_impl->rooms.room_count(), m_impl->feed.live()};
}

void EventStream::handle(http::Exchange& exchange, Request& request) {
    Impl& impl = *m_impl;
    const auto refuse = [&](int code, const char* message) {
        answer_now(exchange, 400, "{\"code\":" + std::to_string(code) + ",\"message\":\"" + message + "\"}",
                   "application/json");
    };
    if (request.query_value("EIO").value_or("") != "4")
        return refuse(5, "Unsupported protocol version");
    const std::string transport = request.query_value("transport").value_or("");
    const std::string sid = request.query_value("sid").value_or("");

    if (transport == "websocket") {
        const std::string key = request.header("sec-websocket-key");
        std::string upgrade = request.header("upgrade");
        for (auto& c : upgrade)
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (request.method != "GET" || upgrade != "websocket" || key.empty())
            return refuse(3, "Bad request");
        std::shared_ptr<Session> session = sid.empty() ? impl.create(token_of(request)) : impl.find(sid);
        if (!session)
            return refuse(1, "Session ID unknown");
        exchange.channel().write_all("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                                     "Sec-WebSocket-Accept: " +
                                     websocket_accept(key) + "\r\n\r\n");
        exchange.upgrade(
            [&](std::shared_ptr<http::StreamWriter> writer) {
                {
                    std::lock_guard lock(session->mutex);
                    session->ws = writer;
                    if (sid.empty()) { // a WebSocket from the start: no probe, no upgrade
                        session->upgraded = true;
                        writer->send(websocket_frame(open_packet(session->sid, false)));
                    }
                }
                return std::make_shared<WebSocketSession>(impl, session, writer);
            },
            static_cast<std::size_t>(impl.services.config.event_client_backlog));
        return;
    }
    if (transport != "polling")
        return refuse(0, "Transport unknown");
    if (sid.empty()) {
        if (request.method != "GET")
            return refuse(2, "Bad handshake method");
        const auto session = impl.create(token_of(request));
        return answer_now(exchange, 200, open_packet(session->sid, true), "text/plain; charset=UTF-8");
    }
    const auto session = impl.find(sid);
    if (!session)
        return refuse(1, "Session ID unknown");
    if (request.method == "POST") {
        std::string body;
        try {
            body = read_small_body(exchange);
        } catch (const std::length_error&) {
            exchange.close_after();
            impl.close(*session);
            return answer_now(exchange, 413, R"({"code":3,"message":"Bad request"})", "application/json");
        }
        std::string_view rest(body);
        while (!rest.empty()) {
            const auto end = rest.find(separator);
            impl.safe_packet(*session, rest.substr(0, end), false);
            rest.remove_prefix(end == std::string_view::npos ? rest.size() : end + 1);
        }
        return answer_now(exchange, 200, "ok", "text/html");
    }
    if (request.method != "GET")
        return refuse(2, "Bad request method");
    std::unique_lock lock(session->mutex);
    if (session->poll || session->closed) {
        lock.unlock();
        impl.close(*session); // overlapping polls: a protocol error
        return refuse(3, "Bad request");
    }
    if (!session->outbox.empty() || session->upgraded || session->probed) {
        std::string payload;
        for (const auto& packet : session->outbox)
            payload += (payload.empty() ? "" : std::string(1, separator)) + packet;
        session->outbox.clear();
        session->outbox_bytes = 0;
        lock.unlock();
        return answer_now(exchange, 200, payload.empty() ? "6" : payload, "text/plain; charset=UTF-8");
    }
    session->poll_keep = exchange.keeps_connection();
    session->poll = exchange.defer(); // answered by the next packet, a ping at the latest
}

} // namespace slate::api::events
