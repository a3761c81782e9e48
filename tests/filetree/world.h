#pragma once
// tests/filetree/world.h: the production Zou's file-tree tests render paths for (tests/base.py
// fixtures): "Cosmos Landromat", asset Tree (Props), episode E01 > sequence S01 > shot P01 and
// scene SC01, task types Shaders (shd, Modeling) and Animation (anim), softwares Blender and
// 3dsMax, output types Cache, Materials, Images.

#include "filetree/context.h"

#include <string>

namespace slate::filetree::testing {

// Version-4 ids, so that file names keep them verbatim as Zou does.
inline const std::string asset_id = "2f1c7c9e-5b1a-4d3e-9f6a-0c1b2d3e4f50";

inline Record record(std::string name, std::optional<std::string> short_name = std::nullopt) {
    return Record{"id-" + name, std::move(name), std::move(short_name)};
}

inline Record project() {
    return record("Cosmos Landromat");
}
inline Record shaders() {
    return record("Shaders", "shd");
}
inline Record animation() {
    return record("Animation", "anim");
}
inline Record blender() {
    return record("Blender", "bdr");
}
inline Record three_ds_max() {
    return record("3dsMax", "max");
}
inline Record cache() {
    return record("Cache", "");
}
inline Record materials() {
    return record("Materials", "");
}
inline Record images() {
    return record("Images", "");
}

inline Entity asset() {
    Entity tree{EntityKind::asset, Record{asset_id, "Tree", std::nullopt}, record("Props"), {}, {}};
    return tree;
}
inline Entity character() {
    return Entity{EntityKind::asset, record("Rabbit"), record("Character"), {}, {}};
}
inline Entity episode() {
    return Entity{EntityKind::episode, record("E01"), record("Episode"), {}, {}};
}
inline Entity sequence() {
    return Entity{EntityKind::sequence, record("S01"), record("Sequence"), {}, record("E01")};
}
inline Entity shot() {
    return Entity{EntityKind::shot, record("P01"), record("Shot"), record("S01"), record("E01")};
}
inline Entity scene() {
    return Entity{EntityKind::scene, record("SC01"), record("Scene"), record("S01"), record("E01")};
}

/// The context of a task: its entity, the task "Master", its task type and department.
inline Context task_context(Entity entity, Record task_type) {
    Context context;
    context.project = project();
    context.department = record(task_type.name == "Shaders" ? "Modeling" : "Animation");
    context.entity = std::move(entity);
    context.task = record("Master");
    context.task_type = std::move(task_type);
    return context;
}

/// The context of an output of an entity: no task.
inline Context output_context(Entity entity, std::optional<Record> task_type, std::optional<Record> output_type) {
    Context context;
    context.project = project();
    if (task_type) {
        context.department = record(task_type->name == "Shaders" ? "Modeling" : "Animation");
    }
    context.entity = std::move(entity);
    context.task_type = std::move(task_type);
    context.output_type = std::move(output_type);
    return context;
}

/// Instance #1 of an asset, named as Zou's build_asset_instance_name does ("Tree_0001").
inline AssetInstance instance_of(Entity asset, bool in_asset) {
    AssetInstance instance;
    instance.id = "id-instance";
    instance.name = asset.record.name + "_0001";
    instance.number = 1;
    instance.in_asset = in_asset;
    instance.asset = std::move(asset);
    return instance;
}

} // namespace slate::filetree::testing
