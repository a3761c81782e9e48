#include "engine/entities/entity_lists.h"

#include "engine/crud/crud_service.h"
#include "engine/crud/queries.h"
#include "engine/db/connection.h"
#include "engine/json.h"
#include "engine/production/production_common.h"
#include "engine/serialize.h"

#include <algorithm>
#include <vector>

namespace slate::engine::entities {
namespace {

/// One listing: the entity columns (t) of one kind, the extra columns and joins a kind's
/// listing adds, and the filters.
struct Listing {
    explicit Listing(Kind listed, bool with_relations = false) : kind(listed), relations(with_relations) {}
    Kind kind;
    bool relations = false;
    std::string extra_columns; ///< ", p.name AS project_name" ...
    std::string joins;
    queries::Where where;
    std::string order = " ORDER BY t.name";
    std::vector<std::string> omitted_when_null; ///< keys Zou adds only when there is a value
    std::string type = std::string(type_name(kind));
    bool of_kind = true; ///< only entities of the kind's type
    std::optional<std::string> vendor; ///< the vendor who reads it: data masked for them
};

/// Zou's Entity.serialize(obj_type=...): a concept without relations still lists its links.
std::string concept_links_column(const Listing& listing) {
    if (listing.kind != Kind::concept_art || listing.relations)
        return "";
    return ", COALESCE((SELECT array_agg(l.entity_out_id::text) FROM entity_concept_link l "
           "WHERE l.entity_in_id = t.id), '{}'::text[]) AS entity_concept_links";
}

std::string run(db::Connection& c, Listing& listing) {
    if (listing.of_kind)
        listing.where.add("t.entity_type_id = " + listing.where.param(entity_type_id(c, listing.kind)) + "::uuid");
    std::string sql = production::select_model_sql(
        "entity", listing.relations,
        listing.vendor
            ? production::vendor_visible_data(type_name(listing.kind), listing.where.param(*listing.vendor) + "::uuid", "t")
            : "");
    sql.insert(sql.rfind(" FROM "), listing.extra_columns + concept_links_column(listing));
    const auto rows = c.exec(sql + listing.joins + listing.where.sql() + listing.order, listing.where.params());
    const std::string& type = listing.type;
    JsonWriter out;
    out.begin_array();
    for (int row = 0; row < rows.rows(); ++row) {
        out.begin_object();
        for (int column = 0; column < rows.columns(); ++column) {
            const std::string_view name = rows.column_name(column);
            if (rows.is_null(row, column) && std::find(listing.omitted_when_null.begin(),
                                                       listing.omitted_when_null.end(), name) !=
                                                 listing.omitted_when_null.end())
                continue;
            out.key(name);
            write_value(out, rows, row, column);
        }
        out.field("type", type).end_object();
    }
    out.end_array();
    return out.take();
}

/// A vendor's listing: only what holds a task assigned to them, the data masked.
void only_assigned(Listing& listing, const std::optional<std::string>& person_id) {
    listing.vendor = person_id;
    if (person_id)
        listing.where.add("EXISTS (SELECT 1 FROM task x JOIN task_person_link a ON a.task_id = x.id "
                          "WHERE x.entity_id = t.id AND a.person_id = " +
                          listing.where.param(*person_id) + "::uuid)");
}

} // namespace

std::string criteria_json(db::Connection& c, const services::Identity& caller, Kind kind, const Criteria& criteria,
                          const std::optional<std::string>& assigned_to) {
    Listing listing(kind);
    if (kind == Kind::shot || kind == Kind::scene) {
        listing.extra_columns = ", p.name AS project_name, s.name AS sequence_name";
        listing.joins = " JOIN project p ON p.id = t.project_id JOIN entity s ON s.id = t.parent_id";
    } else if (kind == Kind::edit || kind == Kind::concept_art) {
        listing.extra_columns = ", p.name AS project_name";
        listing.joins = " JOIN project p ON p.id = t.project_id";
    }
    const auto& model = *crud::find_descriptor("entities");
    for (const auto& [key, value] : criteria)
        if (key != "page" && key != "relations")
            crud::add_query_filter(listing.where, model, caller, key, value);
    only_assigned(listing, assigned_to);
    return run(c, listing);
}

std::string project_entities_json(db::Connection& c, Kind kind, const std::string& project_id,
                                  const std::optional<std::string>& assigned_to) {
    Listing listing(kind);
    listing.where.add("t.project_id = " + listing.where.param(project_id) + "::uuid");
    only_assigned(listing, assigned_to);
    return run(c, listing);
}

std::string assigned_episodes_json(db::Connection& c, const std::string& project_id, const std::string& person_id) {
    Listing listing(Kind::episode);
    listing.vendor = person_id;
    listing.where.add("t.project_id = " + listing.where.param(project_id) + "::uuid");
    const std::string me = listing.where.param(person_id);
    listing.where.add(R"((EXISTS (SELECT 1 FROM entity q JOIN entity s ON s.parent_id = q.id
            JOIN task x ON x.entity_id = s.id JOIN task_person_link a ON a.task_id = x.id
            WHERE q.parent_id = t.id AND a.person_id = )" +
                      me + R"(::uuid) OR EXISTS (SELECT 1 FROM entity s JOIN task x ON x.entity_id = s.id
            JOIN task_person_link a ON a.task_id = x.id WHERE s.source_id = t.id AND a.person_id = )" +
                      me + "::uuid))");
    return run(c, listing);
}

std::string assigned_sequences_json(db::Connection& c, const std::optional<std::string>& project_id,
                                    const std::optional<std::string>& episode_id, const std::string& person_id) {
    Listing listing(Kind::sequence);
    listing.vendor = person_id;
    if (project_id)
        listing.where.add("t.project_id = " + listing.where.param(*project_id) + "::uuid");
    if (episode_id)
        listing.where.add("t.parent_id = " + listing.where.param(*episode_id) + "::uuid");
    listing.where.add(R"(EXISTS (SELECT 1 FROM entity s JOIN task x ON x.entity_id = s.id
            JOIN task_person_link a ON a.task_id = x.id WHERE s.parent_id = t.id AND a.person_id = )" +
                      listing.where.param(person_id) + "::uuid)");
    return run(c, listing);
}

std::string children_json(db::Connection& c, Kind kind, const std::string& parent_id, bool relations,
                          const std::optional<std::string>& vendor) {
    Listing listing(kind, relations);
    listing.vendor = vendor;
    if (kind == Kind::shot) { // the shots of an episode: those of its sequences
        listing.joins = " JOIN entity s ON s.id = t.parent_id";
        listing.where.add("s.parent_id = " + listing.where.param(parent_id) + "::uuid");
    } else {
        listing.where.add("t.parent_id = " + listing.where.param(parent_id) + "::uuid");
    }
    return run(c, listing);
}

std::string entity_json(db::Connection& c, Kind kind, const std::string& id, bool relations, std::string_view type) {
    Listing listing(kind, relations);
    if (!type.empty())
        listing.type = std::string(type);
    listing.where.add("t.id = " + listing.where.param(id) + "::uuid");
    const std::string list = run(c, listing);
    return list.size() > 2 ? list.substr(1, list.size() - 2) : "";
}

std::string casting_json(db::Connection& c, const std::string& entity_id) {
    Listing listing(Kind::shot);
    listing.of_kind = false;
    listing.type = "Asset";
    listing.order.clear();
    listing.where.add("t.id IN (SELECT l.entity_out_id FROM entity_link l WHERE l.entity_in_id = " +
                      listing.where.param(entity_id) + "::uuid)");
    return run(c, listing);
}

std::string entity_with_names_json(db::Connection& c, Kind kind, const std::string& id) {
    Listing listing(kind);
    listing.extra_columns = ", p.name AS project_name";
    listing.joins = " JOIN project p ON p.id = t.project_id";
    if (kind == Kind::scene) {
        listing.extra_columns += ", s.id AS sequence_id, s.name AS sequence_name, ep.id AS episode_id, "
                                 "ep.name AS episode_name";
        listing.joins += " LEFT JOIN entity s ON s.id = t.parent_id LEFT JOIN entity ep ON ep.id = s.parent_id";
    } else if (kind == Kind::sequence) {
        listing.extra_columns += ", ep.id AS episode_id, ep.name AS episode_name";
        listing.joins += " LEFT JOIN entity ep ON ep.id = t.parent_id";
    }
    listing.where.add("t.id = " + listing.where.param(id) + "::uuid");
    listing.omitted_when_null = {"episode_id", "episode_name"};
    const std::string list = run(c, listing);
    return list.size() > 2 ? list.substr(1, list.size() - 2) : "";
}

} // namespace slate::engine::entities
