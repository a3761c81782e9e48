#!/usr/bin/env python3
"""Fills a running Zou (the reference, ../shared/tools/zou-reference) through its own API with
a production that touches the models the delivered areas serve, so that diff-vs-zou compares
routes that answer rows rather than empty lists.

    fill_reference.py [--url http://127.0.0.1:5601] [--email admin@example.com]
                      [--password mysecretpassword]

Not run by CI: the reference is a tool, never a dependency of Slate's tests. Every run adds a
new production (its names carry the run's tag), so it can be repeated on the same database.
What it creates: persons of each role (manager, supervisor, artist, client, vendor; password
"rolepassword", e-mail <role>-<tag>@example.com) on the production's team; assets, an episode,
sequences, shots, a scene, an edit and a concept; asset instances and a casting link; tasks
assigned to the artist and the vendor; comments with an attachment, a mention, a reply and an
edited text; a picture preview and a movie preview (made with the ffmpeg command, with an audio
track: Zou's silent-movie step fails on Debian's ffmpeg); every task type of its kind on each
asset and shot, so that this production has the most tasks and diff-vs-zou picks its ids; a
playlist for clients with a shot and its preview, its clients notified ("playlist-ready"), a
share link with a guest's comment; a chat message on the asset; working files and an output file
made from one; a metadata descriptor with a department; a custom action, a status automation, a
hardware item; a project template made from the production; a time spent, a budget and a
budget entry; the notifications Zou writes for all that (comment, mention, reply,
reply-mention, assignation, playlist-ready).
"""
import argparse
import datetime
import json
import os
import struct
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
import uuid
import zlib


class Zou:
    def __init__(self, url):
        self.url = url.rstrip("/")
        self.token = None

    def call(self, method, path, body=None, files=None, token=None):
        headers = {}
        data = None
        if files:
            boundary = uuid.uuid4().hex
            parts = []
            for name, value in (body or {}).items():
                parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                             f"{value}\r\n".encode())
            for name, (filename, content, mime) in files.items():
                parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                             f'filename="{filename}"\r\nContent-Type: {mime}\r\n\r\n'.encode() + content + b"\r\n")
            data = b"".join(parts) + f"--{boundary}--\r\n".encode()
            headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
        elif body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        token = self.token if token is None else token  # "" asks anonymously
        if token:
            headers["Authorization"] = f"Bearer {token}"
        request = urllib.request.Request(self.url + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=120) as answer:
                text = answer.read()
        except urllib.error.HTTPError as error:
            sys.exit(f"{method} {path}: {error.code} {error.read()[:400]!r}")
        return json.loads(text) if text else None

    def login(self, email, password):
        return self.call("POST", "/auth/login", {"email": email, "password": password})["access_token"]


def png(width=64, height=48):
    """A small RGB gradient as a PNG, written without any imaging library."""
    rows = b"".join(b"\0" + b"".join(bytes((x * 4 % 256, y * 5 % 256, 128)) for x in range(width))
                    for y in range(height))
    def chunk(kind, payload):
        return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def movie(seconds=2):
    """A small H.264 movie with an AAC track, written by the ffmpeg command."""
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "clip.mp4")
        subprocess.run(["ffmpeg", "-loglevel", "error", "-f", "lavfi", "-i", f"testsrc=size=320x240:rate=24:duration={seconds}",
                        "-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}", "-c:v", "libx264",
                        "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", path], check=True)
        with open(path, "rb") as clip:
            return clip.read()


def by_name(rows, name):
    return next(row for row in rows if row["name"] == name)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:5601")
    parser.add_argument("--email", default="admin@example.com")
    parser.add_argument("--password", default="mysecretpassword")
    args = parser.parse_args()
    zou = Zou(args.url)
    zou.token = zou.login(args.email, args.password)
    tag = datetime.datetime.now().strftime("%m%d%H%M%S")
    me = zou.call("GET", "/auth/authenticated")["user"]

    # Persons of every role, with a password so that diff-vs-zou can ask as each of them.
    persons = {}
    for role in ("manager", "supervisor", "user", "client", "vendor"):
        name = "artist" if role == "user" else role
        person = zou.call("POST", "/data/persons", {
            "first_name": name.capitalize(), "last_name": tag, "email": f"{name}-{tag}@example.com",
            "role": role})
        zou.call("POST", f"/actions/persons/{person['id']}/change-password",
                 {"password": "rolepassword", "password_2": "rolepassword"})
        persons[name] = person

    statuses = zou.call("GET", "/data/project-status")
    project = zou.call("POST", "/data/projects", {
        "name": f"Filled {tag}", "production_type": "tvshow",
        "project_status_id": by_name(statuses, "Open")["id"]})
    pid = project["id"]
    zou.call("POST", f"/actions/projects/{pid}/set-file-tree", {"tree_name": "default"})
    for person in persons.values():
        zou.call("POST", f"/data/projects/{pid}/team", {"person_id": person["id"]})

    task_types = zou.call("GET", "/data/task-types")
    task_statuses = zou.call("GET", "/data/task-status")
    entity_types = zou.call("GET", "/data/entity-types")
    departments = zou.call("GET", "/data/departments")
    for task_type in task_types:
        zou.call("POST", f"/data/projects/{pid}/settings/task-types", {"task_type_id": task_type["id"]})
    for task_status in task_statuses:
        zou.call("POST", f"/data/projects/{pid}/settings/task-status", {"task_status_id": task_status["id"]})

    # Entities of each kind.
    character = by_name(entity_types, "Character")
    prop = by_name(entity_types, "Prop")
    asset = zou.call("POST", f"/data/projects/{pid}/asset-types/{character['id']}/assets/new",
                     {"name": "Hero", "description": "the hero", "data": {}})
    prop_asset = zou.call("POST", f"/data/projects/{pid}/asset-types/{prop['id']}/assets/new",
                          {"name": "Sword", "description": "a prop"})
    episode = project.get("first_episode_id") or zou.call(
        "POST", f"/data/projects/{pid}/episodes", {"name": "E01"})["id"]
    sequence = zou.call("POST", f"/data/projects/{pid}/sequences", {"name": "SQ01", "episode_id": episode})
    shot = zou.call("POST", f"/data/projects/{pid}/shots",
                    {"name": "SH010", "sequence_id": sequence["id"], "nb_frames": 24,
                     "data": {"frame_in": 1, "frame_out": 24}})
    second_shot = zou.call("POST", f"/data/projects/{pid}/shots", {"name": "SH020", "sequence_id": sequence["id"]})
    scene = zou.call("POST", f"/data/projects/{pid}/scenes", {"name": "SC01", "sequence_id": sequence["id"]})
    zou.call("POST", f"/data/projects/{pid}/edits", {"name": "ED01", "episode_id": episode})
    zou.call("POST", f"/data/projects/{pid}/concepts", {"name": "CO01"})

    # Casting, asset instances.
    zou.call("PUT", f"/data/projects/{pid}/entities/{shot['id']}/casting",
             [{"asset_id": asset["id"], "nb_occurences": 1}])
    instance = zou.call("POST", f"/data/scenes/{scene['id']}/asset-instances", {"asset_id": prop_asset["id"]})
    zou.call("POST", f"/data/shots/{shot['id']}/asset-instances", {"asset_instance_id": instance["id"]})

    # Tasks, assignments (each makes an "assignation" notification).
    animation = by_name(task_types, "Animation")
    modeling = by_name(task_types, "Modeling")
    shot_task = zou.call("POST", f"/actions/projects/{pid}/task-types/{animation['id']}/shots/create-tasks",
                         [shot["id"]])[0]
    asset_task = zou.call("POST", f"/actions/projects/{pid}/task-types/{modeling['id']}/assets/create-tasks",
                          [asset["id"], prop_asset["id"]])[0]
    for task_type in task_types:
        kind = task_type.get("for_entity") or "Asset"
        if task_type["id"] in (animation["id"], modeling["id"]) or kind not in ("Asset", "Shot"):
            continue
        targets = [asset["id"], prop_asset["id"]] if kind == "Asset" else [shot["id"], second_shot["id"]]
        zou.call("POST", f"/actions/projects/{pid}/task-types/{task_type['id']}/{kind.lower()}s/create-tasks",
                 targets)
    zou.call("PUT", "/actions/persons/" + persons["artist"]["id"] + "/assign",
             {"task_ids": [shot_task["id"], asset_task["id"]]})
    zou.call("PUT", "/actions/persons/" + persons["vendor"]["id"] + "/assign", {"task_ids": [asset_task["id"]]})

    # Comments: a status change with an attachment, a mention, a reply, an edit.
    wip = by_name(task_statuses, "Work In Progress")
    wfa = by_name(task_statuses, "Waiting For Approval")
    comment = zou.call("POST", f"/actions/tasks/{shot_task['id']}/comment",
                       {"task_status_id": wip["id"], "comment": "first pass @Artist " + tag},
                       files={"file": ("notes.txt", b"some notes\n", "text/plain")})
    zou.call("POST", f"/data/tasks/{shot_task['id']}/comments/{comment['id']}/reply", {"text": "a reply"})
    zou.call("POST", f"/data/tasks/{shot_task['id']}/comments/{comment['id']}/reply",
             {"text": "see @Supervisor " + tag}, token=zou.login(f"artist-{tag}@example.com", "rolepassword"))
    zou.call("PUT", f"/data/comments/{comment['id']}", {"text": "first pass, edited"})
    review = zou.call("POST", f"/actions/tasks/{shot_task['id']}/comment",
                      {"task_status_id": wfa["id"], "comment": "ready for review @Supervisor " + tag})
    preview = zou.call("POST", f"/actions/tasks/{shot_task['id']}/comments/{review['id']}/add-preview", {})
    zou.call("POST", f"/pictures/preview-files/{preview['id']}", files={"file": ("frame.png", png(), "image/png")})
    take = zou.call("POST", f"/actions/tasks/{shot_task['id']}/comment",
                    {"task_status_id": wfa["id"], "comment": "take 2, moving"})
    movie_preview = zou.call("POST", f"/actions/tasks/{shot_task['id']}/comments/{take['id']}/add-preview", {})
    zou.call("POST", f"/pictures/preview-files/{movie_preview['id']}",
             files={"file": ("take.mp4", movie(), "video/mp4")})
    zou.call("POST", f"/actions/tasks/{asset_task['id']}/comment", {"task_status_id": wip["id"], "comment": "ok"},
             token=zou.login(f"artist-{tag}@example.com", "rolepassword"))

    # A playlist for clients with the shot and its preview.
    playlist = zou.call("POST", "/data/playlists", {
        "name": "Client review", "project_id": pid, "episode_id": episode, "for_client": True,
        "for_entity": "shot", "task_type_id": animation["id"]})
    zou.call("PUT", f"/data/playlists/{playlist['id']}",
             {"shots": [{"entity_id": shot["id"], "preview_file_id": movie_preview["id"]}]})

    zou.call("POST", f"/data/playlists/{playlist['id']}/notify-clients", {})
    link = zou.call("POST", f"/data/playlists/{playlist['id']}/share", {"can_comment": True})
    guest = zou.call("POST", f"/shared/playlists/{link['token']}/guest", {"first_name": "Guest"}, token="")
    zou.call("POST", f"/shared/playlists/{link['token']}/comments", {
        "guest_id": guest["id"], "task_id": shot_task["id"], "task_status_id": wfa["id"],
        "text": "seen by a guest"}, token="")
    zou.call("POST", f"/actions/user/chats/{asset['id']}/join", {})
    zou.call("POST", f"/data/entities/{asset['id']}/chat/messages", {"message": "modeling starts monday"})

    # Working files and an output file made from one.
    working = zou.call("POST", f"/data/tasks/{asset_task['id']}/working-files/new",
                       {"name": "main", "comment": "v1", "person_id": me["id"], "software_id": None})
    output_types = zou.call("GET", "/data/output-types") or [zou.call("POST", "/data/output-types", {
        "name": "Geometry", "short_name": "geo"})]
    zou.call("POST", f"/data/entities/{asset['id']}/output-files/new", {
        "output_type_id": output_types[0]["id"], "task_type_id": modeling["id"], "comment": "published",
        "working_file_id": working["id"], "representation": "abc", "name": "main"})

    # Settings-like rows and production data.
    zou.call("POST", f"/data/projects/{pid}/metadata-descriptors", {
        "name": "Difficulty", "entity_type": "Asset", "data_type": "list", "choices": ["easy", "hard"],
        "departments": [departments[0]["id"]]})
    zou.call("POST", "/data/custom-actions", {"name": f"Open {tag}", "url": "http://localhost/open",
                                              "entity_type": "all"})
    automation = zou.call("POST", "/data/status-automations", {
        "entity_type": "asset", "in_task_type_id": modeling["id"], "in_task_status_id": wfa["id"],
        "out_field_type": "status", "out_task_type_id": animation["id"], "out_task_status_id": wip["id"]})
    zou.call("POST", "/data/hardware-items", {"name": f"Workstation {tag}", "short_name": "ws"})
    # A project template made from the production (its task types and statuses), with an asset
    # type, the status automation and a preview background.
    template = zou.call("POST", f"/data/project-templates/from-project/{pid}",
                        {"name": f"Template {tag}", "description": "made from the filler's production"})
    zou.call("POST", f"/data/project-templates/{template['id']}/status-automations",
             {"status_automation_id": automation["id"]})
    zou.call("POST", f"/data/project-templates/{template['id']}/asset-types", {"asset_type_id": character["id"]})
    background = zou.call("POST", "/data/preview-background-files", {"name": f"Studio {tag}"})
    zou.call("POST", f"/data/project-templates/{template['id']}/preview-background-files",
             {"preview_background_file_id": background["id"]})
    zou.call("POST", f"/actions/tasks/{shot_task['id']}/time-spents/{datetime.date.today()}/persons/"
             f"{persons['artist']['id']}", {"duration": 120})
    budget = zou.call("POST", f"/data/projects/{pid}/budgets", {"name": "Main", "currency": "EUR"})
    zou.call("POST", f"/data/projects/{pid}/budgets/{budget['id']}/entries", {
        "department_id": departments[0]["id"], "person_id": persons["artist"]["id"],
        "start_date": "2026-01-01", "months_duration": 3, "daily_salary": 300.5, "position": "artist",
        "seniority": "mid"})
    print(json.dumps({"tag": tag, "project_id": pid, "password": "rolepassword",
                      "persons": {name: p["email"] for name, p in persons.items()}}, indent=1))


if __name__ == "__main__":
    main()
