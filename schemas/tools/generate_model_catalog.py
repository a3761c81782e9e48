#!/usr/bin/env python3
"""Writes schemas/model_catalog.json from the compatibility contract.

    generate_model_catalog.py MODELS_TSV RELATIONS_TSV > schemas/model_catalog.json

For every table: its columns (type, nullability, the default Zou's code sets when a row is
created without the column, the allowed values of choice columns, the referenced table) and
its relationships (many-to-many through a link table, or one-to-many through a foreign key
on the other table). The generic CRUD layer reads it; it is embedded in the binary.
"""
import csv
import json
import re
import sys


def snake(name):
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def app_default(raw, sql_type):
    """Zou's application default as an SQL expression, or a marker the C++ side resolves."""
    raw = raw.strip()
    if not raw or raw == "None":
        return None
    if raw == "gen uuid":
        return {"kind": "uuid"}
    if raw.startswith("now (UTC)"):
        return {"kind": "now"}
    if "get_default_timezone" in raw:
        return {"kind": "default_timezone"}
    if "get_default_locale" in raw:
        return {"kind": "default_locale"}
    if raw in ("True", "False"):
        return {"kind": "sql", "sql": raw.lower()}
    if re.fullmatch(r"-?\d+(\.\d+)?", raw):
        return {"kind": "sql", "sql": raw}
    if raw in ("[]", "list"):
        return {"kind": "sql", "sql": "'[]'::jsonb"}
    if raw.startswith("["):
        items = [item.strip().strip("'") for item in raw.strip("[]").split(",")]
        array = ", ".join("'" + item + "'" for item in items)
        return {"kind": "sql", "sql": f"ARRAY[{array}]::{sql_type}"}
    if raw.startswith("'") and raw.endswith("'"):
        return {"kind": "sql", "sql": raw}
    sys.exit(f"unknown app default: {raw}")


# Relationships of Zou 1.0.67's models that the contract's relations.tsv does not list; Zou's
# serialize() writes them all the same (zou/app/models/playlist.py, working_file.py,
# output_file.py). "many_to_one" is a scalar relationship: the related row, serialized whole,
# in every answer (SerializerMixin leaves out only collections when relations are not asked).
MISSING_RELATIONS = [
    {"table": "playlist", "attribute": "build_jobs", "target_model": "BuildJob", "link_table_or_class": "",
     "options": "", "read_only": True},
    {"table": "working_file", "attribute": "outputs", "target_model": "OutputFile", "link_table_or_class": "",
     "options": "back_populates='source_file'", "read_only": True},
    {"table": "output_file", "attribute": "source_file", "target_model": "WorkingFile",
     "link_table_or_class": "", "options": "many_to_one, foreign_key=source_file_id"},
]


# Choice lists the contract names instead of listing (zou/app/models/person.py, project.py);
# the column must accept their codes, not the list's name.
NAMED_CHOICES = {
    "ROLE_TYPES": ["user", "admin", "supervisor", "manager", "client", "vendor"],
    "POSITION_TYPES": ["supervisor", "lead", "artist"],
    "SENIORITY_TYPES": ["senior", "mid", "junior"],
    "PROJECT_STYLES": ["2d", "2dpaper", "3d", "2d3d", "ar", "vfx", "stop-motion", "motion-design", "archviz",
                       "commercial", "catalog", "immersive", "nft", "video-game", "vr"],
}


def choice_list(notes):
    found = re.search(r"(?:choices|values)=([^\s]+)", notes)
    if not found:
        return []
    if found.group(1) in NAMED_CHOICES:
        return NAMED_CHOICES[found.group(1)]
    if re.fullmatch(r"[A-Z_]+", found.group(1)):
        sys.exit(f"unknown named choice list {found.group(1)}")
    return found.group(1).split("|")


def inverse(relation, owner, field):
    """The relationship a backref= adds to the target model, read only (Zou's resources never
    write through it): a many-to-many seen from the other side, or the scalar side of a
    one-to-many."""
    if relation["kind"] == "many_to_many":
        return {"field": field, "target": owner, "kind": "many_to_many", "link_table": relation["link_table"],
                "own_column": relation["other_column"], "other_column": relation["own_column"],
                "read_only": True}
    return {"field": field, "target": owner, "kind": "many_to_one", "foreign_key": relation["foreign_key"],
            "read_only": True}


def main(models_path, relations_path):
    with open(models_path, newline="") as f:
        columns = list(csv.DictReader(f, delimiter="\t"))
    with open(relations_path, newline="") as f:
        relations = list(csv.DictReader(f, delimiter="\t"))

    tables = {}
    for c in columns:
        table = tables.setdefault(c["table"], {"columns": [], "relations": []})
        table["columns"].append({
            "name": c["column"],
            "type": c["sql_type"],
            "nullable": c["nullable"] == "yes",
            "has_db_default": bool(c["db_default"]),
            "app_default": app_default(c["app_default"], c["sql_type"]),
            "set_on_update": "set on update" in c["app_default"],
            "choices": choice_list(c["notes"]),
            "references": c["references"].split(".")[0] if c["references"] else None,
        })

    model_tables = {}
    for t in tables:
        model_tables["".join(part.capitalize() for part in t.split("_"))] = t

    for r in relations + MISSING_RELATIONS:
        owner, target = r["table"], model_tables.get(r["target_model"])
        if target is None:
            sys.exit(f"unknown target model {r['target_model']}")
        link = r["link_table_or_class"]
        relation = {"field": r["attribute"], "target": target}
        many_to_one = re.search(r"many_to_one, foreign_key=(\w+)", r["options"])
        if many_to_one:
            relation.update({"kind": "many_to_one", "foreign_key": many_to_one.group(1), "read_only": True})
        elif not link:
            # One-to-many: the target table holds a foreign key to the owner.
            key = next(c["name"] for c in tables[target]["columns"] if c["references"] == owner)
            relation.update({"kind": "one_to_many", "foreign_key": key})
        else:
            link_table = link if link in tables else snake(link)
            if link_table not in tables:
                sys.exit(f"unknown link table {link}")
            fks = [c for c in tables[link_table]["columns"] if c["references"]]
            joined = re.search(r"primaryjoin=id == \w+\.(\w+)", r["options"])
            if joined:
                own = joined.group(1)
                other = next(c["name"] for c in fks if c["name"] != own)
            else:
                own = next(c["name"] for c in fks if c["references"] == owner)
                other = next(c["name"] for c in fks if c["references"] == target and c["name"] != own)
            relation.update({"kind": "many_to_many", "link_table": link_table,
                             "own_column": own, "other_column": other})
        if r.get("read_only"):
            relation["read_only"] = True
        tables[owner]["relations"].append(relation)
        backref = re.search(r"backref='(\w+)'", r["options"])
        if backref:
            tables[target]["relations"].append(inverse(relation, owner, backref.group(1)))

    json.dump(tables, sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
