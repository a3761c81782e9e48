#include "filetree/folders.h"

#include "filetree/error.h"
#include "filetree/render.h"
#include "filetree/tree.h"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>
#include <set>
#include <unordered_set>

namespace fs = std::filesystem;

namespace slate::filetree {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

/// The tree with every mode's mountpoint replaced by `root`.
FileTree rooted(const FileTree& tree, const std::optional<std::string>& root) {
    if (!root)
        return tree;
    std::vector<Mode> modes = tree.modes();
    for (Mode& mode : modes)
        mode.mountpoint = *root;
    return FileTree(std::move(modes));
}

/// One folder to render: a task's working or output folder, or an instance's output folder for
/// one task type of the entity it is placed in.
struct Job {
    enum class Kind { working, output, instance } kind;
    int item = 0;      ///< task index, or placement index
    int task_type = 0; ///< instance folders: the task type
};

struct Rendered {
    std::string path; ///< below the root checked, trailing "/" removed
    std::string reason; ///< set: refused
};

std::vector<Job> jobs_of(const FolderSources& sources, bool instance_templates, long long& skipped) {
    std::vector<Job> jobs;
    jobs.reserve(sources.tasks.size() * 2 + sources.placements.size());
    for (int t = 0; t < int(sources.tasks.size()); ++t) {
        jobs.push_back({Job::Kind::working, t, 0});
        jobs.push_back({Job::Kind::output, t, 0});
    }
    // The task types of each entity's tasks, for the instances placed in it.
    std::map<int, std::set<int>> entity_task_types;
    for (const auto& task : sources.tasks)
        entity_task_types[task.entity].insert(task.task_type);
    for (int p = 0; p < int(sources.placements.size()); ++p) {
        const auto found = entity_task_types.find(sources.placements[p].entity);
        if (found == entity_task_types.end())
            continue;
        for (int task_type : found->second) {
            if (instance_templates)
                jobs.push_back({Job::Kind::instance, p, task_type});
            else
                ++skipped;
        }
    }
    return jobs;
}

/// "SQ01/SH010" (with the episode: "E01/SQ01/SH010").
std::string entity_label(const Entity& entity, bool with_episode = false) {
    std::string label = entity.sequence ? entity.sequence->name + "/" + entity.record.name : entity.record.name;
    return with_episode && entity.episode ? entity.episode->name + "/" + label : label;
}

/// Whose folder a job renders: the entity of a task, or the instance (after the entities).
int owner_of(const FolderSources& sources, const Job& job) {
    if (job.kind == Job::Kind::instance)
        return int(sources.entities.size()) + sources.placements[job.item].instance;
    return sources.tasks[job.item].entity;
}

std::string owner_label(const FolderSources& sources, int owner) {
    if (owner < int(sources.entities.size()))
        return entity_label(sources.entities[owner], true);
    const AssetInstance& instance = sources.instances[owner - sources.entities.size()];
    return "instance " + instance.asset.record.name + " #" +
           (instance.number ? std::to_string(*instance.number) : std::string("?"));
}

/// What a refused folder was for: "working folder of task main of SQ01/SH010 (Animation)".
std::string what_of(const FolderSources& sources, const Job& job) {
    if (job.kind == Job::Kind::instance) {
        const auto& placement = sources.placements[job.item];
        return owner_label(sources, owner_of(sources, job)) + " in " + entity_label(sources.entities[placement.entity]) +
               " (" + sources.task_types[job.task_type].task_type.name + ")";
    }
    const auto& task = sources.tasks[job.item];
    return std::string(job.kind == Job::Kind::working ? "working" : "output") + " folder of task " + task.task.name +
           " of " + entity_label(sources.entities[task.entity]) + " (" +
           sources.task_types[task.task_type].task_type.name + ")";
}

/// The folder of one job, checked against its mode's root.
Rendered render_job(const FileTree& tree, const FolderSources& sources, const Job& job, const std::string& working_root,
                    const std::string& output_root) {
    Context context;
    context.project = sources.project;
    context.name = "main"; // the routes' default name, first revision
    context.revision = 1;
    Rendered rendered;
    try {
        std::string path;
        if (job.kind == Job::Kind::instance) {
            const auto& placement = sources.placements[job.item];
            const auto& task_type = sources.task_types[job.task_type];
            context.entity = sources.entities[placement.entity];
            context.instance = sources.instances[placement.instance];
            context.task_type = task_type.task_type;
            context.department = task_type.department;
            path = instance_folder_path(tree, "output", context);
        } else {
            const auto& task = sources.tasks[job.item];
            const auto& task_type = sources.task_types[task.task_type];
            context.entity = sources.entities[task.entity];
            context.task = task.task;
            context.task_type = task_type.task_type;
            context.department = task_type.department;
            path = job.kind == Job::Kind::working ? working_folder_path(tree, "working", context)
                                                  : output_folder_path(tree, "output", context);
        }
        const std::string& root = job.kind == Job::Kind::working ? working_root : output_root;
        const std::string below = path.substr(root.size());
        if (auto reason = unsafe_folder_reason(below)) {
            rendered.reason = *reason;
            rendered.path = path;
            return rendered;
        }
        while (path.size() > root.size() && path.back() == '/')
            path.pop_back();
        rendered.path = std::move(path);
    } catch (const MalformedTree& e) {
        rendered.reason = std::string("the tree cannot render it: ") + e.what();
    }
    return rendered;
}

/// Runs `body(i)` for i in [0, count) on the TBB pool, in slices, telling `progress` after each.
template <typename Body>
void on_pool(const FolderProgress& progress, const std::string& stage, std::size_t count, Body body) {
    const std::size_t slice = std::max<std::size_t>(4096, count / 100);
    for (std::size_t start = 0; start < count; start += slice) {
        const std::size_t end = std::min(count, start + slice);
        tbb::parallel_for(tbb::blocked_range<std::size_t>(start, end), [&](const tbb::blocked_range<std::size_t>& range) {
            for (std::size_t i = range.begin(); i != range.end(); ++i)
                body(i);
        });
        if (progress)
            progress(stage, static_cast<long long>(end), static_cast<long long>(count));
    }
    if (count == 0 && progress)
        progress(stage, 0, 0);
}

/// The symbolic links on disk among the folders and their parents below the roots (each
/// ending in "/"). The folders are sorted: a parent shared with the folder before is looked at
/// once.
std::unordered_set<std::string> links_below(const FolderProgress& progress, const std::vector<std::string>& folders,
                                            const std::vector<std::string>& roots) {
    std::vector<std::string> candidates;
    for (std::size_t i = 0; i < folders.size(); ++i) {
        const std::string& folder = folders[i];
        std::size_t below = 0;
        for (const std::string& root : roots)
            if (folder.compare(0, root.size(), root) == 0)
                below = std::max(below, root.size());
        std::size_t shared = 0;
        if (i > 0) {
            const std::string& before = folders[i - 1];
            while (shared < before.size() && shared < folder.size() && before[shared] == folder[shared])
                ++shared;
        }
        for (std::size_t end = folder.find('/', below);; end = folder.find('/', end + 1)) {
            if (end == std::string::npos) {
                candidates.push_back(folder);
                break;
            }
            if (end >= shared) // a parent of the folder before when shorter than what they share
                candidates.emplace_back(folder, 0, end);
        }
    }
    std::vector<char> is_link(candidates.size(), 0);
    on_pool(progress, "links", candidates.size(), [&](std::size_t i) {
        std::error_code error;
        is_link[i] = fs::is_symlink(fs::symlink_status(candidates[i], error));
    });
    std::unordered_set<std::string> links;
    for (std::size_t i = 0; i < candidates.size(); ++i)
        if (is_link[i])
            links.insert(std::move(candidates[i]));
    return links;
}

/// Whether the folder or one of its parents is one of the links.
bool through_link(const std::string& folder, const std::unordered_set<std::string>& links) {
    if (links.empty())
        return false;
    for (std::size_t end = folder.find('/', 1);; end = folder.find('/', end + 1)) {
        if (links.count(end == std::string::npos ? folder : folder.substr(0, end)))
            return true;
        if (end == std::string::npos)
            return false;
    }
}

} // namespace

std::optional<std::string> unsafe_folder_reason(std::string_view below_root) {
    while (!below_root.empty() && below_root.back() == '/')
        below_root.remove_suffix(1);
    if (below_root.empty())
        return "it renders no folder below the root";
    std::size_t start = 0;
    while (start <= below_root.size()) {
        const std::size_t end = std::min(below_root.find('/', start), below_root.size());
        const std::string_view name = below_root.substr(start, end - start);
        if (name.empty())
            return start == 0 ? "it is absolute: it would leave the root"
                              : "a name renders as nothing (an empty folder name)";
        if (name == "..")
            return "it would leave the root (a \"..\" folder)";
        if (name == ".")
            return "it has a \".\" folder";
        if (name.find('\0') != std::string_view::npos)
            return "a folder name holds a NUL character";
        if (name.find('<') != std::string_view::npos && name.find('>') != std::string_view::npos)
            return "a token renders as nothing (" + std::string(name) + ")";
        start = end + 1;
    }
    return std::nullopt;
}

FolderReport create_folders(const FileTree& given_tree, const FolderSources& sources, const FolderOptions& options) {
    const FileTree tree = rooted(given_tree, options.root);
    const std::string working_root = root_path(tree, "working", "/");
    const std::string output_root = root_path(tree, "output", "/");
    const Mode* output = tree.find("output");
    const bool instance_templates = output && output->folder_path &&
                                    (output->folder_path->find("instance") || output->folder_path->find("instance_asset"));
    FolderReport report;
    const auto start = Clock::now();
    const std::vector<Job> jobs = jobs_of(sources, instance_templates, report.skipped_instances);
    std::vector<Rendered> rendered(jobs.size());
    on_pool(options.progress, "rendering", jobs.size(), [&](std::size_t i) {
        rendered[i] = render_job(tree, sources, jobs[i], working_root, output_root);
    });
    report.rendered = static_cast<long long>(jobs.size());
    // Each folder with whose it is: an entity, or an instance (numbered after the entities).
    std::vector<std::pair<std::string, int>> owned;
    owned.reserve(rendered.size());
    for (std::size_t i = 0; i < rendered.size(); ++i) {
        if (rendered[i].reason.empty())
            owned.emplace_back(std::move(rendered[i].path), owner_of(sources, jobs[i]));
        else
            report.refused.push_back({what_of(sources, jobs[i]), std::move(rendered[i].path), std::move(rendered[i].reason)});
    }
    std::sort(owned.begin(), owned.end());
    std::vector<std::string> folders;
    for (std::size_t i = 0; i < owned.size(); ++i) {
        if (!folders.empty() && folders.back() == owned[i].first) {
            if (owned[i].second != owned[i - 1].second) { // a second owner: the tree mixes them
                if (report.shared.empty() || report.shared.back().path != owned[i].first)
                    report.shared.push_back({owned[i].first, {owner_label(sources, owned[i - 1].second)}});
                report.shared.back().owners.push_back(owner_label(sources, owned[i].second));
            }
            continue;
        }
        folders.push_back(std::move(owned[i].first));
    }
    owned = {};
    for (SharedFolder& shared : report.shared)
        std::sort(shared.owners.begin(), shared.owners.end());
    report.folders = folders.size();
    std::sort(report.refused.begin(), report.refused.end(),
              [](const RefusedFolder& a, const RefusedFolder& b) { return std::tie(a.path, a.what) < std::tie(b.path, b.what); });
    report.render_seconds = seconds_since(start);

    // The disk: what is there first (so that a folder made as another's parent still counts as
    // created), then the missing ones made.
    const auto disk_start = Clock::now();
    // A symbolic link already on disk below a root could lead a folder elsewhere: a folder
    // through one must still be below a root once links are followed.
    const auto links = links_below(options.progress, folders, {working_root, output_root});
    std::vector<std::string> real_roots;
    for (std::string root : {working_root, output_root}) {
        while (root.size() > 1 && root.back() == '/')
            root.pop_back();
        std::error_code error;
        std::string real = fs::weakly_canonical(root, error).string();
        if (real.empty() || real.back() != '/')
            real += '/';
        real_roots.push_back(std::move(real));
    }
    enum class State : char { missing, existing, failed, escapes };
    std::vector<State> states(folders.size());
    std::vector<std::string> errors(folders.size());
    on_pool(options.progress, "looking", folders.size(), [&](std::size_t i) {
        std::error_code error;
        if (through_link(folders[i], links)) {
            const std::string real = fs::weakly_canonical(folders[i], error).string();
            if (!error && std::none_of(real_roots.begin(), real_roots.end(), [&](const std::string& root) {
                    return real.compare(0, root.size(), root) == 0;
                })) {
                states[i] = State::escapes, errors[i] = "a symbolic link leads it out of the root, to " + real;
                return;
            }
        }
        const fs::file_status status = fs::status(folders[i], error);
        if (fs::is_directory(status))
            states[i] = State::existing;
        else if (status.type() == fs::file_type::not_found)
            states[i] = State::missing;
        else
            states[i] = State::failed, errors[i] = error ? error.message() : "something else than a folder is there";
    });
    std::vector<std::size_t> missing;
    for (std::size_t i = 0; i < folders.size(); ++i)
        if (states[i] == State::missing)
            missing.push_back(i);
    if (!options.dry_run) {
        on_pool(options.progress, "creating", missing.size(), [&](std::size_t m) {
            const std::size_t i = missing[m];
            std::error_code error;
            fs::create_directories(folders[i], error);
            if (error)
                states[i] = State::failed, errors[i] = error.message();
        });
    }
    for (std::size_t i = 0; i < folders.size(); ++i) {
        if (states[i] == State::existing)
            ++report.existing;
        else if (states[i] == State::escapes)
            report.refused.push_back({"folder", folders[i], errors[i]});
        else if (states[i] == State::failed)
            report.failed.push_back({"folder", folders[i], errors[i]});
        else
            report.created.push_back(std::move(folders[i]));
    }
    report.disk_seconds = seconds_since(disk_start);
    return report;
}

} // namespace slate::filetree
