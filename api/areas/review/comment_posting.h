#pragma once
// api/areas/review/comment_posting.h: posting a comment as a route does (the caller's rights on the
// task and on the status, managers' overrides), shared by the comment and batch-comment routes.

#include "api/router.h"
#include "engine/review/comments.h"

#include <string>
#include <vector>

namespace slate::api {

struct MultipartForm;
struct UploadedFile;

struct CommentInput {
    std::string task_status_id, text, person_id, created_at;
    std::string checklist_json = "[]";
    std::vector<std::string> links;
    bool for_client = false;
    std::vector<engine::services::Attachment> attachments;
};

/// A comment attachment made of an uploaded file part (its spooled file is moved into the store).
engine::services::Attachment attachment_of(const UploadedFile& file);

/// Every file part of the request's multipart body, as attachments.
std::vector<engine::services::Attachment> attachments_of(const Request& request);

/// Checks the caller may comment the task with that status (403/404 otherwise), drops the
/// author, date and client flag of non-managers, posts it; answers Zou's comment, in its parts.
engine::services::CommentAnswer post_comment(Request& request, Services& services, const std::string& task_id,
                                             CommentInput input);

/// Stores an uploaded file on a preview row and answers the preview (previews.cpp). Throws the
/// 4xx of a refused file, the row then being removed.
std::string store_upload(Services& services, const std::string& preview_id, const std::string& project_id,
                         const UploadedFile& file, bool normalize, bool wait_for_movie);

/// Beyond Zou: numbered frames (one zip, or several files) stored on a preview row as an image
/// sequence whose movie a job makes; answers the preview (previews.cpp).
std::string store_sequence(Services& services, const std::string& preview_id, const std::string& project_id,
                           const std::vector<UploadedFile>& parts, bool wait_for_movie);

} // namespace slate::api
