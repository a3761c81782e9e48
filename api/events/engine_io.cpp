// api/events/engine_io.cpp: Engine.IO v4's wire pieces.
#include "api/events/engine_io.h"

#include "api/http/connection_loop.h"
#include "api/reply.h"
#include "api/server.h"

#include <Poco/JSON/Stringifier.h>

#include <istream>
#include <sstream>
#include <stdexcept>

namespace slate::api::events {

std::string http_answer(const std::string& body, const std::string& content_type, bool keep) {
    Reply reply = json_reply(200, body);
    reply.content_type = content_type;
    return response_head(reply, body.size(), nullptr, keep) + body;
}

std::string token_of(const Request& request) {
    if (const auto found = request.cookies.find("access_token_cookie"); found != request.cookies.end())
        return found->second;
    const std::string header = request.header("authorization");
    return header.rfind("Bearer ", 0) == 0 ? header.substr(7) : std::string();
}

std::string open_packet(const std::string& sid, bool can_upgrade) {
    return "0{\"sid\":\"" + sid + "\",\"upgrades\":[" + (can_upgrade ? "\"websocket\"" : "") +
           "],\"pingInterval\":" + std::to_string(ping_interval.count()) +
           ",\"pingTimeout\":" + std::to_string(ping_timeout.count()) +
           ",\"maxPayload\":" + std::to_string(max_payload) + "}";
}

std::string json_text(const std::string& text) {
    std::ostringstream out;
    Poco::JSON::Stringifier::stringify(Poco::Dynamic::Var(text), out);
    return out.str();
}

void answer_now(http::Exchange& exchange, int status, const std::string& body, const std::string& type) {
    Reply reply = json_reply(status, body);
    reply.content_type = type;
    const bool keep = exchange.keeps_connection();
    exchange.channel().write_all(response_head(reply, body.size(), &exchange.head(), keep), body);
}

std::string read_small_body(http::Exchange& exchange) {
    const auto& head = exchange.head();
    if (!head.has_body())
        return {};
    if (head.content_length && *head.content_length > max_payload)
        throw std::length_error("payload too large");
    http::BodyStreamBuf buffer(exchange.channel(), exchange.pending(), head.content_length, head.chunked);
    std::istream in(&buffer);
    std::string body;
    char chunk[16384];
    while (in.read(chunk, sizeof chunk) || in.gcount() > 0) {
        body.append(chunk, static_cast<std::size_t>(in.gcount()));
        if (body.size() > max_payload)
            throw std::length_error("payload too large");
    }
    if (!buffer.complete())
        exchange.close_after();
    return body;
}

} // namespace slate::api::events
