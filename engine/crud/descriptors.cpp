#include "engine/crud/descriptors.h"

#include "engine/models/catalog.h"

#include <algorithm>

namespace slate::engine::crud {
namespace {

ModelDescriptor model(std::string collection, std::string table) {
    ModelDescriptor d;
    d.collection = std::move(collection);
    d.table = std::move(table);
    return d;
}

/// Settings-like models everyone reads and only admins change (conventions.md §5.4).
ModelDescriptor shared_setting(std::string collection, std::string table) {
    ModelDescriptor d = model(std::move(collection), std::move(table));
    d.list = d.read = Rule::everyone;
    return d;
}

std::vector<ModelDescriptor> build() {
    std::vector<ModelDescriptor> all;

    ModelDescriptor persons = model("persons", "person");
    persons.list = persons.read = Rule::everyone;
    persons.update = Rule::self_or_admin;
    persons.hidden = {"password",         "totp_secret", "email_otp_secret",     "otp_recovery_codes",
                      "fido_credentials", "jti",         "login_failed_attemps", "last_login_failed"};
    persons.minimal_person_shape = true;
    persons.allow_force_delete = true;
    all.push_back(persons);

    ModelDescriptor projects = model("projects", "project");
    projects.list = Rule::everyone;
    projects.scope = Scope::team_open_projects;
    projects.read = Rule::project_member;
    projects.update = Rule::project_manager;
    projects.allow_force_delete = true;
    all.push_back(projects);

    for (auto [collection, table] : {std::pair{"project-status", "project_status"},
                                     {"entity-types", "entity_type"},
                                     {"task-types", "task_type"},
                                     {"task-status", "task_status"},
                                     {"departments", "department"},
                                     {"organisations", "organisation"},
                                     {"file-status", "file_status"},
                                     {"softwares", "software"},
                                     {"output-types", "output_type"},
                                     {"studios", "studio"},
                                     {"preview-background-files", "preview_background_file"}})
        all.push_back(shared_setting(collection, table));
    for (auto& d : all)
        if (d.table == "organisation") // Zou's Organisation.present() without sensitive data
            d.admin_only = {"chat_token_slack", "chat_webhook_mattermost", "chat_token_discord"};
    for (auto& d : all)
        if (d.table == "task_type")
            d.allow_force_delete = true;

    ModelDescriptor templates = model("project-templates", "project_template");
    templates.list = templates.read = Rule::manager;
    all.push_back(templates);

    ModelDescriptor entities = model("entities", "entity");
    entities.list = Rule::everyone;
    entities.scope = Scope::team_open_projects;
    entities.read = Rule::project_member;
    entities.create = entities.update = entities.remove = Rule::project_manager;
    entities.plain_update_refusals = true;
    all.push_back(entities);

    ModelDescriptor tasks = model("tasks", "task");
    tasks.list = Rule::everyone;
    tasks.scope = Scope::team_open_projects;
    tasks.read = Rule::project_member;
    // Zou's TasksResource.post checks nothing; a production's managers are who create tasks.
    tasks.create = tasks.update = tasks.remove = Rule::project_manager;
    tasks.allow_force_delete = true;
    all.push_back(tasks);

    ModelDescriptor previews = model("preview-files", "preview_file");
    previews.list = Rule::everyone;
    previews.scope = Scope::team_open_projects;
    previews.read = Rule::project_member;
    previews.update = previews.remove = Rule::project_manager;
    previews.allow_force_delete = true;
    all.push_back(previews);

    ModelDescriptor playlists = model("playlists", "playlist");
    playlists.list = Rule::not_vendor; // PlaylistsResource: block_access_to_vendor
    playlists.scope = Scope::team_open_projects;
    playlists.read = Rule::project_member;
    playlists.read_refused_roles = {"vendor"};
    playlists.create = Rule::project_supervisor; // update and delete: crud::require_write
    all.push_back(playlists);

    ModelDescriptor milestones = model("milestones", "milestone");
    milestones.read = Rule::project_member;
    milestones.create = milestones.update = milestones.remove = Rule::project_manager;
    all.push_back(milestones);

    ModelDescriptor day_offs = model("day-offs", "day_off");
    day_offs.read = day_offs.create = day_offs.update = day_offs.remove = Rule::self_or_admin;
    all.push_back(day_offs);

    // Listed to all but vendors, narrowed to the caller's productions through the file's entity
    // (open ones for output files: Zou's build_related_projects_filter; any for working files:
    // build_team_filter); read by id by the entity's production's members.
    for (auto [collection, table] : {std::pair{"working-files", "working_file"}, {"output-files", "output_file"}}) {
        ModelDescriptor files = model(collection, table);
        files.list = Rule::not_vendor;
        files.scope = files.table == "working_file" ? Scope::team_projects : Scope::team_open_projects;
        files.read = Rule::project_member;
        all.push_back(files);
    }

    ModelDescriptor metadata = model("metadata-descriptors", "metadata_descriptor");
    metadata.list = Rule::everyone;
    metadata.scope = Scope::team_open_projects;
    all.push_back(metadata);

    ModelDescriptor schedule_versions = model("production-schedule-versions", "production_schedule_version");
    schedule_versions.list = schedule_versions.read = Rule::project_member;
    schedule_versions.create = schedule_versions.update = Rule::project_manager;
    all.push_back(schedule_versions);

    // Deleted by the person who spent the time or a manager of the project, as checked by
    // check_delete (check_time_spent_access); otherwise admin-only.
    ModelDescriptor time_spents = model("time-spents", "time_spent");
    time_spents.remove = Rule::everyone;
    all.push_back(time_spents);

    // Lists every studio member reads but vendors (block_access_to_vendor); rows by id admins only.
    for (auto [collection, table] :
         {std::pair{"custom-actions", "custom_action"}, {"status-automations", "status_automation"}}) {
        ModelDescriptor d = model(collection, table);
        d.list = Rule::not_vendor;
        all.push_back(d);
    }

    // Admin-only through the generic routes: their users reach them through specific routes
    // (hardware items: Zou's resource keeps the default admin checks).
    all.push_back(model("hardware-items", "hardware_item"));
    for (auto [collection, table] :
         {std::pair{"attachment-files", "attachment_file"},
          {"comments", "comment"},
          {"asset-instances", "asset_instance"},
          {"events", "api_event"},
          {"notifications", "notification"},
          {"search-filters", "search_filter"},
          {"search-filter-groups", "search_filter_group"},
          {"schedule-items", "schedule_item"},
          {"news", "news"},
          {"subscriptions", "subscription"},
          {"entity-links", "entity_link"},
          {"chats", "chat"},
          {"chat-messages", "chat_message"},
          {"salary-scales", "salary_scale"},
          {"budgets", "budget"},
          {"budget-entries", "budget_entry"},
          {"plugins", "plugin"}}) {
        all.push_back(model(collection, table));
        if (all.back().table == "api_event")
            all.back().list_cap = 1000; // EventsResource.all_entries
    }
    // A schedule version's task link by id: the team of the task's production but its vendors
    // and clients; listed by admins only.
    ModelDescriptor schedule_task_links =
        model("production-schedule-version-task-links", "production_schedule_version_task_link");
    schedule_task_links.read = Rule::project_member;
    schedule_task_links.read_refused_roles = {"vendor", "client"};
    schedule_task_links.create = schedule_task_links.update = schedule_task_links.remove = Rule::project_manager;
    all.push_back(schedule_task_links);
    // A comment by id: whoever may see it (Zou's check_comment_access, run by the CRUD service).
    for (auto& descriptor : all)
        if (descriptor.table == "comment")
            descriptor.read = Rule::everyone;
    return all;
}

} // namespace

const models::Table& ModelDescriptor::schema() const {
    return models::table(table);
}

std::string ModelDescriptor::event_prefix() const {
    std::string prefix = table == "api_event" ? "api-event" : table;
    std::replace(prefix.begin(), prefix.end(), '_', '-');
    return prefix;
}

const std::vector<ModelDescriptor>& descriptors() {
    static const std::vector<ModelDescriptor> all = build();
    return all;
}

const ModelDescriptor* find_descriptor(const std::string& collection) {
    for (const auto& d : descriptors())
        if (d.collection == collection)
            return &d;
    return nullptr;
}

} // namespace slate::engine::crud
