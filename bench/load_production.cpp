#include "load_production.h"

namespace slate::bench {

Production load_production(engine::db::Connection& c, int shots, int tasks_per_shot) {
    engine::db::Transaction tx(c);
    Production production;
    production.project_id = std::string(c.exec(R"(
        INSERT INTO project (id, name, production_style, revision_padding, project_status_id,
                             created_at, updated_at)
        SELECT gen_random_uuid(), 'Benchmark ' || gen_random_uuid(), '2d3d', 0, s.id,
               now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
        FROM project_status s WHERE s.name = 'Open' RETURNING id)")
                                            .get(0, 0));
    c.exec(R"(
        INSERT INTO entity (id, name, is_shared, status, project_id, entity_type_id,
                            created_at, updated_at)
        SELECT gen_random_uuid(), 'SH' || lpad(n::text, 5, '0'), false, 'running', $1::uuid,
               (SELECT id FROM entity_type WHERE name = 'Shot'),
               now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
        FROM generate_series(1, $2::int) n)",
           {production.project_id, std::to_string(shots)});
    c.exec(R"(
        WITH types AS (
            SELECT id, row_number() OVER (ORDER BY priority, name) - 1 AS position
            FROM task_type WHERE for_entity = 'Shot'),
        slots AS (SELECT n - 1 AS slot FROM generate_series(1, $2::int) n)
        INSERT INTO task (id, name, difficulty, project_id, entity_id, task_type_id,
                          task_status_id, created_at, updated_at)
        SELECT gen_random_uuid(), 'main' || CASE WHEN s.slot < (SELECT count(*) FROM types)
                                               THEN '' ELSE s.slot::text END,
               3, $1::uuid, e.id,
               (SELECT id FROM types WHERE position = s.slot % (SELECT count(*) FROM types)),
               (SELECT id FROM task_status WHERE is_default AND NOT for_concept LIMIT 1),
               now() AT TIME ZONE 'utc' - (random() * interval '30 days'),
               now() AT TIME ZONE 'utc' - (random() * interval '30 days')
        FROM entity e CROSS JOIN slots s WHERE e.project_id = $1::uuid)",
           {production.project_id, std::to_string(tasks_per_shot)});
    const auto task =
        c.exec("SELECT id FROM task WHERE project_id = $1::uuid LIMIT 1 OFFSET 500", {production.project_id});
    production.some_task_id = std::string(task.get(0, 0));
    production.tasks = static_cast<int>(
        c.exec("SELECT count(*) AS n FROM task WHERE project_id = $1::uuid", {production.project_id}).get_int(0, "n"));
    tx.commit();
    c.exec("ANALYZE"); // as autovacuum would soon after a bulk load
    return production;
}

} // namespace slate::bench
