#pragma once
// engine/models/catalog.h: every table of Zou's schema as data: columns with their kind,
// Zou's application defaults and choices, and relationships. Read from
// schemas/model_catalog.json (generated from the contract, embedded in the binary).

#include <string>
#include <string_view>
#include <vector>

namespace slate::engine::models {

/// How a column's values are read from JSON and written to SQL.
enum class ValueKind {
    uuid,
    text,
    integer,
    floating,
    boolean,
    timestamp,
    date,
    json,
    text_array,
    json_array,
    binary,
    binary_array,
    enumeration
};

struct AppDefault {
    enum class Kind { none, uuid, now, default_timezone, default_locale, sql };
    Kind kind = Kind::none;
    std::string sql; ///< for Kind::sql: a literal SQL expression
};

struct Column {
    std::string name;
    std::string sql_type; ///< as PostgreSQL prints it: "character varying(80)", "uuid", ...
    ValueKind kind = ValueKind::text;
    bool nullable = true;
    bool has_db_default = false;
    bool set_on_update = false; ///< updated_at
    AppDefault app_default;
    std::vector<std::string> choices; ///< allowed values of a choice column, if any
    std::string references;           ///< referenced table, or empty
};

struct Relation {
    /// many_to_one is a scalar relationship (an output file's source_file): Zou writes the
    /// related row itself, whole, in every answer, where the others are id lists written only
    /// when relations are asked for.
    enum class Kind { many_to_many, one_to_many, many_to_one };
    std::string field;  ///< the JSON key: "assignees", "departments", ...
    std::string target; ///< the related table
    Kind kind = Kind::many_to_many;
    std::string link_table, own_column, other_column; ///< many_to_many
    std::string foreign_key; ///< one_to_many: column of target; many_to_one: own column
    /// A backref or a relationship Zou's resources never write through: read, never written
    /// from a request body.
    bool read_only = false;
};

struct Table {
    std::string name;      ///< "task_type"
    std::string type_name; ///< "TaskType": Zou's model class, the "type" of its JSON
    std::vector<Column> columns;
    std::vector<Relation> relations;

    const Column* column(std::string_view name) const;
    const Relation* relation(std::string_view field) const;
};

/// The table of that name, or null.
const Table* find_table(std::string_view name);
/// The table of that name; a missing one is a programming error (Error internal).
const Table& table(std::string_view name);
/// Every table, in name order.
const std::vector<Table>& all_tables();

} // namespace slate::engine::models
