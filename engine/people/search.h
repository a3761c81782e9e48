#pragma once
// engine/people/search.h: the studio search (Zou's SearchResource over index_service
// search_persons, search_assets, search_shots), done with PostgreSQL's own text search instead
// of an indexer: every word of the query must start a word of the document (a prefix match, as
// the indexer's last word), results sorted by the document's name.

#include "engine/fwd.h"

#include <optional>
#include <string>
#include <vector>

namespace slate::engine::user {

struct SearchRequest {
    std::string query;
    std::optional<std::string> project_id;
    long long limit = 3;
    long long offset = 0;
    std::vector<std::string> index_names{"assets", "shots", "persons"};
};

/// {"persons": [...], "assets": [...], "shots": [...]} for the indexes asked, within the open
/// productions the caller may read ({} for a query under 3 characters). Persons come minimal for
/// non-admins; each hit carries "matched_terms" (the fields that matched: name, description or a
/// metadata key). Vendors only get the entities they hold a task on.
std::string search_json(db::Connection& c, const services::Identity& caller, const SearchRequest& request);

/// Zou's LoginLogsResource: the last login logs, newest first, older than the cursor's when
/// given (400 "No login log found with id: <id>" when it is not one), of the persons given.
std::string last_login_logs_json(db::Connection& c, const std::optional<std::string>& after,
                                 const std::optional<std::string>& before, const std::optional<std::string>& cursor,
                                 long long limit, const std::vector<std::string>& person_ids);

/// The number of active persons, bots and guests aside (ConfigCheckResource).
long long active_user_count(db::Connection& c);

} // namespace slate::engine::user
