#include "filetree/db/guess_lookup.h"

#include "engine/db/connection.h"
#include "filetree/db/context_loader.h"
#include "filetree/guess.h"

#include <algorithm>
#include <optional>

namespace slate::filetree {
namespace {

using engine::db::Connection;

/// A name as an ILIKE pattern matching only itself (case aside).
std::string exact_pattern(const std::string& name) {
    std::string pattern;
    for (char ch : name) {
        if (ch == '%' || ch == '_' || ch == '\\')
            pattern += '\\';
        pattern += ch;
    }
    return pattern;
}

std::optional<std::string> first_id(const engine::db::Result& found) {
    if (found.rows() == 0)
        return std::nullopt;
    return std::string(found.get(0, "id"));
}

std::optional<std::string> entity_of_type(Connection& c, const std::string& name, const std::string& type_name,
                                          const std::string& project_id, const std::optional<std::string>& parent_id) {
    return first_id(c.exec(R"(SELECT e.id FROM entity e JOIN entity_type t ON t.id = e.entity_type_id
        WHERE e.name ILIKE $1 AND t.name = $2 AND e.project_id = $3::uuid
          AND ($4::uuid IS NULL OR e.parent_id = $4::uuid)
        ORDER BY e.created_at LIMIT 1)",
                           {exact_pattern(name), type_name, project_id, parent_id}));
}

std::optional<std::string> named_row(Connection& c, const char* table, const std::string& name) {
    return first_id(c.exec(std::string("SELECT id FROM ") + table + " WHERE name ILIKE $1 ORDER BY created_at LIMIT 1",
                           {exact_pattern(name)}));
}

const std::string* known(const GuessedTemplate& data, const std::string& token) {
    for (const auto& [key, value] : data)
        if (key == token)
            return &value;
    return nullptr;
}

std::optional<std::string> opt(const std::string* value) {
    return value ? std::optional<std::string>(*value) : std::nullopt;
}

/// Zou's get_data_from_token: the row a token's value names, narrowed by what is known.
std::optional<std::string> lookup(Connection& c, const std::string& token, const std::string& value,
                                  const GuessedTemplate& data) {
    const std::string* project = known(data, "Project");
    if (token == "Project")
        return named_row(c, "project", value);
    if (token == "AssetType" || token == "TemporalEntityType")
        return named_row(c, "entity_type", value);
    if (token == "Department")
        return named_row(c, "department", value);
    if (token == "TaskType")
        return named_row(c, "task_type", value);
    if (token == "OutputType")
        return named_row(c, "output_type", value);
    if (token == "Name" || token == "Representation")
        return value.empty() ? std::nullopt : std::optional<std::string>(value);
    if (token == "Version") {
        // Python's int(): digits with optional sign and surrounding blanks; 0 stops like None.
        try {
            size_t used = 0;
            const long long number = std::stoll(value, &used);
            if (used != value.size() || number == 0)
                return std::nullopt;
            return std::to_string(number);
        } catch (const std::exception&) {
            return std::nullopt;
        }
    }
    if (!project)
        return std::nullopt;
    if (token == "Episode")
        return entity_of_type(c, value, "Episode", *project, std::nullopt);
    if (token == "Sequence")
        return entity_of_type(c, value, "Sequence", *project, opt(known(data, "Episode")));
    if (token == "Scene")
        return entity_of_type(c, value, "Scene", *project, opt(known(data, "Sequence")));
    if (token == "Shot") {
        const std::string* sequence = known(data, "Sequence");
        if (!sequence)
            return std::nullopt;
        return entity_of_type(c, value, "Shot", *project, *sequence);
    }
    if (token == "Asset" || token == "TemporalEntity") {
        const std::string* type = known(data, token == "Asset" ? "AssetType" : "TemporalEntityType");
        if (!type)
            return std::nullopt;
        return first_id(c.exec(R"(SELECT id FROM entity WHERE name ILIKE $1
            AND entity_type_id = $2::uuid AND project_id = $3::uuid ORDER BY created_at LIMIT 1)",
                               {exact_pattern(value), *type, *project}));
    }
    if (token == "Task") {
        const std::string* task_type = known(data, "TaskType");
        const std::string* entity = known(data, "Scene");
        if (!entity)
            entity = known(data, "Asset");
        if (!entity)
            entity = known(data, "Shot");
        if (!task_type || !entity)
            return std::nullopt;
        return first_id(c.exec(R"(SELECT id FROM task WHERE name ILIKE $1 AND task_type_id = $2::uuid
            AND project_id = $3::uuid AND entity_id = $4::uuid ORDER BY created_at LIMIT 1)",
                               {exact_pattern(value), *task_type, *project, *entity}));
    }
    if (token == "Instance") {
        // Zou narrows instances by the episode read before them.
        if (!known(data, "Episode"))
            return std::nullopt;
        return first_id(c.exec(R"(SELECT i.id FROM asset_instance i JOIN entity a ON a.id = i.asset_id
            WHERE i.name ILIKE $1 AND a.project_id = $2::uuid ORDER BY i.created_at LIMIT 1)",
                               {exact_pattern(value), *project}));
    }
    return std::nullopt; // Software and other tokens name nothing that can be looked up
}

bool same_template(GuessedTemplate left, GuessedTemplate right) {
    std::sort(left.begin(), left.end());
    std::sort(right.begin(), right.end());
    return left == right;
}

} // namespace

std::vector<GuessedTemplate> guess_entities_from_path(Connection& c, const std::string& project_id,
                                                      const std::string& file_path, const std::string& sep) {
    const FileTree tree = load_project_tree(c, project_id);
    std::vector<GuessedTemplate> matches;
    for (const auto& candidate : guess_from_path(tree, file_path, sep)) {
        GuessedTemplate data{{"Template", candidate.kind}};
        for (const auto& [token, value] : candidate.lookups) {
            const auto found = lookup(c, token, value, data);
            if (!found)
                break;
            // A path naming another production is someone else's path.
            if (token == "Project" && *found != project_id)
                break;
            auto held = std::find_if(data.begin(), data.end(), [&](const auto& entry) { return entry.first == token; });
            if (held != data.end())
                held->second = *found; // a token read twice keeps its place, as in a dict
            else
                data.emplace_back(token, *found);
        }
        const bool seen = std::any_of(matches.begin(), matches.end(),
                                      [&](const GuessedTemplate& m) { return same_template(m, data); });
        if (!seen)
            matches.push_back(std::move(data));
    }
    return matches;
}

} // namespace slate::filetree
