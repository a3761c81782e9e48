-- A person deactivated loses every token issued until then, even once re-activated (Zou's
-- tokens stay valid again). The floor is written by a row trigger on person, so a
-- deactivation by any writer (Slate, Zou, the directory sync, psql) counts; tokens whose
-- "iat" is below it are refused as revoked. JWT times are whole seconds: a token issued in the
-- very second of the deactivation survives it, so that a login just after a re-activation in
-- that same second is never refused.
CREATE TABLE slate_token_floor (
    person_id uuid PRIMARY KEY,
    not_before bigint NOT NULL -- seconds since the epoch
);

CREATE OR REPLACE FUNCTION slate_person_deactivated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO slate_token_floor (person_id, not_before)
    VALUES (NEW.id, floor(extract(epoch FROM clock_timestamp()))::bigint)
    ON CONFLICT (person_id) DO UPDATE SET not_before = EXCLUDED.not_before;
    RETURN NULL;
END
$$;

DROP TRIGGER IF EXISTS slate_person_deactivated ON person;
CREATE TRIGGER slate_person_deactivated AFTER UPDATE OF active ON person
    FOR EACH ROW WHEN (OLD.active IS DISTINCT FROM NEW.active AND NEW.active IS NOT TRUE)
    EXECUTE FUNCTION slate_person_deactivated();

CREATE TRIGGER slate_table_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON slate_token_floor
    FOR EACH STATEMENT EXECUTE FUNCTION slate_table_changed();
