// tests/fuzz/fuzz_http_head.cpp: libFuzzer target for the HTTP/1.1 head reader
// (api/http/head.cpp) and the chunked body decoder (api/http/chunked.cpp), the first code every
// byte from the network meets. The input is read as a head; the bytes after a complete head
// are decoded as a chunked body, whole and again split at every eighth byte, and both ways must
// agree. A finding: a crash, a sanitizer report, a head whose consumed size passes the input,
// a field name not lower-cased, or the two decodings differing.
#include "api/http/chunked.h"
#include "api/http/head.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

using namespace slate::api::http;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    HeadLimits limits;
    limits.max_bytes = 4096; // small, so the fuzzer reaches the limits too
    limits.max_fields = 16;
    const HeadResult read = parse_request_head(input, limits);
    if (read.status != HeadStatus::complete)
        return 0;
    if (read.consumed > size || read.consumed > limits.max_bytes + 64 || read.head.fields.size() > limits.max_fields)
        std::abort();
    for (const auto& field : read.head.fields)
        for (char c : field.name)
            if (c >= 'A' && c <= 'Z')
                std::abort();
    if (find_head_end(input, 0) == std::string_view::npos)
        std::abort();

    const std::string_view body = input.substr(read.consumed);
    ChunkedDecoder whole;
    std::string whole_out;
    const std::size_t whole_used = whole.feed(body, whole_out);
    ChunkedDecoder pieces;
    std::string pieces_out;
    std::size_t pieces_used = 0;
    for (std::size_t at = 0; at < body.size() && !pieces.done() && !pieces.failed(); at += 8) {
        const std::string_view piece = body.substr(at, 8);
        const std::size_t used = pieces.feed(piece, pieces_out);
        pieces_used += used;
        if (used < piece.size())
            break;
    }
    if (whole_out != pieces_out || whole.done() != pieces.done() || whole.failed() != pieces.failed())
        std::abort();
    if (whole.done() && whole_used != pieces_used)
        std::abort();
    return 0;
}
