"""Derive the facts-only snapshot of OrderCloud's OpenAPI document: openapi-facts.json.

    python -m sandbox.reference.derive PATH/TO/ordercloud-openapi-v3.json

Keeps what code and tests can check (operationIds, tags, methods, paths, roles, success
statuses, parameters, schema names, field types, formats, limits, read-only flags,
defaults, enums) and drops every description, summary and example. It stops on a shape
it does not know rather than guess, so a newer document cannot be misread silently.

Run by hand when the reference document changes; nothing imports this module (the project
reads the JSON it writes through `sandbox.reference.facts()`).
"""

import hashlib
import json
import sys
from pathlib import Path

OUTPUT = Path(__file__).with_name("openapi-facts.json")
SCHEMA_PREFIX = "#/components/schemas/"
JSON = "application/json"
WIDTH = 100  # a container that fits on a line of this width is written on one line

# A property's or parameter's schema is written as ref, type, format, items, enum, then
# these. "ref" stands for a `$ref` or a one-element `allOf` (OpenAPI 3.0's way to give a
# $ref siblings such as readOnly).
LIMITS = ("maxLength", "minimum", "maximum", "readOnly", "default")
TEXT = ("description", "example")


class UnknownShape(Exception):
    pass


def check(condition: bool, where: str, what) -> None:
    if not condition:
        raise UnknownShape(f"{where}: unexpected {what!r}")


def ref_name(ref: str, where: str) -> str:
    check(ref.startswith(SCHEMA_PREFIX), where, ref)
    return ref.removeprefix(SCHEMA_PREFIX)


def describe(schema: dict, where: str) -> dict:
    """A property's or parameter's schema as facts: ref, type, format, items, enum, limits."""
    unknown = set(schema) - {"$ref", "allOf", "type", "format", "items", "enum", *LIMITS, *TEXT}
    check(not unknown, where, sorted(unknown))
    out: dict = {}
    if "$ref" in schema:
        out["ref"] = ref_name(schema["$ref"], where)
    if "allOf" in schema:
        parts = schema["allOf"]
        check(len(parts) == 1 and set(parts[0]) == {"$ref"}, where, parts)
        out["ref"] = ref_name(parts[0]["$ref"], where)
    out |= {key: schema[key] for key in ("type", "format") if key in schema}
    if "items" in schema:
        out["items"] = describe(schema["items"], f"{where} items")
    if "enum" in schema:
        out["enum"] = list(schema["enum"])
    out |= {key: schema[key] for key in LIMITS if key in schema}
    return out


def schemas(document: dict) -> tuple[dict, dict]:
    """Object schemas (name -> fields in document order) and enums (name -> values)."""
    objects, enums = {}, {}
    for name, schema in sorted(document["components"]["schemas"].items()):
        check(set(schema) <= {"type", "properties", "enum", *TEXT}, name, sorted(schema))
        if "enum" in schema:
            check(schema.get("type") == "string" and "properties" not in schema, name, schema)
            enums[name] = list(schema["enum"])
        else:
            check(schema.get("type") == "object", name, schema.get("type"))
            objects[name] = {
                field: describe(prop, f"{name}.{field}")
                for field, prop in schema.get("properties", {}).items()
            }
    return objects, enums


def list_page(schema: dict, where: str) -> dict | None:
    """{"schema", "listPage", "meta"} for an inline {Items: [X], Meta: M}, else None."""
    if "$ref" in schema:
        return None
    check(schema.get("type") == "object", where, schema)
    properties = schema.get("properties", {})
    check(set(properties) == {"Items", "Meta"}, where, sorted(properties))
    items = properties["Items"]
    check(items.get("type") == "array" and set(items["items"]) == {"$ref"}, where, items)
    return {
        "schema": ref_name(items["items"]["$ref"], where),
        "listPage": True,
        "meta": ref_name(properties["Meta"]["$ref"], where),
    }


def sort_by(enum: list[str], where: str) -> list[str]:
    """The ascending names: the document lists each one's `!` (descending) form after them."""
    half = len(enum) // 2
    check(enum[half:] == [f"!{name}" for name in enum[:half]], where, enum)
    return enum[:half]


OPERATION_KEYS = {"operationId", "tags", "summary", "description", "security", "responses"}
OPERATION_KEYS |= {"parameters", "requestBody"}


def operation(path: str, method: str, op: dict) -> dict:
    where = op["operationId"]
    check(set(op) <= OPERATION_KEYS, where, sorted(op))
    check(len(op["tags"]) == 1, where, op["tags"])
    check(len(op["security"]) == 1 and set(op["security"][0]) == {"OAuth2"}, where, op["security"])
    check(len(op["responses"]) == 1, where, sorted(op["responses"]))
    ((status, response),) = op["responses"].items()
    out: dict = {
        "tag": op["tags"][0],
        "method": method.upper(),
        "path": path,
        "roles": list(op["security"][0]["OAuth2"]),
        "status": int(status),
    }
    path_params, query, list_enums = {}, {}, {}
    for param in op.get("parameters", []):
        name, place = param["name"], param["in"]
        check(set(param) == {"name", "in", "description", "required", "schema"}, where, param)
        facts = describe(param["schema"], f"{where} {name}")
        if name in ("searchOn", "sortBy"):
            check(place == "query" and "enum" in facts.get("items", {}), where, facts)
            enum = facts["items"].pop("enum")
            list_enums[name] = sort_by(enum, f"{where} {name}") if name == "sortBy" else enum
        if place == "path":
            check(param["required"], where, param)
            path_params[name] = facts
        else:
            check(place == "query", where, place)
            query[name] = {**facts, "required": True} if param["required"] else facts
    out["pathParams"] = path_params
    if query:
        out["query"] = query
    out.update(list_enums)  # searchOn, sortBy
    if "requestBody" in op:
        content = op["requestBody"]["content"]
        check(set(content) == {JSON}, where, sorted(content))
        body = content[JSON]["schema"]
        check(set(body) <= {"allOf", "required"} and len(body["allOf"]) == 1, where, body)
        out["request"] = {
            "schema": ref_name(body["allOf"][0]["$ref"], where),
            "required": list(body.get("required", [])),
        }
    content = response.get("content")
    if content is not None:
        check(set(content) == {JSON}, where, sorted(content))
        schema = content[JSON]["schema"]
        out["response"] = list_page(schema, where) or {"schema": ref_name(schema["$ref"], where)}
    return out


def sections(document: dict, tags: dict[str, list[str]]) -> list[dict]:
    """The reference's sections (tags with an x-id) and the tags under each, in its order."""
    found: list[dict] = []
    by_id: dict[str, dict] = {}
    for tag in document["tags"]:
        if "x-id" in tag:
            by_id[tag["x-id"]] = {"name": tag["name"], "tags": []}
            found.append(by_id[tag["x-id"]])
        else:
            check(tag["name"] in tags, tag["name"], "tag without operations")
            by_id[tag["x-section-id"]]["tags"].append(tag["name"])
    listed = [name for section in found for name in section["tags"]]
    check(sorted(listed) == sorted(tags), "tags", sorted(set(tags) ^ set(listed)))
    return found


def derive(document: dict, source: bytes) -> dict:
    operations, tags = {}, {}
    for path, methods in document["paths"].items():
        for method, op in methods.items():
            check(op["operationId"] not in operations, path, op["operationId"])
            operations[op["operationId"]] = operation(path, method, op)
            tags.setdefault(op["tags"][0], []).append(op["operationId"])
    objects, enums = schemas(document)
    ordered = sections(document, tags)
    tags = {tag: tags[tag] for section in ordered for tag in section["tags"]}
    known = {*objects, *enums}
    for operation_id, op in operations.items():
        for part in ("request", "response"):
            if part in op:
                check(op[part]["schema"] in objects, operation_id, op[part]["schema"])
    for name, fields in objects.items():
        for field, facts in fields.items():
            for ref in (facts.get("ref"), facts.get("items", {}).get("ref")):
                check(ref is None or ref in known, f"{name}.{field}", ref)
    return {
        "source": {
            "title": document["info"]["title"],
            "version": document["info"]["version"],
            "openapi": document["openapi"],
            "sha256": hashlib.sha256(source).hexdigest(),
        },
        "sections": ordered,
        # Each tag's operationIds in the document's order (the operations below are sorted).
        "tags": tags,
        "operations": dict(sorted(operations.items())),
        "schemas": objects,
        "enums": enums,
    }


def dumps(value, indent: int = 0, prefix: str = "") -> str:
    """JSON with the top two levels expanded and anything deeper on one line if it fits."""
    flat = json.dumps(value, ensure_ascii=False)
    fits = indent >= 2 and len("  " * indent + prefix + flat) + 1 <= WIDTH
    if not isinstance(value, dict | list) or not value or fits:
        return flat
    pad = "  " * (indent + 1)
    if isinstance(value, dict):
        opening, closing = "{", "}"
        lines = []
        for key, item in value.items():
            head = f"{json.dumps(key, ensure_ascii=False)}: "
            lines.append(pad + head + dumps(item, indent + 1, head))
    else:
        opening, closing = "[", "]"
        lines = [pad + dumps(item, indent + 1) for item in value]
    return opening + "\n" + ",\n".join(lines) + "\n" + "  " * indent + closing


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    source = Path(argv[0]).read_bytes()
    facts = derive(json.loads(source), source)
    OUTPUT.write_text(dumps(facts) + "\n", encoding="utf-8")
    print(
        f"{OUTPUT}: {len(facts['operations'])} operations, {len(facts['schemas'])} schemas,"
        f" {len(facts['enums'])} enums (OrderCloud {facts['source']['version']})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
