#pragma once
// api/areas/review/preview_files.h: what the preview download routes and their shared-link twins
// have in common (preview_downloads.cpp).

#include "api/router.h"
#include "engine/fwd.h"

#include <filesystem>
#include <optional>
#include <string>

namespace slate::api {

/// Zou's preview download name ("<project>_<entity>_<task type>_v<rev>[-<pos>].<ext>").
std::string preview_download_name(Services& services, const std::string& preview_id);

/// The stored movie of a preview: full encode, else low definition, else the kept source
/// (`low`: the low definition first).
std::optional<std::filesystem::path> preview_movie_path(const Services& services, const std::string& preview_id,
                                                        bool low);

/// What an uploaded preview's extension makes it (media.md §2): a picture, a movie, another
/// file Zou keeps as is, or none of these (refused).
enum class PreviewKind { picture, movie, other_file, refused };
PreviewKind preview_kind(const std::string& extension);

/// Whether `/pictures/originals/preview-files/<id>.<extension>` may serve that extension.
bool allowed_original_extension(const std::string& extension);

/// The content type an original is served with: png, pdf, else octet-stream.
std::string preview_content_type(const std::string& extension);

/// Zou's 404 {"error": "preview file binary is not available"}.
[[noreturn]] void refuse_missing_binary();

/// Zou's 404 {"error": "preview file binary is not available"} for a preview synced without
/// its binary (`data.imported_only`).
void refuse_imported_only(engine::db::Connection& c, const std::string& preview_id);

} // namespace slate::api
