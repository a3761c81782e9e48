-- The pending WebAuthn ceremony of a person: the challenge of the last registration or
-- authentication options sent (Zou keeps it in the Flask session as fido-state-<id>).
CREATE TABLE slate_fido_state (
    person_id uuid PRIMARY KEY REFERENCES person (id) ON DELETE CASCADE,
    challenge text NOT NULL,
    created_at timestamp without time zone NOT NULL DEFAULT (now() AT TIME ZONE 'utc')
);
