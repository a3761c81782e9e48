"""More flows of diff_actions.py (schedule versions, orders, previews, shared playlists, backgrounds,
odd routes): each a list of Steps run on Zou then on Slate, as in diff_actions.py. What a flow
changes on shared rows (a project's schedule version, descriptor positions, file tree) is put back
by the restore functions at its end; the rows it makes are tracked for diff_actions' cleanup."""
import json

from diff_actions import ABSENT, Step, fill
from diff_writes import q

PSV = ("production-schedule-versions", "production_schedule_version")
PREVIEW = ("preview-files", "preview_file")


def schedule_flow(r):
    """Each server makes two versions of the production's schedule, fills the first from the
    production's tasks, copies it into the second, applies the second (the same dates the tasks
    have: nothing moves); the project's from_schedule_version_id is put back after."""
    A = "/actions/production-schedule-versions/"
    FROM_PROD = "POST " + A + "{production_schedule_version_id}/set-task-links-from-production"
    FROM_PSV = "POST " + A + "{production_schedule_version_id}/set-task-links-from-production-schedule-version"
    APPLY = "POST " + A + "{production_schedule_version_id}/apply-to-production"
    P = q(r.ctx.project_id)
    before = r.db.value(f"select from_schedule_version_id from project where id = {P}")
    other_psv = r.db.value(f"select id from production_schedule_version where project_id <> {P} limit 1")

    def put_back(name):
        """The links a pass made (on every task of the production, the other server's too) go at
        once: the later flows delete tasks."""
        st = r.states[name]
        versions = ",".join(q(st[k]) for k in ("psv", "psv2") if k in st) or "null"
        r.db.rows(f"update project set from_schedule_version_id = {q(before) if before else 'null'} where id = {P}; "
                  f"delete from production_schedule_version_task_link_person_link where "
                  f"production_schedule_version_task_link_id in (select id from production_schedule_version_task_link "
                  f"where production_schedule_version_id in ({versions})); "
                  f"delete from production_schedule_version_task_link where production_schedule_version_id in "
                  f"({versions})")

    try:
        r.flow("schedule", [
            Step("POST /data/production-schedule-versions", "fixture (CRUD)",
                 body=lambda s: {"project_id": s["project_id"], "name": s["tok"] + "_v1"}, save=("psv", PSV)),
            Step("POST /data/production-schedule-versions", "fixture 2 (CRUD)",
                 body=lambda s: {"project_id": s["project_id"], "name": s["tok"] + "_v2"}, save=("psv2", PSV)),
            Step(FROM_PROD, path=A + "{psv}/set-task-links-from-production"),
            Step(FROM_PROD, "again", path=A + "{psv}/set-task-links-from-production"),
            Step(FROM_PROD, "unknown version", path=A + "{absent}/set-task-links-from-production", cat="bad input"),
            Step(FROM_PROD, "malformed id", path=A + "not-a-uuid/set-task-links-from-production", cat="bad input"),
            Step(FROM_PROD, "as supervisor", path=A + "{psv}/set-task-links-from-production", role="supervisor",
                 cat="permission"),
            Step(FROM_PSV, path=A + "{psv2}/set-task-links-from-production-schedule-version",
                 body=lambda s: {"production_schedule_version_id": s["psv"]}),
            Step(FROM_PSV, "onto itself", path=A + "{psv2}/set-task-links-from-production-schedule-version",
                 body=lambda s: {"production_schedule_version_id": s["psv2"]}, cat="bad input"),
            Step(FROM_PSV, "missing production_schedule_version_id",
                 path=A + "{psv2}/set-task-links-from-production-schedule-version", body={}, cat="bad input"),
            Step(FROM_PSV, "malformed production_schedule_version_id",
                 path=A + "{psv2}/set-task-links-from-production-schedule-version",
                 body={"production_schedule_version_id": "x"}, cat="bad input"),
            Step(FROM_PSV, "unknown source", path=A + "{psv2}/set-task-links-from-production-schedule-version",
                 body={"production_schedule_version_id": ABSENT}, cat="bad input"),
            Step(FROM_PSV, "source of another project",
                 path=A + "{psv2}/set-task-links-from-production-schedule-version",
                 body={"production_schedule_version_id": other_psv or ABSENT}, cat="bad input"),
            Step(FROM_PSV, "as artist", path=A + "{psv2}/set-task-links-from-production-schedule-version",
                 body=lambda s: {"production_schedule_version_id": s["psv"]}, role="artist", cat="permission"),
            Step(APPLY, "as supervisor", path=A + "{psv2}/apply-to-production", role="supervisor", cat="permission"),
            Step(APPLY, "unknown version", path=A + "{absent}/apply-to-production", cat="bad input"),
            Step(APPLY, path=A + "{psv2}/apply-to-production"),
        ], after_each=lambda name: put_back(name))
    finally:
        r.db.rows(f"update project set from_schedule_version_id = {q(before) if before else 'null'} where id = {P}")


def orders_flow(r):
    """Orders of a production's task types and statuses (a made task type and status, linked then
    unlinked), of the studio's task types (only the made one listed), of a template's (the admin
    flow's own template), of the all-projects metadata descriptors (positions put back)."""
    S = "/data/projects/{project_id}/settings/"
    TT = "POST /actions/projects/{project_id}/task-type-links/reorder"
    TS = "POST /actions/projects/{project_id}/task-status-links/reorder"
    GT = "POST /actions/task-types/reorder"
    T = "/actions/project-templates/{tmpl}/"
    TPL_TT = "POST /actions/project-templates/{project_template_id}/task-types/reorder"
    TPL_TS = "POST /actions/project-templates/{project_template_id}/task-statuses/reorder"
    MD = "POST /actions/metadata-descriptors/all-projects/reorder"
    positions = r.db.rows("select id, coalesce(position::text, 'null') from metadata_descriptor")
    priority = r.db.value(f"select coalesce(priority::text, 'null') from task_type where id = "
                          f"{q(r.states['zou'].get('fx_tt', ABSENT))}")
    try:
        r.flow("orders", [
            Step("POST " + S + "task-types", "fixture", body=lambda s: {"task_type_id": s["fx_tt"]}),
            Step(TT, body=lambda s: {"task_type_ids": [s["fx_tt"], ABSENT]}),
            Step(TT, "not a list", body={"task_type_ids": "x"}, cat="bad input"),
            Step(TT, "malformed id", body={"task_type_ids": ["x"]}, cat="bad input"),
            Step(TT, "as supervisor", body=lambda s: {"task_type_ids": [s["fx_tt"]]}, role="supervisor",
                 cat="permission"),
            Step("DELETE " + S + "task-types/{task_type_id}", "fixture", path=S + "task-types/{fx_tt}"),
            Step("POST " + S + "task-status", "fixture", body=lambda s: {"task_status_id": s["fx_status"]}),
            Step(TS, body=lambda s: {"task_status_ids": [s["fx_status"]]}),
            Step(TS, "missing list", body={}, cat="bad input"),
            Step(TS, "as artist", body=lambda s: {"task_status_ids": [s["fx_status"]]}, role="artist",
                 cat="permission"),
            Step("DELETE " + S + "task-status/{task_status_id}", "fixture", path=S + "task-status/{fx_status}"),
            Step(GT, body=lambda s: {"task_type_ids": [s["fx_tt"], ABSENT]}),
            Step(GT, "not a list", body={"task_type_ids": {}}, cat="bad input"),
            Step(GT, "as manager", body=lambda s: {"task_type_ids": [s["fx_tt"]]}, role="manager",
                 cat="permission"),
            Step("POST /data/project-templates/{project_template_id}/task-types", "fixture",
                 path="/data/project-templates/{tmpl}/task-types", body=lambda s: {"task_type_id": s["fx_tt"]}),
            Step(TPL_TT, path=T + "task-types/reorder", body=lambda s: {"task_type_ids": [s["fx_tt"], s["shot_tt"]]}),
            Step(TPL_TT, "not a list", path=T + "task-types/reorder", body={"task_type_ids": 3}, cat="bad input"),
            Step(TPL_TT, "unknown template", path="/actions/project-templates/{absent}/task-types/reorder",
                 body=lambda s: {"task_type_ids": [s["fx_tt"]]}, cat="bad input"),
            Step(TPL_TT, "as manager", path=T + "task-types/reorder", body=lambda s: {"task_type_ids": [s["fx_tt"]]},
                 role="manager", cat="permission"),
            Step("POST /data/project-templates/{project_template_id}/task-statuses", "fixture",
                 path="/data/project-templates/{tmpl}/task-statuses", body=lambda s: {"task_status_id": s["fx_status"]}),
            Step(TPL_TS, path=T + "task-statuses/reorder", body=lambda s: {"task_status_ids": [s["fx_status"]]}),
            Step(TPL_TS, "missing list", path=T + "task-statuses/reorder", body={}, cat="bad input"),
            Step("POST /data/metadata-descriptors/all-projects", "fixture",
                 body=lambda s: {"name": s["tok"] + " ord", "entity_type": "Shot", "data_type": "string"}),
            Step(MD, body=lambda s: {"entity_type": "Shot", "field_order": [s["tok"] + "_ord"]}),
            Step(MD, "bad entity type", body=lambda s: {"entity_type": "Person", "field_order": [s["tok"] + "_ord"]},
                 cat="bad input"),
            Step(MD, "missing field_order", body={"entity_type": "Shot"}, cat="bad input"),
            Step(MD, "as artist", body=lambda s: {"entity_type": "Shot", "field_order": [s["tok"] + "_ord"]},
                 role="artist", cat="permission"),
            Step("DELETE /data/metadata-descriptors/all-projects/{field_name}", "fixture",
                 path=lambda s: f"/data/metadata-descriptors/all-projects/{s['tok']}_ord?entity_type=Shot"),
        ], after_each=lambda name: restore_positions(r, positions))
    finally:
        restore_positions(r, positions)
        if r.states["zou"].get("fx_tt"):
            r.db.rows(f"update task_type set priority = {priority or 'null'} where id = {q(r.states['zou']['fx_tt'])}")


def restore_positions(r, positions):
    if positions:
        values = ",".join(f"({q(i)}::uuid, {p}::int)" for i, p in positions)
        r.db.rows(f"update metadata_descriptor m set position = v.p from (values {values}) as v(i, p) "
                  f"where m.id = v.i and m.position is distinct from v.p")


def previews_flow(r):
    """Each server adds previews (no file) to its own task's comment, then moves them, sets the
    main preview of its own shot, annotates; batch comments on its own tasks."""
    C = "/actions/tasks/{task}/comments/{comment}/"
    ADD = "POST /actions/tasks/{task_id}/comments/{comment_id}/add-preview"
    EXTRA = "/actions/tasks/{task_id}/comments/{comment_id}/preview-files/{preview_file_id}"
    POS = "PUT /actions/preview-files/{preview_file_id}/update-position"
    MAIN = "PUT /actions/preview-files/{preview_file_id}/set-main-preview"
    ANN = "PUT /actions/preview-files/{preview_file_id}/update-annotations"
    TMAIN = "PUT /actions/tasks/{task_id}/set-main-preview"
    BATCH = "POST /actions/tasks/{task_id}/batch-comment"
    r.flow("previews", [
        Step(ADD, path=C + "add-preview", body={"revision": 1}, save=("pf", PREVIEW)),
        Step(ADD, "no revision (next one)", path=C + "add-preview", body={}, save=("pf_next", PREVIEW)),
        Step(ADD, "negative revision", path=C + "add-preview", body={"revision": -1}, cat="bad input"),
        Step(ADD, "unknown comment", path="/actions/tasks/{task}/comments/{absent}/add-preview", body={},
             cat="bad input"),
        Step(ADD, "as client", path=C + "add-preview", body={}, role="client", cat="permission"),
        Step("POST " + EXTRA, path=C + "preview-files/{pf}", save=("pf2", PREVIEW)),
        Step("POST " + EXTRA, "unknown preview", path=C + "preview-files/{absent}", cat="bad input"),
        Step("POST " + EXTRA, "as vendor", path=C + "preview-files/{pf}", role="vendor", cat="permission"),
        Step("DELETE " + EXTRA, path=C + "preview-files/{pf2}"),
        Step("DELETE " + EXTRA, "again", path=C + "preview-files/{pf2}", cat="bad input"),
        Step(POS, path="/actions/preview-files/{pf}/update-position", body={"position": 2}),
        Step(POS, "negative", path="/actions/preview-files/{pf}/update-position", body={"position": -2},
             cat="bad input"),
        Step(POS, "unknown preview", path="/actions/preview-files/{absent}/update-position", body={"position": 1},
             cat="bad input"),
        Step(POS, "as client", path="/actions/preview-files/{pf}/update-position", body={"position": 1},
             role="client", cat="permission"),
        Step(MAIN, path="/actions/preview-files/{pf}/set-main-preview", body={}),
        Step(MAIN, "frame of a picture", path="/actions/preview-files/{pf}/set-main-preview",
             body={"frame_number": 3}, cat="bad input"),
        Step(MAIN, "frame not a number", path="/actions/preview-files/{pf}/set-main-preview",
             body={"frame_number": "x"}, cat="bad input"),
        Step(MAIN, "as client", path="/actions/preview-files/{pf}/set-main-preview", body={}, role="client",
             cat="permission"),
        Step(TMAIN, path="/actions/tasks/{task}/set-main-preview"),
        Step(TMAIN, "task without preview", path="/actions/tasks/{task2}/set-main-preview", cat="bad input"),
        Step(TMAIN, "as client", path="/actions/tasks/{task}/set-main-preview", role="client", cat="permission"),
        Step("PUT /actions/tasks/set-main-preview", body=lambda s: {"task_ids": [s["task"], s["task2"]]}),
        Step("PUT /actions/tasks/set-main-preview", "malformed", body={"task_ids": ["x"]}, cat="bad input"),
        Step(ANN, path="/actions/preview-files/{pf}/update-annotations",
             body={"additions": [{"time": 0, "frame": 0, "drawing": {"objects": [{"id": "o1", "type": "path"}]}}]}),
        Step(ANN, "update and delete", path="/actions/preview-files/{pf}/update-annotations",
             body={"updates": [{"time": 0, "frame": 0, "drawing": {"objects": [{"id": "o1", "type": "rect"}]}}],
                   "deletions": [{"time": 0, "frame": 0, "objects": ["o2"]}]}),
        Step(ANN, "additions not a list", path="/actions/preview-files/{pf}/update-annotations",
             body={"additions": "x"}, cat="bad input"),
        Step(ANN, "as artist", path="/actions/preview-files/{pf}/update-annotations", body={}, role="artist",
             cat="permission"),
        Step(BATCH, path="/actions/tasks/{task}/batch-comment",
             body=lambda s: {"comments": json.dumps([{"task_status_id": s["wip"], "text": "batch 1"},
                                                     {"task_status_id": s["todo"], "text": "batch 2",
                                                      "checklist": [{"text": "c", "checked": True}]}])}),
        Step(BATCH, "as client", path="/actions/tasks/{task}/batch-comment",
             body=lambda s: {"comments": json.dumps([{"task_status_id": s["wip"], "text": "c"}])}, role="client",
             cat="permission"),
        Step(BATCH, "comments not JSON", path="/actions/tasks/{task}/batch-comment", body={"comments": "[x"},
             cat="bad input"),
        Step("POST /actions/tasks/batch-comment",
             body=lambda s: {"comments": json.dumps([{"task_id": s["task2"], "task_status_id": s["wip"],
                                                      "text": "many"}])}),
        Step("POST /actions/tasks/batch-comment", "as artist, not assigned",
             body=lambda s: {"comments": json.dumps([{"task_id": s["task2"], "task_status_id": s["wip"],
                                                      "text": "x"}])}, role="artist", cat="permission"),
    ])


def shared_flow(r):
    """Each server's own playlist with its own shot positioned on its own preview, a share link, a
    guest, the guest's comment (edited, deleted) and annotations."""
    SH = "/shared/playlists/{share}/"
    r.flow("shared", [
        Step("POST /data/playlists", "fixture (CRUD)",
             body=lambda s: {"name": s["tok"] + "_spl", "project_id": s["project_id"], "for_entity": "shot"},
             save=("splaylist", ("playlists", "playlist"))),
        Step("POST /actions/playlists/{playlist_id}/add-entity", "with its preview",
             path="/actions/playlists/{splaylist}/add-entity",
             body=lambda s: {"entity_id": s["shot"], "preview_file_id": s["pf"]}),
        Step("POST /data/playlists/{playlist_id}/share", "fixture", path="/data/playlists/{splaylist}/share",
             body={"can_comment": True}, save=("share", None, "token")),
        Step("POST /shared/playlists/{token}/guest", path=SH + "guest",
             body={"first_name": "Ann", "last_name": "Guest"}, save=("guest", (None, "person"))),
        Step("POST /shared/playlists/{token}/guest", "same name again", path=SH + "guest",
             body={"first_name": "Ann", "last_name": "Guest"}),
        Step("POST /shared/playlists/{token}/guest", "by guest_id", path=SH + "guest",
             body=lambda s: {"guest_id": s["guest"]}),
        Step("POST /shared/playlists/{token}/guest", "malformed guest_id", path=SH + "guest",
             body={"guest_id": "x"}, cat="bad input", save=("guest_bad", (None, "person"))),
        Step("POST /shared/playlists/{token}/guest", "unknown token", path="/shared/playlists/nothing/guest",
             body={"first_name": "B"}, cat="bad input"),
        Step("POST /shared/playlists/{token}/comments", path=SH + "comments",
             body=lambda s: {"guest_id": s["guest"], "task_id": s["task"], "task_status_id": s["wip"],
                             "text": "guest says"}, save=("gcomment", None)),
        Step("POST /shared/playlists/{token}/comments", "task not in playlist", path=SH + "comments",
             body=lambda s: {"guest_id": s["guest"], "task_id": s["task2"], "task_status_id": s["wip"],
                             "text": "x"}, cat="bad input"),
        Step("POST /shared/playlists/{token}/comments", "unknown guest", path=SH + "comments",
             body=lambda s: {"guest_id": ABSENT, "task_id": s["task"], "task_status_id": s["wip"], "text": "x"},
             cat="bad input"),
        Step("POST /shared/playlists/{token}/comments", "missing task_status_id", path=SH + "comments",
             body=lambda s: {"guest_id": s["guest"], "task_id": s["task"]}, cat="bad input"),
        Step("POST /shared/playlists/{token}/comments", "unknown status", path=SH + "comments",
             body=lambda s: {"guest_id": s["guest"], "task_id": s["task"], "task_status_id": ABSENT},
             cat="bad input"),
        Step("PUT /shared/playlists/{token}/comments/{comment_id}", path=SH + "comments/{gcomment}",
             body=lambda s: {"guest_id": s["guest"], "text": "guest edits"}),
        Step("PUT /shared/playlists/{token}/comments/{comment_id}", "not the guest's comment",
             path=SH + "comments/{comment}", body=lambda s: {"guest_id": s["guest"], "text": "x"}, cat="bad input"),
        Step("PUT /shared/playlists/{token}/comments/{comment_id}", "unknown comment", path=SH + "comments/{absent}",
             body=lambda s: {"guest_id": s["guest"], "text": "x"}, cat="bad input"),
        Step("PUT /shared/playlists/{token}/annotations", path=SH + "annotations",
             body=lambda s: {"guest_id": s["guest"], "preview_file_id": s["pf"],
                             "additions": [{"time": 1, "frame": 1, "drawing": {"objects": [{"id": "g1"}]}}]}),
        Step("PUT /shared/playlists/{token}/annotations", "preview not in playlist", path=SH + "annotations",
             body=lambda s: {"guest_id": s["guest"], "preview_file_id": s["pf_next"], "additions": []},
             cat="bad input"),
        Step("PUT /shared/playlists/{token}/annotations", "missing preview_file_id", path=SH + "annotations",
             body=lambda s: {"guest_id": s["guest"]}, cat="bad input"),
        Step("DELETE /shared/playlists/{token}/comments/{comment_id}/attachments/{attachment_file_id}",
             "unknown attachment", path=SH + "comments/{gcomment}/attachments/{absent}",
             body=lambda s: {"guest_id": s["guest"]}, cat="bad input"),
        Step("DELETE /shared/playlists/{token}/comments/{comment_id}", "missing guest_id",
             path=SH + "comments/{gcomment}", body={}, cat="bad input"),
        Step("DELETE /shared/playlists/{token}/comments/{comment_id}", path=SH + "comments/{gcomment}",
             body=lambda s: {"guest_id": s["guest"]}),
        Step("DELETE /shared/playlists/{token}/comments/{comment_id}", "again", path=SH + "comments/{gcomment}",
             body=lambda s: {"guest_id": s["guest"]}, cat="bad input"),
    ])


def backgrounds_flow(r):
    """Each server's own preview background file, set on the production (then removed) and on its
    own template (the admin flow's)."""
    S = "/data/projects/{project_id}/settings/preview-background-files"
    T = "/data/project-templates/{tmpl}/"
    r.flow("backgrounds", [
        Step("POST /data/preview-background-files", "fixture (CRUD)", body=lambda s: {"name": s["tok"] + "_bg"},
             save=("bg", ("preview-background-files", "preview_background_file"))),
        Step("POST " + S, body=lambda s: {"preview_background_file_id": s["bg"]}),
        Step("POST " + S, "unknown file", body={"preview_background_file_id": ABSENT}, cat="bad input"),
        Step("POST " + S, "missing id", body={}, cat="bad input"),
        Step("POST " + S, "as supervisor", body=lambda s: {"preview_background_file_id": s["bg"]},
             role="supervisor", cat="permission"),
        Step("DELETE " + S + "/{preview_background_file_id}", path=S + "/{bg}"),
        Step("DELETE " + S + "/{preview_background_file_id}", "as supervisor", path=S + "/{bg}", role="supervisor",
             cat="permission"),
        Step("POST /data/project-templates/{project_template_id}/preview-background-files",
             path=T + "preview-background-files", body=lambda s: {"preview_background_file_id": s["bg"]}),
        Step("POST /data/project-templates/{project_template_id}/preview-background-files", "unknown file",
             path=T + "preview-background-files", body={"preview_background_file_id": ABSENT}, cat="bad input"),
        Step("POST /data/project-templates/{project_template_id}/preview-background-files", "as manager",
             path=T + "preview-background-files", body=lambda s: {"preview_background_file_id": s["bg"]},
             role="manager", cat="permission"),
        Step("PUT /data/project-templates/{project_template_id}/default-preview-background-file",
             path=T + "default-preview-background-file",
             body=lambda s: {"default_preview_background_file_id": s["bg"]}),
        Step("PUT /data/project-templates/{project_template_id}/default-preview-background-file", "unknown file",
             path=T + "default-preview-background-file", body={"default_preview_background_file_id": ABSENT},
             cat="bad input"),
        Step("PUT /data/project-templates/{project_template_id}/default-preview-background-file", "unset",
             path=T + "default-preview-background-file", body={"default_preview_background_file_id": None}),
        Step("DELETE /data/project-templates/{project_template_id}/preview-background-files/"
             "{preview_background_file_id}", path=T + "preview-background-files/{bg}"),
        Step("DELETE /data/project-templates/{project_template_id}/preview-background-files/"
             "{preview_background_file_id}", "unknown template",
             path="/data/project-templates/{absent}/preview-background-files/{bg}", cat="bad input"),
    ])


def misc_flow(r):
    """Routes that change nothing lasting, or what is put back: tasks of own concepts and edits,
    instance output files on own rows, guess_from_path, clear-avatar, the file tree (put back),
    password reset and second factors refused."""
    A = "/actions/projects/{project_id}/task-types/"
    AI = "/data/asset-instances/{ainst}/entities/{shot}/"
    AIR = "/data/asset-instances/{asset_instance_id}/entities/{temporal_entity_id}/"
    P = q(r.ctx.project_id)
    tree = r.db.value(f"select file_tree::text from project where id = {P}")
    concept_tt = r.db.value(f"select tt.id from task_type tt join project_task_type_link l on l.task_type_id = tt.id "
                            f"where l.project_id = {P} and tt.for_entity = 'Concept' limit 1")
    for st in r.states.values():
        if concept_tt:
            st["concept_tt"] = concept_tt
    try:
        r.flow("misc", [
            Step("POST " + A + "{task_type_id}/concepts/create-tasks", path=A + "{concept_tt}/concepts/create-tasks",
                 body=lambda s: [s["concept"]], save=("ctask", ("tasks", "task"))),
            Step("POST " + A + "{task_type_id}/concepts/create-tasks", "as vendor",
                 path=A + "{concept_tt}/concepts/create-tasks", body=lambda s: [s["concept"]], role="vendor",
                 cat="permission"),
            Step("POST " + A + "{task_type_id}/edits/create-tasks", "already there",
                 path=A + "{edit_tt}/edits/create-tasks", body=lambda s: [s["edit"]]),
            Step("POST " + A + "{task_type_id}/edits/create-tasks", "unknown task type",
                 path=A + "{absent}/edits/create-tasks", body=lambda s: [s["edit"]], cat="bad input"),
            Step("POST " + A + "{task_type_id}/edits/create-tasks", "as supervisor",
                 path=A + "{edit_tt}/edits/create-tasks", body=lambda s: [s["edit"]], role="supervisor",
                 cat="permission"),
            Step("POST " + AIR + "output-files/next-revision", path=AI + "output-files/next-revision",
                 body=lambda s: {"output_type_id": s["output_type"], "task_type_id": s["shot_tt"]}),
            Step("POST " + AIR + "output-files/new", path=AI + "output-files/new",
                 body=lambda s: {"output_type_id": s["output_type"], "task_type_id": s["shot_tt"], "comment": "i"},
                 save=("iof", ("output-files", "output_file"))),
            Step("POST " + AIR + "output-files/new", "missing output_type_id", path=AI + "output-files/new",
                 body=lambda s: {"task_type_id": s["shot_tt"]}, cat="bad input"),
            Step("POST " + AIR + "output-file-path", path=AI + "output-file-path",
                 body=lambda s: {"output_type_id": s["output_type"], "task_type_id": s["shot_tt"], "revision": 2}),
            Step("POST " + AIR + "output-file-path", "unknown instance",
                 path="/data/asset-instances/{absent}/entities/{shot}/output-file-path",
                 body=lambda s: {"output_type_id": s["output_type"], "task_type_id": s["shot_tt"]},
                 cat="bad input"),
            Step("POST /data/entities/guess_from_path",
                 body=lambda s: {"project_id": s["project_id"], "file_path": "/tmp/nothing/here.ma"}),
            Step("POST /data/entities/guess_from_path", "missing file_path",
                 body=lambda s: {"project_id": s["project_id"]}, cat="bad input"),
            Step("POST /actions/projects/{project_id}/set-file-tree", body={"tree_name": "default"}),
            Step("POST /actions/projects/{project_id}/set-file-tree", "unknown tree",
                 body={"tree_name": "no-such-tree"}, cat="bad input"),
            Step("POST /actions/projects/{project_id}/set-file-tree", "as supervisor", body={"tree_name": "default"},
                 role="supervisor", cat="permission"),
            Step("POST /actions/projects/{project_id}/asset-types/{asset_type_id}/assets/share", "as artist",
                 path="/actions/projects/{project_id}/asset-types/{asset_type}/assets/share",
                 body={"is_shared": True}, role="artist", cat="permission"),
            Step("DELETE /actions/user/clear-avatar", role="vendor"),
            Step("POST /auth/reset-password", "unknown email", body={"email": "nobody-ac@example.com"},
                 role=None, cat="bad input"),
            Step("POST /auth/reset-password", "missing email", body={}, role=None, cat="bad input"),
            Step("PUT /auth/reset-password", "bad token",
                 body={"email": "nobody-ac@example.com", "token": "x", "password": "abcdefgh1",
                       "password2": "abcdefgh1"}, role=None, cat="bad input"),
            Step("DELETE /auth/totp", "not enabled", body={"totp": "123456"}, role="vendor", cat="bad input"),
            Step("DELETE /auth/email-otp", "not enabled", body={"email_otp": "123456"}, role="vendor",
                 cat="bad input"),
            Step("PUT /auth/recovery-codes", "2FA not enabled", body={"totp": "123456"}, role="vendor",
                 cat="bad input"),
            Step("DELETE /auth/fido", "not enabled", body={"device_name": "x"}, role="vendor", cat="bad input"),
            Step("DELETE /data/playlists/{playlist_id}/jobs/{build_job_id}", "unknown job",
                 path="/data/playlists/{playlist}/jobs/{absent}", cat="bad input"),
        ], after_each=lambda name: r.db.rows(
            f"update project set file_tree = {q(tree) + '::jsonb' if tree else 'null'} where id = {P}"))
    finally:
        r.db.rows(f"update project set file_tree = {q(tree) + '::jsonb' if tree else 'null'} where id = {P}")


FLOWS = [("schedule", schedule_flow), ("orders", orders_flow), ("previews", previews_flow),
         ("shared", shared_flow), ("backgrounds", backgrounds_flow), ("misc", misc_flow)]
NEEDS = {"previews": {"entities", "tasks", "comments"}, "shared": {"entities", "tasks", "comments", "previews"},
         "orders": {"admin"}, "backgrounds": {"admin"},
         "misc": {"entities", "tasks", "breakdown", "files", "playlists"}}
