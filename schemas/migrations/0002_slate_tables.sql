-- Slate's own tables, beside Zou's (which are never altered). All named slate_*.

-- Revoked access and refresh tokens (Zou keeps these in Redis; Slate in PostgreSQL so that
-- several slate processes share them). Rows past expires_at may be purged at any time.
CREATE TABLE slate_revoked_token (
    jti character varying(60) PRIMARY KEY,
    expires_at timestamp without time zone NOT NULL
);
CREATE INDEX ix_slate_revoked_token_expires_at ON slate_revoked_token (expires_at);
