#include "workers/person_avatars.h"

#include "engine/db/connection.h"
#include "engine/people/person_queries.h"
#include "engine/storage/file_store.h"
#include "workers/picture_variants.h"

#include <fstream>

namespace fs = std::filesystem;

namespace slate::workers {

bool store_person_avatar(const engine::storage::LocalFileStore& files, engine::db::Connection& c,
                         const std::string& person_id, const std::string& photo, const fs::path& scratch_dir) {
    std::error_code ignored;
    fs::create_directories(scratch_dir, ignored);
    const fs::path source = scratch_dir / ("photo-" + person_id);
    const fs::path png = scratch_dir / ("avatar-" + person_id + ".png");
    {
        std::ofstream out(source, std::ios::binary | std::ios::trunc);
        out.write(photo.data(), static_cast<std::streamsize>(photo.size()));
    }
    const FittedPicture fitted = make_fitted_picture(source, png, 400, 400, false);
    fs::remove(source, ignored);
    if (!fitted.ok)
        return false;
    files.put(engine::storage::Bucket::pictures, engine::storage::make_key("thumbnails", person_id), png);
    fs::remove(png, ignored);
    c.exec("UPDATE person SET has_avatar = true, updated_at = now() AT TIME ZONE 'utc' WHERE id = $1::uuid",
           {person_id});
    engine::queries::insert_person_event(c, "person:update", person_id);
    return true;
}

} // namespace slate::workers
