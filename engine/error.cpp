#include "engine/error.h"

namespace slate {

const char* const not_found_message =
    "404 Not Found: The requested URL was not found on the server. If you entered the URL "
    "manually please check your spelling and try again.";
const char* const forbidden_message = "You don't have the permission to access the requested resource. It is either "
                                      "read-protected or not readable by the server.";
const char* const unauthorized_message =
    "The server could not verify that you are authorized to access the URL requested. You "
    "either supplied the wrong credentials (e.g. a bad password), or your browser doesn't "
    "understand how to supply the credentials required.";

void throw_bad_request(const std::string& message) {
    throw Error(ErrorKind::bad_request, message);
}

void throw_not_found(const std::string& message) {
    throw Error(ErrorKind::not_found, message);
}

void throw_forbidden() {
    throw Error(ErrorKind::forbidden, forbidden_message);
}

} // namespace slate
