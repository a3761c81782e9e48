#pragma once
// engine/production/news.h: a production's news feed (Zou's news_service
// get_last_news_for_project, get_news_stats_for_project, get_news).

#include "engine/fwd.h"
#include "engine/people/auth_service.h"

#include <optional>
#include <string>
#include <vector>

namespace slate::engine::production {

/// The filters of the news routes (NewsMixin.get_arguments).
struct NewsFilters {
    bool only_preview = false;
    std::optional<std::string> task_type_id, task_status_id, episode_id, person_id;
    std::optional<std::string> after, before; ///< dates or date-times PostgreSQL reads
    long long page = 1;
    long long limit = 50;
};

/// {"data": [news], "total", "nb_pages", "limit", "offset", "page", "stats": {status id: count of
/// status changes}} of the production, newest first.
std::string project_news_json(db::Connection& c, const std::string& project_id, const NewsFilters& filters);

/// The same for several productions at once.
std::string news_of_projects_json(db::Connection& c, const std::vector<std::string>& project_ids,
                                  const NewsFilters& filters);

/// Zou's NewsResource: the news of the open productions the caller sees (every open one for
/// admins), or of `project_id` alone when it is one of them.
std::string open_projects_news_json(db::Connection& c, const services::Identity& caller,
                                    const std::optional<std::string>& project_id, const NewsFilters& filters);

/// One news of the production in the list's shape, or nullopt.
std::optional<std::string> single_news_json(db::Connection& c, const std::string& project_id,
                                            const std::string& news_id);

} // namespace slate::engine::production
