#pragma once
// engine/crud/row_json.h: rows of the generic CRUD resource written as Zou's answers: the
// columns serialize() writes, and what Zou's models and resources add to them (an entity's
// polymorphic type, a scalar relationship's row, a notification's notification_type, a
// project's status name, a comment's author). The additions of a page of rows are read in one
// query each, never one per row.

#include "engine/fwd.h"
#include "engine/crud/descriptors.h"

#include <functional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace slate::engine::crud {

/// Which answer a row is written for: Zou's resources shape each differently (an entity's
/// type is its polymorphic one in lists, reads and updates, "Entity" in a create's answer).
/// `serialized` is the model's serialize() alone: a create's answer, a row other routes embed.
enum class Answer { serialized, list, get, update };

/// Zou's shots_service.get_base_entity_type_name: the entity type's name for Shot, Sequence,
/// Episode, Edit, Scene and Concept, "Asset" for any other (asset types, Epic).
std::string base_entity_type_name(std::string_view entity_type_name);

/// What Zou writes beyond the columns for each row of one result.
class RowShapes {
public:
    /// Reads what the rows need (one query per kind of addition). `relations`: whether the
    /// answer carries the relationship id lists (a comment's attachments are then objects).
    RowShapes(db::Connection& c, const ModelDescriptor& model, const db::Result& rows, Answer answer,
              bool relations);
    /// Zou's "type" of row `row`.
    std::string_view type(int row) const;
    /// Members added to row `row` (name, JSON text); one named as a column replaces it.
    const std::vector<std::pair<std::string, std::string>>& extras(int row) const;

private:
    std::string m_type;
    std::vector<std::string> m_types; ///< per row, when the type depends on the row
    std::vector<std::vector<std::pair<std::string, std::string>>> m_extras;
};

/// The tables RowShapes reads for a model beyond the row's own and its relations': a cached
/// answer depends on them too.
std::vector<std::string> shape_tables(const ModelDescriptor& model);

/// Writes row `row` as Zou's serialize() (or, `minimal_person`, the restricted view: the
/// present_minimal shape of a person, a model's admin-only columns left out), keeping only
/// `fields` when given, with the shapes' type and additions, then `extra`'s members.
void write_object(JsonWriter& out, const ModelDescriptor& model, const db::Result& rows, int row, bool minimal_person,
                  const std::set<std::string>& fields, const RowShapes& shapes,
                  const std::function<void(JsonWriter&)>& extra = {});

/// The first row of `rows` as one JSON object (see write_object).
std::string object_json(db::Connection& c, const ModelDescriptor& model, const db::Result& rows, Answer answer,
                        bool relations, bool minimal_person, const std::function<void(JsonWriter&)>& extra = {});

/// The rows of `rows` (every column of `collection`'s table, as SELECT * reads them) as Zou's
/// serialize() list: for other routes that answer a model's rows (an entity's output files, a
/// task's attachments).
std::string serialize_rows(db::Connection& c, const std::string& collection, const db::Result& rows);

/// Row `row` of `rows` as serialize_rows writes it, then `extra`'s members.
std::string serialize_row(db::Connection& c, const std::string& collection, const db::Result& rows, int row,
                          const std::function<void(JsonWriter&)>& extra = {});

} // namespace slate::engine::crud
