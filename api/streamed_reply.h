#pragma once
// api/streamed_reply.h: answers too large to hold (a production's listings), sent while they
// are written: the server sends the status and fields with the first piece, then each piece
// as a chunk (HTTP/1.1's chunked coding), so memory does not grow with the answer and the
// client reads while the rest is made.

#include "api/reply.h"

#include <string>

namespace slate::api {

/// A reply whose body `write` makes when the answer is sent, on the request's thread (it takes
/// what it needs by value: the handler has returned by then). What `write` throws before its
/// first piece is answered as any error; after it, the connection is cut before the body's end.
Reply streamed_reply(const std::string& content_type, BodyWriter write);

} // namespace slate::api
