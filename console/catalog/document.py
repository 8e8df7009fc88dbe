"""An environment's OpenAPI document -> a `Catalog` of operations, parsed once, defensively.

The document comes from upstream, so it is untrusted: any shape may arrive. Parsing never
raises anything but `DocumentError` (with a message for the user), follows only local
`$ref`s with a bound on their chains (a cycle is reported, not followed), and keeps
bounded copies of what it reads (counts and string lengths capped). Nothing here is
HTML: templates escape every string.
"""

import json
import re
from dataclasses import dataclass, field, replace
from functools import cached_property
from urllib.parse import unquote, urlsplit

METHODS = ("get", "post", "put", "patch", "delete")
MAX_OPERATIONS = 3000
MAX_PARAMETERS = 100
MAX_FIELDS = 300
MAX_ENUM = 300
MAX_ROLES = 500
MAX_REF_CHAIN = 32
MAX_DEPTH = 6  # nested objects followed when removing read-only fields from an example
SHORT, LONG = 300, 4000  # characters kept of names and summaries, of descriptions
_OPERATION_ID = re.compile(r"[A-Za-z0-9_.\-]{1,200}\Z")
_NAME = re.compile(r"[^\s{}/?#]{1,200}\Z")


class DocumentError(Exception):
    """The document cannot be used; the message says why, for the user."""


@dataclass(frozen=True)
class Parameter:
    name: str
    location: str  # path, query or header
    required: bool = False
    description: str = ""
    type: str = "string"  # string, integer, number, boolean, array or object
    format: str = ""
    enum: tuple[str, ...] = ()  # the choices (an array's: of its items)
    minimum: float | None = None
    maximum: float | None = None


@dataclass(frozen=True)
class BodyField:
    """A top-level field of an object body."""

    name: str
    type: str = "string"
    format: str = ""
    required: bool = False
    read_only: bool = False
    description: str = ""
    enum: tuple[str, ...] = ()
    max_length: int | None = None


@dataclass(frozen=True)
class Body:
    schema_name: str = ""
    fields: tuple[BodyField, ...] = ()  # empty unless the body is an object
    example: str = ""  # JSON text: the schema's example without read-only fields

    @property
    def writable(self):
        return tuple(f for f in self.fields if not f.read_only)


@dataclass(frozen=True)
class Operation:
    operation_id: str
    method: str  # upper case
    path: str  # as documented, e.g. /buyers/{buyerID}
    tag: str
    summary: str = ""
    description: str = ""
    parameters: tuple[Parameter, ...] = ()
    body: Body | None = None
    response_schema: str = ""
    # Top-level fields of what it returns (of a list page: of its items), for filters.
    response_fields: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()  # any one of them is enough; none: any valid token
    index: int = 0  # position in the document

    @property
    def path_params(self):
        return tuple(p for p in self.parameters if p.location == "path")

    @property
    def query_params(self):
        return tuple(p for p in self.parameters if p.location == "query")

    @property
    def is_list(self):
        return any(p.name == "page" for p in self.query_params)

    @property
    def id_parts(self):
        """("Me.", "ResetPasswordByToken"): where a long operationId may wrap."""
        head, dot, tail = self.operation_id.rpartition(".")
        return (head + dot, tail)


@dataclass(frozen=True)
class Tag:
    name: str
    operations: tuple[Operation, ...]


@dataclass(frozen=True)
class Catalog:
    title: str
    version: str
    base_path: str  # where the documented paths start, relative to the environment: /v1
    operations: tuple[Operation, ...]
    roles: tuple[str, ...]  # the ApiRole enum (else the OAuth2 scopes)
    problems: tuple[str, ...] = ()  # what was left out, and why
    size: int = 0  # bytes of JSON
    by_id: dict = field(default_factory=dict, repr=False, compare=False)
    tags: tuple[Tag, ...] = field(default=(), repr=False, compare=False)

    def get(self, operation_id):
        return self.by_id.get(operation_id)

    @cached_property
    def lists(self):
        """{documented path: its GET list operation}."""
        return {
            op.path: op for op in reversed(self.operations) if op.method == "GET" and op.is_list
        }


def parse(raw, env_base_path=""):
    """The Catalog in a document (bytes of JSON); DocumentError says what is wrong with it."""
    try:
        doc = json.loads(raw)
    except RecursionError:
        raise DocumentError("The document is not usable: its JSON is nested too deeply.") from None
    except ValueError as e:
        where = (
            f" (line {e.lineno}, column {e.colno})" if isinstance(e, json.JSONDecodeError) else ""
        )
        message = e.msg if isinstance(e, json.JSONDecodeError) else str(e)[:200]
        raise DocumentError(f"The document is not valid JSON: {message}{where}.") from None
    if not isinstance(doc, dict):
        raise DocumentError("The document is not an OpenAPI document: it is not a JSON object.")
    paths = doc.get("paths")
    if not isinstance(paths, dict) or not paths:
        raise DocumentError("The document has no paths: it describes no operations.")
    try:
        return _Parser(doc, env_base_path).catalog(paths, len(raw))
    except RecursionError:
        raise DocumentError("The document is not usable: it is nested too deeply.") from None


def _text(value, limit=SHORT):
    return value[:limit] if isinstance(value, str) else ""


def _number(value):
    return value if isinstance(value, int | float) and not isinstance(value, bool) else None


class _Parser:
    def __init__(self, doc, env_base_path):
        self.doc = doc
        self.env_base_path = env_base_path
        self.problems = []
        self.described = {}  # id(node) -> describe(node): bodies share their schemas

    def problem(self, message):
        if message not in self.problems and len(self.problems) < 50:
            self.problems.append(message)

    # --- $ref ------------------------------------------------------------------------

    def pointer(self, ref):
        node = self.doc
        for token in ref[2:].split("/") if ref != "#" else []:
            token = unquote(token).replace("~1", "/").replace("~0", "~")
            if isinstance(node, dict) and token in node:
                node = node[token]
            elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
                node = node[int(token)]
            else:
                self.problem(f"The $ref {ref[:SHORT]} points at nothing in the document.")
                return {}
        return node

    def deref(self, node):
        """node with its $ref chain followed: a dict ({} when the chain is broken)."""
        seen = []
        while isinstance(node, dict) and "$ref" in node:
            ref = node["$ref"]
            if not isinstance(ref, str) or not ref.startswith("#"):
                self.problem(f"The $ref {str(ref)[:SHORT]!r} is not inside the document: ignored.")
                return {}
            if ref in seen or len(seen) >= MAX_REF_CHAIN:
                chain = " → ".join([*seen, ref][:8])
                self.problem(f"$ref cycle: {chain[:LONG]}.")
                return {}
            seen.append(ref)
            node = self.pointer(ref)
        return node if isinstance(node, dict) else {}

    def ref_name(self, node):
        """The schema name a node refers to (itself or through a single allOf), or ""."""
        for _ in range(MAX_REF_CHAIN):
            if not isinstance(node, dict):
                return ""
            if isinstance(node.get("$ref"), str):
                return node["$ref"].rsplit("/", 1)[-1][:SHORT]
            parts = node.get("allOf")
            if not (isinstance(parts, list) and len(parts) == 1):
                return ""
            node = parts[0]
        return ""

    def flatten(self, node, trail=()):
        """(properties, required, example, type) of a schema, its allOf parts merged in."""
        schema = self.deref(node)
        if id(schema) in trail or len(trail) > MAX_REF_CHAIN:
            self.problem("$ref cycle through allOf: a schema includes itself.")
            return {}, set(), None, ""
        trail = (*trail, id(schema))
        properties, required, example = {}, set(), None
        kind = _text(schema.get("type"))
        parts = schema.get("allOf")
        for part in parts if isinstance(parts, list) else []:
            sub_props, sub_required, sub_example, sub_kind = self.flatten(part, trail)
            properties.update(sub_props)
            required |= sub_required
            example = example if example is not None else sub_example
            kind = kind or sub_kind
        if isinstance(schema.get("properties"), dict):
            properties.update(schema["properties"])
            kind = kind or "object"
        if isinstance(schema.get("required"), list):
            required |= {name for name in schema["required"] if isinstance(name, str)}
        if "example" in schema:
            example = schema["example"]
        return properties, required, example, kind

    def describe(self, node):
        """{type, format, enum, read_only, description, max_length, minimum, maximum} of a
        property or parameter schema; the wrapper's own keys win over its $ref's."""
        if isinstance(node, dict) and id(node) in self.described:
            return self.described[id(node)]
        found = self._describe(node)
        if isinstance(node, dict):  # the document holds node: its id stays its own
            self.described[id(node)] = found
        return found

    def _describe(self, node):
        wrapper = node if isinstance(node, dict) else {}
        target = self.deref(wrapper)
        parts = target.get("allOf")
        if isinstance(parts, list) and len(parts) == 1 and not target.get("type"):
            inner = self.deref(parts[0])
            target = {**inner, **{k: v for k, v in target.items() if k != "allOf"}}
        merged = {**target, **{k: v for k, v in wrapper.items() if k != "$ref"}}
        kind = _text(merged.get("type")) or ("object" if "properties" in merged else "")
        if not kind and isinstance(merged.get("allOf"), list):
            kind = "object"
        items = self.deref(merged.get("items")) if kind == "array" else {}
        enum_source = items if kind == "array" else merged
        enum = enum_source.get("enum")
        enum = tuple(str(v)[:SHORT] for v in enum[:MAX_ENUM]) if isinstance(enum, list) else ()
        max_length = merged.get("maxLength")
        return {
            "type": kind or "string",
            "format": _text(merged.get("format")),
            "enum": enum,
            "read_only": merged.get("readOnly") is True,
            "description": _text(merged.get("description"), LONG),
            "max_length": max_length if isinstance(max_length, int) else None,
            "minimum": _number(merged.get("minimum")),
            "maximum": _number(merged.get("maximum")),
        }

    # --- the document --------------------------------------------------------------

    def catalog(self, paths, size):
        info = self.doc.get("info") if isinstance(self.doc.get("info"), dict) else {}
        operations, seen = [], set()
        for path, item in paths.items():
            if not isinstance(path, str) or not isinstance(item, dict):
                continue
            shared = item.get("parameters") if isinstance(item.get("parameters"), list) else []
            for method in METHODS:
                raw = item.get(method)
                if not isinstance(raw, dict):
                    continue
                if len(operations) >= MAX_OPERATIONS:
                    self.problem(f"Only the first {MAX_OPERATIONS:,} operations are listed.")
                    break
                operation_id = raw.get("operationId")
                if not isinstance(operation_id, str) or not _OPERATION_ID.match(operation_id):
                    self.problem(
                        "Operations without a usable operationId (letters, digits, . _ -) "
                        "are left out."
                    )
                    continue
                if operation_id in seen:
                    self.problem(f"The operationId {operation_id} is used twice: kept once.")
                    continue
                seen.add(operation_id)
                operations.append(self.operation(operation_id, method, path, raw, shared))
        if not operations:
            raise DocumentError("The document's paths describe no operations with an operationId.")
        operations = [replace(op, index=i) for i, op in enumerate(operations)]
        return Catalog(
            title=_text(info.get("title")),
            version=_text(info.get("version")),
            base_path=self.base_path(),
            operations=tuple(operations),
            roles=self.roles(),
            problems=tuple(self.problems),
            size=size,
            by_id={op.operation_id: op for op in operations},
            tags=self.tags(operations),
        )

    def base_path(self):
        """The first server's path, relative to the environment's own base path."""
        servers = self.doc.get("servers")
        url = servers[0].get("url") if isinstance(servers, list) and servers else None
        if not isinstance(url, str) or not (servers and isinstance(servers[0], dict)):
            return ""
        try:
            path = urlsplit(url).path.rstrip("/")
        except ValueError:
            return ""
        if not re.fullmatch(r"(/[A-Za-z0-9._~-]+)*", path):
            return ""
        if self.env_base_path and path.startswith(self.env_base_path + "/"):
            path = path[len(self.env_base_path) :]
        return path

    def roles(self):
        schemas = self.components("schemas")
        enum = self.deref(schemas.get("ApiRole")).get("enum")
        if isinstance(enum, list):
            found = [r for r in enum if isinstance(r, str) and _NAME.match(r)]
        else:  # no ApiRole enum: the OAuth2 scopes of the security schemes
            found = []
            for scheme in self.components("securitySchemes").values():
                flows = self.deref(scheme).get("flows")
                for flow in flows.values() if isinstance(flows, dict) else []:
                    scopes = flow.get("scopes") if isinstance(flow, dict) else None
                    found += [r for r in scopes or {} if isinstance(r, str) and _NAME.match(r)]
        return tuple(dict.fromkeys(found))[:MAX_ROLES]

    def components(self, kind):
        components = self.doc.get("components")
        found = components.get(kind) if isinstance(components, dict) else None
        return found if isinstance(found, dict) else {}

    def tags(self, operations):
        """Tags in the document's order, then in order of first use."""
        declared = self.doc.get("tags") if isinstance(self.doc.get("tags"), list) else []
        order = [t.get("name") for t in declared if isinstance(t, dict)]
        groups = {name: [] for name in order if isinstance(name, str)}
        for op in operations:
            groups.setdefault(op.tag, []).append(op)
        return tuple(Tag(name, tuple(ops)) for name, ops in groups.items() if ops)

    # --- one operation ---------------------------------------------------------------

    def operation(self, operation_id, method, path, raw, shared):
        tags = raw.get("tags")
        tag = tags[0] if isinstance(tags, list) and tags and isinstance(tags[0], str) else ""
        response_schema, response_fields = self.response(raw.get("responses"))
        return Operation(
            operation_id=operation_id,
            method=method.upper(),
            path=("/" + path.lstrip("/"))[:LONG],
            tag=tag.strip()[:SHORT] or "Other",
            summary=_text(raw.get("summary")).strip(),
            description=_text(raw.get("description"), LONG).strip(),
            parameters=self.parameters(raw.get("parameters"), shared),
            body=self.body(raw.get("requestBody")),
            response_schema=response_schema,
            response_fields=response_fields,
            roles=self.operation_roles(raw),
        )

    def operation_roles(self, raw):
        security = raw.get("security", self.doc.get("security"))
        roles = []
        for requirement in security if isinstance(security, list) else []:
            for scopes in requirement.values() if isinstance(requirement, dict) else []:
                roles += (
                    [r for r in scopes if isinstance(r, str)] if isinstance(scopes, list) else []
                )
        return tuple(dict.fromkeys(r[:SHORT] for r in roles))[:MAX_ROLES]

    def parameters(self, own, shared):
        found = {}
        for node in [*shared, *(own if isinstance(own, list) else [])]:
            param = self.deref(node)
            name, location = param.get("name"), param.get("in")
            if not isinstance(name, str) or not _NAME.match(name):
                continue
            if location not in ("path", "query", "header"):
                continue
            if len(found) >= MAX_PARAMETERS:
                self.problem(
                    f"Only the first {MAX_PARAMETERS} parameters of an operation are kept."
                )
                break
            schema = self.describe(param.get("schema"))
            found[(location, name)] = Parameter(
                name=name,
                location=location,
                required=location == "path" or param.get("required") is True,
                description=_text(param.get("description"), LONG) or schema["description"],
                type=schema["type"],
                format=schema["format"],
                enum=schema["enum"],
                minimum=schema["minimum"],
                maximum=schema["maximum"],
            )
        return tuple(found.values())

    def json_schema(self, node):
        """The application/json schema of a requestBody or response, or None."""
        content = self.deref(node).get("content")
        if not isinstance(content, dict):
            return None
        for media, value in content.items():
            if isinstance(media, str) and "json" in media.lower() and isinstance(value, dict):
                return value.get("schema")
        return None

    def body(self, node):
        if node is None:
            return None
        schema = self.json_schema(node)
        if schema is None:
            return Body()
        properties, required, example, kind = self.flatten(schema)
        fields = []
        for name, prop in list(properties.items())[:MAX_FIELDS]:
            if not isinstance(name, str) or not name:
                continue
            described = self.describe(prop)
            fields.append(
                BodyField(
                    name=name[:SHORT],
                    type=described["type"],
                    format=described["format"],
                    required=name in required,
                    read_only=described["read_only"],
                    description=described["description"],
                    enum=described["enum"],
                    max_length=described["max_length"],
                )
            )
        if len(properties) > MAX_FIELDS:
            self.problem(f"Only the first {MAX_FIELDS} fields of a body are kept.")
        return Body(
            schema_name=self.ref_name(schema),
            fields=tuple(fields),
            example=self.example(schema, properties, example, kind),
        )

    def example(self, schema, properties, example, kind):
        """The body pre-filled: the schema's example (else one made from its fields), without
        read-only fields."""
        if example is None and kind == "object":
            example = {
                name: _placeholder(self.describe(prop)["type"])
                for name, prop in properties.items()
                if isinstance(name, str)
            }
        if example is None:
            return ""
        cleaned = self.writable(example, schema, 0)
        try:
            return json.dumps(cleaned, indent=2, ensure_ascii=False)[: 64 * 1024]
        except (TypeError, ValueError):
            return ""

    def writable(self, value, schema, depth):
        """value without the keys its schema marks read-only, nested objects included."""
        if not isinstance(value, dict) or depth > MAX_DEPTH:
            return value
        properties = self.flatten(schema)[0]
        kept = {}
        for name, item in value.items():
            prop = properties.get(name)
            if prop is not None and self.describe(prop)["read_only"]:
                continue
            kept[name] = self.writable(item, prop, depth + 1) if prop is not None else item
        return kept

    def response(self, responses):
        """(schema name, top-level fields) of the first 2xx response; of a list page's items."""
        if not isinstance(responses, dict):
            return "", ()
        for status in sorted(str(s) for s in responses):
            if not status.startswith("2"):
                continue
            schema = self.json_schema(responses.get(status))
            if schema is None:
                continue
            properties = self.flatten(schema)[0]
            items = properties.get("Items")
            if isinstance(items, dict):
                element = self.deref(items).get("items")
                name = self.ref_name(element)
                return f"List<{name}>" if name else "List", self.field_names(element)
            return self.ref_name(schema), tuple(n for n in properties if isinstance(n, str))
        return "", ()

    def field_names(self, node):
        return tuple(n[:SHORT] for n in self.flatten(node)[0] if isinstance(n, str))[:MAX_FIELDS]


def _placeholder(kind):
    return {"integer": 0, "number": 0, "boolean": False, "object": {}, "array": []}.get(kind, "")
