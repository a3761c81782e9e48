#!/usr/bin/env python3
"""Compares the WRITES of the generic CRUD routes (POST /data/<model>, PUT and DELETE
/data/<model>/<id>) between the reference Zou and Slate, both reading the same database.

    diff_writes.py [--zou http://127.0.0.1:5601] [--slate http://127.0.0.1:5611/api]
                   [--email admin@example.com] [--password mysecretpassword]
                   [--role-password rolepassword] [--project "Filled 1206222947"]
                   [--model tasks,projects] [--json FILE] [--show-same]

Not run by CI: the reference is a tool, never a dependency of Slate's tests. Requests are sent
one at a time, first to Zou, then to Slate. For each model it builds a valid create body from real
ids of the database (the newest "Filled <tag>" production of fill_reference.py, its team of role
persons, its entities and tasks), POSTs it to each server (names carry a per-run, per-server
token, so unique constraints do not collide; values that must differ per server, such as a day
off's date, are compared as "<varied ...>"), then sends:
  * bad bodies: unknown field, missing required field, a wrong type (a string for an integer or
    boolean), a malformed uuid, a malformed date, {}, and once: no body, non-JSON, null, [1];
  * the model's own rules (duplicate names, bad choices, for_entity, resolution...);
  * a few requests as a non-admin (manager, supervisor, artist: the persons of the production);
  * bad PUT bodies and the same PUT to each server's own row, then the DELETE;
  * PUT/DELETE of an absent id and PUT of a malformed id.
Answers are compared on status and JSON, ignoring id, created_at and updated_at, the server's own
token in strings and the ids each server generated. Categories of the summary: create, update,
delete (the valid requests), bad body, permission, extra (model rules).

Every row a check made is removed when the check ends: through Zou (force=true), and with psql
when it is still there (Zou's forced project delete answers 500, a preview without task 404).
Zou stores an unknown choice value before failing to read it back (every later read of that row
answers 500): those rows are repaired or removed at once. The salary scale it updates is put back.

Exit status: 0 when every check is the same, 1 otherwise, 2 on a setup error.
"""
import argparse
import datetime
import json
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid

UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
DATETIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}")
IGNORED_KEYS = {"id", "created_at", "updated_at"}
CATEGORIES = ["create", "update", "delete", "bad body", "permission", "extra"]


# ----------------------------------------------------------------------------------------------
# clients


class Server:
    def __init__(self, name, url):
        self.name = name
        self.url = url.rstrip("/")
        self.tokens = {}

    def call(self, method, path, body=None, role="admin", raw=None):
        """Returns (status, parsed JSON or text). Never raises on an HTTP error status. `raw`
        sends bytes as JSON; b"" sends no body and no Content-Type."""
        headers = {}
        data = None
        if raw == b"":
            data = None
        elif raw is not None:
            data = raw
            headers["Content-Type"] = "application/json"
        elif body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        token = self.tokens.get(role)
        if token:
            headers["Authorization"] = f"Bearer {token}"
        request = urllib.request.Request(self.url + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=120) as answer:
                status, text = answer.status, answer.read()
        except urllib.error.HTTPError as error:
            status, text = error.code, error.read()
        except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
            return 0, f"connection failed: {error}"
        text = text.decode("utf-8", "replace")
        if not text:
            return status, ""
        try:
            return status, json.loads(text)
        except ValueError:
            return status, text


def login(url, email, password):
    request = urllib.request.Request(url.rstrip("/") + "/auth/login",
                                     data=json.dumps({"email": email, "password": password}).encode(),
                                     method="POST", headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as answer:
        return json.loads(answer.read())["access_token"]


class Db:
    def __init__(self, host, port, user, password, name):
        self.base = ["psql", "-h", host, "-p", str(port), "-U", user, name, "-X", "-A", "-t",
                     "-F", "\x1f", "-v", "ON_ERROR_STOP=1"]
        self.env = dict(os.environ, PGPASSWORD=password)

    def rows(self, sql):
        out = subprocess.run(self.base + ["-c", sql], env=self.env, capture_output=True, text=True)
        if out.returncode != 0:
            raise RuntimeError(f"psql failed: {sql}\n{out.stderr}")
        return [line.split("\x1f") for line in out.stdout.splitlines() if line != ""]

    def value(self, sql):
        rows = self.rows(sql)
        return rows[0][0] if rows and rows[0] and rows[0][0] != "" else None

    def column(self, sql):
        return [row[0] for row in self.rows(sql)]


def q(value):
    return "'" + str(value).replace("'", "''") + "'"


# ----------------------------------------------------------------------------------------------
# context: real ids of the shared database


class Context:
    def __init__(self, db, project_name):
        self.db = db
        if project_name:
            row = db.rows(f"select id, name from project where name = {q(project_name)}")
        else:
            row = db.rows("select id, name from project where name like 'Filled %' order by created_at desc limit 1")
        if not row:
            raise SystemExit("no 'Filled <tag>' production: run fill_reference.py first (or give --project)")
        self.project_id, self.project_name = row[0]
        self.role_tag = self.project_name.split()[-1]
        P = q(self.project_id)
        self.other_project_id = db.value(f"select id from project where id <> {P} order by created_at desc limit 1")
        self.open_status_id = db.value("select id from project_status where name = 'Open'")
        self.closed_status_id = db.value("select id from project_status where name = 'Closed'")
        self.admin_id = db.value("select id from person where email = 'admin@example.com'")
        self.person = {}
        for role in ("manager", "supervisor", "artist", "client", "vendor"):
            self.person[role] = db.value(f"select id from person where email = {q(role + '-' + self.role_tag + '@example.com')}")
            if not self.person[role]:
                raise SystemExit(f"no {role}-{self.role_tag}@example.com person")
        self.person["admin"] = self.admin_id

        def entity(type_name, order=0):
            return db.value(f"select e.id from entity e join entity_type t on t.id = e.entity_type_id "
                            f"where e.project_id = {P} and t.name = {q(type_name)} order by e.name offset {order} limit 1")

        self.assets = db.column(f"select e.id from entity e join entity_type t on t.id = e.entity_type_id "
                                f"where e.project_id = {P} and t.name not in ('Shot','Sequence','Episode','Scene',"
                                f"'Edit','Concept','Epic') order by e.name")
        self.shots = db.column(f"select e.id from entity e join entity_type t on t.id = e.entity_type_id "
                               f"where e.project_id = {P} and t.name = 'Shot' order by e.name")
        self.sequence_id = entity("Sequence")
        self.episode_id = entity("Episode")
        self.entity_type_id = db.value(f"select entity_type_id from entity where id = {q(self.assets[0])}")
        self.asset_task_type_id = db.value(
            f"select tt.id from task_type tt join project_task_type_link l on l.task_type_id = tt.id "
            f"where l.project_id = {P} and tt.for_entity = 'Asset' and tt.department_id is not null "
            f"order by tt.name limit 1")
        self.shot_task_type_id = db.value(
            f"select tt.id from task_type tt join project_task_type_link l on l.task_type_id = tt.id "
            f"where l.project_id = {P} and tt.for_entity = 'Shot' order by tt.name limit 1")
        self.department_id = db.value(f"select department_id from task_type where id = {q(self.asset_task_type_id)}")
        self.department2_id = db.value(f"select id from department where id <> {q(self.department_id)} order by name limit 1")
        self.todo_id = db.value("select id from task_status where short_name = 'todo'") or \
            db.value("select id from task_status where is_default order by name limit 1")
        self.wip_id = db.value("select id from task_status where short_name = 'wip'") or \
            db.value(f"select id from task_status where id <> {q(self.todo_id)} order by name limit 1")
        self.tasks = db.column(f"select id from task where project_id = {P} order by created_at, id")
        self.artist_task_id = db.value(
            f"select t.id from task t join task_person_link l on l.task_id = t.id "
            f"where t.project_id = {P} and l.person_id = {q(self.person['artist'])} order by t.created_at limit 1")
        self.artist_task_entity_id = db.value(f"select entity_id from task where id = {q(self.artist_task_id)}")
        self.comment_id = db.value(f"select c.id from comment c join task t on t.id = c.object_id "
                                   f"where t.project_id = {P} order by c.created_at limit 1")
        self.preview_file_id = db.value(f"select p.id from preview_file p join task t on t.id = p.task_id "
                                        f"where t.project_id = {P} order by p.created_at limit 1")
        self.chat_id = db.value(f"select c.id from chat c join entity e on e.id = c.object_id "
                                f"where e.project_id = {P} limit 1") or db.value("select id from chat limit 1")
        self.budgets = db.column(f"select id from budget where project_id = {P} order by created_at")
        self.file_status_id = db.value("select id from file_status order by name limit 1")
        self.output_type_id = db.value("select id from output_type order by name limit 1")
        self.software_id = db.value("select id from software order by name limit 1")
        # (id, salary, department_id) of a salary scale row; the tool restores it after its PUTs
        self.salary_scale = (db.rows("select id, salary, department_id from salary_scale order by id limit 1")
                             or [None])[0]
        self.salary_other_department = db.value(
            f"select id from department where id <> {q(self.salary_scale[2])} order by name limit 1") \
            if self.salary_scale else None
        entities = db.column(f"select id from entity where project_id = {P} order by name")
        linked = set(tuple(row) for row in db.rows("select entity_in_id, entity_out_id from entity_link"))
        self.link_pairs = [(a, b) for a in self.shots + entities for b in self.assets
                           if a != b and (a, b) not in linked]
        self.subscribable_tasks = db.column(
            f"select id from task t where project_id = {P} and not exists (select 1 from subscription s "
            f"where s.task_id = t.id and s.person_id = {q(self.admin_id)}) order by created_at, id")
        self.psv_id = None  # made in setup
        self.budget_fixture = None


class Side:
    """One server's view of a request: `tok` makes names unique per run, server and variant;
    `n` is a small number unique per server and variant, for values that must differ."""

    def __init__(self, server, tag, variant=0):
        self.server = server
        self.idx = 0 if server == "zou" else 1
        self.variant = variant
        self.tok = f"wr{tag}{'z' if self.idx == 0 else 's'}{variant if variant else ''}"
        self.n = variant * 2 + self.idx

    def date(self, base, offset=0):
        return (base + datetime.timedelta(days=self.n * 4 + offset)).isoformat()


# ----------------------------------------------------------------------------------------------
# model specifications


class Spec:
    def __init__(self, collection, create=None, update=None, required=None, wrong_type=None,
                 bad_uuid=None, put_wrong_type=None, put_bad_uuid=None, date_field=None,
                 extra=(), row_extra=(), perms=(), existing=None, delete=True, after=None, duplicate=None):
        self.collection = collection
        self.create = create            # (ctx, side) -> body
        self.update = update            # (ctx, side) -> body
        self.required = required        # key dropped for "missing required field"
        self.wrong_type = wrong_type    # (key, value) for the wrong-type create
        self.bad_uuid = bad_uuid        # uuid key set to a malformed uuid on create
        self.put_wrong_type = put_wrong_type if put_wrong_type is not None else wrong_type
        self.put_bad_uuid = put_bad_uuid
        self.date_field = date_field    # a Date/DateTime column for the bad-date checks
        self.extra = extra              # [(label, (ctx, side) -> body)] more creates
        self.row_extra = row_extra      # [(label, method, (ctx, side) -> body or None, query)]
        self.perms = perms              # [(role, "create"|"update"|"delete")]
        self.existing = existing        # (ctx) -> id of an existing row, for models not created
        self.delete = delete
        self.after = after              # (ctx, db) -> None: restores what the checks changed
        self.duplicate = duplicate      # (label, (ctx, side, own create body) -> body) a create that
                                        # collides with the server's own row


def specs(base_date):
    D = base_date
    S = []

    def add(*args, **kwargs):
        S.append(Spec(*args, **kwargs))

    add("asset-instances",
        create=lambda c, s: {"asset_id": c.assets[0], "name": s.tok, "number": 1, "description": "ai"},
        update=lambda c, s: {"description": "updated", "number": 7, "active": False},
        required="asset_id", wrong_type=("number", "abc"), bad_uuid="asset_id", put_bad_uuid="scene_id")
    add("attachment-files",
        create=lambda c, s: {"name": s.tok + ".png", "size": 12, "extension": "png", "mimetype": "image/png",
                             "comment_id": c.comment_id},
        update=lambda c, s: {"size": 13, "mimetype": "image/x-png"},
        wrong_type=("size", "abc"), bad_uuid="comment_id", put_bad_uuid="comment_id")
    add("budgets",
        create=lambda c, s: {"project_id": c.project_id, "name": s.tok, "currency": "EUR"},
        update=lambda c, s: {"name": s.tok + "u", "currency": "USD", "revision": 9},
        required="name", wrong_type=("revision", "abc"), bad_uuid="project_id", put_wrong_type=("currency", NUM))
    add("budget-entries",
        create=lambda c, s: {"budget_id": c.budget_fixture, "department_id": c.department_id,
                             "person_id": c.person["artist"], "start_date": "2031-01-01", "months_duration": 2,
                             "daily_salary": 300.5, "position": "artist", "seniority": "mid"},
        update=lambda c, s: {"months_duration": 3, "daily_salary": 250, "budget_id": c.budgets[0] if c.budgets else None,
                             "exceptions": {"2031-02": 100}},
        required="department_id", wrong_type=("months_duration", "abc"), bad_uuid="department_id",
        put_bad_uuid="person_id", date_field="start_date")
    add("chat-messages",
        create=lambda c, s: {"chat_id": c.chat_id, "person_id": c.admin_id, "text": "hello " + s.tok},
        update=lambda c, s: {"text": "edited " + s.tok},
        required="chat_id", bad_uuid="person_id", put_bad_uuid="person_id")
    add("chats",
        create=lambda c, s: {"object_id": c.assets[-1], "object_type": "entity"},
        update=lambda c, s: {"last_message": "2031-01-02T10:00:00"},
        required="object_id", bad_uuid="object_id", put_bad_uuid="object_id", date_field="last_message",
        wrong_type=("object_type", NUM))
    add("comments",
        create=lambda c, s: {"object_id": c.artist_task_id, "object_type": "Task", "person_id": c.admin_id,
                             "task_status_id": c.todo_id, "text": "comment " + s.tok},
        update=lambda c, s: {"text": "edited " + s.tok, "pinned": True, "checklist": [{"text": "a", "checked": False}]},
        required="person_id", wrong_type=("shotgun_id", "abc"), bad_uuid="task_status_id",
        put_bad_uuid="task_status_id",
        perms=[("artist", "update"), ("artist", "delete"), ("manager", "update")])
    add("custom-actions",
        create=lambda c, s: {"name": s.tok, "url": "http://example.com/" + s.tok, "entity_type": "all",
                             "is_ajax": False},
        update=lambda c, s: {"url": "http://example.com/u", "is_ajax": True},
        required="name", wrong_type=("is_ajax", "abc"), put_wrong_type=("is_ajax", "abc"),
        row_extra=[("PUT name null", "PUT", lambda c, s: {"name": None}, "")],
        extra=[("name null", lambda c, s: {"name": None, "url": "http://x"})],
        perms=[("manager", "create")])
    add("day-offs",
        create=lambda c, s: {"person_id": c.person["artist"], "date": s.date(D), "end_date": s.date(D, 1),
                             "description": "off " + s.tok},
        update=lambda c, s: {"description": "updated", "end_date": s.date(D, 2)},
        duplicate=("overlapping day off", lambda c, s, own: {**own, "date": own["end_date"], "description": "overlap"}),
        required="date", bad_uuid="person_id", put_bad_uuid="person_id", date_field="end_date",
        wrong_type=("description", NUM),
        perms=[("artist", "create"), ("manager", "create"), ("artist", "update"), ("artist", "delete")])
    add("departments",
        create=lambda c, s: {"name": s.tok, "color": "#112233"},
        update=lambda c, s: {"color": "#445566", "archived": True},
        required="name", wrong_type=("archived", "abc"),
        perms=[("manager", "create")])
    add("entities",
        create=lambda c, s: {"name": s.tok, "project_id": c.project_id, "entity_type_id": c.entity_type_id,
                             "description": "entity", "data": {"a": 1}},
        update=lambda c, s: {"description": "updated", "data": {"b": 2}, "project_id": c.other_project_id,
                             "created_by": c.person["artist"]},
        required="entity_type_id", wrong_type=("nb_frames", "abc"), bad_uuid="entity_type_id",
        put_bad_uuid="parent_id", put_wrong_type=("nb_frames", "abc"),
        extra=[("bad status", lambda c, s: {"name": s.tok, "project_id": c.project_id,
                                             "entity_type_id": c.entity_type_id, "status": "nope"})],
        row_extra=[("PUT bad status", "PUT", lambda c, s: {"status": "nope"}, ""),
                   ("PUT data not object", "PUT", lambda c, s: {"data": [1, 2]}, "")],
        perms=[("manager", "create"), ("artist", "create"), ("supervisor", "update"), ("artist", "update"),
               ("manager", "update"), ("manager", "delete")])
    add("entity-links",
        create=lambda c, s: {"entity_in_id": c.link_pairs[s.n % len(c.link_pairs)][0],
                             "entity_out_id": c.link_pairs[s.n % len(c.link_pairs)][1], "nb_occurences": 2,
                             "label": "fixed"},
        update=lambda c, s: {"nb_occurences": 3, "label": "animate", "data": {"x": 1}},
        required="entity_in_id", wrong_type=("nb_occurences", "abc"), bad_uuid="entity_out_id",
        put_bad_uuid="entity_out_id")
    add("entity-types",
        create=lambda c, s: {"name": s.tok, "short_name": "ET"},
        update=lambda c, s: {"short_name": "ETU", "archived": True},
        required="name", wrong_type=("archived", "abc"),
        extra=[("duplicate name (case)", lambda c, s: {"name": "character"})])
    add("events",
        create=lambda c, s: {"name": "wr:" + s.tok, "user_id": c.admin_id, "project_id": c.project_id,
                             "data": {"k": s.tok}},
        update=lambda c, s: {"data": {"k": "updated"}},
        required="name", bad_uuid="user_id", put_bad_uuid="user_id", wrong_type=("name", NUM))
    add("file-status",
        create=lambda c, s: {"name": s.tok, "color": "#123456"},
        update=lambda c, s: {"color": "#654321"},
        required="color", wrong_type=("name", NUM))
    add("hardware-items",
        create=lambda c, s: {"name": s.tok, "short_name": s.tok[-8:], "monthly_cost": 12, "inventory_amount": 3},
        update=lambda c, s: {"monthly_cost": 20, "archived": True},
        required="short_name", wrong_type=("monthly_cost", "abc"))
    add("metadata-descriptors",
        create=lambda c, s: {"project_id": c.project_id, "entity_type": "Asset", "name": s.tok,
                             "field_name": s.tok, "data_type": "list", "choices": ["a", "b"],
                             "for_client": False, "departments": [c.department_id]},
        update=lambda c, s: {"choices": ["a", "b", "c"], "for_client": True, "departments": []},
        required="field_name", wrong_type=("position", "abc"), bad_uuid="task_type_id", put_bad_uuid="task_type_id",
        extra=[("bad data_type", lambda c, s: {"project_id": c.project_id, "entity_type": "Asset", "name": s.tok,
                                                "field_name": s.tok, "data_type": "nope"})],
        row_extra=[("PUT bad data_type", "PUT", lambda c, s: {"data_type": "nope"}, "")],
        perms=[("manager", "create")])
    add("milestones",
        create=lambda c, s: {"project_id": c.project_id, "name": s.tok, "date": "2031-03-01",
                             "task_type_id": c.shot_task_type_id},
        update=lambda c, s: {"name": s.tok + "u", "date": "2031-03-02"},
        required="name", bad_uuid="task_type_id", put_bad_uuid="task_type_id", date_field="date",
        wrong_type=("name", NUM),
        perms=[("manager", "create"), ("artist", "create"), ("manager", "update"), ("manager", "delete")])
    add("news",
        create=lambda c, s: {"author_id": c.admin_id, "task_id": c.artist_task_id, "comment_id": c.comment_id,
                             "change": True},
        update=lambda c, s: {"change": False},
        required="task_id", wrong_type=("change", "abc"), bad_uuid="comment_id", put_bad_uuid="comment_id")
    add("notifications",
        create=lambda c, s: {"type": "comment", "person_id": c.person["client"], "author_id": c.admin_id,
                             "task_id": c.artist_task_id, "read": False, "change": False},
        update=lambda c, s: {"read": True},
        required="type", wrong_type=("read", "abc"), bad_uuid="task_id", put_bad_uuid="task_id",
        extra=[("bad type choice", lambda c, s: {"type": "nope", "person_id": c.person["client"],
                                                  "author_id": c.admin_id})],
        # Zou stores an unknown choice, then fails to read the row back (every later read of the row
        # answers 500): the tool puts a valid value back at once.
        row_extra=[("PUT bad type choice", "PUT", lambda c, s: {"type": "nope"}, "",
                    lambda c, db, ids: db.rows(f"update notification set type = 'comment' where type = 'nope' "
                                               f"and id in ({','.join(q(i) for i in ids)})"))],
        after=lambda c, db: db.rows("delete from notification where type = 'nope'"))
    add("organisations",
        create=lambda c, s: {"name": s.tok, "hours_by_day": 7.5, "use_original_file_name": False},
        update=lambda c, s: {"hours_by_day": "6", "timesheets_locked": True},
        required="name", wrong_type=("hours_by_day", "abc"), put_wrong_type=("hours_by_day", "abc"))
    add("output-files",
        create=lambda c, s: {"name": s.tok, "revision": 1, "file_status_id": c.file_status_id,
                             "entity_id": c.assets[0], "output_type_id": c.output_type_id,
                             "task_type_id": c.asset_task_type_id, "representation": "abc",
                             "person_id": c.admin_id, "extension": "abc"},
        update=lambda c, s: {"comment": "updated", "size": 10, "revision": 2},
        required="file_status_id", wrong_type=("revision", "abc"), bad_uuid="output_type_id",
        put_bad_uuid="output_type_id",
        perms=[("manager", "create"), ("manager", "update"), ("artist", "update"), ("manager", "delete")])
    add("output-types",
        create=lambda c, s: {"name": s.tok, "short_name": s.tok[-8:]},
        update=lambda c, s: {"short_name": "ot" + s.tok[-6:]},
        required="short_name", wrong_type=("name", NUM))
    add("persons",
        create=lambda c, s: {"first_name": "Writer", "last_name": s.tok, "email": s.tok + "@example.com",
                             "role": "user", "phone": "0101"},
        update=lambda c, s: {"phone": "0202", "role": "supervisor", "password": "changed", "email": s.tok + "u@example.com"},
        required="first_name", wrong_type=("daily_salary", "abc"), bad_uuid="studio_id", put_bad_uuid="studio_id",
        date_field="expiration_date",
        extra=[("bad role", lambda c, s: {"first_name": "W", "last_name": s.tok, "role": "nope"}),
               ("bad email", lambda c, s: {"first_name": "W", "last_name": s.tok, "email": "no-at-sign"}),
               ("email in use", lambda c, s: {"first_name": "W", "last_name": s.tok, "email": "admin@example.com"}),
               ("bad country", lambda c, s: {"first_name": "W", "last_name": s.tok, "country": "France"}),
               ("bot", lambda c, s: {"first_name": "Bot", "last_name": s.tok, "is_bot": True})],
        row_extra=[("PUT bad role", "PUT", lambda c, s: {"role": "nope"}, ""),
                   ("PUT expiration past", "PUT", lambda c, s: {"expiration_date": "2001-01-01"}, "")],
        perms=[("manager", "create"), ("manager", "update"), ("manager", "delete")])
    add("playlists",
        create=lambda c, s: {"name": s.tok, "project_id": c.project_id, "episode_id": c.episode_id,
                             "for_client": False, "for_entity": "shot", "task_type_id": c.shot_task_type_id},
        update=lambda c, s: {"for_client": True, "shots": [{"entity_id": c.shots[0], "preview_file_id": c.preview_file_id},
                                                          {"id": c.shots[-1]}]},
        required="name", wrong_type=("for_client", "abc"), bad_uuid="task_type_id", put_bad_uuid="task_type_id",
        extra=[("episode all", lambda c, s: {"name": s.tok, "project_id": c.project_id, "episode_id": "all"}),
               ("task type not uuid", lambda c, s: {"name": s.tok, "project_id": c.project_id,
                                                     "task_type_id": "all"}),
               ("bad for_entity", lambda c, s: {"name": s.tok, "project_id": c.project_id, "for_entity": "nope"})],
        row_extra=[("PUT bad for_entity", "PUT", lambda c, s: {"for_entity": "nope"}, "")],
        perms=[("manager", "create"), ("supervisor", "create"), ("artist", "create"), ("manager", "update"),
               ("manager", "delete")])
    add("plugins",
        create=lambda c, s: {"plugin_id": s.tok, "name": s.tok, "version": "1.0.0", "maintainer_name": "W",
                             "license": "MIT"},
        update=lambda c, s: {"version": "1.0.1", "frontend_project_enabled": True},
        required="version", wrong_type=("frontend_project_enabled", "abc"))
    add("preview-background-files",
        create=lambda c, s: {"name": s.tok, "extension": "hdr", "is_default": False, "original_name": "bg.hdr"},
        duplicate=("same name", lambda c, s, own: dict(own)),
        update=lambda c, s: {"archived": True, "original_name": "bg2.hdr"},
        required="name", wrong_type=("file_size", "abc"))
    add("preview-files",
        create=lambda c, s: {"name": s.tok, "task_id": c.artist_task_id, "revision": 90 + s.n, "extension": "png",
                             "status": "ready", "position": 1, "person_id": c.admin_id},
        update=lambda c, s: {"description": "updated", "validation_status": "validated"},
        required="status", wrong_type=("revision", "abc"), bad_uuid="task_id", put_bad_uuid="person_id",
        perms=[("manager", "update"), ("artist", "update"), ("manager", "delete")])
    add("production-schedule-versions",
        create=lambda c, s: {"project_id": c.project_id, "name": s.tok},
        update=lambda c, s: {"locked": True, "name": s.tok + "u"},
        required="name", wrong_type=("locked", "abc"), bad_uuid="project_id", put_bad_uuid="production_schedule_from",
        perms=[("manager", "create"), ("artist", "create"), ("manager", "update"), ("manager", "delete")])
    add("production-schedule-version-task-links",
        create=lambda c, s: {"production_schedule_version_id": c.psv_id,
                             "task_id": c.tasks[s.n % len(c.tasks)], "estimation": 2.0,
                             "start_date": "2031-01-05T00:00:00"},
        update=lambda c, s: {"estimation": 3.0, "task_id": c.tasks[-1]},
        required="task_id", wrong_type=("estimation", "abc"), bad_uuid="task_id", date_field="due_date",
        perms=[("manager", "create"), ("manager", "update"), ("manager", "delete")])
    add("project-status",
        create=lambda c, s: {"name": s.tok, "color": "#101010"},
        update=lambda c, s: {"color": "#202020"},
        required="color", wrong_type=("name", NUM))
    add("project-templates",
        create=lambda c, s: {"name": s.tok, "production_type": "short", "fps": "24", "description": "tpl"},
        update=lambda c, s: {"fps": "25", "max_retakes": 3},
        required="name", wrong_type=("max_retakes", "abc"), bad_uuid="default_preview_background_file_id",
        put_bad_uuid="default_preview_background_file_id",
        perms=[("manager", "create")])
    add("projects",
        create=lambda c, s: {"name": s.tok, "production_type": "short", "fps": "25", "ratio": "16:9",
                             "resolution": "1920x1080"},
        update=lambda c, s: {"description": "updated", "project_status_id": c.closed_status_id},
        required="name", wrong_type=("max_retakes", "abc"), bad_uuid="project_status_id",
        put_bad_uuid="project_status_id",
        extra=[("bad production_style", lambda c, s: {"name": s.tok, "production_style": "nope"}),
               ("bad resolution", lambda c, s: {"name": s.tok, "resolution": "big"})],
        row_extra=[("DELETE open project", "DELETE", None, ""),
                   ("PUT bad resolution", "PUT", lambda c, s: {"resolution": "big"}, ""),
                   ("PUT bad production_style", "PUT", lambda c, s: {"production_style": "nope"}, ""),
                   ("PUT production_style null", "PUT", lambda c, s: {"production_style": None}, "")],
        perms=[("manager", "create"), ("artist", "update")])
    add("salary-scales",
        existing=lambda c: c.salary_scale[0] if c.salary_scale else None,
        create=lambda c, s: {"department_id": c.department_id, "position": "artist", "seniority": "mid", "salary": 10},
        update=lambda c, s: {"salary": int(c.salary_scale[1] or 0), "department_id": c.salary_other_department},
        wrong_type=("salary", "abc"), delete=False,
        after=lambda c, db: db.rows(f"update salary_scale set department_id = {q(c.salary_scale[2])}, "
                                    f"salary = {int(c.salary_scale[1] or 0)} where id = {q(c.salary_scale[0])}")
        if c.salary_scale else None)
    add("schedule-items",
        create=lambda c, s: {"project_id": c.project_id, "task_type_id": c.shot_task_type_id,
                             "object_id": str(uuid.uuid5(uuid.NAMESPACE_URL, s.tok)),
                             "start_date": "2031-01-01", "end_date": "2031-02-01", "man_days": 4},
        update=lambda c, s: {"man_days": 5, "end_date": "2031-02-02"},
        wrong_type=("man_days", "abc"), bad_uuid="task_type_id", put_bad_uuid="task_type_id",
        put_wrong_type=("man_days", "abc"), date_field="start_date",
        duplicate=("same project, task type and object", lambda c, s, own: dict(own)),
        perms=[("manager", "create"), ("supervisor", "update")])
    add("search-filter-groups",
        create=lambda c, s: {"list_type": "asset", "name": s.tok, "color": "#aabbcc", "person_id": c.admin_id,
                             "project_id": c.project_id, "entity_type": "Asset"},
        update=lambda c, s: {"name": s.tok + "u", "is_shared": True},
        required="list_type", wrong_type=("is_shared", "abc"), bad_uuid="person_id", put_bad_uuid="department_id")
    add("search-filters",
        create=lambda c, s: {"list_type": "asset", "name": s.tok, "search_query": "hero", "person_id": c.admin_id,
                             "project_id": c.project_id},
        update=lambda c, s: {"search_query": "sword", "is_shared": True},
        required="search_query", wrong_type=("is_shared", "abc"), bad_uuid="person_id",
        put_bad_uuid="search_filter_group_id")
    add("softwares",
        create=lambda c, s: {"name": s.tok, "short_name": s.tok[-8:], "file_extension": ".wr",
                             "secondary_extensions": ["wr2"]},
        update=lambda c, s: {"version": "2.0", "monthly_cost": 5},
        required="file_extension", wrong_type=("monthly_cost", "abc"))
    add("status-automations",
        create=lambda c, s: {"entity_type": "asset", "in_task_type_id": c.asset_task_type_id,
                             "in_task_status_id": c.wip_id, "out_field_type": "status",
                             "out_task_type_id": c.asset_task_type_id, "out_task_status_id": c.todo_id},
        update=lambda c, s: {"archived": True, "import_last_revision": True},
        wrong_type=("archived", "abc"), bad_uuid="in_task_type_id", put_bad_uuid="in_task_status_id",
        extra=[("bad out_field_type", lambda c, s: {"entity_type": "asset", "out_field_type": "nope"})],
        row_extra=[("PUT bad out_field_type", "PUT", lambda c, s: {"out_field_type": "nope"}, "",
                    lambda c, db, ids: db.rows(f"update status_automation set out_field_type = 'status' where "
                                               f"out_field_type = 'nope' and id in ({','.join(q(i) for i in ids)})"))],
        after=lambda c, db: db.rows(
            "delete from project_status_automation_link where status_automation_id in "
            "(select id from status_automation where out_field_type = 'nope'); "
            "delete from status_automation where out_field_type = 'nope'"))
    add("studios",
        create=lambda c, s: {"name": s.tok, "color": "#0a0b0c"},
        update=lambda c, s: {"color": "#0c0b0a", "archived": True},
        required="color", wrong_type=("archived", "abc"))
    add("subscriptions",
        create=lambda c, s: {"person_id": c.admin_id,
                             "task_id": c.subscribable_tasks[s.n % len(c.subscribable_tasks)]},
        update=lambda c, s: {"task_type_id": c.shot_task_type_id},
        required="person_id", bad_uuid="task_id", put_bad_uuid="entity_id")
    add("task-status",
        create=lambda c, s: {"name": s.tok, "short_name": s.tok[-10:], "color": "#ff00ff", "is_done": False,
                             "is_artist_allowed": True},
        update=lambda c, s: {"color": "#00ff00", "is_client_allowed": True},
        required="short_name", wrong_type=("priority", "abc"))
    add("task-types",
        create=lambda c, s: {"name": s.tok, "short_name": "wr", "color": "#010203", "for_entity": "Asset",
                             "department_id": c.department_id},
        update=lambda c, s: {"color": "#030201", "allow_timelog": False},
        required="name", wrong_type=("priority", "abc"), bad_uuid="department_id", put_bad_uuid="department_id",
        extra=[("duplicate name", lambda c, s: {"name": "Modeling", "for_entity": "Shot"})],
        row_extra=[("PUT duplicate name", "PUT", lambda c, s: {"name": "Modeling"}, "")])
    add("tasks",
        create=lambda c, s: {"name": s.tok, "project_id": c.project_id, "task_type_id": c.asset_task_type_id,
                             "entity_id": c.assets[0], "task_status_id": c.todo_id,
                             "assignees": [c.person["artist"]]},
        update=lambda c, s: {"priority": 2, "data": {"k": 1}, "estimation": 3, "assignees": [c.person["vendor"]]},
        required="task_type_id", wrong_type=("priority", "abc"), bad_uuid="task_status_id",
        put_bad_uuid="task_status_id", date_field="due_date",
        extra=[("no name", lambda c, s: {"project_id": c.project_id, "task_type_id": c.asset_task_type_id,
                                          "entity_id": c.assets[-1], "task_status_id": c.todo_id}),
               ("task type for shot on asset", lambda c, s: {"name": s.tok, "project_id": c.project_id,
                                                             "task_type_id": c.shot_task_type_id,
                                                             "entity_id": c.assets[0],
                                                             "task_status_id": c.todo_id})],
        perms=[("manager", "create"), ("artist", "create"), ("supervisor", "update"), ("artist", "update"),
               ("manager", "update"), ("manager", "delete")])
    add("time-spents",
        create=lambda c, s: {"person_id": c.person["artist"], "task_id": c.artist_task_id,
                             "date": s.date(D, 200), "duration": 60},
        update=lambda c, s: {"duration": 120},
        required="duration", wrong_type=("duration", "abc"), bad_uuid="task_id", put_bad_uuid="task_id",
        date_field="date",
        perms=[("artist", "create"), ("artist", "update"), ("artist", "delete")])
    add("working-files",
        create=lambda c, s: {"name": s.tok, "revision": 1, "task_id": c.artist_task_id,
                             "entity_id": c.artist_task_entity_id, "person_id": c.admin_id,
                             "software_id": c.software_id, "path": "/tmp/" + s.tok},
        update=lambda c, s: {"comment": "updated", "size": 10},
        wrong_type=("revision", "abc"), bad_uuid="software_id", put_bad_uuid="software_id",
        perms=[("artist", "update"), ("manager", "create")])
    return S


# ----------------------------------------------------------------------------------------------
# comparison


def walk_replace(value, mapping):
    """Replaces, in every string, each key of mapping by its value."""
    if isinstance(value, dict):
        return {k: walk_replace(v, mapping) for k, v in value.items()}
    if isinstance(value, list):
        return [walk_replace(v, mapping) for v in value]
    if isinstance(value, str):
        for old, new in mapping.items():
            if old and old in value:
                value = value.replace(old, new)
        return value
    return value


def normalise(answer, side, body, varied, own_id, base=None, base_varied=()):
    """One server's answer, with what legitimately differs made neutral: the row's own id, the
    server's token in strings, and the values sent differently to each server (in this request's
    body, or in the create body of the row this request works on)."""
    pairs = [(body, varied)]
    if base is not None:  # what this request sends wins over what the row was sent before
        sent_now = set(body) if isinstance(body, dict) else set()
        pairs.append((base, [k for k in base_varied if k not in sent_now]))
    mapping = {}
    if own_id:
        mapping[own_id] = "<self>"
    for sent, keys in pairs:
        for key in keys:
            value = sent.get(key) if isinstance(sent, dict) else None
            if isinstance(value, str) and len(value) >= 6:
                mapping[value] = f"<varied {key}>"
    mapping[side.tok] = "<tok>"
    if isinstance(answer, dict):
        answer = dict(answer)
        for sent, keys in pairs:
            for key in keys:
                if isinstance(sent, dict) and key in sent and key in answer and \
                        (answer[key] == sent[key] or str(answer[key]) == str(sent[key])):
                    answer[key] = f"<varied {key}>"
    return walk_replace(answer, mapping)


def shown(value):
    return "<int>" if callable(value) else repr(value)


def NUM(side):
    """An integer sent for a string column: one per server, as the column may be unique."""
    return 900000 + side.n * 10 + side.idx


def canonical(value):
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def short(value, limit=160):
    text = value if isinstance(value, str) else canonical(value)
    return text if len(text) <= limit else text[:limit] + "…"


def near_datetimes(a, b):
    if not (isinstance(a, str) and isinstance(b, str) and DATETIME_RE.match(a) and DATETIME_RE.match(b)):
        return False
    if len(a) != len(b):
        return False
    try:
        da = datetime.datetime.fromisoformat(a[:19])
        db = datetime.datetime.fromisoformat(b[:19])
    except ValueError:
        return False
    return abs((da - db).total_seconds()) < 600


def diff_values(zou, slate, bodies_values, path=""):
    """Differences between two normalised JSON values, as readable lines."""
    out = []
    if isinstance(zou, dict) and isinstance(slate, dict):
        for key in sorted(set(zou) | set(slate)):
            if not path and key in IGNORED_KEYS:
                continue
            where = f"{path}.{key}" if path else key
            if key not in slate:
                out.append(f"missing in slate: {where} (zou={short(zou[key], 80)})")
            elif key not in zou:
                out.append(f"extra in slate: {where} (slate={short(slate[key], 80)})")
            else:
                out.extend(diff_values(zou[key], slate[key], bodies_values, where))
        return out
    if isinstance(zou, list) and isinstance(slate, list):
        if all(not isinstance(v, (dict, list)) for v in zou + slate):
            zs, ss = sorted(map(canonical, zou)), sorted(map(canonical, slate))
            if zs != ss:
                out.append(f"{path or 'body'}: zou={short(zou)} slate={short(slate)}")
            return out
        if len(zou) != len(slate):
            return [f"{path or 'body'}: zou has {len(zou)} items, slate {len(slate)}: "
                    f"zou={short(zou)} slate={short(slate)}"]
        zs, ss = sorted(zou, key=canonical), sorted(slate, key=canonical)
        for i, (a, b) in enumerate(zip(zs, ss)):
            out.extend(diff_values(a, b, bodies_values, f"{path}[{i}]"))
        return out
    if zou == slate:
        return out
    if isinstance(zou, (int, float)) and isinstance(slate, (int, float)) and not isinstance(zou, bool) \
            and not isinstance(slate, bool) and abs(zou - slate) < 1e-6 and type(zou) == type(slate):
        return out
    if near_datetimes(zou, slate):
        return out
    # ids each server generated on its own (a first episode, a token...), not sent by the client
    if isinstance(zou, str) and isinstance(slate, str) and UUID_RE.match(zou) and UUID_RE.match(slate) \
            and zou not in bodies_values and slate not in bodies_values:
        return out
    if path.endswith("access_token") and isinstance(zou, str) and isinstance(slate, str):
        return out
    return [f"{path or 'body'}: zou={short(zou, 100)} slate={short(slate, 100)}"]


def body_values(*bodies):
    values = set()
    for body in bodies:
        if isinstance(body, dict):
            for value in body.values():
                if isinstance(value, str):
                    values.add(value)
                elif isinstance(value, list):
                    values.update(v for v in value if isinstance(v, str))
    return values


# ----------------------------------------------------------------------------------------------
# the run


class Runner:
    def __init__(self, servers, ctx, db, tag, base_date):
        self.servers = servers  # {"zou": Server, "slate": Server}
        self.ctx = ctx
        self.db = db
        self.tag = tag
        self.base_date = base_date
        self.results = []
        self.left = []  # (collection, id) rows to clean up at the end
        self.failed = []  # rows the cleanup could not remove
        self.variant = 0
        self.raw_done = False
        self.raw_put_done = False
        self.base = None

    def side(self, server, variant=None):
        return Side(server, self.tag, self.variant if variant is None else variant)

    def next_variant(self):
        self.variant += 1
        return self.variant

    # -- one check

    def record(self, model, category, label, method, path_suffix, bodies, answers, own_ids=None, sides=None,
               note="", base=None):
        own_ids = own_ids or {}

        def varied_keys(pair):
            if not pair or not all(isinstance(pair.get(s), dict) for s in ("zou", "slate")):
                return set()
            keys = set(pair["zou"]) | set(pair["slate"])
            return {k for k in keys if pair["zou"].get(k) != pair["slate"].get(k)}

        varied = varied_keys(bodies)
        base_varied = varied_keys(base)
        normal = {}
        for name in ("zou", "slate"):
            status, answer = answers[name]
            side = sides[name] if sides else self.side(name)
            normal[name] = normalise(answer, side, bodies.get(name), varied, own_ids.get(name),
                                     base.get(name) if base else None, base_varied)
        zs, za = answers["zou"]
        ss, sa = answers["slate"]
        values = body_values(bodies.get("zou"), bodies.get("slate"), *(base or {}).values())
        diffs = [] if zs != ss else diff_values(normal["zou"], normal["slate"], values)
        if zs != ss:
            verdict = "status"
        elif diffs:
            verdict = "body"
        else:
            verdict = "same"
        result = {
            "model": model, "category": category, "check": label, "method": method,
            "path": f"/data/{model}{path_suffix}",
            "request": bodies.get("zou"), "request_slate": bodies.get("slate"),
            "zou": {"status": zs, "body": za}, "slate": {"status": ss, "body": sa},
            "verdict": verdict, "diffs": diffs, "note": note,
        }
        self.results.append(result)
        return result

    def both(self, method, path, bodies, role="admin", raw=None):
        answers = {}
        for name in ("zou", "slate"):
            answers[name] = self.servers[name].call(method, path, bodies.get(name) if bodies else None,
                                                    role=role, raw=raw)
        return answers

    # -- cleanup

    def forget(self, collection, row_id):
        self.left = [(c, i) for c, i in self.left if not (c == collection and i == row_id)]

    def remember(self, collection, answers):
        ids = {}
        for name, (status, answer) in answers.items():
            if status in (200, 201) and isinstance(answer, dict) and isinstance(answer.get("id"), str):
                ids[name] = answer["id"]
                self.left.append((collection, answer["id"]))
        return ids

    TABLES = {"events": "api_event", "task-status": "task_status", "file-status": "file_status",
              "project-status": "project_status", "softwares": "software", "news": "news", "entities": "entity",
              "persons": "person", "day-offs": "day_off", "budget-entries": "budget_entry",
              "chat-messages": "chat_message", "asset-instances": "asset_instance", "search-filters": "search_filter",
              "search-filter-groups": "search_filter_group",
              "production-schedule-versions": "production_schedule_version",
              "production-schedule-version-task-links": "production_schedule_version_task_link",
              "status-automations": "status_automation", "custom-actions": "custom_action",
              "attachment-files": "attachment_file", "entity-links": "entity_link", "entity-types": "entity_type",
              "hardware-items": "hardware_item", "metadata-descriptors": "metadata_descriptor",
              "output-files": "output_file", "output-types": "output_type",
              "preview-background-files": "preview_background_file", "preview-files": "preview_file",
              "project-templates": "project_template", "schedule-items": "schedule_item",
              "time-spents": "time_spent", "working-files": "working_file", "task-types": "task_type",
              "salary-scales": "salary_scale", "task-status": "task_status", "chats": "chat",
              "budgets": "budget", "plugins": "plugin", "studios": "studio", "departments": "department",
              "organisations": "organisation", "notifications": "notification", "subscriptions": "subscription",
              "milestones": "milestone", "playlists": "playlist", "projects": "project", "tasks": "task",
              "comments": "comment"}

    def in_database(self, collection, row_id):
        table = self.TABLES.get(collection, collection.replace("-", "_"))
        return self.db.value(f"select 1 from {table} where id = {q(row_id)}") is not None

    def remove_now(self, collection, row_id):
        """Best-effort removal of a row the tool made: through Zou (force=true), then, when the row
        is still there (Zou's answer is no proof: a preview without task answers 404), with psql."""
        zou = self.servers["zou"]
        if collection == "projects":
            zou.call("PUT", f"/data/projects/{row_id}", {"project_status_id": self.ctx.closed_status_id})
        zou.call("DELETE", f"/data/{collection}/{row_id}?force=true")
        try:
            if not self.in_database(collection, row_id):
                self.forget(collection, row_id)
                return True
            table = self.TABLES.get(collection, collection.replace("-", "_"))
            if collection == "persons":
                self.db.rows(f"delete from department_link where person_id = {q(row_id)}")
            if collection == "tasks":
                self.db.rows(f"delete from task_person_link where task_id = {q(row_id)}; "
                             f"delete from notification where task_id = {q(row_id)}")
            if collection == "projects":  # Zou's forced delete answers 500 (deletion_service)
                P = q(row_id)
                links = ["project_person_link", "project_task_type_link", "project_task_status_link",
                         "project_asset_type_link", "project_status_automation_link",
                         "project_preview_background_file_link"]
                self.db.rows(
                    f"delete from api_event where project_id = {P}; "
                    f"delete from department_metadata_descriptor_link where metadata_descriptor_id in "
                    f"(select id from metadata_descriptor where project_id = {P}); "
                    f"delete from metadata_descriptor where project_id = {P}; "
                    + "".join(f"delete from {link} where project_id = {P}; " for link in links)
                    + f"delete from entity where project_id = {P}")
            self.db.rows(f"delete from {table} where id = {q(row_id)}")
            self.forget(collection, row_id)
            return True
        except RuntimeError as error:
            self.failed.append(f"{collection}/{row_id}: {str(error).strip().splitlines()[-1]}")
            return False

    def cleanup(self):
        for collection, row_id in list(reversed(self.left)):
            self.remove_now(collection, row_id)
        return sorted(set(self.failed))

    # -- a model

    def run_model(self, spec):
        c = self.ctx
        model = spec.collection
        self.variant = 0
        sides = {name: self.side(name, 0) for name in ("zou", "slate")}
        own = {}
        self.base = None

        # 1. the valid create
        if spec.existing:
            row_id = spec.existing(c)
            if row_id:
                own = {"zou": row_id, "slate": row_id}
            if spec.create:
                self.create_case(spec, "create (refused by design)", "create", lambda cc, s: spec.create(cc, s))
        elif spec.create:
            bodies = {name: spec.create(c, sides[name]) for name in sides}
            answers = self.both("POST", f"/data/{model}", bodies)
            own = self.remember(model, answers)
            self.base = bodies
            self.record(model, "create", "create", "POST", "", bodies, answers, own, sides)

        # 2. bad bodies on create
        if spec.create and not spec.existing:
            base = spec.create
            if spec.required:
                self.create_case(spec, f"missing required '{spec.required}'", "bad body",
                                 lambda cc, s: {k: v for k, v in base(cc, s).items() if k != spec.required})
            self.create_case(spec, "unknown field", "bad body", lambda cc, s: {**base(cc, s), "wr_unknown": 1})
            if spec.wrong_type:
                key, value = spec.wrong_type
                self.create_case(spec, f"wrong type {key}={shown(value)}", "bad body",
                                 lambda cc, s: {**base(cc, s), key: value(s) if callable(value) else value})
            if spec.bad_uuid:
                self.create_case(spec, f"malformed uuid {spec.bad_uuid}", "bad body",
                                 lambda cc, s: {**base(cc, s), spec.bad_uuid: "not-a-uuid"})
            if spec.date_field:
                self.create_case(spec, f"bad date {spec.date_field}", "bad body",
                                 lambda cc, s: {**base(cc, s), spec.date_field: "2026-04-"})
            self.create_case(spec, "empty body {}", "bad body", lambda cc, s: {})
            if not self.raw_done:  # the same parser answers for every model: asked once
                self.raw_done = True
                self.raw_case(spec, "POST", "", "body not JSON", b"{not json")
                self.raw_case(spec, "POST", "", "no body, no Content-Type", b"")
                self.raw_case(spec, "POST", "", "JSON array body", b"[1]")
                self.raw_case(spec, "POST", "", "JSON null body", b"null")
            for label, fn in spec.extra:
                self.create_case(spec, label, "extra", fn)
            for role, op in spec.perms:
                if op == "create":
                    self.create_case(spec, f"create as {role}", "permission", base, role=role)

        # 3. bad bodies and extra requests on each server's own row
        if len(own) == 2:
            if spec.put_wrong_type:
                key, value = spec.put_wrong_type
                self.row_case(spec, own, f"PUT wrong type {key}={shown(value)}", "bad body", "PUT",
                              lambda cc, s: {key: value(s) if callable(value) else value})
            if spec.put_bad_uuid:
                self.row_case(spec, own, f"PUT malformed uuid {spec.put_bad_uuid}", "bad body", "PUT",
                              lambda cc, s: {spec.put_bad_uuid: "not-a-uuid"})
            if spec.date_field:
                self.row_case(spec, own, f"PUT bad date {spec.date_field}", "bad body", "PUT",
                              lambda cc, s: {spec.date_field: "2026-04-"})
            self.row_case(spec, own, "PUT unknown field only", "bad body", "PUT", lambda cc, s: {"wr_unknown": 1})
            self.row_case(spec, own, "PUT empty body {}", "bad body", "PUT", lambda cc, s: {})
            if not self.raw_put_done:  # asked once, as for POST
                self.raw_put_done = True
                for label, raw in (("PUT no body, no Content-Type", b""), ("PUT body not JSON", b"{not json"),
                                   ("PUT JSON null body", b"null")):
                    answers = {name: self.servers[name].call("PUT", f"/data/{model}/{own[name]}", raw=raw)
                               for name in ("zou", "slate")}
                    self.record(model, "bad body", label, "PUT", "/{own}", {"zou": raw.decode(), "slate": raw.decode()},
                                answers, own, sides, base=self.base)
            for label, method, fn, query, *repair in spec.row_extra:
                self.row_case(spec, own, label, "extra", method, fn, query=query)
                for fix in repair:
                    fix(c, self.db, [i for i in own.values() if i])
            for role, op in spec.perms:
                if op == "update" and spec.update:
                    self.row_case(spec, own, f"update as {role}", "permission", "PUT", spec.update, role=role)
        elif own:
            self.results.append({"model": model, "category": "extra", "check": "row checks skipped",
                                 "method": "", "path": "", "request": None, "request_slate": None,
                                 "zou": {"status": None, "body": None}, "slate": {"status": None, "body": None},
                                 "verdict": "skipped", "diffs": [f"only {', '.join(own)} created the row"],
                                 "note": ""})

        if spec.duplicate and len(own) == 2 and self.base:
            label, fn = spec.duplicate
            bodies = {name: fn(c, sides[name], self.base[name]) for name in sides}
            answers = self.both("POST", f"/data/{model}", bodies)
            made = self.remember(model, answers)
            self.record(model, "extra", f"duplicate: {label}", "POST", "", bodies, answers, made, sides)
            for row_id in made.values():
                self.remove_now(model, row_id)

        # 4. the update
        if spec.update and own and all(own.get(n) for n in ("zou", "slate")):
            bodies = {name: spec.update(c, sides[name]) for name in sides}
            answers = {name: self.servers[name].call("PUT", f"/data/{model}/{own[name]}", bodies[name])
                       for name in sides}
            self.record(model, "update", "update", "PUT", "/{own}", bodies, answers, own, sides, base=self.base)
            self.track("PUT", bodies, answers)

        # 5. deletes as a non-admin, then as the admin
        if len(own) == 2 and spec.delete:
            for role, op in spec.perms:
                if op == "delete" and all(own.get(n) for n in ("zou", "slate")):
                    result = self.row_case(spec, own, f"delete as {role}", "permission", "DELETE", None, role=role)
                    for name in ("zou", "slate"):
                        if result[name]["status"] == 204:
                            self.forget(model, own[name])
                            own[name] = None
        if spec.delete and own and any(own.get(n) for n in ("zou", "slate")) \
                and not all(own.get(n) for n in ("zou", "slate")):
            for name in ("zou", "slate"):  # one server's role delete went through: not compared
                if own.get(name):
                    self.servers[name].call("DELETE", f"/data/{model}/{own[name]}")
                    if not self.row_exists(model, own[name]):
                        self.forget(model, own[name])
        if spec.delete and own and all(own.get(n) for n in ("zou", "slate")):
            answers = {name: self.servers[name].call("DELETE", f"/data/{model}/{own[name]}") for name in sides}
            self.record(model, "delete", "delete", "DELETE", "/{own}", {}, answers, own, sides, base=self.base)
            for name in sides:
                if answers[name][0] == 204:
                    still = self.row_exists(model, own[name])
                    if still:
                        self.results[-1]["diffs"].append(f"{name} answered 204 but the row is still in the database")
                        self.results[-1]["verdict"] = "body"
                    else:
                        self.forget(model, own[name])

        # 6. ids: absent and malformed
        missing = str(uuid.uuid4())
        for method, body in (("PUT", {"wr_unknown": 1}), ("DELETE", None)):
            answers = self.both(method, f"/data/{model}/{missing}", {"zou": body, "slate": body})
            self.record(model, "bad body", f"{method} absent id", method, "/<absent>",
                        {"zou": body, "slate": body}, answers)
        answers = self.both("PUT", f"/data/{model}/not-a-uuid", {"zou": {"a": 1}, "slate": {"a": 1}})
        self.record(model, "bad body", "PUT malformed id", "PUT", "/not-a-uuid", {"zou": {"a": 1}, "slate": {"a": 1}},
                    answers)

    def track(self, method, bodies, answers):
        """Keeps, per server, what its row was sent: later answers are compared knowing it."""
        if method != "PUT" or not self.base or any(status != 200 for status, _ in answers.values()):
            return
        if not all(isinstance(bodies.get(n), dict) and isinstance(self.base.get(n), dict) for n in ("zou", "slate")):
            return
        keys = set(bodies["zou"]) | set(bodies["slate"])
        for key in keys:  # only the values sent differently, once both servers took them
            if bodies["zou"].get(key) != bodies["slate"].get(key):
                for name in ("zou", "slate"):
                    self.base[name] = {**self.base[name], key: bodies[name].get(key)}

    def row_exists(self, collection, row_id):
        return self.in_database(collection, row_id)

    def create_case(self, spec, label, category, fn, role="admin"):
        variant = self.next_variant()
        sides = {name: self.side(name, variant) for name in ("zou", "slate")}
        bodies = {name: fn(self.ctx, sides[name]) for name in sides}
        answers = self.both("POST", f"/data/{spec.collection}", bodies, role=role)
        made = self.remember(spec.collection, answers)
        result = self.record(spec.collection, category, label, "POST", "", bodies, answers, made, sides,
                             note=f"as {role}" if role != "admin" else "")
        for name, row_id in made.items():  # not kept: remove at once
            self.remove_now(spec.collection, row_id)
        return result

    def raw_case(self, spec, method, suffix, label, raw):
        answers = self.both(method, f"/data/{spec.collection}{suffix}", None, raw=raw)
        made = self.remember(spec.collection, answers)
        result = self.record(spec.collection, "bad body", label, method, suffix, {"zou": raw.decode(), "slate": raw.decode()},
                             answers, made)
        for row_id in made.values():
            self.remove_now(spec.collection, row_id)
        return result

    def row_case(self, spec, own, label, category, method, fn, role="admin", query=""):
        sides = {name: self.side(name, 0) for name in ("zou", "slate")}
        bodies = {name: (fn(self.ctx, sides[name]) if fn else None) for name in sides}
        answers = {}
        for name in sides:
            if not own.get(name):
                answers[name] = (None, "row already gone")
                continue
            answers[name] = self.servers[name].call(method, f"/data/{spec.collection}/{own[name]}{query}",
                                                    bodies[name], role=role)
        self.track(method, bodies, answers)
        return self.record(spec.collection, category, label, method, "/{own}" + query, bodies, answers, own, sides,
                           note=f"as {role}" if role != "admin" else "", base=self.base)


# ----------------------------------------------------------------------------------------------
# setup fixtures (made through Zou, removed at the end)


def setup_fixtures(runner, tag):
    c = runner.ctx
    zou = runner.servers["zou"]
    status, psv = zou.call("POST", "/data/production-schedule-versions",
                           {"project_id": c.project_id, "name": f"wr{tag}-fixture"})
    if status == 201:
        c.psv_id = psv["id"]
        runner.left.append(("production-schedule-versions", psv["id"]))
    status, budget = zou.call("POST", "/data/budgets", {"project_id": c.project_id, "name": f"wr{tag}-fixture"})
    if status == 201:
        c.budget_fixture = budget["id"]
        runner.left.append(("budgets", budget["id"]))
    if not c.budgets:
        c.budgets = [c.budget_fixture]


# ----------------------------------------------------------------------------------------------
# report


def looks_defensible(result):
    zs, ss = result["zou"]["status"], result["slate"]["status"]
    check = result["check"]
    if zs == 500:
        return "Zou answers 500"
    if "empty body" in check and zs in (200, 201):
        return "Zou accepts an empty body"
    return ""


def report(results, show_same):
    lines = []
    by_model = {}
    for r in results:
        by_model.setdefault(r["model"], []).append(r)
    for model, rows in by_model.items():
        differing = [r for r in rows if r["verdict"] not in ("same",)]
        lines.append(f"== {model}: {len(rows) - len(differing)} of {len(rows)} same")
        for r in rows:
            if r["verdict"] == "same" and not show_same:
                continue
            mark = {"same": "same", "status": "STATUS", "body": "BODY", "skipped": "skip"}[r["verdict"]]
            note = f" ({r['note']})" if r["note"] else ""
            defensible = looks_defensible(r)
            lines.append(f"  [{mark}] {r['category']}: {r['check']}{note}  "
                         f"{r['method']} {r['path']}  zou {r['zou']['status']} / slate {r['slate']['status']}"
                         + (f"  -- {defensible}" if defensible and r["verdict"] != "same" else ""))
            if r["verdict"] == "same":
                continue
            if r["request"] is not None:
                lines.append(f"      request: {short(r['request'], 300)}")
            if r["verdict"] == "status":
                lines.append(f"      zou:   {short(r['zou']['body'], 300)}")
                lines.append(f"      slate: {short(r['slate']['body'], 300)}")
            for d in r["diffs"]:
                lines.append(f"      {d}")
    return "\n".join(lines)


def summary(results):
    counts = {}
    for r in results:
        if r["verdict"] == "skipped":
            continue
        same, total = counts.get(r["category"], (0, 0))
        counts[r["category"]] = (same + (r["verdict"] == "same"), total + 1)
    names = {"create": "creates", "update": "updates", "delete": "deletes", "bad body": "bad bodies",
             "permission": "permissions", "extra": "model rules"}
    parts = [f"{names[k]} same {counts[k][0]} of {counts[k][1]}" for k in CATEGORIES if k in counts]
    return ", ".join(parts)


def add_session_args(parser, slate_default):
    """The options both comparison scripts take: the servers, the accounts, the production and
    the reference's database."""
    parser.add_argument("--zou", default=os.environ.get("DIFF_ZOU_URL", "http://127.0.0.1:5601"))
    parser.add_argument("--slate", default=os.environ.get("DIFF_SLATE_URL", slate_default))
    parser.add_argument("--email", default="admin@example.com")
    parser.add_argument("--password", default="mysecretpassword")
    parser.add_argument("--role-password", default="rolepassword")
    parser.add_argument("--project", help="the production to take ids from (default: newest 'Filled <tag>')")
    parser.add_argument("--pg-host", default=os.environ.get("PGHOST", "127.0.0.1"))
    parser.add_argument("--pg-port", default=os.environ.get("PGPORT", "5433"))
    parser.add_argument("--pg-user", default=os.environ.get("PGUSER", "zou"))
    parser.add_argument("--pg-password", default=os.environ.get("PGPASSWORD", "zoupass"))
    parser.add_argument("--pg-db", default=os.environ.get("PGDATABASE", "zoudb"))


def open_session(args):
    """The reference database, the production's context and both servers, each holding one token
    per role taken from Zou (Slate accepts Zou's tokens). None, after saying why, on failure."""
    db = Db(args.pg_host, args.pg_port, args.pg_user, args.pg_password, args.pg_db)
    try:
        ctx = Context(db, args.project)
    except RuntimeError as error:
        print(error, file=sys.stderr)
        return None
    servers = {"zou": Server("zou", args.zou), "slate": Server("slate", args.slate)}
    try:
        tokens = {"admin": login(args.zou, args.email, args.password)}
        for role in ("manager", "supervisor", "artist", "client", "vendor"):
            tokens[role] = login(args.zou, f"{role}-{ctx.role_tag}@example.com", args.role_password)
    except (urllib.error.URLError, KeyError, ValueError) as error:
        print(f"login failed: {error}", file=sys.stderr)
        return None
    for server in servers.values():
        server.tokens = dict(tokens)
    return db, ctx, servers


def run_tag():
    """A short token of this run, carried by the names it makes."""
    return format(int(time.time()) % 36 ** 5, "x")[-5:]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_session_args(parser, "http://127.0.0.1:5611/api")
    parser.add_argument("--model", help="comma-separated collections, e.g. tasks,projects")
    parser.add_argument("--json", help="write every check as JSON to this file")
    parser.add_argument("--show-same", action="store_true", help="list the checks that are the same too")
    args = parser.parse_args()

    session = open_session(args)
    if session is None:
        return 2
    db, ctx, servers = session

    tag = run_tag()
    base_date = datetime.date(2032, 1, 1) + datetime.timedelta(days=(int(time.time()) // 600) % 3000 * 3)
    all_specs = specs(base_date)
    if args.model:
        wanted = {m.strip() for m in args.model.split(",") if m.strip()}
        unknown = wanted - {s.collection for s in all_specs}
        if unknown:
            print(f"unknown model(s): {', '.join(sorted(unknown))}", file=sys.stderr)
            return 2
        all_specs = [s for s in all_specs if s.collection in wanted]

    runner = Runner(servers, ctx, db, tag, base_date)
    failed_cleanup = []
    try:
        setup_fixtures(runner, tag)
        for spec in all_specs:
            print(f"... {spec.collection}", file=sys.stderr, flush=True)
            try:
                try:
                    runner.run_model(spec)
                finally:
                    if spec.after:
                        spec.after(ctx, db)
            except Exception as error:  # one broken model must not stop the others
                runner.results.append({"model": spec.collection, "category": "extra", "check": "tool error",
                                       "method": "", "path": "", "request": None, "request_slate": None,
                                       "zou": {"status": None, "body": None}, "slate": {"status": None, "body": None},
                                       "verdict": "skipped", "diffs": [f"{type(error).__name__}: {error}"],
                                       "note": ""})
    finally:
        failed_cleanup = runner.cleanup()

    print(report(runner.results, args.show_same))
    print()
    print("SUMMARY: " + summary(runner.results))
    if failed_cleanup:
        print("rows left after cleanup: " + "; ".join(failed_cleanup))
    if args.json:
        with open(args.json, "w") as out:
            json.dump({"summary": summary(runner.results), "results": runner.results,
                       "cleanup_failed": failed_cleanup}, out, indent=1, ensure_ascii=False, default=str)
    differing = [r for r in runner.results if r["verdict"] in ("status", "body")]
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
