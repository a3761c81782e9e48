// The tasks of a sample production: who works on what, when, and how far it went.

#include "engine/samples/bulk_table.h"
#include "engine/samples/sample_context.h"

#include <algorithm>
#include <cmath>

namespace slate::engine::samples {

namespace {

constexpr int64_t day = 86400;

/// Extra tasks of a shot beyond one per shot task type, as studios split work: (type, name).
const std::vector<std::pair<std::string, std::string>> extra_tasks = {
    {"Animation", "facial"}, {"FX", "smoke"},       {"Compositing", "paint"}, {"Lighting", "crowd"},
    {"Animation", "crowd"},  {"Layout", "camera"}, {"FX", "water"},         {"Rendering", "passes"}};

int type_index(const Context& x, const std::string& name, bool for_shot) {
    for (std::size_t t = 0; t < x.task_types.size(); ++t)
        if (x.task_types[t].name == name && x.task_types[t].for_shot == for_shot)
            return static_cast<int>(t);
    return 0;
}

void schedule(Context& x, TaskInfo& t, std::size_t index) {
    Rng rng(x.seed, s_schedule, index);
    const TaskTypeInfo& type = x.task_types[t.type];
    const int64_t year_start = x.today - 365 * day;
    if (t.on_shot) {
        const EntityInfo& shot = x.shots[t.entity];
        const int64_t episode_start = year_start + 100 * day + shot.episode * (380 * day / x.size.episodes);
        t.start = episode_start + (shot.parent % 10) * 3 * day + (type.stage - 1) * 8 * day + rng.below(10) * day;
        t.end = t.start + rng.between(5, 20) * day;
    } else {
        t.start = year_start + (type.stage - 1) * 25 * day + rng.below(90) * day;
        t.end = t.start + rng.between(10, 35) * day;
    }
    if (t.start > x.today)
        t.status = t.start - x.today < 10 * day && rng.chance(0.5) ? st_ready : st_todo;
    else if (t.end < x.today)
        t.status = rng.chance(0.88) ? st_done : rng.chance(0.6) ? st_wfa : st_retake;
    else
        t.status = rng.chance(0.5) ? st_wip : rng.chance(0.6) ? st_wfa : st_retake;
    const auto& artists = x.artists_by_department[type.department];
    if (!artists.empty() && (t.status != st_todo || rng.chance(0.6)))
        t.assignee = artists[rng.below(static_cast<int>(artists.size()))];
    t.difficulty = rng.between(2, 4);
}

/// Comments per started task, `comments` in all: random around the mean, then evened out.
void count_comments(Context& x) {
    std::vector<std::size_t> started;
    for (std::size_t i = 0; i < x.tasks.size(); ++i)
        if (x.tasks[i].status != st_todo && x.tasks[i].status != st_ready)
            started.push_back(i);
    if (started.empty())
        return;
    const double mean = static_cast<double>(x.size.comments) / static_cast<double>(started.size());
    const int spread = std::max(1, static_cast<int>(std::lround(2 * mean - 1)));
    long long total = 0;
    for (std::size_t i : started) {
        Rng rng(x.seed, s_plan, 1ULL << 40 | i);
        x.tasks[i].comments = std::min(60, 1 + rng.below(spread));
        total += x.tasks[i].comments;
    }
    for (std::size_t k = 0; total != x.size.comments; k = (k + 1) % started.size()) {
        int& n = x.tasks[started[k]].comments;
        if (total < x.size.comments && n < 60)
            ++n, ++total;
        else if (total > x.size.comments && n > 1)
            --n, --total;
        if (k + 1 == started.size() && std::all_of(started.begin(), started.end(), [&](std::size_t i) {
                return total < x.size.comments ? x.tasks[i].comments >= 60 : x.tasks[i].comments <= 1;
            }))
            break; // cannot reach the target: as close as the bounds allow
    }
}

} // namespace

void plan_tasks(Context& x) {
    std::vector<int> asset_types, shot_types;
    for (std::size_t t = 0; t < x.task_types.size(); ++t)
        (x.task_types[t].for_shot ? shot_types : asset_types).push_back(static_cast<int>(t));
    for (std::size_t a = 0; a < x.assets.size(); ++a)
        for (int t : asset_types)
            x.tasks.push_back({static_cast<int>(a), false, t, "main"});
    const long long base = static_cast<long long>(x.tasks.size()) +
                           static_cast<long long>(x.shots.size() * shot_types.size());
    const long long extras = std::max(0LL, x.size.tasks - base);
    const long long shots = std::max<long long>(1, static_cast<long long>(x.shots.size()));
    for (std::size_t h = 0; h < x.shots.size(); ++h) {
        for (int t : shot_types)
            x.tasks.push_back({static_cast<int>(h), true, t, "main"});
        const long long count = std::min<long long>(extra_tasks.size(),
                                                    extras / shots + (static_cast<long long>(h) < extras % shots));
        for (long long k = 0; k < count; ++k) {
            const auto& [type, name] = extra_tasks[(h + k) % extra_tasks.size()];
            x.tasks.push_back({static_cast<int>(h), true, type_index(x, type, true), name});
        }
    }
    for (std::size_t i = 0; i < x.tasks.size(); ++i)
        schedule(x, x.tasks[i], i);
    count_comments(x);
}

int assigner_of(const Context& x, std::size_t task) {
    return x.managers[task % x.managers.size()];
}

TaskStory task_story(const Context& x, std::size_t index) {
    const TaskInfo& t = x.tasks[index];
    TaskStory story;
    if (t.comments == 0)
        return story;
    Rng rng(x.seed, s_plan, index);
    const int department = x.task_types[t.type].department;
    const int supervisor = x.supervisors[department % x.supervisors.size()];
    const int64_t last = std::max(t.start + day, std::min(x.today, t.end));
    int status = st_wip, revision = 0, previous = -1;
    int64_t time = t.start;
    for (int k = 0; k < t.comments; ++k) {
        if (k == t.comments - 1)
            status = t.status;
        else if (k == t.comments - 2 && t.status == st_done)
            status = st_wfa;
        Step step;
        step.status = status;
        const bool reviewing = status == st_retake || status == st_done || (status == st_wfa && previous == st_wfa);
        step.author = reviewing || t.assignee < 0 ? supervisor : t.assignee;
        if (status == st_wfa && previous != st_wfa)
            step.revision = ++revision;
        time = std::max(time + 60, t.start + (last - t.start) * (k + 1) / (t.comments + 1) + rng.below(6 * 3600));
        step.time = time;
        story.steps.push_back(step);
        previous = status;
        status = status == st_wip ? (rng.chance(0.7) ? st_wfa : st_wip)
                 : status == st_wfa ? (rng.chance(0.6) ? st_retake : st_wfa)
                                    : st_wip;
    }
    if (t.assignee >= 0) {
        const int64_t first_day = t.start / day * day;
        const int64_t days = (story.steps.back().time / day * day - first_day) / day + 1;
        const int64_t count = std::min<int64_t>(days, 1 + rng.below(4));
        for (int64_t k = 0; k < count; ++k)
            story.work.push_back({first_day + days * k / count * day, 30 * rng.between(2, 16)});
    }
    return story;
}

void write_tasks(Context& x) {
    BulkTable tasks(x.c, x.config, "task",
                    {"id", "name", "project_id", "task_type_id", "task_status_id", "entity_id", "assigner_id",
                     "difficulty", "start_date", "due_date", "real_start_date", "end_date", "done_date",
                     "last_comment_date", "retake_count", "duration", "last_preview_file_id", "created_at",
                     "updated_at"});
    const long long total = static_cast<long long>(x.tasks.size());
    for (std::size_t i = 0; i < x.tasks.size(); ++i) {
        const TaskInfo& t = x.tasks[i];
        const TaskStory story = task_story(x, i);
        const std::string& entity = t.on_shot ? x.shots[t.entity].id : x.assets[t.entity].id;
        tasks.field(x.id(s_task, i)).field(t.name).field(x.project_id).field(x.task_types[t.type].id);
        tasks.field(x.status_ids[t.status]).field(entity).field(x.persons[assigner_of(x, i)].id);
        tasks.field(static_cast<long long>(t.difficulty)).field(timestamp_text(t.start)).field(timestamp_text(t.end));
        long long retakes = 0, minutes = 0;
        int revisions = 0;
        for (const auto& s : story.steps) {
            retakes += s.status == st_retake;
            revisions = std::max(revisions, s.revision);
        }
        for (const auto& w : story.work)
            minutes += w.minutes;
        if (story.steps.empty()) {
            tasks.null().null().null().null();
        } else {
            const std::string last = timestamp_text(story.steps.back().time);
            tasks.field(timestamp_text(story.steps.front().time));
            t.status == st_done ? tasks.field(last).field(last) : tasks.null().null();
            tasks.field(last);
        }
        tasks.field(retakes).field(minutes);
        revisions ? tasks.field(x.id(s_preview, i * 64 + revisions)) : tasks.null();
        const std::string created = timestamp_text(std::min(t.start, x.today) - 20 * day);
        tasks.field(created).field(story.steps.empty() ? created : timestamp_text(story.steps.back().time)).end_row();
        if (i % 8192 == 0)
            x.report("tasks", static_cast<long long>(i), total);
    }
    x.wrote("task", tasks.finish());
    x.report("tasks", total, total);
    BulkTable assignees(x.c, x.config, "task_person_link", {"task_id", "person_id"});
    for (std::size_t i = 0; i < x.tasks.size(); ++i)
        if (x.tasks[i].assignee >= 0)
            assignees.field(x.id(s_task, i)).field(x.persons[x.tasks[i].assignee].id).end_row();
    x.wrote("task_person_link", assignees.finish());
}

} // namespace slate::engine::samples
