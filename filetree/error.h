#pragma once
// filetree/error.h: the error a file tree raises when it cannot render the asked path.

#include "engine/error.h"

#include <string>

namespace slate::filetree {

/// A tree that cannot serve a path: Zou's MalformedFileTreeException, always a bad request.
/// `what()` says clearly what is wrong. `zou_message()` is the text Zou answers in the same case
/// (routes reply {"message": ..., "received_data": ...} with it): the two differ where Zou's
/// exception carries no text (a tree without the template of an entity kind answers an empty
/// message) or where Zou fails with a 500 and so has no message of its own (then both are ours).
class MalformedTree : public Error {
public:
    explicit MalformedTree(const std::string& message)
        : Error(ErrorKind::bad_request, message), m_zou_message(message) {}
    MalformedTree(const std::string& message, std::string zou_message)
        : Error(ErrorKind::bad_request, message), m_zou_message(std::move(zou_message)) {}

    const std::string& zou_message() const { return m_zou_message; }

private:
    std::string m_zou_message;
};

} // namespace slate::filetree
