#include "engine/samples/sample_production.h"

#include "engine/auth/password.h"
#include "engine/config.h"
#include "engine/db/connection.h"
#include "engine/error.h"
#include "engine/samples/bulk_table.h"
#include "engine/samples/sample_context.h"
#include "engine/samples/sample_names.h"

#include <algorithm>
#include <cstdlib>
#include <cctype>
#include <ctime>

namespace slate::engine::samples {

SampleSize sample_size(std::string_view name) {
    if (name == "small")
        return {"small", 2, 8, 200, 120, 40, 2400, 12000, 10, 3};
    if (name == "big")
        return {"big", 30, 300, 15000, 3000, 400, 200000, 1000000, 20, 2};
    if (name == "spec") // the production the performance goals are stated for: one task per type and entity
        return {"spec", 30, 300, 15000, 3000, 100, 120000, 600000, 20, 2};
    throw_bad_request("unknown size '" + std::string(name) + "' (small, big or spec)");
}

std::string timestamp_text(int64_t seconds) {
    const std::time_t t = seconds;
    std::tm parts{};
    gmtime_r(&t, &parts);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S", &parts);
    return text;
}

std::string date_text(int64_t seconds) {
    return timestamp_text(seconds).substr(0, 10);
}

namespace {

constexpr int64_t day = 86400;

/// The ids of rows found by name, creating those missing (as init-data does).
std::vector<std::string> get_or_create(db::Connection& c, const std::string& find, const std::string& create,
                                       const std::vector<std::vector<std::string>>& rows) {
    std::vector<std::string> ids;
    for (const auto& row : rows) {
        db::Params params(row.begin(), row.end());
        auto found = c.exec(find, params);
        if (found.rows() == 0) {
            c.exec(create, params);
            found = c.exec(find, params);
        }
        ids.emplace_back(found.get(0, 0));
    }
    return ids;
}

void find_statuses(Context& x) {
    static const char* short_names[status_count] = {"todo", "ready", "wip", "wfa", "retake", "done"};
    for (int s = 0; s < status_count; ++s) {
        const auto found = x.c.exec("SELECT id FROM task_status WHERE short_name = $1 AND NOT for_concept LIMIT 1",
                                    {std::string(short_names[s])});
        if (found.rows() == 0)
            throw_bad_request("task status '" + std::string(short_names[s]) +
                              "' is missing: run `slate init-data` first");
        x.status_ids[s] = std::string(found.get(0, 0));
    }
    for (auto [name, target] : {std::pair{"Episode", &x.episode_type}, std::pair{"Sequence", &x.sequence_type},
                                std::pair{"Shot", &x.shot_type}}) {
        const auto found = x.c.exec("SELECT id FROM entity_type WHERE name = $1", {std::string(name)});
        if (found.rows() == 0)
            throw_bad_request(std::string("entity type ") + name + " is missing: run `slate init-data` first");
        *target = std::string(found.get(0, 0));
    }
}

void find_types(Context& x) {
    x.department_names = {"Concept", "Modeling", "Animation", "Layout", "FX",
                          "Compositing", "Storyboard", "Lighting", "Rigging", "Production"};
    std::vector<std::vector<std::string>> departments;
    static const char* colors[] = {"#8D6E63", "#78909C", "#009688", "#7CB342", "#26C6DA",
                                   "#F06292", "#43A047", "#F9A825", "#9CCC65", "#5C6BC0"};
    for (std::size_t i = 0; i < x.department_names.size(); ++i)
        departments.push_back({x.department_names[i], colors[i]});
    x.department_ids = get_or_create(
        x.c, "SELECT id FROM department WHERE name = $1 AND $2 <> ''",
        "INSERT INTO department (id, name, color, archived, created_at, updated_at) VALUES (gen_random_uuid(), $1, "
        "$2, false, now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc') ON CONFLICT DO NOTHING",
        departments);
    x.asset_type_names = {"Character", "Prop", "Environment", "FX",
                          "Vehicle", "Set Dressing", "Crowd", "Matte Painting"};
    std::vector<std::vector<std::string>> asset_types;
    for (const auto& name : x.asset_type_names)
        asset_types.push_back({name});
    x.asset_type_ids = get_or_create(
        x.c, "SELECT id FROM entity_type WHERE name = $1",
        "INSERT INTO entity_type (id, name, archived, created_at, updated_at) VALUES (gen_random_uuid(), $1, false, "
        "now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc') ON CONFLICT DO NOTHING",
        asset_types);
    // Name, for_entity, department (index in department_names), stage, colour.
    const std::vector<std::vector<std::string>> types = {
        {"Concept", "Asset", "0", "1", "#8D6E63"},     {"Modeling", "Asset", "1", "2", "#78909C"},
        {"Texturing", "Asset", "1", "3", "#A1887F"},   {"Shading", "Asset", "1", "4", "#64B5F6"},
        {"Rigging", "Asset", "2", "5", "#9CCC65"},     {"Storyboard", "Shot", "0", "1", "#43A047"},
        {"Layout", "Shot", "3", "2", "#7CB342"},       {"Animation", "Shot", "2", "3", "#009688"},
        {"FX", "Shot", "4", "5", "#26C6DA"},           {"Lighting", "Shot", "5", "4", "#F9A825"},
        {"Rendering", "Shot", "5", "6", "#F06292"},    {"Compositing", "Shot", "5", "7", "#ff5252"}};
    std::vector<std::vector<std::string>> rows;
    for (const auto& t : types)
        rows.push_back({t[0], t[1], x.department_ids[std::stoi(t[2])], t[3], t[4]});
    const auto ids = get_or_create(
        x.c, "SELECT id FROM task_type WHERE name = $1 AND for_entity = $2 AND $3 <> '' AND $4 <> '' AND $5 <> '' "
             "ORDER BY department_id = $3::uuid DESC LIMIT 1",
        "INSERT INTO task_type (id, name, short_name, color, priority, for_entity, allow_timelog, archived, "
        "department_id, created_at, updated_at) VALUES (gen_random_uuid(), $1, '', $5, $4::int, $2, true, false, "
        "$3::uuid, now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc') ON CONFLICT DO NOTHING",
        rows);
    for (std::size_t i = 0; i < types.size(); ++i)
        x.task_types.push_back({ids[i], types[i][0], types[i][1] == "Shot", std::stoi(types[i][2]),
                                std::stoi(types[i][3])});
}

void write_persons(Context& x) {
    Rng rng(x.seed, s_names, 0);
    const int count = x.size.persons;
    const int production = static_cast<int>(x.department_names.size()) - 1;
    BulkTable persons(x.c, x.config, "person",
                      {"id", "first_name", "last_name", "email", "password", "role", "position", "seniority",
                       "daily_salary", "created_at", "updated_at"});
    const std::string domain = "studio-" + std::to_string(x.seed) + ".example.com";
    const std::string created = timestamp_text(x.today - 400 * day);
    x.artists_by_department.assign(x.department_names.size(), {});
    for (int i = 0; i < count; ++i) {
        PersonInfo p;
        p.id = x.id(s_person, i);
        p.first_name = rng.pick(names::first_names);
        p.last_name = rng.pick(names::last_names);
        std::string local;
        for (char ch : p.first_name + "." + p.last_name)
            local.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(ch))));
        p.email = local + "." + std::to_string(i + 1) + "@" + domain;
        // A few managers and clients, a supervisor per department, artists for the rest.
        const int managers = std::max(2, count / 25);
        if (i < managers)
            p.role = "manager", p.department = production;
        else if (i < managers + production)
            p.role = "supervisor", p.department = i - managers;
        else if (i < managers + production + 2)
            p.role = "client", p.department = -1;
        else
            p.role = "user", p.department = (i + rng.below(3)) % production;
        // Zou's positions: supervisor, lead, artist.
        const std::string position = p.role == "supervisor" ? "supervisor" : p.role == "manager" ? "lead" : "artist";
        static const std::vector<std::string> seniorities = {"junior", "mid", "senior"};
        persons.field(p.id).field(p.first_name).field(p.last_name).field(p.email).field(x.password_hash);
        persons.field(p.role).field(position).field(rng.pick(seniorities)).field(180LL + rng.below(8) * 20);
        persons.field(created).field(created).end_row();
        if (p.role == "manager")
            x.managers.push_back(i);
        else if (p.role == "supervisor")
            x.supervisors.push_back(i);
        else if (p.role == "user")
            x.artists_by_department[p.department].push_back(i);
        x.persons.push_back(std::move(p));
    }
    x.wrote("person", persons.finish());
    BulkTable links(x.c, x.config, "department_link", {"person_id", "department_id"});
    for (const auto& p : x.persons)
        if (p.department >= 0)
            links.field(p.id).field(x.department_ids[p.department]).end_row();
    x.wrote("department_link", links.finish());
}

} // namespace

void write_studio(Context& x) {
    find_statuses(x);
    find_types(x);
    x.password_hash = "\\x";
    static constexpr char digits[] = "0123456789abcdef";
    for (unsigned char ch : auth::hash_password(sample_password, x.config.bcrypt_rounds))
        x.password_hash += {digits[ch >> 4], digits[ch & 15]};
    write_persons(x);
}

void write_project(Context& x) {
    Rng rng(x.seed, s_project, 0);
    const std::string first = rng.pick(names::title_words);
    std::string second = rng.pick(names::title_words);
    while (second == first)
        second = rng.pick(names::title_words);
    x.project_name = "The " + first + " and the " + second + " (sample " + std::to_string(x.seed) + ")";
    x.project_id = x.id(s_project, 0);
    if (x.c.exec("SELECT 1 FROM project WHERE name = $1 OR id = $2::uuid", {x.project_name, x.project_id}).rows())
        throw_bad_request("the sample production of seed " + std::to_string(x.seed) +
                          " is already loaded (\"" + x.project_name + "\"): choose another --seed");
    const auto open = x.c.exec("SELECT id FROM project_status WHERE name = 'Open'");
    if (open.rows() == 0)
        throw_bad_request("project status Open is missing: run `slate init-data` first");
    const std::string created = timestamp_text(x.today - 380 * day);
    BulkTable project(x.c, x.config, "project",
                      {"id", "name", "code", "description", "production_type", "nb_episodes", "start_date",
                       "end_date", "project_status_id", "created_at", "updated_at"});
    project.field(x.project_id).field(x.project_name).field(first.substr(0, 3) + second.substr(0, 3));
    project.field("A sample production written by `slate sample-production --size " + x.size.name + " --seed " +
                  std::to_string(x.seed) + "`.");
    project.field("tvshow").field(static_cast<long long>(x.size.episodes));
    project.field(date_text(x.today - 365 * day)).field(date_text(x.today + 120 * day));
    project.field(open.get(0, 0)).field(created).field(created).end_row();
    x.wrote("project", project.finish());

    BulkTable team(x.c, x.config, "project_person_link", {"project_id", "person_id"});
    for (const auto& p : x.persons)
        team.field(x.project_id).field(p.id).end_row();
    x.wrote("project_person_link", team.finish());
    BulkTable task_types(x.c, x.config, "project_task_type_link",
                         {"project_id", "task_type_id", "priority", "created_at", "updated_at"});
    for (const auto& t : x.task_types)
        task_types.field(x.project_id).field(t.id).field(static_cast<long long>(t.stage)).field(created)
            .field(created).end_row();
    x.wrote("project_task_type_link", task_types.finish());
    BulkTable statuses(x.c, x.config, "project_task_status_link",
                       {"project_id", "task_status_id", "priority", "created_at", "updated_at"});
    for (int s = 0; s < status_count; ++s)
        statuses.field(x.project_id).field(x.status_ids[s]).field(static_cast<long long>(s + 1)).field(created)
            .field(created).end_row();
    x.wrote("project_task_status_link", statuses.finish());
    BulkTable asset_types(x.c, x.config, "project_asset_type_link", {"project_id", "asset_type_id"});
    for (const auto& id : x.asset_type_ids)
        asset_types.field(x.project_id).field(id).end_row();
    x.wrote("project_asset_type_link", asset_types.finish());
}

SampleSummary load_sample_production(db::Connection& c, const Config& config, const SampleOptions& options) {
    Context x(c, config, options);
    x.today = std::time(nullptr) / day * day;
    if (!options.media.empty())
        read_sample_media(x.media, options.media);
    if (c.exec("SELECT 1 FROM project WHERE id = $1::uuid", {x.id(s_project, 0)}).rows())
        throw_bad_request("the sample production of seed " + std::to_string(x.seed) +
                          " is already loaded: choose another --seed");
    db::Transaction transaction(c);
    write_studio(x);
    write_project(x);
    write_breakdown(x);
    plan_tasks(x);
    write_tasks(x);
    write_reviews(x);
    write_playlists(x);
    write_activity(x);
    transaction.commit();
    x.report("analyze", 0, 1);
    c.exec("VACUUM (ANALYZE)"); // as autovacuum would soon after a bulk load: hint bits, visibility map, statistics
    x.report("analyze", 1, 1);
    SampleSummary summary{x.project_id, x.project_name, "", x.persons[x.managers.front()].email, x.rows};
    summary.media_files = store_sample_media(x);
    // The benchmarks' artist: the one whose open tasks number closest to 300 (a busy artist's
    // to-do list, as the task benchmarks specify it).
    std::vector<int> open_tasks(x.persons.size(), 0);
    for (const auto& t : x.tasks)
        if (t.assignee >= 0 && t.status != st_done)
            ++open_tasks[t.assignee];
    int artist = -1;
    for (int person = 0; person < static_cast<int>(open_tasks.size()); ++person)
        if (open_tasks[person] > 0 &&
            (artist < 0 || std::abs(open_tasks[person] - 300) < std::abs(open_tasks[artist] - 300)))
            artist = person;
    if (artist >= 0)
        summary.artist_email = x.persons[artist].email;
    return summary;
}

} // namespace slate::engine::samples
