#pragma once
// workers/person_avatars.h: a person's avatar from a picture's bytes (a directory photo),
// fitted on the 400×400 canvas as an uploaded avatar is.

#include "engine/fwd.h"

#include <filesystem>
#include <string>

namespace slate::engine::storage {
class LocalFileStore;
}

namespace slate::workers {

/// Stores `photo` as the person's thumbnail, sets has_avatar and emits person:update.
/// Answers false (and changes nothing) when the bytes are no picture.
bool store_person_avatar(const engine::storage::LocalFileStore& files, engine::db::Connection& c,
                         const std::string& person_id, const std::string& photo,
                         const std::filesystem::path& scratch_dir);

} // namespace slate::workers
