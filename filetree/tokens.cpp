#include "filetree/tokens.h"

#include "filetree/context.h"
#include "filetree/error.h"
#include "filetree/text.h"

#include <Poco/UTF8String.h>

#include <array>

namespace slate::filetree {
namespace {

constexpr std::array<std::string_view, 21> known_tokens = {
    "Project",        "Episode",    "Sequence", "Shot",           "Scene",
    "Asset",          "AssetType",  "Task",     "TaskType",       "Department",
    "Software",       "OutputType", "Name",     "OutputFile",     "WorkingFile",
    "Representation", "Version",    "Revision", "TemporalEntity", "TemporalEntityType",
    "Instance"};

/// Reads a field of a row. `has_short_name`: the row's table has that column. A field the
/// table lacks is a KeyError in Zou (a 500): here a clear bad request.
std::optional<std::string> field_of(const Record& record, const TemplateVariable& variable, bool has_short_name) {
    if (variable.field == "name") {
        return record.name;
    }
    if (variable.field == "id") {
        if (record.id.empty()) {
            throw MalformedTree("<" + variable.text + "> needs the id of the " + variable.data_type +
                                ", and none was given.");
        }
        return record.id;
    }
    if (variable.field == "short_name" && has_short_name) {
        return record.short_name;
    }
    throw MalformedTree("<" + variable.text + ">: a " + variable.data_type + " has no " + variable.field + ".");
}

/// A value Zou lower-cases or searches in: None crashes there (a 500), here a bad request.
std::string required(std::optional<std::string> value, const TemplateVariable& variable) {
    if (!value) {
        throw MalformedTree("<" + variable.text + "> has no value.");
    }
    return *value;
}

bool walks_to_sequence(EntityKind kind) {
    return kind == EntityKind::shot || kind == EntityKind::scene;
}

std::optional<std::string> sequence_value(const TemplateVariable& variable, const Entity& entity) {
    std::string name;
    if (walks_to_sequence(entity.kind)) {
        if (!entity.sequence) {
            throw MalformedTree("<" + variable.text + ">: the entity has no sequence.");
        }
        name = required(field_of(*entity.sequence, variable, false), variable);
    } else if (entity.kind == EntityKind::sequence) {
        name = required(field_of(entity.record, variable, false), variable);
    }
    // Seq2 and Seq02 are one sequence to a human: both become S002.
    if (name.find("Seq") != std::string::npos) {
        const std::u32string tail = detail::py_slice(detail::decode_utf8(name), 3, 1LL << 40);
        std::string normalised(1, 'S');
        normalised.append(zfill(detail::encode_utf8(tail), 3));
        name = std::move(normalised);
    }
    return name;
}

std::optional<std::string> episode_value(const TemplateVariable& variable, const Entity& entity) {
    const Record* episode = nullptr;
    if (entity.kind == EntityKind::episode) {
        episode = &entity.record;
    } else if (walks_to_sequence(entity.kind) || entity.kind == EntityKind::sequence) {
        episode = entity.episode ? &*entity.episode : nullptr;
    }
    // Zou falls back on any failure, a field entities lack included.
    if (episode == nullptr || (variable.field != "name" && variable.field != "id")) {
        return std::string("e001");
    }
    return field_of(*episode, variable, false);
}

std::optional<std::string> instance_value(const TemplateVariable& variable, const Scope& scope) {
    if (!scope.instance || !scope.context.instance) {
        return std::string();
    }
    const AssetInstance& instance = *scope.context.instance;
    const std::string number = zfill(instance.number ? std::to_string(*instance.number) : std::string("None"), 4);
    if (variable.field == "name" && instance.name) {
        return *instance.name;
    }
    return number;
}

const Entity& asset_of(const Scope& scope) {
    if (scope.instance && scope.context.instance) {
        return scope.context.instance->asset;
    }
    return scope.context.entity;
}

} // namespace

std::vector<TemplateVariable> template_variables(std::string_view text) {
    const std::u32string points = detail::decode_utf8(text);
    std::vector<TemplateVariable> variables;
    std::size_t index = 0;
    while (index < points.size()) {
        if (points[index] != U'<') {
            ++index;
            continue;
        }
        std::size_t end = index + 1;
        while (end < points.size() && (detail::is_word(points[end]) || points[end] == U'.')) {
            ++end;
        }
        if (end == points.size() || points[end] != U'>') {
            ++index;
            continue;
        }
        TemplateVariable variable;
        variable.text = detail::encode_utf8(points.substr(index + 1, end - index - 1));
        const std::size_t dot = variable.text.find('.');
        variable.data_type = variable.text.substr(0, dot);
        variable.field = "name";
        if (dot != std::string::npos) {
            const std::string field = variable.text.substr(dot + 1, variable.text.find('.', dot + 1) - dot - 1);
            if (field == "short_name" || field == "number" || field == "id") {
                variable.field = field;
            }
        }
        variables.push_back(std::move(variable));
        index = end + 1;
    }
    return variables;
}

bool is_known_token(std::string_view data_type) {
    for (std::string_view token : known_tokens) {
        if (token == data_type) {
            return true;
        }
    }
    return false;
}

std::optional<std::string> token_value(const TemplateVariable& variable, const Scope& scope) {
    const Context& context = scope.context;
    const std::string& type = variable.data_type;
    if (type == "Project") {
        return field_of(context.project, variable, false);
    }
    if (type == "Task") {
        if (!scope.task || !context.task) {
            throw MalformedTree("<" + variable.text + "> needs a task: only working paths have one.");
        }
        return field_of(*context.task, variable, false);
    }
    if (type == "TaskType") {
        return context.task_type ? field_of(*context.task_type, variable, true) : std::string();
    }
    if (type == "Department") {
        return context.department ? field_of(*context.department, variable, false) : std::string();
    }
    if (type == "Shot" || type == "Scene" || type == "TemporalEntity") {
        return field_of(context.entity.record, variable, false);
    }
    if (type == "TemporalEntityType") {
        if (!context.entity.type) {
            throw MalformedTree("Given temporal entity type is null.");
        }
        return Poco::UTF8::toLower(required(field_of(*context.entity.type, variable, true), variable));
    }
    if (type == "AssetType") {
        const Entity& asset = asset_of(scope);
        if (asset.kind != EntityKind::asset) {
            throw MalformedTree("<" + variable.text + "> needs an asset, and the entity is not one.");
        }
        if (!asset.type) {
            throw MalformedTree("<" + variable.text + "> needs the asset's type, and none was given.",
                                "Given asset is null.");
        }
        return field_of(*asset.type, variable, true);
    }
    if (type == "Asset") {
        return field_of(asset_of(scope).record, variable, false);
    }
    if (type == "Sequence") {
        return sequence_value(variable, context.entity);
    }
    if (type == "Episode") {
        return episode_value(variable, context.entity);
    }
    if (type == "Software") {
        static const Record fallback{"", "3dsmax", "max"};
        const bool given = scope.software && context.software;
        return field_of(given ? *context.software : fallback, variable, true);
    }
    if (type == "OutputType") {
        static const Record fallback{"", "Geometry", ""};
        const bool given = scope.output_type && context.output_type;
        const auto value = field_of(given ? *context.output_type : fallback, variable, true);
        return Poco::UTF8::toLower(required(value, variable));
    }
    if (type == "Instance") {
        return instance_value(variable, scope);
    }
    if (type == "Representation") {
        return scope.representation ? context.representation : std::string();
    }
    if (type == "Name" || type == "OutputFile" || type == "WorkingFile") {
        return context.name;
    }
    if (type == "Version" || type == "Revision") {
        return zfill(std::to_string(context.revision), 3);
    }
    throw MalformedTree("Unknown data type: " + type + ".");
}

} // namespace slate::filetree
