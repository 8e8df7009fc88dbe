"""An operation as the composer's generated form, and that form back into a request.

`composed_for` is the composer filled for an operation (method, path template, locked
values, the body's example); `OperationForm` is what the template shows for it (a field
per parameter, filter rows, the body's form view, the roles it needs and the warning
when the token has none of them); `fill` turns what was typed back into the plain
request that `compose` validates and sends: path parameters in the path, query
parameters and filters as query rows. No HTTP here.
"""

import json
import re
from dataclasses import dataclass, replace
from urllib.parse import quote

from console import compose
from console.compose import PARAM_PREFIX, Composed, Row

LOCKS_KEY = "console.catalog.locks"
MAX_LOCKS = 50
MAX_LOCK_VALUE = 500
_PLACEHOLDER = re.compile(r"\{([^{}/]*)\}")


def input_name(location, name):
    return f"{PARAM_PREFIX}{location}.{name}"


@dataclass(frozen=True)
class ParamField:
    """One generated input for a path or query parameter."""

    param: object  # document.Parameter
    input_id: str
    kind: str  # text, number, select (an enum, or a boolean) or multi (an array of an enum)
    value: str = ""
    chosen: tuple[str, ...] = ()  # multi: the choices, in the order they were clicked
    error: str = ""
    locked: bool = False
    picker: object = None  # the list operation that offers existing IDs for it

    @property
    def name(self):
        return self.param.name

    @property
    def input_name(self):
        return input_name(self.param.location, self.param.name)

    @property
    def choices(self):
        if self.param.type == "boolean":
            return ("true", "false")
        return self.param.enum

    @property
    def options(self):
        """(choice, its position among the chosen or 0), for a multi-select."""
        return [(c, self.chosen.index(c) + 1 if c in self.chosen else 0) for c in self.param.enum]


@dataclass(frozen=True)
class BodyInput:
    """One input of the body's form view: a writable top-level field."""

    field: object  # document.BodyField
    input_id: str
    kind: str  # text, number, select, json or datetime
    value: str = ""
    error: str = ""

    @property
    def choices(self):
        return ("true", "false") if self.field.type == "boolean" else self.field.enum


@dataclass(frozen=True)
class OperationForm:
    operation: object  # document.Operation
    path_fields: tuple[ParamField, ...]
    query_fields: tuple[ParamField, ...]
    filters: bool  # the operation takes filters: "Add filter" rows
    filter_fields: tuple[str, ...]  # suggested filter names
    body_inputs: tuple[BodyInput, ...]
    body_view: str  # "json" or "form"
    body_note: str  # why the form view cannot show the body
    signed_in: bool  # with a token for this environment
    role_warning: bool  # ... that has none of the roles the operation needs
    roles_to_ask: str  # for "sign in again asking for them"

    @property
    def has_params(self):
        return bool(self.path_fields or self.query_fields or self.filters)


# --- The composer for an operation -------------------------------------------------------


def composed_for(catalog, op, env, locks):
    """The composer filled for op: method, path template, locked values, example body."""
    params = tuple(
        Row(input_name(p.location, p.name), locks[p.name])
        for p in op.parameters
        if p.location in ("path", "query") and p.name in locks
    )
    body = ""
    if op.body is not None and op.method not in compose.METHODS_WITHOUT_BODY:
        body = op.body.example
    return Composed(
        environment_id=env.id,
        method=op.method,
        path=catalog.base_path + op.path,
        operation=op.operation_id,
        params=params,
        body=body,
    )


def operation_form(catalog, op, composed, errors, auth, locks):
    """What the composer shows for op, with what was typed (and what is wrong with it)."""
    values = _values(composed.params)
    path_fields = tuple(
        _param_field(catalog, op, p, i, values, errors, locks) for i, p in enumerate(op.path_params)
    )
    query_fields = tuple(
        _param_field(catalog, op, p, i, values, errors, locks)
        for i, p in enumerate(op.query_params)
        if p.type != "object"  # filters: the rows below
    )
    body_inputs, body_note = _body_inputs(op, composed, errors)
    view = (values.get(f"{PARAM_PREFIX}view") or ["json"])[0]
    if any(i.error for i in body_inputs):
        view = "form"  # the field the API refused is marked there
    signed_in = auth is not None and auth.environment_id == composed.environment_id
    lacking = signed_in and bool(op.roles) and not set(op.roles) & set(auth.roles)
    asked = (*auth.roles, *op.roles) if signed_in else op.roles
    return OperationForm(
        operation=op,
        path_fields=path_fields,
        query_fields=query_fields,
        filters=any(p.type == "object" for p in op.query_params),
        filter_fields=(*op.response_fields, "xp."),
        body_inputs=body_inputs,
        body_view=view if view in ("json", "form") and body_inputs else "json",
        body_note=body_note,
        signed_in=signed_in,
        role_warning=lacking,
        roles_to_ask=" ".join(dict.fromkeys(asked)),
    )


def _values(rows):
    values = {}
    for row in rows:
        values.setdefault(row.name, []).append(row.value)
    return values


def _param_field(catalog, op, param, i, values, errors, locks):
    key = input_name(param.location, param.name)
    typed = values.get(key, [])
    if param.type == "array" and param.enum:
        chosen = tuple(dict.fromkeys(c.strip() for v in typed for c in v.split(",") if c.strip()))
        kind, value = "multi", ",".join(chosen)
    else:
        chosen = ()
        kind = "number" if param.type in ("integer", "number") else "text"
        if param.enum or param.type == "boolean":
            kind = "select"
        value = typed[0] if typed else ""
    return ParamField(
        param=param,
        input_id=f"op-{param.location}-{i}",
        kind=kind,
        value=value,
        chosen=chosen,
        error=errors.get(key, ""),
        locked=param.name in locks,
        picker=picker_for(catalog, op, param) if kind == "text" else None,
    )


def _body_inputs(op, composed, errors):
    """The form view's inputs with the values of the JSON body, and why there are none."""
    if op.body is None or not op.body.writable:
        return (), ""
    try:
        data = json.loads(composed.body) if composed.body.strip() else {}
    except (ValueError, RecursionError):
        data = None
    if not isinstance(data, dict):
        note = "The body is not a JSON object: fix it in the JSON view to use the form."
        return (), note
    inputs = []
    for i, body_field in enumerate(op.body.writable):
        value = data.get(body_field.name)
        if body_field.enum or body_field.type == "boolean":
            kind = "select"
        elif body_field.type in ("integer", "number"):
            kind = "number"
        elif body_field.type in ("object", "array"):
            kind = "json"
        elif body_field.format == "date-time":
            kind = "datetime"
        else:
            kind = "text"
        if value is None:
            shown = ""
        elif kind == "json" or not isinstance(value, str | int | float | bool):
            shown = json.dumps(value, indent=2, ensure_ascii=False)
        elif isinstance(value, bool):
            shown = "true" if value else "false"
        else:
            shown = str(value)
        error = errors.get(input_name("body", body_field.name), "")
        inputs.append(BodyInput(body_field, f"op-body-{i}", kind, shown, error))
    return tuple(inputs), ""


# --- ID pickers ----------------------------------------------------------------------------


def parameter_of(op, name):
    """The parameter of op whose generated input is called name, or None."""
    parameters = op.parameters if op is not None else ()
    return next((p for p in parameters if input_name(p.location, p.name) == name), None)


def picker_for(catalog, op, param):
    """The list operation whose items' IDs a parameter takes, or None.

    A path parameter's collection is the path before it (`/buyers/{buyerID}/users/{userID}`:
    userID from `/buyers/{buyerID}/users`); else a list named after it under the same
    parent as the operation (userGroupID of `/buyers/{buyerID}/users`:
    `/buyers/{buyerID}/usergroups`), else at the top (buyerID: `/buyers`, apiClientID:
    `/apiclients`, categoryID: `/categories`).
    """
    if not param.name.endswith("ID"):
        return None
    marker = "/{" + param.name + "}"
    if param.location == "path" and marker in op.path:
        found = catalog.lists.get(op.path.split(marker, 1)[0])
        if found is not None:
            return found
    base = param.name.removesuffix("ID").lower()
    names = (base + "s", base + "es", base[:-1] + "ies")
    segments = op.path.split("/")
    parents = [
        "/".join(segments[:i]) for i in range(len(segments) - 1, 0, -1) if "{" in segments[i - 1]
    ]
    for parent in [*parents, ""]:
        for name in names:
            if (found := catalog.lists.get(f"{parent}/{name}")) is not None:
                return found
    return None


def picker_request(catalog, list_op, env, values, term):
    """The Composed list call behind an ID picker (its path parameters from `values`, the
    user's other inputs), or (None, the parameter to enter first)."""
    params = tuple(
        Row(input_name("path", p.name), values.get(p.name, "")) for p in list_op.path_params
    )
    composed = Composed(environment_id=env.id, path=catalog.base_path + list_op.path, params=params)
    filled, errors = fill(composed)
    if errors:
        missing = next(iter(errors)).rpartition(".")[2]
        return None, f"Enter {missing} first." if missing != "path" else "No suggestions."
    query = [("pageSize", "20")]
    if term and any(p.name == "search" for p in list_op.query_params):
        query.append(("search", term))
    return replace(filled, query=tuple(Row(n, v) for n, v in query)), ""


def picker_options(body):
    """[(ID, label)] of a list page's items (at most 20), from the response's JSON."""
    try:
        page = json.loads(body)
    except (ValueError, RecursionError):
        return []
    items = page.get("Items") if isinstance(page, dict) else None
    options = []
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict) or not isinstance(item.get("ID"), str | int):
            continue
        label = next(
            (str(item[k]) for k in ("Name", "Username", "Title", "Email") if item.get(k)), ""
        )
        options.append((str(item["ID"])[:200], label[:200]))
    return options[:20]


# --- Locks ---------------------------------------------------------------------------------


def locks(session, env):
    """{parameter name: value} locked by the user for env."""
    stored = session.get(LOCKS_KEY) if session is not None else None
    found = stored.get(env.id) if isinstance(stored, dict) else None
    if not isinstance(found, dict):
        return {}
    return {k: v for k, v in found.items() if isinstance(k, str) and isinstance(v, str)}


def toggle_lock(session, env, name, value):
    """Unlock name when it is locked, else lock it to value: whether it is locked now."""
    current = locks(session, env)
    value = value.strip()[:MAX_LOCK_VALUE]
    if name in current or not value:
        locked = False
        current.pop(name, None)
    else:
        locked = True
        current[name] = value
    stored = session.get(LOCKS_KEY)
    stored = dict(stored) if isinstance(stored, dict) else {}
    stored[env.id] = dict(list(current.items())[-MAX_LOCKS:])
    session[LOCKS_KEY] = stored
    return locked


# --- Back into a request -------------------------------------------------------------------


def fill(composed):
    """The request the composer describes, and {field: message} for what is missing.

    Each {name} of the path becomes the value of its path parameter's input (encoded:
    a / stays inside the segment); the query parameters' inputs (a multi-select's
    choices joined by commas, in the order clicked) and the filter rows follow the typed
    query rows.
    """
    values = _values(composed.params)
    errors = {}

    def substitute(match):
        name = match.group(1)
        key = input_name("path", name)
        value = next((v.strip() for v in values.get(key, []) if v.strip()), "")
        if key not in values:
            errors.setdefault("path", f"Replace {{{name}}} in the path with a value.")
        elif not value:
            errors[key] = f"Enter {name}: it is part of the path."
        elif value in (".", ".."):
            errors[key] = f"{name} cannot be {value}."
        else:
            return quote(value, safe="")
        return match.group(0)

    path = _PLACEHOLDER.sub(substitute, composed.path)
    query = []
    prefix = input_name("query", "")
    for key, typed in values.items():
        if key.startswith(prefix):
            joined = ",".join(v.strip() for v in typed if v.strip())
            if joined:
                query.append(Row(key.removeprefix(prefix), joined))
    for i, row in enumerate(composed.filters):
        name, value = row.name.strip(), row.value.strip()
        if row.blank:
            continue
        if not name:
            errors[f"filter-{i}"] = "Enter the field to filter on, e.g. Name or xp.color."
        elif not value:
            errors[f"filter-{i}"] = f"Enter a value for {name}, e.g. Acme* or !*."
        else:
            query.append(Row(name, value))
    return replace(composed, path=path, query=(*composed.query, *query)), errors
