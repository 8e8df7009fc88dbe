"""Request bodies: JSON parsing and validation against a resource's fields.

Every refusal is a 400 in OrderCloud's shape naming the offending field in `Data`, so no
client input reaches the database unchecked (NUL bytes, numbers out of range, NaN, ...).
"""

import json
import math
import re
from datetime import UTC, datetime
from http import HTTPStatus

from django.core.exceptions import RequestDataTooBig

from sandbox.api.errors import ApiError, validation_failure
from sandbox.api.spec import API_ROLES

JSON = "application/json"
INT32 = (-(2**31), 2**31 - 1)
INT64 = (-(2**63), 2**63 - 1)
MAX_XP_DEPTH = 20
# OrderCloud IDs: letters, digits and a few safe punctuation marks (no "/", "?", "#"...).
ID_PATTERN = re.compile(r"[\w\-.~@]+")


def invalid_body(message: str, data=None) -> ApiError:
    return ApiError(HTTPStatus.BAD_REQUEST, "Request.InvalidRequestBody", message, data)


def _no_constants(name):
    raise ValueError(f"{name} is not valid JSON")


def json_body(request):
    """The request's JSON body (any JSON value); 400 when absent, malformed or not JSON."""
    if request.content_type != JSON:
        raise invalid_body(
            f"Content-Type must be {JSON}.", {"ContentType": request.content_type or None}
        )
    try:
        raw = request.body
    except RequestDataTooBig:
        raise invalid_body("The request body is too large.") from None
    if not raw.strip():
        raise invalid_body("The request body is empty: send a JSON object.")
    try:
        return json.loads(raw.decode("utf-8"), parse_constant=_no_constants)
    except (ValueError, RecursionError) as error:  # JSONDecodeError, UnicodeDecodeError, ...
        raise invalid_body(f"The request body is not valid JSON: {error}") from None


def json_object(request) -> dict:
    body = json_body(request)
    if not isinstance(body, dict):
        raise invalid_body("The request body must be a JSON object.", {"Type": type_name(body)})
    return body


def type_name(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def validate(fields, body: dict, *, required=(), partial=False, path=""):
    """Typed values by model attribute (by wire name where none), and the wire names given.

    Unknown fields are refused, read-only ones ignored; `required` fields must be present
    and not null or empty (with `partial`, PATCH, only when given). Null means the field's
    default.
    """
    by_name = {f.name: f for f in fields}
    by_lower = {f.name.lower(): f for f in fields}
    values: dict = {}
    given: set[str] = set()
    for key, raw in body.items():
        field = by_name.get(key) or by_lower.get(key.lower())
        name = f"{path}{key}"
        if field is None:
            raise validation_failure(f"{name} is not a valid property.", name)
        if field.read_only:
            continue
        given.add(field.name)
        value = convert(field, raw, f"{path}{field.name}")
        values[field.attr or field.name] = value
    present = {
        (by_name.get(key) or by_lower.get(key.lower())).name: raw for key, raw in body.items()
    }
    for name in required:
        # A partial update (PATCH) need not name a required field, but cannot clear it.
        if (name in present or not partial) and present.get(name) in (None, ""):
            raise validation_failure(f"{path}{name} is required.", f"{path}{name}")
    return values, given


def convert(field, raw, name):
    """One field's value, converted to what the model stores; 400 when it is not that."""
    if raw is None:
        return list(field.default) if isinstance(field.default, list) else field.default
    kind = field.type
    if kind == "string":
        if not isinstance(raw, str):
            raise validation_failure(f"{name} must be a string.", name, Type=type_name(raw))
        check_text(raw, name)
        if field.max_length is not None and len(raw) > field.max_length:
            raise validation_failure(
                f"{name} cannot be longer than {field.max_length} characters.",
                name,
                MaxLength=field.max_length,
            )
        if field.name == "ID" and not ID_PATTERN.fullmatch(raw):
            raise validation_failure(
                f"{name} can only contain letters, digits and '-', '_', '.', '~', '@'.", name
            )
        if field.enum is not None and raw not in field.enum.values:
            raise validation_failure(
                f"{name} must be one of {', '.join(field.enum.values)}.", name, Value=raw[:100]
            )
        return raw
    if kind == "integer":
        if not isinstance(raw, int) or isinstance(raw, bool):
            if isinstance(raw, float) and raw.is_integer():
                raw = int(raw)
            else:
                raise validation_failure(f"{name} must be an integer.", name, Type=type_name(raw))
        low = field.minimum if field.minimum is not None else INT32[0]
        high = field.maximum if field.maximum is not None else INT32[1]
        if not low <= raw <= high:
            raise validation_failure(f"{name} must be between {low} and {high}.", name)
        return raw
    if kind == "number":
        if not isinstance(raw, int | float) or isinstance(raw, bool):
            raise validation_failure(f"{name} must be a number.", name, Type=type_name(raw))
        if not math.isfinite(raw) or abs(raw) > 1e300:
            raise validation_failure(f"{name} is out of range.", name)
        return raw
    if kind == "boolean":
        if not isinstance(raw, bool):
            raise validation_failure(f"{name} must be true or false.", name, Type=type_name(raw))
        return raw
    if kind == "datetime":
        return parse_datetime(raw, name)
    if kind == "array":
        if not isinstance(raw, list):
            raise validation_failure(f"{name} must be an array.", name, Type=type_name(raw))
        if field.ref is not None:
            return [nested_object(field.ref, item, f"{name}[{i}]") for i, item in enumerate(raw)]
        items = []
        for index, item in enumerate(raw):
            if not isinstance(item, str):
                raise validation_failure(f"{name}[{index}] must be a string.", name)
            check_text(item, name)
            if field.items == "ApiRole" and item not in API_ROLES:
                raise validation_failure(f"{name}: {item!r} is not a role.", name, Value=item[:100])
            if len(item) > 100:
                raise validation_failure(
                    f"{name}[{index}] cannot be longer than 100 characters.", name
                )
            items.append(item)
        return list(dict.fromkeys(items))
    if kind == "object":
        if not isinstance(raw, dict):
            raise validation_failure(f"{name} must be an object.", name, Type=type_name(raw))
        if field.ref is not None:
            return nested_object(field.ref, raw, name)
        check_json(raw, name)
        return raw
    raise AssertionError(f"unknown field type {kind}")  # pragma: no cover


def nested_object(schema, raw, name) -> dict:
    """An object of `schema` inside a body: its given fields, by wire name."""
    if not isinstance(raw, dict):
        raise validation_failure(f"{name} must be an object.", name, Type=type_name(raw))
    nested, _ = validate(schema.fields, raw, required=schema.required, path=f"{name}.")
    return {f.name: nested[f.name] for f in schema.fields if f.name in nested}


def check_text(text: str, name: str) -> None:
    if "\x00" in text:
        raise validation_failure(f"{name} cannot contain NUL characters.", name)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates: "\ud800"
        raise validation_failure(f"{name} is not valid Unicode text.", name) from None


def check_json(value, name: str, depth: int = 0) -> None:
    """Free-form JSON (xp) that every database stores: bounded depth, no NUL, int64."""
    if depth > MAX_XP_DEPTH:
        raise validation_failure(f"{name} is nested more than {MAX_XP_DEPTH} levels deep.", name)
    if isinstance(value, dict):
        for key, item in value.items():
            check_text(key, name)
            check_json(item, name, depth + 1)
    elif isinstance(value, list):
        for item in value:
            check_json(item, name, depth + 1)
    elif isinstance(value, str):
        check_text(value, name)
    elif isinstance(value, bool) or value is None:
        pass
    elif isinstance(value, int):
        if not INT64[0] <= value <= INT64[1]:
            raise validation_failure(f"{name} holds a number out of range.", name)
    elif isinstance(value, float) and not (math.isfinite(value) and abs(value) <= 1e300):
        raise validation_failure(f"{name} holds a number out of range.", name)


def parse_datetime(raw, name: str) -> datetime:
    if not isinstance(raw, str):
        raise validation_failure(f"{name} must be a date and time.", name, Type=type_name(raw))
    try:
        value = datetime.fromisoformat(raw.strip().replace("Z", "+00:00"))
    except ValueError:
        raise validation_failure(f"{name} must be an ISO 8601 date and time.", name) from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    try:
        return value.astimezone(UTC)
    except (OverflowError, ValueError):
        raise validation_failure(f"{name} is out of range.", name) from None


def merge_xp(current, patch):
    """PATCH semantics for xp: objects merge key by key, anything else replaces."""
    if not isinstance(current, dict) or not isinstance(patch, dict):
        return patch
    merged = dict(current)
    for key, value in patch.items():
        merged[key] = merge_xp(current.get(key), value) if key in current else value
    return merged
