-- The job queue of the worker pool (media work never runs on an HTTP thread). A job is
-- queued, then running on one worker, then done or failed with its reason. A worker holds
-- a PostgreSQL advisory lock on each job it runs: a running job whose lock nobody holds
-- belongs to a worker that died, and is queued again.
CREATE TABLE slate_job (
    id uuid PRIMARY KEY,
    kind character varying(80) NOT NULL,
    payload jsonb NOT NULL DEFAULT '{}'::jsonb,
    state character varying(20) NOT NULL DEFAULT 'queued'
        CHECK (state IN ('queued', 'running', 'done', 'failed')),
    attempts integer NOT NULL DEFAULT 0,
    reason text,
    worker character varying(255),
    lock_key bigint NOT NULL,
    created_at timestamp without time zone NOT NULL DEFAULT (now() AT TIME ZONE 'utc'),
    started_at timestamp without time zone,
    ended_at timestamp without time zone
);
CREATE INDEX ix_slate_job_queued ON slate_job (created_at) WHERE state = 'queued';
CREATE INDEX ix_slate_job_state ON slate_job (state);
CREATE SEQUENCE slate_job_lock_key_seq;
