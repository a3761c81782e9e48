-- Zou's `init-data` (zou/app/utils/commands.py init_data, domain "3d", the default):
-- project statuses, asset types, the temporal entity types, departments, task types and task
-- statuses, with Zou's names, colours and flags. Each row is created only when Zou's own
-- get-or-create lookup would not find it, so running it again changes nothing.

-- Project statuses (projects_service.get_or_create_status).
INSERT INTO project_status (id, name, color, created_at, updated_at)
SELECT gen_random_uuid(), 'Open', '#000000', now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
WHERE NOT EXISTS (SELECT 1 FROM project_status WHERE name = 'Open');
INSERT INTO project_status (id, name, color, created_at, updated_at)
SELECT gen_random_uuid(), 'Closed', '#000000', now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
WHERE NOT EXISTS (SELECT 1 FROM project_status WHERE name = 'Closed');

-- Asset types, then the types of shots, sequences, episodes and edits.
INSERT INTO entity_type (id, name, archived, created_at, updated_at)
SELECT gen_random_uuid(), 'Character', false, now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
WHERE NOT EXISTS (SELECT 1 FROM entity_type WHERE name = 'Character');
INSERT INTO entity_type (id, name, archived, created_at, updated_at)
SELECT gen_random_uuid(), 'Prop', false, now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
WHERE NOT EXISTS (SELECT 1 FROM entity_type WHERE name = 'Prop');
INSERT INTO entity_type (id, name, archived, created_at, updated_at)
SELECT gen_random_uuid(), 'Environment', false, now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
WHERE NOT EXISTS (SELECT 1 FROM entity_type WHERE name = 'Environment');
INSERT INTO entity_type (id, name, archived, created_at, updated_at)
SELECT gen_random_uuid(), 'FX', false, now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
WHERE NOT EXISTS (SELECT 1 FROM entity_type WHERE name = 'FX');
INSERT INTO entity_type (id, name, archived, created_at, updated_at)
SELECT gen_random_uuid(), 'Episode', false, now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
WHERE NOT EXISTS (SELECT 1 FROM entity_type WHERE name = 'Episode');
INSERT INTO entity_type (id, name, archived, created_at, updated_at)
SELECT gen_random_uuid(), 'Sequence', false, now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
WHERE NOT EXISTS (SELECT 1 FROM entity_type WHERE name = 'Sequence');
INSERT INTO entity_type (id, name, archived, created_at, updated_at)
SELECT gen_random_uuid(), 'Shot', false, now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
WHERE NOT EXISTS (SELECT 1 FROM entity_type WHERE name = 'Shot');
INSERT INTO entity_type (id, name, archived, created_at, updated_at)
SELECT gen_random_uuid(), 'Edit', false, now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
WHERE NOT EXISTS (SELECT 1 FROM entity_type WHERE name = 'Edit');

-- Departments (tasks_service.get_or_create_department).
INSERT INTO department (id, name, color, archived, created_at, updated_at)
SELECT gen_random_uuid(), 'Modeling', '#78909C', false, now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
WHERE NOT EXISTS (SELECT 1 FROM department WHERE name = 'Modeling');
INSERT INTO department (id, name, color, archived, created_at, updated_at)
SELECT gen_random_uuid(), 'Animation', '#009688', false, now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
WHERE NOT EXISTS (SELECT 1 FROM department WHERE name = 'Animation');
INSERT INTO department (id, name, color, archived, created_at, updated_at)
SELECT gen_random_uuid(), 'FX', '#26C6DA', false, now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
WHERE NOT EXISTS (SELECT 1 FROM department WHERE name = 'FX');
INSERT INTO department (id, name, color, archived, created_at, updated_at)
SELECT gen_random_uuid(), 'Compositing', '#F06292', false, now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
WHERE NOT EXISTS (SELECT 1 FROM department WHERE name = 'Compositing');
INSERT INTO department (id, name, color, archived, created_at, updated_at)
SELECT gen_random_uuid(), 'Concept', '#8D6E63', false, now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
WHERE NOT EXISTS (SELECT 1 FROM department WHERE name = 'Concept');
INSERT INTO department (id, name, color, archived, created_at, updated_at)
SELECT gen_random_uuid(), 'Layout', '#7CB342', false, now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
WHERE NOT EXISTS (SELECT 1 FROM department WHERE name = 'Layout');

-- Task types (tasks_service.get_or_create_task_type: looked up by name and entity).
INSERT INTO task_type (id, name, short_name, color, priority, for_entity, allow_timelog,
    archived, department_id, created_at, updated_at)
SELECT gen_random_uuid(), 'Concept', '', '#8D6E63', 1, 'Asset', true, false,
    (SELECT id FROM department WHERE name = 'Concept' ORDER BY created_at LIMIT 1), now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
WHERE NOT EXISTS (SELECT 1 FROM task_type WHERE name = 'Concept' AND for_entity = 'Asset');
INSERT INTO task_type (id, name, short_name, color, priority, for_entity, allow_timelog,
    archived, department_id, created_at, updated_at)
SELECT gen_random_uuid(), 'Modeling', '', '#78909C', 2, 'Asset', true, false,
    (SELECT id FROM department WHERE name = 'Modeling' ORDER BY created_at LIMIT 1), now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
WHERE NOT EXISTS (SELECT 1 FROM task_type WHERE name = 'Modeling' AND for_entity = 'Asset');
INSERT INTO task_type (id, name, short_name, color, priority, for_entity, allow_timelog,
    archived, department_id, created_at, updated_at)
SELECT gen_random_uuid(), 'Shading', '', '#64B5F6', 3, 'Asset', true, false,
    (SELECT id FROM department WHERE name = 'Modeling' ORDER BY created_at LIMIT 1), now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
WHERE NOT EXISTS (SELECT 1 FROM task_type WHERE name = 'Shading' AND for_entity = 'Asset');
INSERT INTO task_type (id, name, short_name, color, priority, for_entity, allow_timelog,
    archived, department_id, created_at, updated_at)
SELECT gen_random_uuid(), 'Rigging', '', '#9CCC65', 4, 'Asset', true, false,
    (SELECT id FROM department WHERE name = 'Animation' ORDER BY created_at LIMIT 1), now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
WHERE NOT EXISTS (SELECT 1 FROM task_type WHERE name = 'Rigging' AND for_entity = 'Asset');
INSERT INTO task_type (id, name, short_name, color, priority, for_entity, allow_timelog,
    archived, department_id, created_at, updated_at)
SELECT gen_random_uuid(), 'Storyboard', '', '#43A047', 1, 'Shot', true, false,
    (SELECT id FROM department WHERE name = 'Concept' ORDER BY created_at LIMIT 1), now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
WHERE NOT EXISTS (SELECT 1 FROM task_type WHERE name = 'Storyboard' AND for_entity = 'Shot');
INSERT INTO task_type (id, name, short_name, color, priority, for_entity, allow_timelog,
    archived, department_id, created_at, updated_at)
SELECT gen_random_uuid(), 'Layout', '', '#7CB342', 2, 'Shot', true, false,
    (SELECT id FROM department WHERE name = 'Layout' ORDER BY created_at LIMIT 1), now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
WHERE NOT EXISTS (SELECT 1 FROM task_type WHERE name = 'Layout' AND for_entity = 'Shot');
INSERT INTO task_type (id, name, short_name, color, priority, for_entity, allow_timelog,
    archived, department_id, created_at, updated_at)
SELECT gen_random_uuid(), 'Animation', '', '#009688', 3, 'Shot', true, false,
    (SELECT id FROM department WHERE name = 'Animation' ORDER BY created_at LIMIT 1), now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
WHERE NOT EXISTS (SELECT 1 FROM task_type WHERE name = 'Animation' AND for_entity = 'Shot');
INSERT INTO task_type (id, name, short_name, color, priority, for_entity, allow_timelog,
    archived, department_id, created_at, updated_at)
SELECT gen_random_uuid(), 'Lighting', '', '#F9A825', 4, 'Shot', true, false,
    (SELECT id FROM department WHERE name = 'Compositing' ORDER BY created_at LIMIT 1), now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
WHERE NOT EXISTS (SELECT 1 FROM task_type WHERE name = 'Lighting' AND for_entity = 'Shot');
INSERT INTO task_type (id, name, short_name, color, priority, for_entity, allow_timelog,
    archived, department_id, created_at, updated_at)
SELECT gen_random_uuid(), 'FX', '', '#26C6DA', 5, 'Shot', true, false,
    (SELECT id FROM department WHERE name = 'FX' ORDER BY created_at LIMIT 1), now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
WHERE NOT EXISTS (SELECT 1 FROM task_type WHERE name = 'FX' AND for_entity = 'Shot');
INSERT INTO task_type (id, name, short_name, color, priority, for_entity, allow_timelog,
    archived, department_id, created_at, updated_at)
SELECT gen_random_uuid(), 'Rendering', '', '#F06292', 6, 'Shot', true, false,
    (SELECT id FROM department WHERE name = 'Compositing' ORDER BY created_at LIMIT 1), now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
WHERE NOT EXISTS (SELECT 1 FROM task_type WHERE name = 'Rendering' AND for_entity = 'Shot');
INSERT INTO task_type (id, name, short_name, color, priority, for_entity, allow_timelog,
    archived, department_id, created_at, updated_at)
SELECT gen_random_uuid(), 'Compositing', '', '#ff5252', 7, 'Shot', true, false,
    (SELECT id FROM department WHERE name = 'Compositing' ORDER BY created_at LIMIT 1), now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
WHERE NOT EXISTS (SELECT 1 FROM task_type WHERE name = 'Compositing' AND for_entity = 'Shot');
INSERT INTO task_type (id, name, short_name, color, priority, for_entity, allow_timelog,
    archived, department_id, created_at, updated_at)
SELECT gen_random_uuid(), 'Edit', '', '#9b298c', 8, 'Edit', true, false,
    (SELECT id FROM department WHERE name = 'Compositing' ORDER BY created_at LIMIT 1), now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
WHERE NOT EXISTS (SELECT 1 FROM task_type WHERE name = 'Edit' AND for_entity = 'Edit');
INSERT INTO task_type (id, name, short_name, color, priority, for_entity, allow_timelog,
    archived, department_id, created_at, updated_at)
SELECT gen_random_uuid(), 'Concept', '', '#8D6E63', 1, 'Concept', true, false,
    (SELECT id FROM department WHERE name = 'Concept' ORDER BY created_at LIMIT 1), now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
WHERE NOT EXISTS (SELECT 1 FROM task_type WHERE name = 'Concept' AND for_entity = 'Concept');

-- Task statuses (tasks_service.get_or_create_status): a default status is looked up as "the
-- default" (of concepts or not), any other by name, then by short name.
INSERT INTO task_status (id, name, short_name, color, priority, is_done, is_retake,
    is_feedback_request, is_default, is_wip, for_concept, is_artist_allowed, is_client_allowed,
    archived, created_at, updated_at)
SELECT gen_random_uuid(), 'Todo', 'todo', '#f5f5f5', 1, false, false, false,
    true, false, false, true, true, false, now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
WHERE NOT EXISTS (SELECT 1 FROM task_status WHERE is_default = true AND for_concept = false) AND NOT EXISTS (SELECT 1 FROM task_status WHERE short_name = 'todo' AND for_concept = false);
INSERT INTO task_status (id, name, short_name, color, priority, is_done, is_retake,
    is_feedback_request, is_default, is_wip, for_concept, is_artist_allowed, is_client_allowed,
    archived, created_at, updated_at)
SELECT gen_random_uuid(), 'Work In Progress', 'wip', '#3273dc', 1, false, false, false,
    false, true, false, true, true, false, now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
WHERE NOT EXISTS (SELECT 1 FROM task_status WHERE name = 'Work In Progress' AND for_concept = false) AND NOT EXISTS (SELECT 1 FROM task_status WHERE short_name = 'wip' AND for_concept = false);
INSERT INTO task_status (id, name, short_name, color, priority, is_done, is_retake,
    is_feedback_request, is_default, is_wip, for_concept, is_artist_allowed, is_client_allowed,
    archived, created_at, updated_at)
SELECT gen_random_uuid(), 'Waiting For Approval', 'wfa', '#ab26ff', 1, false, false, true,
    false, false, false, true, true, false, now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
WHERE NOT EXISTS (SELECT 1 FROM task_status WHERE name = 'Waiting For Approval' AND for_concept = false) AND NOT EXISTS (SELECT 1 FROM task_status WHERE short_name = 'wfa' AND for_concept = false);
INSERT INTO task_status (id, name, short_name, color, priority, is_done, is_retake,
    is_feedback_request, is_default, is_wip, for_concept, is_artist_allowed, is_client_allowed,
    archived, created_at, updated_at)
SELECT gen_random_uuid(), 'Retake', 'retake', '#ff3860', 1, false, true, false,
    false, false, false, true, true, false, now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
WHERE NOT EXISTS (SELECT 1 FROM task_status WHERE name = 'Retake' AND for_concept = false) AND NOT EXISTS (SELECT 1 FROM task_status WHERE short_name = 'retake' AND for_concept = false);
INSERT INTO task_status (id, name, short_name, color, priority, is_done, is_retake,
    is_feedback_request, is_default, is_wip, for_concept, is_artist_allowed, is_client_allowed,
    archived, created_at, updated_at)
SELECT gen_random_uuid(), 'Done', 'done', '#22d160', 1, true, false, false,
    false, false, false, true, true, false, now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
WHERE NOT EXISTS (SELECT 1 FROM task_status WHERE name = 'Done' AND for_concept = false) AND NOT EXISTS (SELECT 1 FROM task_status WHERE short_name = 'done' AND for_concept = false);
INSERT INTO task_status (id, name, short_name, color, priority, is_done, is_retake,
    is_feedback_request, is_default, is_wip, for_concept, is_artist_allowed, is_client_allowed,
    archived, created_at, updated_at)
SELECT gen_random_uuid(), 'Ready To Start', 'ready', '#fbc02d', 1, false, false, false,
    false, false, false, true, true, false, now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
WHERE NOT EXISTS (SELECT 1 FROM task_status WHERE name = 'Ready To Start' AND for_concept = false) AND NOT EXISTS (SELECT 1 FROM task_status WHERE short_name = 'ready' AND for_concept = false);
INSERT INTO task_status (id, name, short_name, color, priority, is_done, is_retake,
    is_feedback_request, is_default, is_wip, for_concept, is_artist_allowed, is_client_allowed,
    archived, created_at, updated_at)
SELECT gen_random_uuid(), 'Neutral', 'neutral', '#CCCCCC', 1, false, false, false,
    true, false, true, true, true, false, now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
WHERE NOT EXISTS (SELECT 1 FROM task_status WHERE is_default = true AND for_concept = true) AND NOT EXISTS (SELECT 1 FROM task_status WHERE short_name = 'neutral' AND for_concept = true);
INSERT INTO task_status (id, name, short_name, color, priority, is_done, is_retake,
    is_feedback_request, is_default, is_wip, for_concept, is_artist_allowed, is_client_allowed,
    archived, created_at, updated_at)
SELECT gen_random_uuid(), 'Approved', 'approved', '#66BB6A', 1, false, false, false,
    false, false, true, true, true, false, now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
WHERE NOT EXISTS (SELECT 1 FROM task_status WHERE name = 'Approved' AND for_concept = true) AND NOT EXISTS (SELECT 1 FROM task_status WHERE short_name = 'approved' AND for_concept = true);
INSERT INTO task_status (id, name, short_name, color, priority, is_done, is_retake,
    is_feedback_request, is_default, is_wip, for_concept, is_artist_allowed, is_client_allowed,
    archived, created_at, updated_at)
SELECT gen_random_uuid(), 'Rejected', 'rejected', '#E81123', 1, false, false, false,
    false, false, true, true, true, false, now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
WHERE NOT EXISTS (SELECT 1 FROM task_status WHERE name = 'Rejected' AND for_concept = true) AND NOT EXISTS (SELECT 1 FROM task_status WHERE short_name = 'rejected' AND for_concept = true);
