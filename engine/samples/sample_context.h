#pragma once
// engine/samples/sample_context.h: what the stages of a sample production share while it is
// written (internal to engine/samples).

#include "engine/samples/sample_production.h"
#include "engine/samples/sample_random.h"

#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace slate::engine::samples {

/// The streams ids and choices are drawn from (sample_uuid's `stream`).
enum Stream : uint64_t {
    s_person = 1, s_project, s_episode, s_sequence, s_shot, s_asset, s_entity_link, s_task, s_comment,
    s_preview, s_time_spent, s_playlist, s_plan, s_names, s_schedule, s_casting, s_news, s_notification,
    s_event, s_mention
};

/// Zou's default task statuses the production uses, in this order.
enum Status { st_todo, st_ready, st_wip, st_wfa, st_retake, st_done, status_count };

struct TaskTypeInfo {
    std::string id, name;
    bool for_shot = false;
    int department = 0;
    int stage = 0; ///< position in its pipeline
};

struct PersonInfo {
    std::string id, first_name, last_name, email, role;
    int department = 0;
};

struct EntityInfo {
    std::string id, name;
    int parent = -1;  ///< sequences: their episode; shots: their sequence
    int episode = -1; ///< shots: their episode
    int type = -1;    ///< assets: index in asset types
    int frames = 0;
};

struct TaskInfo {
    int entity = 0; ///< index in assets or shots
    bool on_shot = false;
    int type = 0; ///< index in task_types
    std::string name;
    int status = st_todo;
    int assignee = -1;
    int difficulty = 3;
    int comments = 0;
    int64_t start = 0; ///< planned, unix seconds
    int64_t end = 0;
};

/// The sample media previews point at (samples/): the sizes written in preview_file rows.
struct SampleMedia {
    int movie_width = 640, movie_height = 360;
    double movie_seconds = 2.0;
    long long movie_bytes = 0;
    int picture_width = 640, picture_height = 360;
    long long picture_bytes = 0;
    std::filesystem::path folder; ///< empty: rows only, no files in the store
};

/// Reads the sample media's sizes from `folder`/media.json.
void read_sample_media(SampleMedia& media, const std::filesystem::path& folder);

struct Context {
    Context(db::Connection& connection, const Config& configuration, const SampleOptions& options)
        : c(connection), config(configuration), seed(options.seed), size(options.size), progress(options.progress) {}

    db::Connection& c;
    const Config& config;
    uint64_t seed;
    SampleSize size;
    SampleProgress progress;
    int64_t today = 0; ///< midnight UTC of the load's day, unix seconds
    SampleMedia media;

    std::string project_id, project_name, password_hash;
    std::array<std::string, status_count> status_ids;
    std::string episode_type, sequence_type, shot_type;
    std::vector<std::string> department_ids, department_names;
    std::vector<std::string> asset_type_ids, asset_type_names;
    std::vector<TaskTypeInfo> task_types;
    std::vector<PersonInfo> persons;
    std::vector<std::vector<int>> artists_by_department;
    std::vector<int> supervisors, managers;
    std::vector<EntityInfo> episodes, sequences, shots, assets;
    std::vector<TaskInfo> tasks;
    std::vector<std::pair<std::string, long long>> rows;

    void report(const std::string& stage, long long done, long long total) const {
        if (progress)
            progress(stage, done, total);
    }
    void wrote(const std::string& table, long long count) { rows.emplace_back(table, count); }
    std::string id(Stream stream, uint64_t index) const { return sample_uuid(seed, stream, index); }
};

/// One comment of a task's story: the status it sets, who writes it, when, and the revision of
/// the preview it carries (0: none).
struct Step {
    int status = st_wip;
    int author = 0;
    int64_t time = 0;
    int revision = 0;
};

/// Time spent on a task: the day (unix seconds, midnight) and minutes.
struct Work {
    int64_t day = 0;
    int minutes = 0;
};

/// What happened to a task: its comments, oldest first, and the time spent on it by its
/// assignee; the same every time it is asked for (drawn from the task's own stream).
struct TaskStory {
    std::vector<Step> steps;
    std::vector<Work> work;
};
TaskStory task_story(const Context& x, std::size_t task);

/// Runs `row` on each commented task's story, reporting progress of `stage` as it goes.
template <typename Row> void each_story(const Context& x, const std::string& stage, Row row) {
    const long long total = static_cast<long long>(x.tasks.size());
    for (std::size_t i = 0; i < x.tasks.size(); ++i) {
        if (x.tasks[i].comments)
            row(i, task_story(x, i));
        if (i % 8192 == 0)
            x.report(stage, static_cast<long long>(i), total);
    }
    x.report(stage, total, total);
}

/// The manager who assigned task `task` (index in persons).
int assigner_of(const Context& x, std::size_t task);

/// Whether comment `k` of task `task` mentions the task's assignee ("@First Last", as a
/// supervisor asking for a retake does now and then).
bool mentions_assignee(const Context& x, std::size_t task, std::size_t k, const Step& step);

/// "YYYY-MM-DD HH:MM:SS" and "YYYY-MM-DD" of unix seconds (UTC).
std::string timestamp_text(int64_t seconds);
std::string date_text(int64_t seconds);

// The stages, in the order they are written.
void write_studio(Context& x);      ///< departments, asset and task types, persons
void write_project(Context& x);     ///< the project, its team and settings
void write_breakdown(Context& x);   ///< episodes, sequences, shots, assets, casting
void plan_tasks(Context& x);        ///< tasks' entities, types, statuses, people, comment counts
void write_tasks(Context& x);       ///< tasks, assignees
void write_reviews(Context& x);     ///< previews, comments and their links, time spents
void write_playlists(Context& x);
/// What the comments left behind: news, notifications (assignees, mentions, assignations) and
/// the event log, as Zou writes them when comments are posted (after `zou remove-old-data`:
/// notifications and events of the last 90 days only).
void write_activity(Context& x);
/// After the rows: the sample media linked into the file store for the latest preview of each
/// task; the number of files.
long long store_sample_media(const Context& x);

} // namespace slate::engine::samples
