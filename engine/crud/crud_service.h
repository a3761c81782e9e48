#pragma once
// engine/crud/crud_service.h: list, create, read, update and delete for every model of
// descriptors(), as Zou's generic CRUD resource does (conventions.md §2). Knows nothing of
// HTTP: the caller, the query parameters and the body in, JSON out.

#include "engine/fwd.h"
#include "engine/crud/descriptors.h"
#include "engine/people/auth_service.h"
#include "engine/storage/deleted_files.h"

#include <Poco/JSON/Object.h>

#include <map>
#include <string>
#include <vector>

namespace slate::engine::queries {
class Where;
} // namespace slate::engine::queries

namespace slate::engine::crud {

using QueryParams = std::multimap<std::string, std::string>;

/// Zou's answer to a write with no data: 400 "Data are empty. Please verify ...".
[[noreturn]] void refuse_empty_data();

class CrudService {
public:
    CrudService(const Config& config, db::Pool& pool);

    /// GET /data/<collection>: a JSON array, or the paginated object when `page` is given.
    std::string list(const ModelDescriptor& model, const services::Identity& caller, const QueryParams& query);
    /// GET /data/<collection>/<id>.
    std::string get(const ModelDescriptor& model, const services::Identity& caller, const std::string& id,
                    const QueryParams& query);
    /// POST /data/<collection>: the created object, with relations.
    std::string create(const ModelDescriptor& model, const services::Identity& caller, const Poco::JSON::Object& body);
    /// PUT /data/<collection>/<id>: the updated object, without relations. `notified` receives
    /// the notifications the update wrote (a comment's new mentions), for their mails.
    std::string update(const ModelDescriptor& model, const services::Identity& caller, const std::string& id,
                       const Poco::JSON::Object& body, std::vector<std::string>* notified = nullptr);
    /// DELETE /data/<collection>/<id>: the stored files of what it deleted, for the caller to
    /// remove now that it has committed (a forced project or preview deletion forces its
    /// previews' files out).
    storage::DeletedFiles remove(const ModelDescriptor& model, const services::Identity& caller, const std::string& id,
                                 const QueryParams& query);

private:
    /// `list` without the per-process cache of the small reference lists.
    std::string list_rows(const ModelDescriptor& model, const services::Identity& caller, const QueryParams& query);

    const Config& m_config;
    db::Pool& m_pool;
};

/// Adds Zou's filter of one query-string criterion (apply_criterions_to_db_query) on the
/// model's table, aliased "t", to `where`: columns by equality (name by ILIKE, a JSON array by
/// IN), many-to-many relations by membership; other keys ignored. Throws Zou's 400s.
void add_query_filter(queries::Where& where, const ModelDescriptor& model, const services::Identity& caller,
                      const std::string& key, const std::string& raw);

/// One row of a collection as Zou's serialize() (with the relation id lists when
/// `relations`), without any permission check: the caller has made its own. Empty when there
/// is no such row.
std::string serialize_by_id(db::Connection& c, const std::string& collection, const std::string& id, bool relations);

} // namespace slate::engine::crud
