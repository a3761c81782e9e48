#pragma once
// filetree/folders.h: `slate create-folders`: a production's folders made on disk from its file
// tree before artists start (what ShotGrid Toolkit's folder creation does), rendered on the
// TBB pool.
//
// For every task: its working folder (mode "working", with the task, its task type and
// department; <Software> reads Zou's fallback "3dsmax") and its output folder (mode "output",
// with the task's task type; <OutputType> reads Zou's fallback "Geometry"). For every asset
// instance placed in an entity (its scene, its target asset, the shots linked to it), one
// instance output folder per task type of that entity's tasks, when the tree's output mode has
// the instance template (Zou's default tree has none: those are counted as skipped).
//
// A rendered folder is refused, never created, when the tree cannot render it (Zou's
// MalformedFileTree, a token left as written) or when what follows the mode's root would not be
// a plain folder below it: a ".." folder, an empty folder name (a name that slugifies to
// nothing, such as ".." or "/"), a "." folder, or an absolute template.

#include "filetree/context.h"
#include "filetree/fwd.h"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace slate::filetree {

/// A production's rows, each once: tasks and placements point into the entity and task-type
/// lists by index.
struct FolderSources {
    Record project;
    std::vector<Entity> entities;
    struct TaskType {
        Record task_type;
        std::optional<Record> department;
    };
    std::vector<TaskType> task_types;
    struct Task {
        Record task;
        int entity = 0;
        int task_type = 0;
    };
    std::vector<Task> tasks;
    std::vector<AssetInstance> instances;
    /// An instance placed in an entity (the temporal entity of its output paths).
    struct Placement {
        int instance = 0;
        int entity = 0;
    };
    std::vector<Placement> placements;
};

/// Called from the calling thread as each stage goes: its name, items done, items in all.
using FolderProgress = std::function<void(const std::string& stage, long long done, long long total)>;

struct FolderOptions {
    /// Replaces the mountpoint of every mode (the folders go below DIR/<root>/...); unset: the
    /// tree's own mountpoint.
    std::optional<std::string> root;
    bool dry_run = false;
    FolderProgress progress; ///< optional
};

/// A folder not made: what it was for ("task Layout of SH010 (Animation)"), the path rendered
/// (empty when the tree could not render one) and why.
struct RefusedFolder {
    std::string what;
    std::string path;
    std::string reason;
};

/// A folder the tree renders alike for different entities (or instances): the tree does not
/// tell them apart (say, shots of two episodes in a tree without <Episode>).
struct SharedFolder {
    std::string path;
    std::vector<std::string> owners; ///< sorted: "E01/SQ010/SH0010", "instance Tree #1", ...
};

struct FolderReport {
    long long rendered = 0;          ///< paths rendered (two per task, one per instance folder)
    std::size_t folders = 0;         ///< distinct folders among the paths not refused
    std::vector<std::string> created; ///< folders made (or, dry run, that would be), sorted
    long long existing = 0;          ///< folders already there
    std::vector<RefusedFolder> refused; ///< refused before touching the disk, sorted by path
    std::vector<RefusedFolder> failed;  ///< the disk said no (a file in the way, a permission)
    std::vector<SharedFolder> shared; ///< sorted by path
    long long skipped_instances = 0; ///< instance folders the tree has no template for
    double render_seconds = 0;       ///< rendering and checking the paths
    double disk_seconds = 0;         ///< looking at the disk and creating
};

/// Renders every folder of the production on the TBB pool, looks at which exist, and creates
/// the missing ones (not with `dry_run`). Throws MalformedTree when the tree has no "working"
/// or "output" mode it could root a folder in.
FolderReport create_folders(const FileTree& tree, const FolderSources& sources, const FolderOptions& options);

/// Why the part of a path below its root cannot be created as a plain folder there, or nothing
/// when it can. Trailing "/" are ignored (an empty last token).
std::optional<std::string> unsafe_folder_reason(std::string_view below_root);

} // namespace slate::filetree
