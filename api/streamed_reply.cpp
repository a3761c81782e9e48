#include "api/streamed_reply.h"

#include "api/router.h"
#include "engine/config.h"
#include "engine/error.h"
#include "engine/uuid.h"

#include <filesystem>
#include <fstream>

namespace slate::api {

Reply streamed_reply(Services& services, const std::string& content_type,
                     const std::function<void(const std::function<void(std::string_view)>&)>& write) {
    namespace fs = std::filesystem;
    const fs::path folder = fs::path(services.config.data_dir) / "tmp";
    fs::create_directories(folder);
    const fs::path path = folder / ("listing-" + engine::new_uuid() + ".json");
    struct Removal { // the file goes unless the reply takes it over
        fs::path path;
        bool keep = false;
        ~Removal() {
            std::error_code ignored;
            if (!keep)
                fs::remove(path, ignored);
        }
    } removal{path};
    uint64_t size = 0;
    {
        std::ofstream file(path, std::ios::binary | std::ios::trunc);
        if (!file)
            throw Error(ErrorKind::internal, "cannot write a listing under " + folder.string());
        write([&](std::string_view piece) {
            file.write(piece.data(), static_cast<std::streamsize>(piece.size()));
            size += piece.size();
        });
        file.flush();
        if (!file)
            throw Error(ErrorKind::internal, "cannot write a listing under " + folder.string());
    }
    Reply reply;
    reply.status = 200;
    reply.content_type = content_type;
    reply.file = FileBody{path.string(), 0, size, true};
    removal.keep = true;
    return reply;
}

} // namespace slate::api
