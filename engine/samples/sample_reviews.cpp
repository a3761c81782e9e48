// The reviews of a sample production: previews, comments with their status changes, time
// spent, and the playlists of the dailies.

#include "engine/samples/bulk_table.h"
#include "engine/samples/sample_context.h"
#include "engine/samples/sample_names.h"

#include <algorithm>

namespace slate::engine::samples {

namespace {

constexpr int64_t day = 86400;

void write_previews(Context& x) {
    BulkTable previews(x.c, x.config, "preview_file",
                       {"id", "name", "original_name", "revision", "position", "extension", "source", "file_size",
                        "status", "validation_status", "annotations", "width", "height", "duration", "task_id",
                        "person_id", "is_movie", "created_at", "updated_at"});
    each_story(x, "previews", [&](std::size_t i, const TaskStory& story) {
        const bool movie = x.tasks[i].on_shot;
        for (const Step& s : story.steps) {
            if (!s.revision)
                continue;
            const std::string id = x.id(s_preview, i * 64 + s.revision);
            const std::string when = timestamp_text(s.time);
            previews.field(id).field(id.substr(0, 13)).field(movie ? "sample_clip.mp4" : "sample_picture.png");
            previews.field(static_cast<long long>(s.revision)).field(1LL).field(movie ? "mp4" : "png");
            previews.field("webgui").field(movie ? x.media.movie_bytes : x.media.picture_bytes).field("ready");
            previews.field(s.status == st_done ? "validated" : "neutral").field("[]");
            previews.field(static_cast<long long>(movie ? x.media.movie_width : x.media.picture_width));
            previews.field(static_cast<long long>(movie ? x.media.movie_height : x.media.picture_height));
            previews.field(movie ? std::to_string(x.media.movie_seconds) : "0").field(x.id(s_task, i));
            previews.field(x.persons[s.author].id).field(movie ? "true" : "false").field(when).field(when).end_row();
        }
    });
    x.wrote("preview_file", previews.finish());
    // Each entity shows its latest preview, as Zou's set-main-preview does.
    x.c.exec(R"(UPDATE entity e SET preview_file_id = latest.id
                FROM (SELECT DISTINCT ON (t.entity_id) t.entity_id, p.id
                      FROM preview_file p JOIN task t ON t.id = p.task_id
                      WHERE t.project_id = $1::uuid ORDER BY t.entity_id, p.created_at DESC) latest
                WHERE e.id = latest.entity_id)",
             {x.project_id});
}

void write_comments(Context& x) {
    BulkTable comments(x.c, x.config, "comment",
                       {"id", "object_id", "object_type", "text", "task_status_id", "person_id", "checklist",
                        "links", "for_client", "replies", "created_at", "updated_at"});
    each_story(x, "comments", [&](std::size_t i, const TaskStory& story) {
        Rng rng(x.seed, s_comment, i);
        const std::string task = x.id(s_task, i);
        for (std::size_t k = 0; k < story.steps.size(); ++k) {
            const Step& s = story.steps[k];
            const std::string when = timestamp_text(s.time);
            std::string text = rng.pick(names::comment_notes);
            if (mentions_assignee(x, i, k, s)) {
                const PersonInfo& p = x.persons[x.tasks[i].assignee];
                text = "@" + p.first_name + " " + p.last_name + " " + text;
            }
            comments.field(x.id(s_comment, i * 64 + k)).field(task).field("Task").field(text);
            comments.field(x.status_ids[s.status]).field(x.persons[s.author].id).field("[]").field("{}");
            comments.field("false").field("[]").field(when).field(when).end_row();
        }
    });
    x.wrote("comment", comments.finish());
    BulkTable mentions(x.c, x.config, "comment_mentions", {"comment", "person"});
    each_story(x, "mentions", [&](std::size_t i, const TaskStory& story) {
        for (std::size_t k = 0; k < story.steps.size(); ++k)
            if (mentions_assignee(x, i, k, story.steps[k]))
                mentions.field(x.id(s_comment, i * 64 + k)).field(x.persons[x.tasks[i].assignee].id).end_row();
    });
    x.wrote("comment_mentions", mentions.finish());
    BulkTable links(x.c, x.config, "comment_preview_link", {"comment", "preview_file"});
    each_story(x, "preview links", [&](std::size_t i, const TaskStory& story) {
        for (std::size_t k = 0; k < story.steps.size(); ++k)
            if (story.steps[k].revision)
                links.field(x.id(s_comment, i * 64 + k)).field(x.id(s_preview, i * 64 + story.steps[k].revision))
                    .end_row();
    });
    x.wrote("comment_preview_link", links.finish());
}

void write_time_spents(Context& x) {
    BulkTable spents(x.c, x.config, "time_spent",
                     {"id", "duration", "date", "task_id", "person_id", "created_at", "updated_at"});
    each_story(x, "time spents", [&](std::size_t i, const TaskStory& story) {
        for (std::size_t k = 0; k < story.work.size(); ++k) {
            const Work& w = story.work[k];
            const std::string when = timestamp_text(w.day + 17 * 3600);
            spents.field(x.id(s_time_spent, i * 8 + k)).field(static_cast<long long>(w.minutes));
            spents.field(date_text(w.day)).field(x.id(s_task, i)).field(x.persons[x.tasks[i].assignee].id);
            spents.field(when).field(when).end_row();
        }
    });
    x.wrote("time_spent", spents.finish());
}

} // namespace

void write_reviews(Context& x) {
    write_previews(x);
    write_comments(x);
    write_time_spents(x);
}

void write_playlists(Context& x) {
    static const std::vector<std::string> reviewed = {"Animation", "Lighting", "Compositing"};
    // The latest preview of each shot's main task of a reviewed type, by episode and type.
    std::vector<std::vector<std::vector<std::pair<int, std::string>>>> candidates(
        x.episodes.size(), std::vector<std::vector<std::pair<int, std::string>>>(reviewed.size()));
    for (std::size_t i = 0; i < x.tasks.size(); ++i) {
        const TaskInfo& t = x.tasks[i];
        const auto kind = std::find(reviewed.begin(), reviewed.end(), x.task_types[t.type].name);
        if (!t.on_shot || t.name != "main" || kind == reviewed.end() || t.comments == 0)
            continue;
        int revision = 0;
        for (const Step& s : task_story(x, i).steps)
            revision = std::max(revision, s.revision);
        if (revision)
            candidates[x.shots[t.entity].episode][kind - reviewed.begin()].emplace_back(
                t.entity, x.id(s_preview, i * 64 + revision));
    }
    BulkTable playlists(x.c, x.config, "playlist",
                        {"id", "name", "shots", "project_id", "episode_id", "task_type_id", "for_entity",
                         "created_by", "created_at", "updated_at"});
    long long index = 0;
    for (std::size_t e = 0; e < x.episodes.size(); ++e)
        for (int p = 0; p < x.size.playlists; ++p, ++index) {
            Rng rng(x.seed, s_playlist, index);
            const std::size_t kind = static_cast<std::size_t>(p) % reviewed.size();
            const auto& entries = candidates[e][kind];
            std::string shots = "[";
            const std::size_t count = std::min<std::size_t>(entries.size(), 20);
            const std::size_t first = entries.size() > count ? rng.below(static_cast<int>(entries.size() - count)) : 0;
            for (std::size_t k = first; k < first + count; ++k)
                shots += std::string(k > first ? ", " : "") + "{\"id\": \"" + x.id(s_playlist, 1000000 + index * 64 + k - first) +
                         "\", \"entity_id\": \"" + x.shots[entries[k].first].id + "\", \"preview_file_id\": \"" +
                         entries[k].second + "\"}";
            shots += "]";
            const int64_t when = x.today - rng.between(1, 200) * day + 10 * 3600;
            int type = 0;
            for (std::size_t t = 0; t < x.task_types.size(); ++t)
                if (x.task_types[t].for_shot && x.task_types[t].name == reviewed[kind])
                    type = static_cast<int>(t);
            playlists.field(x.id(s_playlist, index)).field(reviewed[kind] + " dailies " + date_text(when).substr(5) +
                                                           " #" + std::to_string(p + 1));
            playlists.field(shots).field(x.project_id).field(x.episodes[e].id).field(x.task_types[type].id);
            playlists.field("shot").field(x.persons[x.managers.front()].id).field(timestamp_text(when))
                .field(timestamp_text(when)).end_row();
        }
    x.wrote("playlist", playlists.finish());
}

} // namespace slate::engine::samples
