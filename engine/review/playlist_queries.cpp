#include "engine/review/playlist_queries.h"

#include "engine/db/connection.h"

namespace slate::engine::services {

using db::Connection;

bool is_episode(Connection& c, const std::string& episode_id) {
    return c.exec(R"(SELECT 1 FROM entity e JOIN entity_type t ON t.id = e.entity_type_id
                     WHERE e.id = $1::uuid AND t.name = 'Episode')",
                  {episode_id})
               .rows() > 0;
}

std::optional<TaskPlace> find_task_place(Connection& c, const std::string& task_id) {
    const auto task = c.exec("SELECT project_id, entity_id FROM task WHERE id = $1::uuid", {task_id});
    if (task.rows() == 0)
        return std::nullopt;
    return TaskPlace{task.optional(0, "project_id").value_or(""), task.optional(0, "entity_id").value_or("")};
}

PlaylistDownloadFacts playlist_download_facts(Connection& c, const std::string& playlist_id) {
    const auto row = c.exec(R"(SELECT p.name AS playlist, pr.name AS project, pr.production_type,
            ep.name AS episode, p.is_for_all
        FROM playlist p JOIN project pr ON pr.id = p.project_id LEFT JOIN entity ep ON ep.id = p.episode_id
        WHERE p.id = $1::uuid)",
                            {playlist_id});
    PlaylistDownloadFacts facts;
    if (row.rows() == 0)
        return facts;
    facts.playlist = row.optional(0, "playlist").value_or("");
    facts.project = row.optional(0, "project").value_or("");
    if (row.optional(0, "production_type") == std::optional<std::string>("tvshow"))
        facts.episode = row.optional(0, "episode")                                         ? *row.optional(0, "episode")
                        : row.optional(0, "is_for_all") == std::optional<std::string>("t") ? "all assets"
                                                                                           : "main pack";
    return facts;
}

std::vector<PlaylistPreview> playlist_entry_previews(Connection& c, const std::string& playlist_id, bool full_revisions,
                                                     const std::optional<std::string>& extension) {
    // The entries' order is the shots array's (WITH ORDINALITY); a revision's previews follow
    // their position.
    const auto rows = c.exec(full_revisions ? R"(SELECT p.id, p.extension FROM playlist pl,
                jsonb_array_elements(COALESCE(pl.shots, '[]'::jsonb)) WITH ORDINALITY AS s(shot, n)
            JOIN preview_file chosen ON chosen.id::text = s.shot->>'preview_file_id'
            JOIN preview_file p ON p.task_id = chosen.task_id AND p.revision IS NOT DISTINCT FROM chosen.revision
            WHERE pl.id = $1::uuid AND ($2::text IS NULL OR p.extension = $2::text) ORDER BY s.n, p.position)"
                                            : R"(SELECT p.id, p.extension FROM playlist pl,
                jsonb_array_elements(COALESCE(pl.shots, '[]'::jsonb)) WITH ORDINALITY AS s(shot, n)
            JOIN preview_file p ON p.id::text = s.shot->>'preview_file_id'
            WHERE pl.id = $1::uuid AND ($2::text IS NULL OR p.extension = $2::text) ORDER BY s.n)",
                             {playlist_id, extension});
    std::vector<PlaylistPreview> previews;
    previews.reserve(rows.rows());
    for (int row = 0; row < rows.rows(); ++row)
        previews.push_back({std::string(rows.get(row, "id")), rows.optional(row, "extension").value_or("")});
    return previews;
}

} // namespace slate::engine::services
