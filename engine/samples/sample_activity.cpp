// What the comments of a sample production left behind, as Zou's comment service writes it:
// a news item per comment, notifications to the assignee and the persons mentioned, an
// assignation notification per assigned task, and the event log.

#include "engine/json.h"
#include "engine/samples/bulk_table.h"
#include "engine/samples/sample_context.h"

#include <algorithm>
#include <optional>

namespace slate::engine::samples {

namespace {

constexpr int64_t day = 86400;
/// Zou's `remove-old-data` default: older notifications and events are gone.
constexpr int64_t kept_days = 90;

/// The event log, written as Zou's events.emit saves them (the production in the data too).
class EventLog {
public:
    explicit EventLog(Context& x)
        : m_x(x), m_table(x.c, x.config, "api_event",
                          {"id", "name", "user_id", "project_id", "data", "created_at", "updated_at"}) {}
    /// `fields` writes the data's own fields (the object is opened and closed here).
    template <typename Fields>
    void add(const char* name, const std::string& user, int64_t time, Fields fields) {
        JsonWriter data;
        data.begin_object();
        fields(data);
        data.field("project_id", m_x.project_id).end_object();
        const std::string when = timestamp_text(time);
        m_table.field(m_x.id(s_event, m_count++)).field(name).field(user).field(m_x.project_id).field(data.take());
        m_table.field(when).field(when).end_row();
    }
    long long finish() { return m_table.finish(); }

private:
    Context& m_x;
    BulkTable m_table;
    uint64_t m_count = 0;
};

/// Whether a notification of `time` was read: the old ones, and some of the last week's.
bool read_at(const Context& x, int64_t time, uint64_t index) {
    return time < x.today - 7 * day || Rng(x.seed, s_notification, index).chance(0.4);
}

/// When the task's assignee was given it (by its assigner), two days after it was created.
int64_t assigned_at(const Context& x, const TaskInfo& t) {
    return std::min(t.start, x.today) - 18 * day + 10 * 3600;
}

void write_news(Context& x) {
    BulkTable news(
        x.c, x.config, "news",
        {"id", "change", "author_id", "comment_id", "task_id", "preview_file_id", "created_at", "updated_at"});
    each_story(x, "news", [&](std::size_t i, const TaskStory& story) {
        int previous = st_todo;
        for (std::size_t k = 0; k < story.steps.size(); ++k) {
            const Step& s = story.steps[k];
            const std::string when = timestamp_text(s.time);
            news.field(x.id(s_news, i * 64 + k)).field(s.status != previous ? "true" : "false");
            news.field(x.persons[s.author].id).field(x.id(s_comment, i * 64 + k)).field(x.id(s_task, i));
            s.revision ? news.field(x.id(s_preview, i * 64 + s.revision)) : news.null();
            news.field(when).field(when).end_row();
            previous = s.status;
        }
    });
    x.wrote("news", news.finish());
}

void write_notifications(Context& x) {
    const int64_t kept_from = x.today - kept_days * day;
    BulkTable notifications(x.c, x.config, "notification",
                            {"id", "read", "change", "type", "person_id", "author_id", "comment_id", "task_id",
                             "created_at", "updated_at"});
    uint64_t count = 0;
    const auto notify = [&](const char* type, int person, int author, const std::optional<std::string>& comment,
                            std::size_t task, bool change, int64_t time) {
        const std::string when = timestamp_text(time);
        notifications.field(x.id(s_notification, count)).field(read_at(x, time, count) ? "true" : "false");
        notifications.field(change ? "true" : "false").field(type).field(x.persons[person].id);
        notifications.field(x.persons[author].id).optional(comment).field(x.id(s_task, task));
        notifications.field(when).field(when).end_row();
        ++count;
    };
    for (std::size_t i = 0; i < x.tasks.size(); ++i) {
        const TaskInfo& t = x.tasks[i];
        if (t.assignee >= 0 && assigned_at(x, t) >= kept_from && assigner_of(x, i) != t.assignee)
            notify("assignation", t.assignee, assigner_of(x, i), std::nullopt, i, false, assigned_at(x, t));
    }
    each_story(x, "notifications", [&](std::size_t i, const TaskStory& story) {
        const int assignee = x.tasks[i].assignee;
        int previous = st_todo;
        for (std::size_t k = 0; k < story.steps.size(); ++k) {
            const Step& s = story.steps[k];
            if (s.time >= kept_from && assignee >= 0 && s.author != assignee) {
                const std::string comment = x.id(s_comment, i * 64 + k);
                notify("comment", assignee, s.author, comment, i, s.status != previous, s.time);
                if (mentions_assignee(x, i, k, s))
                    notify("mention", assignee, s.author, comment, i, false, s.time);
            }
            previous = s.status;
        }
    });
    x.wrote("notification", notifications.finish());
}

void write_events(Context& x) {
    const int64_t kept_from = x.today - kept_days * day;
    EventLog events(x);
    for (std::size_t i = 0; i < x.tasks.size(); ++i) {
        const TaskInfo& t = x.tasks[i];
        if (t.assignee < 0 || assigned_at(x, t) < kept_from)
            continue;
        const std::string task = x.id(s_task, i);
        const std::string& assigner = x.persons[assigner_of(x, i)].id;
        events.add("task:assign", assigner, assigned_at(x, t),
                   [&](JsonWriter& d) { d.field("task_id", task).field("person_id", x.persons[t.assignee].id); });
        events.add("task:update", assigner, assigned_at(x, t), [&](JsonWriter& d) { d.field("task_id", task); });
    }
    each_story(x, "events", [&](std::size_t i, const TaskStory& story) {
        const std::string task = x.id(s_task, i);
        const std::string& type = x.task_types[x.tasks[i].type].id;
        int previous = st_todo;
        for (std::size_t k = 0; k < story.steps.size(); ++k) {
            const Step& s = story.steps[k];
            const int before = previous;
            previous = s.status;
            if (s.time < kept_from)
                continue;
            const std::string comment = x.id(s_comment, i * 64 + k);
            const std::string& author = x.persons[s.author].id;
            const std::string& status = x.status_ids[s.status];
            events.add("comment:new", author, s.time, [&](JsonWriter& d) {
                d.field("comment_id", comment).field("task_id", task).field("task_status_id", status);
            });
            if (s.status != before) {
                const auto change = [&](JsonWriter& d) {
                    d.field("task_id", task).field("new_task_status_id", status);
                    d.field("previous_task_status_id", x.status_ids[before]).field("person_id", author);
                };
                events.add("task:status-changed", author, s.time, change);
                if (s.status == st_wfa) // a feedback request: Zou's legacy event too
                    events.add("task:to-review", author, s.time, [&](JsonWriter& d) {
                        change(d);
                        d.field("comment_id", comment);
                    });
            }
            events.add("news:new", author, s.time, [&](JsonWriter& d) {
                d.field("news_id", x.id(s_news, i * 64 + k)).field("task_status_id", status);
                d.field("task_type_id", type);
            });
        }
    });
    x.wrote("api_event", events.finish());
}

} // namespace

bool mentions_assignee(const Context& x, std::size_t task, std::size_t k, const Step& step) {
    const int assignee = x.tasks[task].assignee;
    return step.status == st_retake && assignee >= 0 && step.author != assignee &&
           Rng(x.seed, s_mention, task * 64 + k).chance(0.3);
}

void write_activity(Context& x) {
    write_news(x);
    write_notifications(x);
    write_events(x);
}

} // namespace slate::engine::samples
