#pragma once
// api/streamed_reply.h: answers too large to hold (a production's listings) written piece by
// piece into a file under the data folder, then sent from disk and removed.

#include "api/fwd.h"
#include "api/reply.h"

#include <functional>
#include <string>
#include <string_view>

namespace slate::api {

/// Runs `write`, which hands the answer's pieces to the sink it is given; the reply sends the
/// file they made (memory does not grow with the answer). The file goes if `write` throws.
Reply streamed_reply(Services& services, const std::string& content_type,
                     const std::function<void(const std::function<void(std::string_view)>&)>& write);

} // namespace slate::api
