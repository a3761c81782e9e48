-- Slate's equivalent of Zou 1.0.67's `zou init-data` (default domain "3d").
--
-- Mirrors zou/cli.py init_data -> zou/app/utils/commands.py init_data(domain="3d"),
-- _init_asset_types_for_domain and _init_task_types_for_domain, and the get-or-create services
-- they call: projects_service.get_or_create_status, assets_service.get_or_create_asset_type,
-- entities_service.get_entity_type_by_name (via shots_service / edits_service get_*_type),
-- tasks_service.get_or_create_department, get_or_create_task_type, get_default_status and
-- get_or_create_status. Values are Zou's; columns Zou leaves unset get the models' app defaults
-- (zou/app/models/*.py).
--
-- Each row is inserted only when Zou's own lookup would not find it, so the file can run any
-- number of times. Like Zou, every asset type, department, task type and task status actually
-- created also gets its api_event row ("asset-type:new", "department:new", "task-type:new",
-- "task-status:new"; data {"<x>_id": "<id>"}, no user, no project); project statuses and the
-- temporal entity types (Episode, Sequence, Shot, Edit) get none, as in Zou. init-data creates no
-- organisation (Zou creates "Kitsu" lazily in persons_service.get_organisation) and no person.
--
-- ON CONFLICT DO NOTHING only matters where Zou would abort with an IntegrityError (e.g. a
-- task status of the other for_concept kind already using the short name, or two servers
-- running this at once): the row is then skipped instead.

-- Project statuses: projects_service.get_open_status / get_closed_status
-- (ProjectStatus.get_by(name=...), else ProjectStatus(name=..., color="#000000")). No event.

INSERT INTO project_status (id, name, color, created_at, updated_at)
SELECT gen_random_uuid(), 'Open', '#000000', now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
WHERE NOT EXISTS (SELECT 1 FROM project_status WHERE name = 'Open')
ON CONFLICT DO NOTHING;

INSERT INTO project_status (id, name, color, created_at, updated_at)
SELECT gen_random_uuid(), 'Closed', '#000000', now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
WHERE NOT EXISTS (SELECT 1 FROM project_status WHERE name = 'Closed')
ON CONFLICT DO NOTHING;

-- Asset types: assets_service.get_or_create_asset_type (EntityType.get_by(name=...),
-- else EntityType.create(name=...); emits asset-type:new).

WITH created AS (
    INSERT INTO entity_type (id, name, archived, created_at, updated_at)
    SELECT gen_random_uuid(), 'Character', false, now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
    WHERE NOT EXISTS (SELECT 1 FROM entity_type WHERE name = 'Character')
    ON CONFLICT DO NOTHING
    RETURNING id
)
INSERT INTO api_event (id, name, data, created_at, updated_at)
SELECT gen_random_uuid(), 'asset-type:new', jsonb_build_object('asset_type_id', created.id::text), now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
FROM created;

WITH created AS (
    INSERT INTO entity_type (id, name, archived, created_at, updated_at)
    SELECT gen_random_uuid(), 'Prop', false, now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
    WHERE NOT EXISTS (SELECT 1 FROM entity_type WHERE name = 'Prop')
    ON CONFLICT DO NOTHING
    RETURNING id
)
INSERT INTO api_event (id, name, data, created_at, updated_at)
SELECT gen_random_uuid(), 'asset-type:new', jsonb_build_object('asset_type_id', created.id::text), now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
FROM created;

WITH created AS (
    INSERT INTO entity_type (id, name, archived, created_at, updated_at)
    SELECT gen_random_uuid(), 'Environment', false, now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
    WHERE NOT EXISTS (SELECT 1 FROM entity_type WHERE name = 'Environment')
    ON CONFLICT DO NOTHING
    RETURNING id
)
INSERT INTO api_event (id, name, data, created_at, updated_at)
SELECT gen_random_uuid(), 'asset-type:new', jsonb_build_object('asset_type_id', created.id::text), now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
FROM created;

WITH created AS (
    INSERT INTO entity_type (id, name, archived, created_at, updated_at)
    SELECT gen_random_uuid(), 'FX', false, now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
    WHERE NOT EXISTS (SELECT 1 FROM entity_type WHERE name = 'FX')
    ON CONFLICT DO NOTHING
    RETURNING id
)
INSERT INTO api_event (id, name, data, created_at, updated_at)
SELECT gen_random_uuid(), 'asset-type:new', jsonb_build_object('asset_type_id', created.id::text), now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
FROM created;

-- Shot types, then the edit type: shots_service.get_episode_type / get_sequence_type /
-- get_shot_type, edits_service.get_edit_type -> entities_service.get_entity_type_by_name
-- (EntityType.get_by(name=...), else EntityType.create(name=...); no event).

INSERT INTO entity_type (id, name, archived, created_at, updated_at)
SELECT gen_random_uuid(), 'Episode', false, now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
WHERE NOT EXISTS (SELECT 1 FROM entity_type WHERE name = 'Episode')
ON CONFLICT DO NOTHING;

INSERT INTO entity_type (id, name, archived, created_at, updated_at)
SELECT gen_random_uuid(), 'Sequence', false, now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
WHERE NOT EXISTS (SELECT 1 FROM entity_type WHERE name = 'Sequence')
ON CONFLICT DO NOTHING;

INSERT INTO entity_type (id, name, archived, created_at, updated_at)
SELECT gen_random_uuid(), 'Shot', false, now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
WHERE NOT EXISTS (SELECT 1 FROM entity_type WHERE name = 'Shot')
ON CONFLICT DO NOTHING;

INSERT INTO entity_type (id, name, archived, created_at, updated_at)
SELECT gen_random_uuid(), 'Edit', false, now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
WHERE NOT EXISTS (SELECT 1 FROM entity_type WHERE name = 'Edit')
ON CONFLICT DO NOTHING;

-- Departments: tasks_service.get_or_create_department (Department.get_by(name=...), else
-- Department(name, color); emits department:new).

WITH created AS (
    INSERT INTO department (id, name, color, archived, created_at, updated_at)
    SELECT gen_random_uuid(), 'Modeling', '#78909C', false, now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
    WHERE NOT EXISTS (SELECT 1 FROM department WHERE name = 'Modeling')
    ON CONFLICT DO NOTHING
    RETURNING id
)
INSERT INTO api_event (id, name, data, created_at, updated_at)
SELECT gen_random_uuid(), 'department:new', jsonb_build_object('department_id', created.id::text), now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
FROM created;

WITH created AS (
    INSERT INTO department (id, name, color, archived, created_at, updated_at)
    SELECT gen_random_uuid(), 'Animation', '#009688', false, now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
    WHERE NOT EXISTS (SELECT 1 FROM department WHERE name = 'Animation')
    ON CONFLICT DO NOTHING
    RETURNING id
)
INSERT INTO api_event (id, name, data, created_at, updated_at)
SELECT gen_random_uuid(), 'department:new', jsonb_build_object('department_id', created.id::text), now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
FROM created;

WITH created AS (
    INSERT INTO department (id, name, color, archived, created_at, updated_at)
    SELECT gen_random_uuid(), 'FX', '#26C6DA', false, now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
    WHERE NOT EXISTS (SELECT 1 FROM department WHERE name = 'FX')
    ON CONFLICT DO NOTHING
    RETURNING id
)
INSERT INTO api_event (id, name, data, created_at, updated_at)
SELECT gen_random_uuid(), 'department:new', jsonb_build_object('department_id', created.id::text), now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
FROM created;

WITH created AS (
    INSERT INTO department (id, name, color, archived, created_at, updated_at)
    SELECT gen_random_uuid(), 'Compositing', '#F06292', false, now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
    WHERE NOT EXISTS (SELECT 1 FROM department WHERE name = 'Compositing')
    ON CONFLICT DO NOTHING
    RETURNING id
)
INSERT INTO api_event (id, name, data, created_at, updated_at)
SELECT gen_random_uuid(), 'department:new', jsonb_build_object('department_id', created.id::text), now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
FROM created;

WITH created AS (
    INSERT INTO department (id, name, color, archived, created_at, updated_at)
    SELECT gen_random_uuid(), 'Concept', '#8D6E63', false, now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
    WHERE NOT EXISTS (SELECT 1 FROM department WHERE name = 'Concept')
    ON CONFLICT DO NOTHING
    RETURNING id
)
INSERT INTO api_event (id, name, data, created_at, updated_at)
SELECT gen_random_uuid(), 'department:new', jsonb_build_object('department_id', created.id::text), now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
FROM created;

WITH created AS (
    INSERT INTO department (id, name, color, archived, created_at, updated_at)
    SELECT gen_random_uuid(), 'Layout', '#7CB342', false, now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
    WHERE NOT EXISTS (SELECT 1 FROM department WHERE name = 'Layout')
    ON CONFLICT DO NOTHING
    RETURNING id
)
INSERT INTO api_event (id, name, data, created_at, updated_at)
SELECT gen_random_uuid(), 'department:new', jsonb_build_object('department_id', created.id::text), now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
FROM created;

-- Task types: tasks_service.get_or_create_task_type (TaskType.get_by(name=..., for_entity=...),
-- else TaskType.create(name, short_name="", department_id, color, priority, for_entity,
-- shotgun_id=None); emits task-type:new). The department is the one of that name.

WITH created AS (
    INSERT INTO task_type (id, name, short_name, color, priority, for_entity, allow_timelog, archived, department_id, created_at, updated_at)
    SELECT gen_random_uuid(), 'Concept', '', '#8D6E63', 1, 'Asset', true, false, (SELECT id FROM department WHERE name = 'Concept' LIMIT 1), now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
    WHERE NOT EXISTS (SELECT 1 FROM task_type WHERE name = 'Concept' AND for_entity = 'Asset')
    ON CONFLICT DO NOTHING
    RETURNING id
)
INSERT INTO api_event (id, name, data, created_at, updated_at)
SELECT gen_random_uuid(), 'task-type:new', jsonb_build_object('task_type_id', created.id::text), now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
FROM created;

WITH created AS (
    INSERT INTO task_type (id, name, short_name, color, priority, for_entity, allow_timelog, archived, department_id, created_at, updated_at)
    SELECT gen_random_uuid(), 'Modeling', '', '#78909C', 2, 'Asset', true, false, (SELECT id FROM department WHERE name = 'Modeling' LIMIT 1), now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
    WHERE NOT EXISTS (SELECT 1 FROM task_type WHERE name = 'Modeling' AND for_entity = 'Asset')
    ON CONFLICT DO NOTHING
    RETURNING id
)
INSERT INTO api_event (id, name, data, created_at, updated_at)
SELECT gen_random_uuid(), 'task-type:new', jsonb_build_object('task_type_id', created.id::text), now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
FROM created;

WITH created AS (
    INSERT INTO task_type (id, name, short_name, color, priority, for_entity, allow_timelog, archived, department_id, created_at, updated_at)
    SELECT gen_random_uuid(), 'Shading', '', '#64B5F6', 3, 'Asset', true, false, (SELECT id FROM department WHERE name = 'Modeling' LIMIT 1), now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
    WHERE NOT EXISTS (SELECT 1 FROM task_type WHERE name = 'Shading' AND for_entity = 'Asset')
    ON CONFLICT DO NOTHING
    RETURNING id
)
INSERT INTO api_event (id, name, data, created_at, updated_at)
SELECT gen_random_uuid(), 'task-type:new', jsonb_build_object('task_type_id', created.id::text), now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
FROM created;

WITH created AS (
    INSERT INTO task_type (id, name, short_name, color, priority, for_entity, allow_timelog, archived, department_id, created_at, updated_at)
    SELECT gen_random_uuid(), 'Rigging', '', '#9CCC65', 4, 'Asset', true, false, (SELECT id FROM department WHERE name = 'Animation' LIMIT 1), now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
    WHERE NOT EXISTS (SELECT 1 FROM task_type WHERE name = 'Rigging' AND for_entity = 'Asset')
    ON CONFLICT DO NOTHING
    RETURNING id
)
INSERT INTO api_event (id, name, data, created_at, updated_at)
SELECT gen_random_uuid(), 'task-type:new', jsonb_build_object('task_type_id', created.id::text), now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
FROM created;

WITH created AS (
    INSERT INTO task_type (id, name, short_name, color, priority, for_entity, allow_timelog, archived, department_id, created_at, updated_at)
    SELECT gen_random_uuid(), 'Storyboard', '', '#43A047', 1, 'Shot', true, false, (SELECT id FROM department WHERE name = 'Concept' LIMIT 1), now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
    WHERE NOT EXISTS (SELECT 1 FROM task_type WHERE name = 'Storyboard' AND for_entity = 'Shot')
    ON CONFLICT DO NOTHING
    RETURNING id
)
INSERT INTO api_event (id, name, data, created_at, updated_at)
SELECT gen_random_uuid(), 'task-type:new', jsonb_build_object('task_type_id', created.id::text), now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
FROM created;

WITH created AS (
    INSERT INTO task_type (id, name, short_name, color, priority, for_entity, allow_timelog, archived, department_id, created_at, updated_at)
    SELECT gen_random_uuid(), 'Layout', '', '#7CB342', 2, 'Shot', true, false, (SELECT id FROM department WHERE name = 'Layout' LIMIT 1), now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
    WHERE NOT EXISTS (SELECT 1 FROM task_type WHERE name = 'Layout' AND for_entity = 'Shot')
    ON CONFLICT DO NOTHING
    RETURNING id
)
INSERT INTO api_event (id, name, data, created_at, updated_at)
SELECT gen_random_uuid(), 'task-type:new', jsonb_build_object('task_type_id', created.id::text), now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
FROM created;

WITH created AS (
    INSERT INTO task_type (id, name, short_name, color, priority, for_entity, allow_timelog, archived, department_id, created_at, updated_at)
    SELECT gen_random_uuid(), 'Animation', '', '#009688', 3, 'Shot', true, false, (SELECT id FROM department WHERE name = 'Animation' LIMIT 1), now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
    WHERE NOT EXISTS (SELECT 1 FROM task_type WHERE name = 'Animation' AND for_entity = 'Shot')
    ON CONFLICT DO NOTHING
    RETURNING id
)
INSERT INTO api_event (id, name, data, created_at, updated_at)
SELECT gen_random_uuid(), 'task-type:new', jsonb_build_object('task_type_id', created.id::text), now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
FROM created;

WITH created AS (
    INSERT INTO task_type (id, name, short_name, color, priority, for_entity, allow_timelog, archived, department_id, created_at, updated_at)
    SELECT gen_random_uuid(), 'Lighting', '', '#F9A825', 4, 'Shot', true, false, (SELECT id FROM department WHERE name = 'Compositing' LIMIT 1), now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
    WHERE NOT EXISTS (SELECT 1 FROM task_type WHERE name = 'Lighting' AND for_entity = 'Shot')
    ON CONFLICT DO NOTHING
    RETURNING id
)
INSERT INTO api_event (id, name, data, created_at, updated_at)
SELECT gen_random_uuid(), 'task-type:new', jsonb_build_object('task_type_id', created.id::text), now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
FROM created;

WITH created AS (
    INSERT INTO task_type (id, name, short_name, color, priority, for_entity, allow_timelog, archived, department_id, created_at, updated_at)
    SELECT gen_random_uuid(), 'FX', '', '#26C6DA', 5, 'Shot', true, false, (SELECT id FROM department WHERE name = 'FX' LIMIT 1), now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
    WHERE NOT EXISTS (SELECT 1 FROM task_type WHERE name = 'FX' AND for_entity = 'Shot')
    ON CONFLICT DO NOTHING
    RETURNING id
)
INSERT INTO api_event (id, name, data, created_at, updated_at)
SELECT gen_random_uuid(), 'task-type:new', jsonb_build_object('task_type_id', created.id::text), now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
FROM created;

WITH created AS (
    INSERT INTO task_type (id, name, short_name, color, priority, for_entity, allow_timelog, archived, department_id, created_at, updated_at)
    SELECT gen_random_uuid(), 'Rendering', '', '#F06292', 6, 'Shot', true, false, (SELECT id FROM department WHERE name = 'Compositing' LIMIT 1), now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
    WHERE NOT EXISTS (SELECT 1 FROM task_type WHERE name = 'Rendering' AND for_entity = 'Shot')
    ON CONFLICT DO NOTHING
    RETURNING id
)
INSERT INTO api_event (id, name, data, created_at, updated_at)
SELECT gen_random_uuid(), 'task-type:new', jsonb_build_object('task_type_id', created.id::text), now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
FROM created;

WITH created AS (
    INSERT INTO task_type (id, name, short_name, color, priority, for_entity, allow_timelog, archived, department_id, created_at, updated_at)
    SELECT gen_random_uuid(), 'Compositing', '', '#ff5252', 7, 'Shot', true, false, (SELECT id FROM department WHERE name = 'Compositing' LIMIT 1), now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
    WHERE NOT EXISTS (SELECT 1 FROM task_type WHERE name = 'Compositing' AND for_entity = 'Shot')
    ON CONFLICT DO NOTHING
    RETURNING id
)
INSERT INTO api_event (id, name, data, created_at, updated_at)
SELECT gen_random_uuid(), 'task-type:new', jsonb_build_object('task_type_id', created.id::text), now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
FROM created;

WITH created AS (
    INSERT INTO task_type (id, name, short_name, color, priority, for_entity, allow_timelog, archived, department_id, created_at, updated_at)
    SELECT gen_random_uuid(), 'Edit', '', '#9b298c', 8, 'Edit', true, false, (SELECT id FROM department WHERE name = 'Compositing' LIMIT 1), now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
    WHERE NOT EXISTS (SELECT 1 FROM task_type WHERE name = 'Edit' AND for_entity = 'Edit')
    ON CONFLICT DO NOTHING
    RETURNING id
)
INSERT INTO api_event (id, name, data, created_at, updated_at)
SELECT gen_random_uuid(), 'task-type:new', jsonb_build_object('task_type_id', created.id::text), now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
FROM created;

WITH created AS (
    INSERT INTO task_type (id, name, short_name, color, priority, for_entity, allow_timelog, archived, department_id, created_at, updated_at)
    SELECT gen_random_uuid(), 'Concept', '', '#8D6E63', 1, 'Concept', true, false, (SELECT id FROM department WHERE name = 'Concept' LIMIT 1), now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
    WHERE NOT EXISTS (SELECT 1 FROM task_type WHERE name = 'Concept' AND for_entity = 'Concept')
    ON CONFLICT DO NOTHING
    RETURNING id
)
INSERT INTO api_event (id, name, data, created_at, updated_at)
SELECT gen_random_uuid(), 'task-type:new', jsonb_build_object('task_type_id', created.id::text), now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
FROM created;

-- Task statuses: tasks_service.get_default_status() then get_or_create_status(...). Lookup:
-- a default status by (is_default, for_concept), any other by (name, for_concept); if none,
-- by (short_name, for_concept). Created with priority 1, archived false, is_artist_allowed
-- and is_client_allowed true (model/argument defaults); emits task-status:new.

WITH created AS (
    INSERT INTO task_status (id, name, short_name, color, priority, is_done, is_retake, is_feedback_request, is_default, is_wip, for_concept, is_artist_allowed, is_client_allowed, archived, created_at, updated_at)
    SELECT gen_random_uuid(), 'Todo', 'todo', '#f5f5f5', 1, false, false, false, true, false, false, true, true, false, now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
    WHERE NOT EXISTS (SELECT 1 FROM task_status WHERE is_default = true AND for_concept = false)
      AND NOT EXISTS (SELECT 1 FROM task_status WHERE short_name = 'todo' AND for_concept = false)
    ON CONFLICT DO NOTHING
    RETURNING id
)
INSERT INTO api_event (id, name, data, created_at, updated_at)
SELECT gen_random_uuid(), 'task-status:new', jsonb_build_object('task_status_id', created.id::text), now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
FROM created;

WITH created AS (
    INSERT INTO task_status (id, name, short_name, color, priority, is_done, is_retake, is_feedback_request, is_default, is_wip, for_concept, is_artist_allowed, is_client_allowed, archived, created_at, updated_at)
    SELECT gen_random_uuid(), 'Work In Progress', 'wip', '#3273dc', 1, false, false, false, false, true, false, true, true, false, now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
    WHERE NOT EXISTS (SELECT 1 FROM task_status WHERE name = 'Work In Progress' AND for_concept = false)
      AND NOT EXISTS (SELECT 1 FROM task_status WHERE short_name = 'wip' AND for_concept = false)
    ON CONFLICT DO NOTHING
    RETURNING id
)
INSERT INTO api_event (id, name, data, created_at, updated_at)
SELECT gen_random_uuid(), 'task-status:new', jsonb_build_object('task_status_id', created.id::text), now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
FROM created;

WITH created AS (
    INSERT INTO task_status (id, name, short_name, color, priority, is_done, is_retake, is_feedback_request, is_default, is_wip, for_concept, is_artist_allowed, is_client_allowed, archived, created_at, updated_at)
    SELECT gen_random_uuid(), 'Waiting For Approval', 'wfa', '#ab26ff', 1, false, false, true, false, false, false, true, true, false, now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
    WHERE NOT EXISTS (SELECT 1 FROM task_status WHERE name = 'Waiting For Approval' AND for_concept = false)
      AND NOT EXISTS (SELECT 1 FROM task_status WHERE short_name = 'wfa' AND for_concept = false)
    ON CONFLICT DO NOTHING
    RETURNING id
)
INSERT INTO api_event (id, name, data, created_at, updated_at)
SELECT gen_random_uuid(), 'task-status:new', jsonb_build_object('task_status_id', created.id::text), now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
FROM created;

WITH created AS (
    INSERT INTO task_status (id, name, short_name, color, priority, is_done, is_retake, is_feedback_request, is_default, is_wip, for_concept, is_artist_allowed, is_client_allowed, archived, created_at, updated_at)
    SELECT gen_random_uuid(), 'Retake', 'retake', '#ff3860', 1, false, true, false, false, false, false, true, true, false, now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
    WHERE NOT EXISTS (SELECT 1 FROM task_status WHERE name = 'Retake' AND for_concept = false)
      AND NOT EXISTS (SELECT 1 FROM task_status WHERE short_name = 'retake' AND for_concept = false)
    ON CONFLICT DO NOTHING
    RETURNING id
)
INSERT INTO api_event (id, name, data, created_at, updated_at)
SELECT gen_random_uuid(), 'task-status:new', jsonb_build_object('task_status_id', created.id::text), now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
FROM created;

WITH created AS (
    INSERT INTO task_status (id, name, short_name, color, priority, is_done, is_retake, is_feedback_request, is_default, is_wip, for_concept, is_artist_allowed, is_client_allowed, archived, created_at, updated_at)
    SELECT gen_random_uuid(), 'Done', 'done', '#22d160', 1, true, false, false, false, false, false, true, true, false, now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
    WHERE NOT EXISTS (SELECT 1 FROM task_status WHERE name = 'Done' AND for_concept = false)
      AND NOT EXISTS (SELECT 1 FROM task_status WHERE short_name = 'done' AND for_concept = false)
    ON CONFLICT DO NOTHING
    RETURNING id
)
INSERT INTO api_event (id, name, data, created_at, updated_at)
SELECT gen_random_uuid(), 'task-status:new', jsonb_build_object('task_status_id', created.id::text), now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
FROM created;

WITH created AS (
    INSERT INTO task_status (id, name, short_name, color, priority, is_done, is_retake, is_feedback_request, is_default, is_wip, for_concept, is_artist_allowed, is_client_allowed, archived, created_at, updated_at)
    SELECT gen_random_uuid(), 'Ready To Start', 'ready', '#fbc02d', 1, false, false, false, false, false, false, true, true, false, now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
    WHERE NOT EXISTS (SELECT 1 FROM task_status WHERE name = 'Ready To Start' AND for_concept = false)
      AND NOT EXISTS (SELECT 1 FROM task_status WHERE short_name = 'ready' AND for_concept = false)
    ON CONFLICT DO NOTHING
    RETURNING id
)
INSERT INTO api_event (id, name, data, created_at, updated_at)
SELECT gen_random_uuid(), 'task-status:new', jsonb_build_object('task_status_id', created.id::text), now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
FROM created;

WITH created AS (
    INSERT INTO task_status (id, name, short_name, color, priority, is_done, is_retake, is_feedback_request, is_default, is_wip, for_concept, is_artist_allowed, is_client_allowed, archived, created_at, updated_at)
    SELECT gen_random_uuid(), 'Neutral', 'neutral', '#CCCCCC', 1, false, false, false, true, false, true, true, true, false, now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
    WHERE NOT EXISTS (SELECT 1 FROM task_status WHERE is_default = true AND for_concept = true)
      AND NOT EXISTS (SELECT 1 FROM task_status WHERE short_name = 'neutral' AND for_concept = true)
    ON CONFLICT DO NOTHING
    RETURNING id
)
INSERT INTO api_event (id, name, data, created_at, updated_at)
SELECT gen_random_uuid(), 'task-status:new', jsonb_build_object('task_status_id', created.id::text), now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
FROM created;

WITH created AS (
    INSERT INTO task_status (id, name, short_name, color, priority, is_done, is_retake, is_feedback_request, is_default, is_wip, for_concept, is_artist_allowed, is_client_allowed, archived, created_at, updated_at)
    SELECT gen_random_uuid(), 'Approved', 'approved', '#66BB6A', 1, false, false, false, false, false, true, true, true, false, now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
    WHERE NOT EXISTS (SELECT 1 FROM task_status WHERE name = 'Approved' AND for_concept = true)
      AND NOT EXISTS (SELECT 1 FROM task_status WHERE short_name = 'approved' AND for_concept = true)
    ON CONFLICT DO NOTHING
    RETURNING id
)
INSERT INTO api_event (id, name, data, created_at, updated_at)
SELECT gen_random_uuid(), 'task-status:new', jsonb_build_object('task_status_id', created.id::text), now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
FROM created;

WITH created AS (
    INSERT INTO task_status (id, name, short_name, color, priority, is_done, is_retake, is_feedback_request, is_default, is_wip, for_concept, is_artist_allowed, is_client_allowed, archived, created_at, updated_at)
    SELECT gen_random_uuid(), 'Rejected', 'rejected', '#E81123', 1, false, false, false, false, false, true, true, true, false, now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
    WHERE NOT EXISTS (SELECT 1 FROM task_status WHERE name = 'Rejected' AND for_concept = true)
      AND NOT EXISTS (SELECT 1 FROM task_status WHERE short_name = 'rejected' AND for_concept = true)
    ON CONFLICT DO NOTHING
    RETURNING id
)
INSERT INTO api_event (id, name, data, created_at, updated_at)
SELECT gen_random_uuid(), 'task-status:new', jsonb_build_object('task_status_id', created.id::text), now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
FROM created;
