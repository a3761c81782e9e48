-- The change feed (engine/db/change_feed.h): a statement that changes a table sends
-- NOTIFY slate_changes '<table>' when its transaction commits, whoever wrote it (Slate, Zou,
-- psql), so that every process's caches drop what that table fed. Statement triggers: one
-- notification per statement, and PostgreSQL folds repeats within a transaction. A trigger
-- changes no row or column of Zou's tables; DROP TRIGGER slate_table_changed restores them.
CREATE OR REPLACE FUNCTION slate_table_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('slate_changes', TG_TABLE_NAME);
    RETURN NULL;
END
$$;

DO $$
DECLARE
    watched record;
BEGIN
    FOR watched IN
        SELECT tablename FROM pg_tables
        WHERE schemaname = current_schema()
          AND (tablename NOT LIKE 'slate\_%' OR tablename = 'slate_revoked_token')
          AND tablename <> 'alembic_version'
    LOOP
        EXECUTE format('DROP TRIGGER IF EXISTS slate_table_changed ON %I', watched.tablename);
        EXECUTE format('CREATE TRIGGER slate_table_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE '
                       'ON %I FOR EACH STATEMENT EXECUTE FUNCTION slate_table_changed()',
                       watched.tablename);
    END LOOP;
END
$$;

-- Zou's paginated order (updated_at, created_at, newest first) within a production: a page
-- is read from the index instead of sorting every row of the production.
CREATE INDEX IF NOT EXISTS slate_task_project_recent
    ON task (project_id, updated_at DESC, created_at DESC, id);
CREATE INDEX IF NOT EXISTS slate_entity_project_recent
    ON entity (project_id, updated_at DESC, created_at DESC, id);
CREATE INDEX IF NOT EXISTS slate_task_recent ON task (updated_at DESC, created_at DESC, id);
CREATE INDEX IF NOT EXISTS slate_entity_recent ON entity (updated_at DESC, created_at DESC, id);
