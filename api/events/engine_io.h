#pragma once
// api/events/engine_io.h: Engine.IO v4's wire pieces for the event stream: its timings and
// limits, the open packet, JSON strings, the token a request carries, and the small HTTP
// answers of the long-polling transport.

#include "api/request.h"

#include <chrono>
#include <cstddef>
#include <string>

namespace slate::api {
namespace http {
class Exchange;
}
namespace events {

using Clock = std::chrono::steady_clock;
constexpr auto ping_interval = std::chrono::milliseconds(25000);
constexpr auto ping_timeout = std::chrono::milliseconds(20000);
constexpr std::size_t max_payload = 1000000;
constexpr char separator = '\x1e'; // between packets of a polling payload (Engine.IO v4)

/// A whole 200 answer (head and body) for a deferred poll.
std::string http_answer(const std::string& body, const std::string& content_type, bool keep);
/// The access token of the handshake: the web app's cookie, else gazu's Authorization header.
std::string token_of(const Request& request);
/// The "0{sid, upgrades, pingInterval, pingTimeout, maxPayload}" packet.
std::string open_packet(const std::string& sid, bool can_upgrade);
/// `text` as a JSON string.
std::string json_text(const std::string& text);
/// Answers the exchange now with that status, body and type.
void answer_now(http::Exchange& exchange, int status, const std::string& body, const std::string& type);
/// A polling POST's body, at most max_payload bytes (throws std::length_error past it).
std::string read_small_body(http::Exchange& exchange);

} // namespace events
} // namespace slate::api
