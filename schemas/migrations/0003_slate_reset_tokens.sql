-- Password reset tokens (Zou keeps them in Redis for two hours; Slate in PostgreSQL so that
-- every slate process sees them). One live token per e-mail address.
CREATE TABLE slate_reset_token (
    email character varying(255) PRIMARY KEY,
    token character varying(64) NOT NULL,
    expires_at timestamp without time zone NOT NULL
);
