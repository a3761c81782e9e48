// The HTTP/1.1 head reader and chunked decoder, byte by byte (no server).
#include "api/http/chunked.h"
#include "api/http/head.h"

#include <catch2/catch.hpp>

using namespace slate::api::http;

TEST_CASE("a request head is read with its framing and connection fields", "[http]") {
    const std::string bytes =
        "\r\nPOST /api/auth/login?x=1 HTTP/1.1\r\nHost: h\r\nContent-Length: 12\r\n"
        "Connection: Keep-Alive, Upgrade\r\nExpect: 100-Continue\r\nX-A:  padded \t\r\n\r\n{\"body\":1}..";
    const HeadResult read = parse_request_head(bytes);
    REQUIRE(read.status == HeadStatus::complete);
    CHECK(read.consumed == bytes.find("{"));
    CHECK(read.head.method == "POST");
    CHECK(read.head.target == "/api/auth/login?x=1");
    CHECK(read.head.content_length == 12u);
    CHECK_FALSE(read.head.chunked);
    CHECK(read.head.keep_alive);
    CHECK(read.head.expect_continue);
    REQUIRE(read.head.field("x-a"));
    CHECK(*read.head.field("x-a") == "padded");
    CHECK(read.head.field("host") != nullptr);
}

TEST_CASE("keep-alive follows the version and the Connection field", "[http]") {
    CHECK_FALSE(parse_request_head("GET / HTTP/1.1\r\nConnection: close\r\n\r\n").head.keep_alive);
    CHECK_FALSE(parse_request_head("GET / HTTP/1.0\r\n\r\n").head.keep_alive);
    CHECK(parse_request_head("GET / HTTP/1.0\nConnection: keep-alive\n\n").head.keep_alive);
    CHECK(parse_request_head("GET / HTTP/1.1\r\n\r\n").head.keep_alive);
}

TEST_CASE("an incomplete head waits, a broken or oversized one is refused with its status", "[http]") {
    CHECK(parse_request_head("GET / HTTP/1.1\r\nHost: h\r\n").status == HeadStatus::incomplete);
    CHECK(parse_request_head("").status == HeadStatus::incomplete);
    const auto status = [](const std::string& bytes) { return parse_request_head(bytes).status; };
    CHECK(status("GARBAGE\r\n\r\n") == HeadStatus::bad_request);
    CHECK(status("GET / HTTP/2.0\r\n\r\n") == HeadStatus::bad_request);
    CHECK(status("GET /a b HTTP/1.1\r\n\r\n") == HeadStatus::bad_request);
    CHECK(status("GET / HTTP/1.1\r\nNo colon here\r\n\r\n") == HeadStatus::bad_request);
    CHECK(status("GET / HTTP/1.1\r\nA: 1\r\n folded\r\n\r\n") == HeadStatus::bad_request);
    CHECK(status("GET / HTTP/1.1\r\nA: x\ry\r\n\r\n") == HeadStatus::bad_request);
    CHECK(status("GET / HTTP/1.1\r\nContent-Length: -1\r\n\r\n") == HeadStatus::bad_request);
    CHECK(status("GET / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n") == HeadStatus::bad_request);
    CHECK(status("GET / HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n") ==
          HeadStatus::bad_request);
    CHECK(status("GET / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n") == HeadStatus::not_implemented);
    HeadLimits small;
    small.max_bytes = 64;
    small.max_fields = 2;
    CHECK(parse_request_head("GET /" + std::string(100, 'a'), small).status == HeadStatus::uri_too_long);
    CHECK(parse_request_head("GET / HTTP/1.1\r\nA: " + std::string(100, 'a'), small).status == HeadStatus::too_large);
    CHECK(parse_request_head("GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n", small).status == HeadStatus::too_large);
}

TEST_CASE("the end of a head is found once, however the bytes are split", "[http]") {
    const std::string bytes = "GET / HTTP/1.1\r\nHost: h\r\n\r\nNEXT";
    for (std::size_t split = 0; split <= bytes.size(); ++split) {
        const std::size_t from_split = find_head_end(bytes, split);
        const std::size_t whole = find_head_end(bytes.substr(0, split), 0);
        // Searched in two goes (the first part, then from where it stopped), the end is found.
        CHECK((whole != std::string::npos ? whole : from_split) == bytes.find("NEXT"));
    }
}

TEST_CASE("a chunked body decodes the same at every split and stops at its end", "[http]") {
    const std::string coded =
        "5;name=value\r\nhello\r\n7\r\n, world\r\nA\r\n0123456789\r\n0\r\nX-Trailer: 1\r\n\r\nGET /";
    for (std::size_t split = 0; split <= coded.size(); ++split) {
        ChunkedDecoder decoder;
        std::string out;
        std::size_t used = decoder.feed(std::string_view(coded).substr(0, split), out);
        if (!decoder.done())
            used += decoder.feed(std::string_view(coded).substr(used), out);
        REQUIRE(decoder.done());
        CHECK(out == "hello, world0123456789");
        CHECK(coded.substr(used) == "GET /");
    }
    for (const std::string broken : {"z\r\n", "5\r\nhelloXX", "\r\n", "1234567890123456\r\n", "5\rX"}) {
        ChunkedDecoder decoder;
        std::string out;
        decoder.feed(broken, out);
        CHECK(decoder.failed());
    }
}
