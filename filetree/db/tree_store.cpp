#include "filetree/db/tree_store.h"

#include "engine/db/connection.h"
#include "engine/error.h"
#include "engine/crud/queries.h"
#include "engine/uuid.h"

#include <fstream>
#include <sstream>

namespace slate::filetree {

FileTree read_tree_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw_bad_request("cannot read " + path.string());
    std::ostringstream text;
    text << in.rdbuf();
    const std::string extension = path.extension().string();
    if (extension == ".yaml" || extension == ".yml")
        return parse_tree_yaml(text.str());
    return parse_tree_json(text.str());
}

std::string set_project_tree(engine::db::Connection& c, const std::string& project, const FileTree& tree) {
    engine::db::Transaction transaction(c);
    const auto updated =
        c.exec(R"(UPDATE project SET file_tree = $3::jsonb, updated_at = now() AT TIME ZONE 'utc'
        WHERE id = (SELECT id FROM project WHERE ($1::uuid IS NOT NULL AND id = $1::uuid) OR name = $2
                    ORDER BY created_at LIMIT 1)
        RETURNING id)",
               {engine::is_uuid(project) ? std::optional(project) : std::nullopt, project, tree_to_json(tree)});
    if (updated.rows() == 0)
        throw_not_found("no project " + project);
    const std::string id(updated.get(0, "id"));
    engine::queries::insert_event(c, "project:update", std::nullopt, id, "{}");
    transaction.commit();
    return id;
}

engine::db::Result set_project_tree_json(engine::db::Connection& c, const std::string& project_id,
                                         const std::string& tree_json, const std::string& user_id) {
    const bool valid = engine::is_uuid(project_id);
    engine::db::Transaction transaction(c);
    auto project = c.exec(R"(UPDATE project SET file_tree = $2::jsonb, updated_at = now() AT TIME ZONE 'utc'
                             WHERE id = $1::uuid RETURNING *)",
                          {valid ? project_id : std::string("00000000-0000-0000-0000-000000000000"), tree_json});
    if (project.rows() == 0)
        return project; // rolled back: nothing was written
    engine::queries::insert_event(c, "project:update", user_id, project_id, "{}");
    transaction.commit();
    return project;
}

} // namespace slate::filetree
