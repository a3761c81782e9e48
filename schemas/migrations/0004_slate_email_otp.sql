-- The HOTP counter of the last e-mailed one-time code, per address (Zou keeps it in Redis
-- for five minutes). A code is good once, until expires_at.
CREATE TABLE slate_email_otp (
    email character varying(255) PRIMARY KEY,
    counter bigint NOT NULL,
    expires_at timestamp without time zone NOT NULL
);
