#!/usr/bin/env python3
"""Compares the NON-CRUD WRITES (POST/PUT/DELETE routes other than /data/<model>[/<id>]: comments,
task actions, time spents, project settings and team, entity creation, casting, user filters and
subscriptions, playlists, persons' departments...) between the reference Zou and Slate, both on
the same database. The companion of diff_writes.py, whose client and comparison it reuses.

    diff_actions.py [--zou http://127.0.0.1:5601] [--slate http://127.0.0.1:5610/api]
                    [--project "Filled 1206222947"] [--group comments,tasks] [--json FILE]
                    [--show-same]

Not run by CI. Checks are grouped in flows: a flow is a list of steps (one request each) run
first entirely on Zou, then entirely on Slate, then compared step by step. A flow either works on
targets each server made for itself (its own sequence, shots, asset, tasks, comments: created by
earlier steps through the routes under test, so a comment or a status change on Zou never shows
on Slate's task), or puts back what it changed (team add then remove, settings add then remove,
filter create/update/delete...), so that Slate starts from the state Zou started from.

Answers are compared on status and JSON (diff_writes.diff_values: key order and list order
ignored, created_at/updated_at and top-level ids ignored, timestamps within 10 minutes equal, ids
each server generated on its own equal). Each server's own targets are replaced by a label
(<shot>, <task>, <comment>...) before the comparison, and its per-run token by <tok>.
Categories: valid, bad input (unknown/malformed id, missing or wrong field), permission (a role
person of the production: manager, supervisor, artist, client, vendor).

Every row made is removed at the end (through Zou with force=true, then psql), so that the
production keeps its tasks. Exit status: 0 when all the same, 1 otherwise, 2 on setup error.
"""
import argparse
import datetime
import json
import os
import sys
import time
import urllib.error
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from diff_writes import (DATETIME_RE, UUID_RE, Context, Db, Server, add_session_args, canonical,  # noqa: E402
                         diff_values, login, open_session, q, run_tag, short, walk_replace)

ABSENT = "6b1f5e1c-0000-4000-8000-00000000dead"
CATEGORIES = ["valid", "bad input", "permission"]


class Step:
    def __init__(self, route, label="", body=None, path=None, role="admin", cat="valid", save=None,
                 raw=None, note=""):
        self.method, self.template = route.split(" ", 1)
        self.route = route
        self.label = label or "valid"
        self.body = body        # value, or (st) -> value
        self.path = path        # None: the route's template filled from st; str template; (st) -> str
        self.role = role
        self.cat = cat
        self.save = save        # (key, collection or None): keeps the answer's id as st[key]
        self.raw = raw
        self.note = note


def fill(template, st):
    return template.format_map(st)


class Missing(Exception):
    pass


class State(dict):
    def __missing__(self, key):
        raise Missing(key)


class Runner:
    def __init__(self, servers, ctx, db, tag, routes):
        self.servers = servers
        self.ctx = ctx
        self.db = db
        self.tag = tag
        self.results = []
        self.left = []          # (collection, table, id), removed at the end in reverse order
        self.failed = []
        self.routes = routes    # every non-CRUD write route of routes.tsv
        self.states = {}
        for name in ("zou", "slate"):
            st = State(self.common())
            st["name"] = name
            st["tok"] = f"ac{tag}{name[0]}"
            st["alias"] = {st["tok"]: "<tok>"}
            self.states[name] = st

    def common(self):
        c = self.ctx
        return {"project_id": c.project_id, "absent": ABSENT, "artist": c.person["artist"],
                "manager": c.person["manager"], "supervisor": c.person["supervisor"],
                "client": c.person["client"], "vendor": c.person["vendor"], "admin": c.admin_id,
                "shot_tt": c.shot_task_type_id, "asset_tt": c.asset_task_type_id, "todo": c.todo_id,
                "wip": c.wip_id, "asset_type": c.entity_type_id, "department": c.department_id,
                "department2": c.department2_id, "asset0": c.assets[0], "episode0": c.episode_id,
                "sequence0": c.sequence_id, "shot0": c.shots[0]}

    def track(self, collection, table, row_id):
        self.left.append((collection, table, row_id))

    # -- running a flow

    def flow(self, group, steps, after_each=None):
        """`after_each(name)` runs after each server's pass: it puts back what the pass changed on
        shared rows, so that Slate starts from the state Zou started from."""
        done = {}
        for name in ("zou", "slate"):
            st = self.states[name]
            server = self.servers[name]
            out = []
            for step in steps:
                try:
                    if callable(step.path):
                        path = step.path(st)
                    else:
                        path = fill(step.path or step.template, st)
                    body = step.body(st) if callable(step.body) else step.body
                except Missing as missing:
                    out.append((None, None, (None, f"fixture missing: {missing}")))
                    continue
                answer = server.call(step.method, path, body, role=step.role, raw=step.raw)
                out.append((path, body, answer))
                if step.save and answer[0] in (200, 201):
                    key, collection, field = (tuple(step.save) + ("id",))[:3]
                    value = answer[1]
                    if isinstance(value, list) and value and isinstance(value[0], dict):
                        value = value[0]
                    if isinstance(value, dict) and isinstance(value.get(field), str):
                        st[key] = value[field]
                        st["alias"][value[field]] = f"<{key}>"
                        if collection:
                            self.track(collection[0], collection[1], value[field])
            done[name] = out
            if after_each:
                after_each(name)
        for i, step in enumerate(steps):
            self.record(group, step, done["zou"][i], done["slate"][i])

    def record(self, group, step, zou, slate):
        (zp, zb, (zs, za)), (sp, sb, (ss, sa)) = zou, slate
        nz = walk_replace(za, self.states["zou"]["alias"])
        ns = walk_replace(sa, self.states["slate"]["alias"])
        values = set()
        for body in (zb, sb):
            values |= body_strings(body)
        nz, ns = prepare(nz, values), prepare(ns, values)
        if zs == ss == 400:
            nz, ns = pydantic_wording(nz, ns)
        diffs = [] if zs != ss else diff_values(nz, ns, values)
        verdict = "status" if zs != ss else ("body" if diffs else "same")
        if zs is None and ss is None:
            verdict = "skipped"
        self.results.append({
            "group": group, "route": step.route, "check": step.label, "category": step.cat,
            "role": step.role, "path_zou": zp, "path_slate": sp, "request": zb, "request_slate": sb,
            "zou": {"status": zs, "body": za}, "slate": {"status": ss, "body": sa},
            "verdict": verdict, "diffs": diffs, "note": step.note})

    # -- cleanup

    def exists(self, table, row_id):
        return self.db.value(f"select 1 from {table} where id = {q(row_id)}") is not None

    def cleanup(self):
        zou = self.servers["zou"]
        for collection, table, row_id in reversed(self.left):
            try:
                if not self.exists(table, row_id):
                    continue
                if collection:
                    zou.call("DELETE", f"/data/{collection}/{row_id}?force=true")
                if not self.exists(table, row_id):
                    continue
                R = q(row_id)
                if table == "task":
                    self.db.rows(
                        f"delete from task_person_link where task_id = {R}; "
                        f"delete from notification where task_id = {R}; "
                        f"delete from subscription where task_id = {R}; "
                        f"delete from time_spent where task_id = {R}; "
                        f"update task set last_comment_date = null where id = {R}; "
                        f"delete from comment_preview_link where comment in "
                        f"(select id from comment where object_id = {R}); "
                        f"delete from comment_mentions where comment in (select id from comment where object_id = {R}); "
                        f"delete from comment_department_mentions where comment in "
                        f"(select id from comment where object_id = {R}); "
                        f"delete from comment_acknoledgments where comment in "
                        f"(select id from comment where object_id = {R}); "
                        f"delete from notification where comment_id in (select id from comment where object_id = {R}); "
                        f"delete from news where task_id = {R}; "
                        f"delete from attachment_file where comment_id in (select id from comment where object_id = {R}); "
                        f"delete from comment where object_id = {R}")
                if table == "entity":
                    self.db.rows(
                        f"delete from output_file where entity_id = {R} or temporal_entity_id = {R} or asset_instance_id in "
                        f"(select id from asset_instance where asset_id = {R} or target_asset_id = {R}); "
                        f"delete from entity_link where entity_in_id = {R} or entity_out_id = {R}; "
                        f"delete from entity_concept_link where entity_in_id = {R} or entity_out_id = {R}; "
                        f"delete from asset_instance_link where entity_id = {R}; "
                        f"delete from asset_instance where asset_id = {R} or target_asset_id = {R}; "
                        f"delete from news where task_id in (select id from task where entity_id = {R}); "
                        f"delete from chat_participant where chat_id in (select id from chat where object_id = {R}); "
                        f"delete from chat where object_id = {R}; "
                        f"delete from subscription where entity_id = {R}; "
                        f"update entity set parent_id = null where parent_id = {R}; "
                        f"delete from schedule_item where object_id = {R}")
                if table == "preview_file":
                    self.db.rows(
                        f"update entity set preview_file_id = null where preview_file_id = {R}; "
                        f"delete from comment_preview_link where preview_file = {R}; "
                        f"update comment set preview_file_id = null where preview_file_id = {R}; "
                        f"delete from news where preview_file_id = {R}")
                if table == "person":  # a shared playlist's guest: its comments go with it
                    C = f"(select id from comment where person_id = {R})"
                    self.db.rows(
                        f"delete from notification where author_id = {R} or person_id = {R} or comment_id in {C}; "
                        f"delete from news where author_id = {R} or comment_id in {C}; "
                        f"delete from comment_preview_link where comment in {C}; "
                        f"delete from comment_mentions where comment in {C}; "
                        f"delete from comment_department_mentions where comment in {C}; "
                        f"delete from comment_acknoledgments where comment in {C} or person = {R}; "
                        f"delete from attachment_file where comment_id in {C}; "
                        f"delete from comment where person_id = {R}; "
                        f"delete from api_event where user_id = {R}; "
                        f"delete from subscription where person_id = {R}")
                if table == "production_schedule_version":
                    self.db.rows(
                        f"update project set from_schedule_version_id = null where from_schedule_version_id = {R}; "
                        f"update production_schedule_version set production_schedule_from = null "
                        f"where production_schedule_from = {R}; "
                        f"delete from production_schedule_version_task_link_person_link where "
                        f"production_schedule_version_task_link_id in (select id from "
                        f"production_schedule_version_task_link where production_schedule_version_id = {R}); "
                        f"delete from production_schedule_version_task_link where production_schedule_version_id = {R}")
                if table == "preview_background_file":
                    self.db.rows(
                        f"delete from project_preview_background_file_link where preview_background_file_id = {R}; "
                        f"delete from project_template_preview_background_file_link "
                        f"where preview_background_file_id = {R}")
                if table == "asset_instance":
                    self.db.rows(f"delete from output_file where asset_instance_id = {R}")
                if table == "budget":
                    self.db.rows(f"delete from budget_entry where budget_id = {R}")
                if table == "metadata_descriptor":
                    self.db.rows(f"delete from department_metadata_descriptor_link where metadata_descriptor_id = {R}")
                if table == "task_type":
                    self.db.rows(f"delete from project_task_type_link where task_type_id = {R}")
                if table == "task_status":
                    self.db.rows(f"delete from project_task_status_link where task_status_id = {R}")
                self.db.rows(f"delete from {table} where id = {R}")
            except RuntimeError as error:
                self.failed.append(f"{table}/{row_id}: {str(error).strip().splitlines()[-1]}")
        return self.failed


def prepare(value, sent):
    """Lists of plain values sorted (Zou's have no ORDER BY: assignees, ids...), so that lists of
    objects pair the same way on both sides; a list of ids none of which was sent (what each server
    made on its own) reduced to its length."""
    if isinstance(value, dict):
        return {k: prepare(v, sent) for k, v in value.items()}
    if isinstance(value, list):
        items = [prepare(v, sent) for v in value]
        if items and all(isinstance(v, str) and UUID_RE.match(v) and v not in sent for v in items):
            return f"<{len(items)} generated ids>"
        if all(not isinstance(v, (dict, list)) for v in items):
            return sorted(items, key=canonical)
        return sorted((stamps_neutral(v, sent) for v in items), key=stable_key)
    return value


def stamps_neutral(value, sent):
    """In an object of a list, timestamps become their shape only and ids no one sent a mark:
    diff_values pairs list items by their whole text, which the second a row was made or the id
    it was given must not decide."""
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            if isinstance(v, str) and DATETIME_RE.match(v):
                v = f"<datetime {len(v)}>"
            elif isinstance(v, str) and UUID_RE.match(v) and v not in sent:
                v = "<made id>"
            else:
                v = stamps_neutral(v, sent)
            out[k] = v
        return out
    return value


def stable_key(value):
    """Orders objects by what both servers answer alike: not their ids, timestamps or made ids."""
    if isinstance(value, dict):
        value = {k: v for k, v in value.items() if k not in ("id", "created_at", "updated_at", "date")
                 and not (isinstance(v, str) and (UUID_RE.match(v) or DATETIME_RE.match(v)))}
    return canonical(value)


# The reference runs Zou on pydantic 1 with v2 names (tools/zou-reference/shims): its validation
# messages are pydantic 1's ("field required"), where Zou on pydantic 2 says "Field required".
PYDANTIC1 = ("field required", "value is not a valid", "ensure this value", "unexpected value; permitted")


def pydantic_wording(zou, slate):
    """When Zou's validation error words a message the pydantic 1 way, the message is not compared
    (its field is)."""
    def errors(body):
        data = body.get("data") if isinstance(body, dict) else None
        return data.get("errors") if isinstance(data, dict) and isinstance(data.get("errors"), list) else None

    ze, se = errors(zou), errors(slate)
    if ze is None or se is None:
        return zou, slate
    if not any(isinstance(e, dict) and str(e.get("message", "")).startswith(PYDANTIC1) for e in ze):
        return zou, slate

    def neutral(body, errs):
        out = [dict(e, message="<validation message>") if isinstance(e, dict) else e for e in errs]
        return {**body, "data": {**body["data"], "errors": out}}
    return neutral(zou, ze), neutral(slate, se)


def body_strings(body):
    out = set()
    if isinstance(body, dict):
        for value in body.values():
            out |= body_strings(value)
    elif isinstance(body, list):
        for value in body:
            out |= body_strings(value)
    elif isinstance(body, str):
        out.add(body)
    return out


# ----------------------------------------------------------------------------------------------
# the flows


def entities_flow(r):
    """Each server makes its own episode, sequence, shots, scene and asset through the creation
    routes (kept as st[...] for the later flows)."""
    P = "POST /data/projects/{project_id}/"
    r.flow("entities", [
        Step(P + "episodes", body=lambda s: {"name": s["tok"] + "_ep", "description": "d"},
             save=("episode", ("entities", "entity"))),
        Step(P + "episodes", "missing name", body={"description": "d"}, cat="bad input"),
        Step(P + "episodes", "as artist", body=lambda s: {"name": s["tok"] + "_epa"}, role="artist",
             cat="permission"),
        Step(P + "sequences", body=lambda s: {"name": s["tok"] + "_sq", "episode_id": s["episode"]},
             save=("sequence", ("entities", "entity"))),
        Step(P + "sequences", "malformed episode_id", body=lambda s: {"name": s["tok"] + "_sqb",
                                                                     "episode_id": "not-a-uuid"},
             cat="bad input"),
        Step(P + "sequences", "unknown project", path="/data/projects/{absent}/sequences",
             body=lambda s: {"name": s["tok"] + "_sqc"}, cat="bad input"),
        Step(P + "shots", body=lambda s: {"name": s["tok"] + "_sh", "sequence_id": s["sequence"], "nb_frames": 24,
                                          "data": {"k": "v"}, "description": "shot"},
             save=("shot", ("entities", "entity"))),
        Step(P + "shots", "second shot", body=lambda s: {"name": s["tok"] + "_sh2", "sequence_id": s["sequence"]},
             save=("shot2", ("entities", "entity"))),
        Step(P + "shots", "same name again", body=lambda s: {"name": s["tok"] + "_sh", "sequence_id": s["sequence"]},
             cat="bad input"),
        Step(P + "shots", "missing name", body=lambda s: {"sequence_id": s["sequence"]}, cat="bad input"),
        Step(P + "shots", "nb_frames a string", body=lambda s: {"name": s["tok"] + "_shx",
                                                               "sequence_id": s["sequence"], "nb_frames": "abc"},
             cat="bad input"),
        Step(P + "shots", "unknown sequence", body=lambda s: {"name": s["tok"] + "_shy", "sequence_id": ABSENT},
             cat="bad input"),
        Step(P + "shots", "as client", body=lambda s: {"name": s["tok"] + "_shz", "sequence_id": s["sequence"]},
             role="client", cat="permission"),
        Step(P + "shots", "as supervisor", body=lambda s: {"name": s["tok"] + "_shw", "sequence_id": s["sequence"]},
             role="supervisor", cat="permission", save=("shot_sup", ("entities", "entity"))),
        Step(P + "scenes", body=lambda s: {"name": s["tok"] + "_sc", "sequence_id": s["sequence"]},
             save=("scene", ("entities", "entity"))),
        Step(P + "edits", body=lambda s: {"name": s["tok"] + "_ed", "episode_id": s["episode"]},
             save=("edit", ("entities", "entity"))),
        Step(P + "concepts", body=lambda s: {"name": s["tok"] + "_co"}, save=("concept", ("entities", "entity"))),
        Step(P + "asset-types/{asset_type_id}/assets/new",
             path="/data/projects/{project_id}/asset-types/{asset_type}/assets/new",
             body=lambda s: {"name": s["tok"] + "_as", "description": "asset", "data": {"k": 1}},
             save=("asset", ("entities", "entity"))),
        Step(P + "asset-types/{asset_type_id}/assets/new", "missing name",
             path="/data/projects/{project_id}/asset-types/{asset_type}/assets/new", body={"description": "x"},
             cat="bad input"),
        Step(P + "asset-types/{asset_type_id}/assets/new", "unknown asset type",
             path="/data/projects/{project_id}/asset-types/{absent}/assets/new",
             body=lambda s: {"name": s["tok"] + "_asx"}, cat="bad input"),
        Step(P + "asset-types/{asset_type_id}/assets/new", "as artist",
             path="/data/projects/{project_id}/asset-types/{asset_type}/assets/new",
             body=lambda s: {"name": s["tok"] + "_asy"}, role="artist", cat="permission"),
        Step("PUT /data/shots/{shot_id}", path="/data/shots/{shot}",
             body={"nb_frames": 48, "description": "changed", "data": {"k2": "v2"}}),
        Step("PUT /data/shots/{shot_id}", "unknown shot", path="/data/shots/{absent}", body={"nb_frames": 2},
             cat="bad input"),
        Step("POST /data/scenes/{scene_id}/shots", path="/data/scenes/{scene}/shots",
             body=lambda s: {"shot_id": s["shot"]}),
        Step("POST /data/scenes/{scene_id}/shots", "missing shot_id", path="/data/scenes/{scene}/shots", body={},
             cat="bad input"),
        Step("DELETE /data/scenes/{scene_id}/shots/{shot_id}", path="/data/scenes/{scene}/shots/{shot}"),
    ])


def tasks_flow(r):
    A = "/actions/projects/{project_id}/task-types/"
    r.flow("tasks", [
        Step("POST " + A + "{task_type_id}/shots/create-tasks", path=A + "{shot_tt}/shots/create-tasks",
             body=lambda s: [s["shot"]], save=("task", ("tasks", "task"))),
        Step("POST " + A + "{task_type_id}/shots/create-tasks", "again: already there",
             path=A + "{shot_tt}/shots/create-tasks", body=lambda s: [s["shot"]]),
        Step("POST " + A + "{task_type_id}/shots/create-tasks", "second shot",
             path=A + "{shot_tt}/shots/create-tasks", body=lambda s: [s["shot2"]], save=("task2", ("tasks", "task"))),
        Step("POST " + A + "{task_type_id}/shots/create-tasks", "unknown task type",
             path=A + "{absent}/shots/create-tasks", body=lambda s: [s["shot"]], cat="bad input"),
        Step("POST " + A + "{task_type_id}/shots/create-tasks", "malformed ids",
             path=A + "{shot_tt}/shots/create-tasks", body=["not-a-uuid"], cat="bad input"),
        Step("POST " + A + "{task_type_id}/shots/create-tasks", "as artist",
             path=A + "{shot_tt}/shots/create-tasks", body=lambda s: [s["shot"]], role="artist", cat="permission"),
        Step("POST " + A + "{task_type_id}/assets/create-tasks", path=A + "{asset_tt}/assets/create-tasks",
             body=lambda s: [s["asset"]], save=("atask", ("tasks", "task"))),
        Step("POST " + A + "{task_type_id}/assets/create-tasks", "as vendor",
             path=A + "{asset_tt}/assets/create-tasks", body=lambda s: [s["asset"]], role="vendor",
             cat="permission"),
        Step("POST " + A + "{task_type_id}/create-tasks/{entity_type}", "edits",
             path=lambda s: fill(A + "{edit_tt}/create-tasks/edits", s), body=lambda s: [s["edit"]],
             save=("etask", ("tasks", "task"))),
        Step("POST /data/entities/{entity_id}/tasks", path="/data/entities/{shot2}/tasks",
             body=lambda s: {"task_type_ids": [s["shot_tt2"]]}, save=("task3", ("tasks", "task"))),
        Step("POST /data/entities/{entity_id}/tasks", "unknown entity", path="/data/entities/{absent}/tasks",
             body=lambda s: {"task_type_ids": [s["shot_tt2"]]}, cat="bad input"),
        # assignation
        Step("PUT /actions/tasks/{task_id}/assign", path="/actions/tasks/{task}/assign",
             body=lambda s: {"person_id": s["artist"]}),
        Step("PUT /actions/tasks/{task_id}/assign", "missing person_id", path="/actions/tasks/{task}/assign",
             body={}, cat="bad input"),
        Step("PUT /actions/tasks/{task_id}/assign", "unknown person", path="/actions/tasks/{task}/assign",
             body={"person_id": ABSENT}, cat="bad input"),
        Step("PUT /actions/tasks/{task_id}/assign", "unknown task", path="/actions/tasks/{absent}/assign",
             body=lambda s: {"person_id": s["artist"]}, cat="bad input"),
        Step("PUT /actions/tasks/{task_id}/assign", "as artist", path="/actions/tasks/{task2}/assign",
             body=lambda s: {"person_id": s["artist"]}, role="artist", cat="permission"),
        Step("PUT /actions/persons/{person_id}/assign", path="/actions/persons/{vendor}/assign",
             body=lambda s: {"task_ids": [s["task"], s["task2"]]}),
        Step("PUT /actions/persons/{person_id}/assign", "empty task_ids", path="/actions/persons/{vendor}/assign",
             body={"task_ids": []}, cat="bad input"),
        Step("PUT /actions/persons/{person_id}/assign", "unknown person", path="/actions/persons/{absent}/assign",
             body=lambda s: {"task_ids": [s["task"]]}, cat="bad input"),
        Step("PUT /actions/persons/{person_id}/assign", "as client", path="/actions/persons/{vendor}/assign",
             body=lambda s: {"task_ids": [s["task"]]}, role="client", cat="permission"),
        Step("PUT /actions/tasks/clear-assignation", "one person",
             body=lambda s: {"task_ids": [s["task2"]], "person_id": s["vendor"]}),
        Step("PUT /actions/tasks/clear-assignation", "everyone", body=lambda s: {"task_ids": [s["task2"]]}),
        Step("PUT /actions/tasks/clear-assignation", "missing task_ids", body={}, cat="bad input"),
        Step("PUT /actions/tasks/clear-assignation", "as artist", body=lambda s: {"task_ids": [s["task"]]},
             role="artist", cat="permission"),
        # priority
        Step("PUT /actions/tasks/set-priority", body=lambda s: {"task_ids": [s["task"], s["task2"]], "priority": 3}),
        Step("PUT /actions/tasks/set-priority", "negative priority",
             body=lambda s: {"task_ids": [s["task"]], "priority": -1}, cat="bad input"),
        Step("PUT /actions/tasks/set-priority", "missing priority", body=lambda s: {"task_ids": [s["task"]]},
             cat="bad input"),
        Step("PUT /actions/tasks/set-priority", "as artist", body=lambda s: {"task_ids": [s["task"]], "priority": 1},
             role="artist", cat="permission"),
        # time spents
        Step("POST /actions/tasks/{task_id}/time-spents/{date}/persons/{person_id}",
             path="/actions/tasks/{task}/time-spents/2031-02-03/persons/{artist}", body={"duration": 60},
             save=("ts", ("time-spents", "time_spent"))),
        Step("POST /actions/tasks/{task_id}/time-spents/{date}/persons/{person_id}", "set again",
             path="/actions/tasks/{task}/time-spents/2031-02-03/persons/{artist}", body={"duration": 90}),
        Step("POST /actions/tasks/{task_id}/time-spents/{date}/persons/{person_id}/add",
             path="/actions/tasks/{task}/time-spents/2031-02-03/persons/{artist}/add", body={"duration": 30}),
        Step("POST /actions/tasks/{task_id}/time-spents/{date}/persons/{person_id}/add", "new day",
             path="/actions/tasks/{task}/time-spents/2031-02-04/persons/{artist}/add", body={"duration": 15},
             save=("ts2", ("time-spents", "time_spent"))),
        Step("POST /actions/tasks/{task_id}/time-spents/{date}/persons/{person_id}", "malformed date",
             path="/actions/tasks/{task}/time-spents/2031-13-45/persons/{artist}", body={"duration": 60},
             cat="bad input"),
        Step("POST /actions/tasks/{task_id}/time-spents/{date}/persons/{person_id}", "zero duration",
             path="/actions/tasks/{task}/time-spents/2031-02-05/persons/{artist}", body={"duration": 0},
             cat="bad input"),
        Step("POST /actions/tasks/{task_id}/time-spents/{date}/persons/{person_id}", "missing duration",
             path="/actions/tasks/{task}/time-spents/2031-02-05/persons/{artist}", body={}, cat="bad input"),
        Step("POST /actions/tasks/{task_id}/time-spents/{date}/persons/{person_id}", "unknown person",
             path="/actions/tasks/{task}/time-spents/2031-02-05/persons/{absent}", body={"duration": 5},
             cat="bad input"),
        Step("POST /actions/tasks/{task_id}/time-spents/{date}/persons/{person_id}", "artist for someone else",
             path="/actions/tasks/{task}/time-spents/2031-02-05/persons/{vendor}", body={"duration": 5},
             role="artist", cat="permission"),
        Step("POST /actions/tasks/{task_id}/time-spents/{date}/persons/{person_id}/add", "as client",
             path="/actions/tasks/{task}/time-spents/2031-02-05/persons/{client}/add", body={"duration": 5},
             role="client", cat="permission"),
        Step("DELETE /actions/tasks/{task_id}/time-spents/{date}/persons/{person_id}",
             path="/actions/tasks/{task}/time-spents/2031-02-04/persons/{artist}"),
        Step("DELETE /actions/tasks/{task_id}/time-spents/{date}/persons/{person_id}", "nothing that day",
             path="/actions/tasks/{task}/time-spents/2031-02-09/persons/{artist}", cat="bad input"),
        Step("DELETE /actions/tasks/{task_id}/time-spents/{date}/persons/{person_id}", "malformed date",
             path="/actions/tasks/{task}/time-spents/20310209/persons/{artist}", cat="bad input"),
        # to review
        Step("PUT /actions/tasks/{task_id}/to-review", path="/actions/tasks/{task}/to-review",
             body=lambda s: {"person_id": s["artist"], "comment": "please review", "revision": 1}),
        Step("PUT /actions/tasks/{task_id}/to-review", "negative revision", path="/actions/tasks/{task}/to-review",
             body={"revision": -1}, cat="bad input"),
        Step("PUT /actions/tasks/{task_id}/to-review", "unknown task", path="/actions/tasks/{absent}/to-review",
             body={}, cat="bad input"),
    ])


def comments_flow(r):
    C = "POST /actions/tasks/{task_id}/comment"
    r.flow("comments", [
        Step(C, "with status change", path="/actions/tasks/{task}/comment",
             body=lambda s: {"task_status_id": s["wip"], "comment": "first @nobody", "checklist": [
                 {"text": "a", "checked": False}]}, save=("comment", None)),
        Step(C, "same status", path="/actions/tasks/{task}/comment",
             body=lambda s: {"task_status_id": s["wip"], "comment": "second"}, save=("comment2", None)),
        Step(C, "back to todo, links", path="/actions/tasks/{task}/comment",
             body=lambda s: {"task_status_id": s["todo"], "comment": "third", "links": ["http://x"]},
             save=("comment3", None)),
        Step(C, "unknown status", path="/actions/tasks/{task}/comment",
             body={"task_status_id": ABSENT, "comment": "x"}, cat="bad input"),
        Step(C, "malformed status", path="/actions/tasks/{task}/comment",
             body={"task_status_id": "not-a-uuid", "comment": "x"}, cat="bad input"),
        Step(C, "missing task_status_id", path="/actions/tasks/{task}/comment", body={"comment": "x"},
             cat="bad input"),
        Step(C, "unknown task", path="/actions/tasks/{absent}/comment",
             body=lambda s: {"task_status_id": s["wip"], "comment": "x"}, cat="bad input"),
        Step(C, "as client", path="/actions/tasks/{task}/comment",
             body=lambda s: {"task_status_id": s["wip"], "comment": "client"}, role="client", cat="permission"),
        Step(C, "as vendor", path="/actions/tasks/{task}/comment",
             body=lambda s: {"task_status_id": s["wip"], "comment": "vendor"}, role="vendor", cat="permission"),
        Step(C, "as artist (assigned)", path="/actions/tasks/{task}/comment",
             body=lambda s: {"task_status_id": s["wip"], "comment": "artist"}, role="artist", cat="permission",
             save=("comment_artist", None)),
        Step(C, "as artist, not assigned", path="/actions/tasks/{task2}/comment",
             body=lambda s: {"task_status_id": s["wip"], "comment": "artist"}, role="artist", cat="permission"),
        Step("POST /data/tasks/{task_id}/comments/{comment_id}/reply",
             path="/data/tasks/{task}/comments/{comment}/reply", body={"text": "a reply"}, save=("reply", None)),
        Step("POST /data/tasks/{task_id}/comments/{comment_id}/reply", "unknown comment",
             path="/data/tasks/{task}/comments/{absent}/reply", body={"text": "a reply"}, cat="bad input"),
        Step("POST /data/tasks/{task_id}/comments/{comment_id}/reply", "as client",
             path="/data/tasks/{task}/comments/{comment}/reply", body={"text": "c"}, role="client",
             cat="permission"),
        Step("DELETE /data/tasks/{task_id}/comments/{comment_id}/reply/{reply_id}",
             path="/data/tasks/{task}/comments/{comment}/reply/{reply}"),
        Step("DELETE /data/tasks/{task_id}/comments/{comment_id}/reply/{reply_id}", "unknown reply",
             path="/data/tasks/{task}/comments/{comment}/reply/{absent}", cat="bad input"),
        Step("POST /data/tasks/{task_id}/comments/{comment_id}/ack", path="/data/tasks/{task}/comments/{comment}/ack"),
        Step("POST /data/tasks/{task_id}/comments/{comment_id}/ack", "again (unack)",
             path="/data/tasks/{task}/comments/{comment}/ack"),
        Step("POST /data/tasks/{task_id}/comments/{comment_id}/ack", "as artist",
             path="/data/tasks/{task}/comments/{comment}/ack", role="artist", cat="permission"),
        Step("POST /data/tasks/{task_id}/comments/{comment_id}/ack", "unknown comment",
             path="/data/tasks/{task}/comments/{absent}/ack", cat="bad input"),
        Step("POST /actions/tasks/{task_id}/comments/{comment_id}/move",
             path="/actions/tasks/{task}/comments/{comment2}/move", body=lambda s: {"target_task_id": s["task2"]}),
        Step("POST /actions/tasks/{task_id}/comments/{comment_id}/move", "missing target",
             path="/actions/tasks/{task2}/comments/{comment2}/move", body={}, cat="bad input"),
        Step("POST /actions/projects/{project_id}/tasks/comment-many",
             body=lambda s: [{"object_id": s["task2"], "task_status_id": s["wip"], "comment": "many"},
                             {"object_id": s["atask"], "task_status_id": s["wip"], "comment": "many 2"}]),
        Step("POST /actions/projects/{project_id}/tasks/comment-many", "as artist",
             body=lambda s: [{"object_id": s["task"], "task_status_id": s["wip"], "comment": "many"}],
             role="artist", cat="permission"),
        Step("DELETE /data/tasks/{task_id}/comments/{comment_id}", path="/data/tasks/{task}/comments/{comment3}"),
        Step("DELETE /data/tasks/{task_id}/comments/{comment_id}", "as artist, not author",
             path="/data/tasks/{task}/comments/{comment}", role="artist", cat="permission"),
        Step("DELETE /data/tasks/{task_id}/comments/{comment_id}", "unknown comment",
             path="/data/tasks/{task}/comments/{absent}", cat="bad input"),
    ])


def user_flow(r):
    r.flow("user", [
        Step("POST /actions/user/tasks/{task_id}/subscribe", path="/actions/user/tasks/{task}/subscribe"),
        Step("POST /actions/user/tasks/{task_id}/subscribe", "again", path="/actions/user/tasks/{task}/subscribe"),
        Step("POST /actions/user/tasks/{task_id}/subscribe", "unknown task", path="/actions/user/tasks/{absent}/subscribe",
             cat="bad input"),
        Step("DELETE /actions/user/tasks/{task_id}/unsubscribe", path="/actions/user/tasks/{task}/unsubscribe"),
        Step("POST /actions/user/tasks/subscribe", body=lambda s: {"task_ids": [s["task"], s["task2"]]}),
        Step("POST /actions/user/tasks/subscribe", "empty task_ids", body={"task_ids": []}, cat="bad input"),
        Step("POST /actions/user/tasks/unsubscribe", body=lambda s: {"task_ids": [s["task"], s["task2"]]}),
        Step("POST /actions/user/sequences/{sequence_id}/task-types/{task_type_id}/subscribe",
             path="/actions/user/sequences/{sequence}/task-types/{shot_tt}/subscribe"),
        Step("DELETE /actions/user/sequences/{sequence_id}/task-types/{task_type_id}/unsubscribe",
             path="/actions/user/sequences/{sequence}/task-types/{shot_tt}/unsubscribe"),
        Step("POST /actions/user/chats/{entity_id}/join", path="/actions/user/chats/{shot}/join"),
        Step("POST /actions/user/chats/{entity_id}/join", "unknown entity", path="/actions/user/chats/{absent}/join",
             cat="bad input"),
        Step("POST /data/entities/{entity_id}/chat/messages", path="/data/entities/{shot}/chat/messages",
             body={"message": "hello"}, save=("message", ("chat-messages", "chat_message"))),
        Step("POST /data/entities/{entity_id}/chat/messages", "as client", path="/data/entities/{shot}/chat/messages",
             body={"message": "hello"}, role="client", cat="permission"),
        Step("DELETE /data/entities/{entity_id}/chat/messages/{chat_message_id}",
             path="/data/entities/{shot}/chat/messages/{message}"),
        Step("DELETE /data/entities/{entity_id}/chat/messages/{chat_message_id}", "unknown",
             path="/data/entities/{shot}/chat/messages/{absent}", cat="bad input"),
        Step("DELETE /actions/user/chats/{entity_id}/join", path="/actions/user/chats/{shot}/join"),
        Step("PUT /data/user/notifications/{notification_id}", path="/data/user/notifications/{notification}",
             body=lambda s: {"read": s["notification_read"] == "t"}),
        Step("POST /data/user/filters", body=lambda s: {"name": s["tok"] + "_f", "query": "wip", "list_type": "todo",
                                                        "project_id": s["project_id"]},
             save=("filter", ("search-filters", "search_filter"))),
        Step("POST /data/user/filters", "missing query", body=lambda s: {"name": s["tok"] + "_f2"}, cat="bad input"),
        Step("PUT /data/user/filters/{filter_id}", path="/data/user/filters/{filter}",
             body=lambda s: {"name": s["tok"] + "_f3", "search_query": "done"}),
        Step("PUT /data/user/filters/{filter_id}", "unknown filter", path="/data/user/filters/{absent}",
             body={"name": "x"}, cat="bad input"),
        Step("DELETE /data/user/filters/{filter_id}", path="/data/user/filters/{filter}"),
        Step("DELETE /data/user/filters/{filter_id}", "again", path="/data/user/filters/{filter}", cat="bad input"),
        Step("POST /data/user/filter-groups", body=lambda s: {"name": s["tok"] + "_g", "color": "#123456",
                                                              "list_type": "todo", "project_id": s["project_id"]},
             save=("group", ("search-filter-groups", "search_filter_group"))),
        Step("POST /data/user/filter-groups", "missing name", body={"color": "#fff"}, cat="bad input"),
        Step("PUT /data/user/filter-groups/{filter_group_id}", path="/data/user/filter-groups/{group}",
             body={"color": "#654321"}),
        Step("DELETE /data/user/filter-groups/{filter_group_id}", path="/data/user/filter-groups/{group}"),
        Step("DELETE /data/user/filter-groups/{filter_group_id}", "unknown", path="/data/user/filter-groups/{absent}",
             cat="bad input"),
        Step("POST /data/user/desktop-login-logs", body={"date": "2031-02-03T10:00:00"},
             save=("dll", (None, "desktop_login_log"))),
        Step("POST /data/user/desktop-login-logs", "bad date", body={"date": "2031-02-"}, cat="bad input"),
        Step("POST /data/persons/{person_id}/desktop-login-logs", path="/data/persons/{artist}/desktop-login-logs",
             body={"date": "2031-02-04"}, save=("dll2", (None, "desktop_login_log"))),
        Step("POST /actions/user/notifications/mark-all-as-read"),
        Step("PUT /data/user/notifications/{notification_id}", "unknown", path="/data/user/notifications/{absent}",
             body={"read": True}, cat="bad input"),
    ])


def project_flow(r):
    """Shared targets, each change put back in the same flow."""
    S = "/data/projects/{project_id}/settings/"
    r.flow("projects", [
        Step("POST /data/projects/{project_id}/team", body=lambda s: {"person_id": s["outsider"]}),
        Step("POST /data/projects/{project_id}/team", "again", body=lambda s: {"person_id": s["outsider"]}),
        Step("POST /data/projects/{project_id}/team", "unknown person", body={"person_id": ABSENT}, cat="bad input"),
        Step("POST /data/projects/{project_id}/team", "missing person_id", body={}, cat="bad input"),
        Step("POST /data/projects/{project_id}/team", "as supervisor", body=lambda s: {"person_id": s["outsider"]},
             role="supervisor", cat="permission"),
        Step("PUT /data/projects/{project_id}/team/{person_id}", path="/data/projects/{project_id}/team/{outsider}",
             body={"role": "supervisor"}),
        Step("PUT /data/projects/{project_id}/team/{person_id}", "bad role",
             path="/data/projects/{project_id}/team/{outsider}", body={"role": "king"}, cat="bad input"),
        Step("DELETE /data/projects/{project_id}/team/{person_id}", path="/data/projects/{project_id}/team/{outsider}"),
        Step("DELETE /data/projects/{project_id}/team/{person_id}", "not in team",
             path="/data/projects/{project_id}/team/{outsider}", cat="bad input"),
        Step("POST " + S + "task-types", body=lambda s: {"task_type_id": s["fx_tt"], "priority": 5}),
        Step("POST " + S + "task-types", "unknown", body={"task_type_id": ABSENT}, cat="bad input"),
        Step("POST " + S + "task-types", "as artist", body=lambda s: {"task_type_id": s["fx_tt"]}, role="artist",
             cat="permission"),
        Step("DELETE " + S + "task-types/{task_type_id}", path=S + "task-types/{fx_tt}"),
        Step("POST " + S + "task-status", body=lambda s: {"task_status_id": s["fx_status"]}),
        Step("POST " + S + "task-status", "missing", body={}, cat="bad input"),
        Step("DELETE " + S + "task-status/{task_status_id}", path=S + "task-status/{fx_status}"),
        Step("POST " + S + "asset-types", body=lambda s: {"asset_type_id": s["asset_type"]}),
        Step("POST " + S + "asset-types", "malformed", body={"asset_type_id": "not-a-uuid"}, cat="bad input"),
        Step("DELETE " + S + "asset-types/{asset_type_id}", path=S + "asset-types/{asset_type}"),
        Step("POST " + S + "status-automations", body=lambda s: {"status_automation_id": s["automation"]}),
        Step("POST " + S + "status-automations", "unknown", body={"status_automation_id": ABSENT}, cat="bad input"),
        Step("DELETE " + S + "status-automations/{status_automation_id}", path=S + "status-automations/{automation}"),
        Step("POST " + S + "batch", body=lambda s: {"task_types": [{"task_type_id": s["fx_tt"]}],
                                                   "asset_type_ids": [s["asset_type"]]}),
        Step("DELETE " + S + "task-types/{task_type_id}", "after batch", path=S + "task-types/{fx_tt}"),
        Step("DELETE " + S + "asset-types/{asset_type_id}", "after batch", path=S + "asset-types/{asset_type}"),
        # metadata descriptors: own rows (names carry the server token)
        Step("POST /data/projects/{project_id}/metadata-descriptors",
             body=lambda s: {"name": s["tok"] + " md", "entity_type": "Asset", "data_type": "list",
                             "choices": ["a", "b"], "departments": [s["department"]]},
             save=("md", ("metadata-descriptors", "metadata_descriptor"))),
        Step("POST /data/projects/{project_id}/metadata-descriptors", "missing name", body={"entity_type": "Asset"},
             cat="bad input"),
        Step("POST /data/projects/{project_id}/metadata-descriptors", "as artist",
             body=lambda s: {"name": s["tok"] + " mda"}, role="artist", cat="permission"),
        Step("PUT /data/projects/{project_id}/metadata-descriptors/{metadata_descriptor_id}",
             path="/data/projects/{project_id}/metadata-descriptors/{md}",
             body=lambda s: {"name": s["tok"] + " md2", "data_type": "list", "choices": ["a", "c"]}),
        Step("POST /data/projects/{project_id}/metadata-descriptors/reorder",
             body=lambda s: {"entity_type": "Asset", "descriptor_ids": [s["md"]]}),
        Step("DELETE /data/projects/{project_id}/metadata-descriptors/{metadata_descriptor_id}",
             path="/data/projects/{project_id}/metadata-descriptors/{md}"),
        Step("DELETE /data/projects/{project_id}/metadata-descriptors/{metadata_descriptor_id}", "unknown",
             path="/data/projects/{project_id}/metadata-descriptors/{absent}", cat="bad input"),
        # budgets
        Step("POST /data/projects/{project_id}/budgets", body=lambda s: {"name": s["tok"] + "_b", "currency": "EUR"},
             save=("budget", ("budgets", "budget"))),
        Step("POST /data/projects/{project_id}/budgets", "missing name", body={}, cat="bad input"),
        Step("POST /data/projects/{project_id}/budgets", "as supervisor", body=lambda s: {"name": s["tok"] + "_bx"},
             role="supervisor", cat="permission"),
        Step("PUT /data/projects/{project_id}/budgets/{budget_id}", path="/data/projects/{project_id}/budgets/{budget}",
             body={"currency": "USD"}),
        Step("POST /data/projects/{project_id}/budgets/{budget_id}/entries",
             path="/data/projects/{project_id}/budgets/{budget}/entries",
             body=lambda s: {"department_id": s["department"], "person_id": s["artist"], "start_date": "2031-01-01",
                             "months_duration": 3, "daily_salary": 200.5, "position": "artist",
                             "seniority": "senior"}, save=("entry", ("budget-entries", "budget_entry"))),
        Step("POST /data/projects/{project_id}/budgets/{budget_id}/entries", "missing department",
             path="/data/projects/{project_id}/budgets/{budget}/entries", body={"months_duration": 3},
             cat="bad input"),
        Step("PUT /data/projects/{project_id}/budgets/{budget_id}/entries/{entry_id}",
             path="/data/projects/{project_id}/budgets/{budget}/entries/{entry}",
             body=lambda s: {"department_id": s["department"], "person_id": s["artist"], "start_date": "2031-02-01",
                             "months_duration": 4, "daily_salary": 210, "position": "artist", "seniority": "senior",
                             "exceptions": {"2031-02": 100}}),
        Step("PUT /data/projects/{project_id}/budgets/{budget_id}/entries/{entry_id}", "partial body",
             path="/data/projects/{project_id}/budgets/{budget}/entries/{entry}",
             body={"months_duration": 4}, cat="bad input"),
        Step("DELETE /data/projects/{project_id}/budgets/{budget_id}/entries/{entry_id}",
             path="/data/projects/{project_id}/budgets/{budget}/entries/{entry}"),
        Step("DELETE /data/projects/{project_id}/budgets/{budget_id}", path="/data/projects/{project_id}/budgets/{budget}"),
        Step("DELETE /data/projects/{project_id}/budgets/{budget_id}", "unknown",
             path="/data/projects/{project_id}/budgets/{absent}", cat="bad input"),
        # persons' departments
        Step("POST /actions/persons/{person_id}/departments/add", path="/actions/persons/{artist}/departments/add",
             body=lambda s: {"department_id": s["free_department"]}),
        Step("POST /actions/persons/{person_id}/departments/add", "malformed",
             path="/actions/persons/{artist}/departments/add", body={"department_id": "x"}, cat="bad input"),
        Step("POST /actions/persons/{person_id}/departments/add", "as manager",
             path="/actions/persons/{artist}/departments/add",
             body=lambda s: {"department_id": s["free_department"]}, role="manager", cat="permission"),
        Step("DELETE /actions/persons/{person_id}/departments/{department_id}",
             path="/actions/persons/{artist}/departments/{free_department}"),
        # all-projects metadata descriptors: names carry the token
        Step("POST /data/metadata-descriptors/all-projects",
             body=lambda s: {"name": s["tok"] + " all", "entity_type": "Shot", "data_type": "string"}),
        Step("PUT /data/metadata-descriptors/all-projects/{field_name}",
             path=lambda s: f"/data/metadata-descriptors/all-projects/{s['tok']}_all",
             body={"entity_type": "Shot", "for_client": True}),
        Step("DELETE /data/metadata-descriptors/all-projects/{field_name}",
             path=lambda s: f"/data/metadata-descriptors/all-projects/{s['tok']}_all?entity_type=Shot"),
    ])


def breakdown_flow(r):
    r.flow("breakdown", [
        Step("PUT /data/projects/{project_id}/entities/{entity_id}/casting",
             path="/data/projects/{project_id}/entities/{shot}/casting",
             body=lambda s: [{"asset_id": s["asset0"], "nb_occurences": 2}, {"asset_id": s["asset"], "nb_occurences": 1}]),
        Step("PUT /data/projects/{project_id}/entities/{entity_id}/casting", "not a list",
             path="/data/projects/{project_id}/entities/{shot}/casting", body={"asset_id": ABSENT}, cat="bad input"),
        Step("PUT /data/projects/{project_id}/entities/{entity_id}/casting", "as artist",
             path="/data/projects/{project_id}/entities/{shot}/casting", body=[], role="artist", cat="permission"),
        Step("DELETE /data/projects/{project_id}/entity-links/{entity_link_id}",
             path=lambda s: fill("/data/projects/{project_id}/entity-links/", s) + (r.db.value(
                 f"select id from entity_link where entity_in_id = {q(s['shot'])} and entity_out_id = {q(s['asset'])}")
                 or ABSENT)),
        Step("PUT /data/projects/{project_id}/entities/casting", "several",
             body=lambda s: [{"entity_id": s["shot2"], "casting": [{"asset_id": s["asset0"], "nb_occurences": 1}]}]),
        Step("PUT /data/assets/{asset_id}/casting", path="/data/assets/{asset}/casting",
             body=lambda s: [{"asset_id": s["asset0"], "nb_occurences": 1}]),
        Step("POST /data/assets/{asset_id}/asset-asset-instances", path="/data/assets/{asset}/asset-asset-instances",
             body=lambda s: {"asset_to_instantiate_id": s["asset0"], "description": "inst"},
             save=("ainst", ("asset-instances", "asset_instance"))),
        Step("POST /data/shots/{shot_id}/asset-instances", path="/data/shots/{shot}/asset-instances",
             body=lambda s: {"asset_instance_id": s["ainst"]}),
        Step("DELETE /data/shots/{shot_id}/asset-instances/{asset_instance_id}",
             path="/data/shots/{shot}/asset-instances/{ainst}"),
        Step("POST /actions/assets/share", body=lambda s: {"asset_ids": [s["asset"]], "is_shared": True}),
        Step("POST /actions/projects/{project_id}/assets/share", "unshare",
             body=lambda s: {"asset_ids": [s["asset"]], "is_shared": False}),
    ])


def playlist_flow(r):
    r.flow("playlists", [
        Step("POST /data/playlists", "fixture (CRUD)", body=lambda s: {"name": s["tok"] + "_pl",
                                                                      "project_id": s["project_id"],
                                                                      "for_entity": "shot", "for_client": True},
             save=("playlist", ("playlists", "playlist"))),
        Step("POST /actions/playlists/{playlist_id}/add-entity", path="/actions/playlists/{playlist}/add-entity",
             body=lambda s: {"entity_id": s["shot"]}),
        Step("POST /actions/playlists/{playlist_id}/add-entity", "missing entity_id",
             path="/actions/playlists/{playlist}/add-entity", body={}, cat="bad input"),
        Step("POST /actions/playlists/{playlist_id}/add-entity", "as artist",
             path="/actions/playlists/{playlist}/add-entity", body=lambda s: {"entity_id": s["shot2"]},
             role="artist", cat="permission"),
        Step("POST /actions/playlists/{playlist_id}/add-entities", path="/actions/playlists/{playlist}/add-entities",
             body=lambda s: {"entities": [{"entity_id": s["shot2"]}, {"entity_id": s["shot0"]}]}),
        Step("POST /actions/playlists/{playlist_id}/add-entities", "empty",
             path="/actions/playlists/{playlist}/add-entities", body={"entities": []}, cat="bad input"),
        Step("POST /data/playlists/{playlist_id}/notify-clients", path="/data/playlists/{playlist}/notify-clients",
             body={}),
        Step("POST /data/playlists/{playlist_id}/notify-clients", "as artist",
             path="/data/playlists/{playlist}/notify-clients", body={}, role="artist", cat="permission"),
        Step("POST /data/projects/{project_id}/playlists/temp", body=lambda s: {"task_ids": [s["task"]]}),
        Step("POST /data/playlists/{playlist_id}/share", path="/data/playlists/{playlist}/share",
             body={"can_comment": True}, save=("share", None, "token")),
        Step("POST /data/playlists/{playlist_id}/share", "as supervisor", path="/data/playlists/{playlist}/share",
             body={}, role="supervisor", cat="permission"),
        Step("DELETE /data/playlists/{playlist_id}/share/{token}", path="/data/playlists/{playlist}/share/{share}"),
        Step("DELETE /data/playlists/{playlist_id}/share/{token}", "unknown token",
             path="/data/playlists/{playlist}/share/nothing", cat="bad input"),
    ])


def teardown_flow(r):
    """Deletes through the routes under test; what they leave is removed by the cleanup."""
    r.flow("teardown", [
        Step("POST /actions/projects/{project_id}/delete-tasks", body=lambda s: [s["task3"]]),
        Step("POST /actions/projects/{project_id}/delete-tasks", "as artist", body=lambda s: [s["task2"]],
             role="artist", cat="permission"),
        Step("POST /actions/projects/{project_id}/delete-tasks", "malformed", body=["x"], cat="bad input"),
        Step("DELETE /actions/projects/{project_id}/task-types/{task_type_id}/delete-tasks", "as manager",
             path="/actions/projects/{project_id}/task-types/{shot_tt}/delete-tasks", role="manager",
             cat="permission"),
        Step("POST /actions/projects/{project_id}/delete-entities", body=lambda s: [s["concept"]]),
        Step("DELETE /data/scenes/{scene_id}", path="/data/scenes/{scene}"),
        Step("DELETE /data/edits/{edit_id}", path="/data/edits/{edit}?force=true"),
        Step("DELETE /data/concepts/{concept_id}", "unknown", path="/data/concepts/{absent}", cat="bad input"),
        Step("DELETE /data/shots/{shot_id}", "with tasks, not forced (cancels)", path="/data/shots/{shot}"),
        Step("DELETE /data/shots/{shot_id}", "forced", path="/data/shots/{shot}?force=true"),
        Step("DELETE /data/shots/{shot_id}", "as artist", path="/data/shots/{shot2}", role="artist",
             cat="permission"),
        Step("DELETE /data/assets/{asset_id}", path="/data/assets/{asset}?force=true"),
        Step("DELETE /data/sequences/{sequence_id}", "with shots", path="/data/sequences/{sequence}",
             cat="bad input"),
        Step("DELETE /data/episodes/{episode_id}", "unknown", path="/data/episodes/{absent}", cat="bad input"),
    ])


def files_flow(r):
    r.flow("files", [
        Step("POST /data/tasks/{task_id}/working-files/new", path="/data/tasks/{task}/working-files/new",
             body=lambda s: {"name": "main", "comment": "first", "software_id": s["software"]},
             save=("wf", ("working-files", "working_file"))),
        Step("POST /data/tasks/{task_id}/working-files/new", "missing name", path="/data/tasks/{task}/working-files/new",
             body={"comment": "x"}, cat="bad input"),
        Step("POST /data/tasks/{task_id}/working-files/new", "as client", path="/data/tasks/{task}/working-files/new",
             body={"name": "main"}, role="client", cat="permission"),
        Step("POST /data/tasks/{task_id}/working-file-path", path="/data/tasks/{task}/working-file-path",
             body={"name": "main", "revision": 3}),
        Step("PUT /actions/working-files/{working_file_id}/comment", path="/actions/working-files/{wf}/comment",
             body={"comment": "changed"}),
        Step("PUT /actions/working-files/{working_file_id}/comment", "missing comment",
             path="/actions/working-files/{wf}/comment", body={}, cat="bad input"),
        Step("PUT /actions/working-files/{working_file_id}/modified", path="/actions/working-files/{wf}/modified"),
        Step("PUT /actions/working-files/{working_file_id}/modified", "unknown",
             path="/actions/working-files/{absent}/modified", cat="bad input"),
        Step("POST /data/entities/{entity_id}/output-files/new", path="/data/entities/{shot}/output-files/new",
             body=lambda s: {"output_type_id": s["output_type"], "task_type_id": s["shot_tt"], "comment": "out",
                             "working_file_id": s["wf"]}, save=("of", ("output-files", "output_file"))),
        Step("POST /data/entities/{entity_id}/output-files/new", "missing output_type_id",
             path="/data/entities/{shot}/output-files/new", body=lambda s: {"task_type_id": s["shot_tt"]},
             cat="bad input"),
        Step("POST /data/entities/{entity_id}/output-files/next-revision",
             path="/data/entities/{shot}/output-files/next-revision",
             body=lambda s: {"output_type_id": s["output_type"], "task_type_id": s["shot_tt"]}),
        Step("POST /data/entities/{entity_id}/output-file-path", path="/data/entities/{shot}/output-file-path",
             body=lambda s: {"output_type_id": s["output_type"], "task_type_id": s["shot_tt"], "revision": 2}),
        Step("POST /data/entities/guess-from-path",
             body=lambda s: {"project_id": s["project_id"], "file_path": "/tmp/nothing/here.ma"}),
        Step("POST /actions/projects/{project_id}/task-types/{task_type_id}/set-shot-nb-frames", "as artist",
             path="/actions/projects/{project_id}/task-types/{shot_tt}/set-shot-nb-frames", role="artist",
             cat="permission"),
        Step("POST /actions/projects/{project_id}/task-types/{task_type_id}/set-shot-nb-frames", "unknown task type",
             path="/actions/projects/{project_id}/task-types/{absent}/set-shot-nb-frames", cat="bad input"),
        Step("POST /data/scenes/{scene_id}/asset-instances", path="/data/scenes/{scene}/asset-instances",
             body=lambda s: {"asset_id": s["asset0"], "description": "in scene"},
             save=("sinst", ("asset-instances", "asset_instance"))),
    ])


def admin_flow(r):
    """Studio-level actions: a template made from the production (own per server), a department's
    software (added then removed), persons' actions that change nothing (refused, or no avatar)."""
    T = "/data/project-templates/{project_template_id}/"
    t = "/data/project-templates/{tmpl}/"
    r.flow("admin", [
        Step("POST /data/project-templates/from-project/{project_id}",
             body=lambda s: {"name": s["tok"] + "_tpl", "description": "from prod"},
             save=("tmpl", ("project-templates", "project_template"))),
        Step("POST /data/project-templates/from-project/{project_id}", "as manager",
             body=lambda s: {"name": s["tok"] + "_tplm"}, role="manager", cat="permission"),
        Step("POST " + T + "task-types", path=t + "task-types", body=lambda s: {"task_type_id": s["fx_tt"], "priority": 2}),
        Step("DELETE " + T + "task-types/{task_type_id}", path=t + "task-types/{fx_tt}"),
        Step("POST " + T + "task-statuses", path=t + "task-statuses",
             body=lambda s: {"task_status_id": s["fx_status"], "roles_for_board": ["user"]}),
        Step("DELETE " + T + "task-statuses/{task_status_id}", path=t + "task-statuses/{fx_status}"),
        Step("POST " + T + "asset-types", path=t + "asset-types", body=lambda s: {"asset_type_id": s["asset_type"]}),
        Step("DELETE " + T + "asset-types/{asset_type_id}", path=t + "asset-types/{asset_type}"),
        Step("POST " + T + "status-automations", path=t + "status-automations",
             body=lambda s: {"status_automation_id": s["automation"]}),
        Step("DELETE " + T + "status-automations/{status_automation_id}", path=t + "status-automations/{automation}"),
        Step("PUT " + T + "metadata-descriptors", path=t + "metadata-descriptors",
             body={"metadata_descriptors": [{"name": "tpl md", "entity_type": "Asset", "data_type": "string"}]}),
        Step("POST " + T + "task-types", "unknown template", path="/data/project-templates/{absent}/task-types",
             body=lambda s: {"task_type_id": s["fx_tt"]}, cat="bad input"),
        Step("POST /data/projects/{project_id}/apply-template/{project_template_id}", "as manager",
             path="/data/projects/{project_id}/apply-template/{tmpl}", role="manager", cat="permission"),
        Step("POST /data/projects/{project_id}/apply-template/{project_template_id}", "unknown template",
             path="/data/projects/{project_id}/apply-template/{absent}", cat="bad input"),
        Step("POST /data/departments/{department_id}/software-licenses",
             path="/data/departments/{department}/software-licenses", body=lambda s: {"software_id": s["free_software"]}),
        Step("POST /data/departments/{department_id}/software-licenses", "malformed",
             path="/data/departments/{department}/software-licenses", body={"software_id": "x"}, cat="bad input"),
        Step("DELETE /data/departments/{department_id}/software-licenses/{software_id}",
             path="/data/departments/{department}/software-licenses/{free_software}"),
        Step("POST /data/departments/{department_id}/hardware-items",
             path="/data/departments/{department}/hardware-items", body=lambda s: {"hardware_item_id": s["hardware"]}),
        Step("DELETE /data/departments/{department_id}/hardware-items/{hardware_item_id}",
             path="/data/departments/{department}/hardware-items/{hardware}"),
        Step("POST /actions/persons/{person_id}/change-password", "passwords differ",
             path="/actions/persons/{vendor}/change-password", body={"password": "abcdefgh1", "password_2": "abcdefgh2"},
             cat="bad input"),
        Step("POST /actions/persons/{person_id}/change-password", "as manager",
             path="/actions/persons/{vendor}/change-password", body={"password": "abcdefgh1", "password_2": "abcdefgh1"},
             role="manager", cat="permission"),
        Step("POST /actions/persons/{person_id}/reset-password-link", "as manager",
             path="/actions/persons/{vendor}/reset-password-link", role="manager", cat="permission"),
        Step("DELETE /actions/persons/{person_id}/clear-avatar", path="/actions/persons/{vendor}/clear-avatar"),
        Step("DELETE /actions/persons/{person_id}/clear-avatar", "as manager", path="/actions/persons/{vendor}/clear-avatar",
             role="manager", cat="permission"),
        Step("DELETE /actions/persons/{person_id}/disable-two-factor-authentication", "not enabled",
             path="/actions/persons/{vendor}/disable-two-factor-authentication", cat="bad input"),
        Step("POST /auth/login", "unknown email", body={"email": "nobody-ac@example.com", "password": "x"},
             cat="bad input", role=None),
        Step("POST /auth/login", "missing password", body={"email": "nobody-ac@example.com"}, cat="bad input",
             role=None),
        Step("POST /auth/change-password", "passwords differ",
             body={"old_password": "wrong", "password": "abcdefgh1", "password_2": "abcdefgh2"}, cat="bad input",
             role="vendor"),
    ])


# The flows of diff_actions_more.py use Step, ABSENT and fill of this module (run as __main__ too).
sys.modules.setdefault("diff_actions", sys.modules[__name__])
import diff_actions_more as more  # noqa: E402

GROUPS = [("entities", entities_flow), ("tasks", tasks_flow), ("comments", comments_flow), ("user", user_flow),
          ("projects", project_flow), ("breakdown", breakdown_flow), ("playlists", playlist_flow),
          ("files", files_flow), ("admin", admin_flow)] + more.FLOWS + [("teardown", teardown_flow)]


def shared_fixtures(r):
    """Ids the flows need beyond diff_writes' Context; a task type and a task status made for the
    settings checks (through Zou's CRUD), removed at the end."""
    c, db, P = r.ctx, r.db, q(r.ctx.project_id)
    zou = r.servers["zou"]
    extra = {}
    extra["outsider"] = db.value(f"select id from person where active and not is_bot and id not in (select person_id "
                                 f"from project_person_link where project_id = {P}) and role = 'user' "
                                 f"order by email limit 1")
    extra["automation"] = db.value(f"select id from status_automation where id not in (select status_automation_id "
                                   f"from project_status_automation_link where project_id = {P}) order by id limit 1")
    extra["free_department"] = db.value(f"select id from department where id not in (select department_id from "
                                        f"department_link where person_id = {q(c.person['artist'])}) order by name limit 1")
    extra["shot_tt2"] = db.value(f"select tt.id from task_type tt join project_task_type_link l on l.task_type_id = "
                                 f"tt.id where l.project_id = {P} and tt.for_entity = 'Shot' and tt.id <> "
                                 f"{q(c.shot_task_type_id)} order by tt.name limit 1")
    extra["edit_tt"] = db.value(f"select tt.id from task_type tt join project_task_type_link l on l.task_type_id = "
                                f"tt.id where l.project_id = {P} and tt.for_entity = 'Edit' order by tt.name limit 1")
    extra["free_software"] = db.value(f"select id from software where id not in (select software_id from "
                                      f"software_department_link where department_id = {q(c.department_id)}) "
                                      f"order by name limit 1")
    extra["hardware"] = db.value(f"select id from hardware_item where id not in (select hardware_item_id from "
                                 f"hardware_item_department_link where department_id = {q(c.department_id)}) "
                                 f"order by name limit 1")
    extra["software"] = c.software_id
    extra["output_type"] = c.output_type_id
    row = db.rows(f"select id, read from notification where person_id = {q(c.admin_id)} order by created_at limit 1")
    if row:
        extra["notification"], extra["notification_read"] = row[0]
    status, tt = zou.call("POST", "/data/task-types", {"name": f"ac{r.tag} fx", "short_name": "acfx",
                                                       "for_entity": "Shot", "color": "#112233"})
    if status == 201:
        extra["fx_tt"] = tt["id"]
        r.track("task-types", "task_type", tt["id"])
    status, ts = zou.call("POST", "/data/task-status", {"name": f"ac{r.tag} st", "short_name": f"ac{r.tag}",
                                                        "color": "#112233"})
    if status == 201:
        extra["fx_status"] = ts["id"]
        r.track("task-status", "task_status", ts["id"])
    for name in ("zou", "slate"):
        r.states[name].update({k: v for k, v in extra.items() if v})


# ----------------------------------------------------------------------------------------------
# report


def report(results, show_same):
    lines = []
    by_group = {}
    for res in results:
        by_group.setdefault(res["group"], []).append(res)
    for group, rows in by_group.items():
        same = sum(1 for res in rows if res["verdict"] == "same")
        lines.append(f"== {group}: {same} of {len(rows)} same")
        for res in rows:
            if res["verdict"] == "same" and not show_same:
                continue
            mark = {"same": "same", "status": "STATUS", "body": "BODY", "skipped": "skip"}[res["verdict"]]
            role = f" as {res['role']}" if res["role"] != "admin" else ""
            lines.append(f"  [{mark}] {res['category']}: {res['route']} -- {res['check']}{role}  "
                         f"zou {res['zou']['status']} / slate {res['slate']['status']}"
                         + ("  -- Zou answers 500" if res["zou"]["status"] == 500 and mark != "same" else ""))
            if res["verdict"] == "same":
                continue
            lines.append(f"      path: {res['path_zou']}")
            if res["request"] is not None:
                lines.append(f"      request: {short(res['request'], 300)}")
            if res["verdict"] in ("status", "skipped"):
                lines.append(f"      zou:   {short(res['zou']['body'], 300)}")
                lines.append(f"      slate: {short(res['slate']['body'], 300)}")
            for d in res["diffs"][:8]:
                lines.append(f"      {d}")
            if len(res["diffs"]) > 8:
                lines.append(f"      ... {len(res['diffs']) - 8} more")
    return "\n".join(lines)


def summary(results, routes):
    counts = {}
    for res in results:
        if res["verdict"] == "skipped":
            continue
        same, total = counts.get(res["category"], (0, 0))
        counts[res["category"]] = (same + (res["verdict"] == "same"), total + 1)
    parts = [f"{k} same {counts[k][0]} of {counts[k][1]}" for k in CATEGORIES if k in counts]
    asked = {res["route"] for res in results if res["verdict"] != "skipped"} & routes
    clean = {rt for rt in asked if all(res["verdict"] in ("same", "skipped") for res in results if res["route"] == rt)}
    return (f"routes covered {len(asked)} of {len(routes)} (all checks same on {len(clean)}); " + ", ".join(parts))


def action_routes(path):
    routes = set()
    import re
    crud = re.compile(r"^/data/[a-z-]+(/\{[a-z_]+\})?$")
    with open(path) as tsv:
        next(tsv)
        for line in tsv:
            cols = line.rstrip("\n").split("\t")
            if len(cols) < 2 or cols[0] == "GET":
                continue
            generic = crud.match(cols[1]) and (cols[1].count("/") == 2 or cols[1].endswith("{id}")
                                               or cols[1].endswith("{instance_id}"))
            if not generic:
                routes.add(f"{cols[0]} {cols[1]}")
    return routes


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_session_args(parser, "http://127.0.0.1:5610/api")
    parser.add_argument("--group", help="comma-separated flows (" + ",".join(g for g, _ in GROUPS) +
                        "); the flows they need first run too")
    parser.add_argument("--routes", default="/work/shared/reference/routes.tsv")
    parser.add_argument("--json", help="write every check as JSON to this file")
    parser.add_argument("--show-same", action="store_true")
    args = parser.parse_args()

    session = open_session(args)
    if session is None:
        return 2
    db, ctx, servers = session

    tag = run_tag()
    routes = action_routes(args.routes)
    runner = Runner(servers, ctx, db, tag, routes)
    tasks_before = db.value(f"select count(*) from task where project_id = {q(ctx.project_id)}")
    groups = GROUPS
    if args.group:
        wanted = {g.strip() for g in args.group.split(",")}
        needs = {"tasks": {"entities"}, "comments": {"entities", "tasks"}, "user": {"entities", "tasks"},
                 "breakdown": {"entities"}, "playlists": {"entities", "tasks"}, "files": {"entities", "tasks"}, "teardown": {"entities", "tasks"}}
        needs.update(more.NEEDS)
        for g in list(wanted):
            wanted |= needs.get(g, set())
        groups = [(g, fn) for g, fn in GROUPS if g in wanted]
    try:
        shared_fixtures(runner)
        for name, fn in groups:
            print(f"... {name}", file=sys.stderr, flush=True)
            try:
                fn(runner)
            except Exception as error:  # one broken flow must not stop the others
                runner.results.append({"group": name, "route": "", "check": "tool error", "category": "valid",
                                       "role": "admin", "path_zou": None, "path_slate": None, "request": None,
                                       "request_slate": None, "zou": {"status": None, "body": None},
                                       "slate": {"status": None, "body": None}, "verdict": "skipped",
                                       "diffs": [f"{type(error).__name__}: {error}"], "note": ""})
    finally:
        failed = runner.cleanup()
    tasks_after = db.value(f"select count(*) from task where project_id = {q(ctx.project_id)}")

    print(report(runner.results, args.show_same))
    print()
    print("SUMMARY: " + summary(runner.results, routes))
    if failed:
        print("rows left after cleanup: " + "; ".join(failed))
    if tasks_before != tasks_after:
        print(f"WARNING: the production had {tasks_before} tasks, now {tasks_after}")
    if args.json:
        with open(args.json, "w") as out:
            json.dump({"summary": summary(runner.results, routes), "results": runner.results,
                       "cleanup_failed": failed}, out, indent=1, ensure_ascii=False, default=str)
    return 1 if any(res["verdict"] in ("status", "body") for res in runner.results) else 0


if __name__ == "__main__":
    sys.exit(main())
