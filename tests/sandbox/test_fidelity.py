"""The sandbox agrees with OrderCloud's reference document (sandbox.reference), fact by fact.

Every operation the sandbox serves is compared with the reference's on its tag, method,
path, roles, success status, request and response schema (and whether it answers a list
page, and with which Meta), the request body's required fields, its searchOn / sortBy
names and its own query parameters (name, type, required, enum). Every schema it
describes is compared field by field on presence, type, format, `$ref`, item type, max
length, minimum / maximum and the read-only flag, and on the order of the fields.
Differences that are meant are in the allow-lists below, each with its reason and both
values, so that a change on either side shows.

Lists (roles, required fields, searchOn, sortBy, enums) are compared in order: the order
is on the wire (a 403's `Data.SufficientRoles` lists the operation's roles as declared,
and the sandbox's own OpenAPI document republishes every one of these lists), and keeping
it the reference's costs nothing.

Types: a `Field` maps to the reference's OpenAPI facts as `wire_facts` says: "datetime" is
string / date-time; a field with a `ref` is that schema (the document wraps it in allOf, no
type); an array's `items` is a schema when capitalised ("ApiRole"), else a type; other
types and formats are the same words. Not compared: `write_only` and `default` (the
document has no writeOnly; our default is the value stored when a body leaves a field
out, not a documented default), examples, and the list parameters every list takes
(page, pageSize, search, searchOn, searchType, sortBy, filters: the list engine's, not
declared per operation; their searchOn / sortBy names are compared).

Error codes: OrderCloud's document declares only each operation's success response, no
error response and no ErrorCode, so the sandbox's error statuses and codes (ValidationFailure,
NotFound, Auth.InsufficientRoles, and its own Auth.BuyerUsersOnly,
Auth.ImpersonationNotAllowed, User.UsernameMustBeUnique) have nothing here to differ from.
"""

from dataclasses import replace

import pytest

from sandbox import collect, reference
from sandbox.api.spec import API_ROLES, Field, Operation, Param, Schema

# What the sandbox serves: every registered operation, and every schema they use.
OPERATIONS: tuple[Operation, ...] = collect.operations()
DECLARED_SCHEMAS: tuple[Schema, ...] = tuple(collect.schemas().values())

# --- the allow-lists -------------------------------------------------------------------

# Operations of the sandbox's own, not in OrderCloud's document: operationId -> why.
OWN_OPERATIONS = {
    # DELETE .../users/{userID}/tokens: in OrderCloud's newer versions (the ordercloud-python
    # SDK calls them), not in the 2022 document.
    "AdminUsers.RevokeUserTokens": "newer than the 2022 document",
    "Users.RevokeUserTokens": "newer than the 2022 document",
    "SupplierUsers.RevokeUserTokens": "newer than the 2022 document",
}

# (operationId, fact) -> (the sandbox's value, the reference's value).
OPERATION_DIFFERENCES: dict[tuple[str, str], tuple] = {}

# Schemas of the sandbox's own, not in OrderCloud's document: name -> why.
OWN_SCHEMAS: dict[str, str] = {}

# (schema, field) -> {fact: (the sandbox's value, the reference's value)}. The fact
# "field" is the field itself: its facts on the side that has it, None on the other.
FIELD_DIFFERENCES = {
    # Newer than the 2022 document: OrderCloud counts failed sign-ins (read-only, reset by
    # a successful one) and gives anonymous tokens a lifetime of their own.
    ("User", "FailedLoginAttempts"): {
        "field": ({"type": "integer", "format": "int32", "readOnly": True}, None)
    },
    ("ApiClient", "AnonymousTokenDuration"): {
        "field": (
            {"type": "integer", "format": "int32", "minimum": 10, "maximum": 525600},
            None,
        )
    },
    # The limits OrderCloud's API enforces on token lifetimes (minutes); the 2022 document
    # does not state them, the sandbox validates them.
    ("ApiClient", "AccessTokenDuration"): {"minimum": (10, None), "maximum": (600, None)},
    ("ApiClient", "RefreshTokenDuration"): {"minimum": (0, None), "maximum": (43200, None)},
    # The sandbox bounds the requested ClientID by the length of an API client's ID
    # (sandbox.impersonation validates it); the document gives no limit.
    ("ImpersonateTokenRequest", "ClientID"): {"maxLength": (100, None)},
    # The sandbox pages by number only (no "Last ID" paging), like its Meta.
    ("MetaWithFacets", "NextPageKey"): {"field": (None, {"type": "string"})},
}

# --- facts on both sides -----------------------------------------------------------------

# Query parameters every list takes, served by the list engine rather than declared.
LIST_PARAMETERS = {"search", "searchOn", "searchType", "sortBy", "page", "pageSize", "filters"}


def wire_facts(field: Field) -> dict:
    """A sandbox field as the reference's OpenAPI facts (see the module's docstring)."""
    if field.ref and field.type == "array":
        out: dict = {"type": "array", "items": {"ref": field.ref.name}}
    elif field.ref:
        out = {"ref": field.ref.name}
    elif field.enum:
        out = {"ref": field.enum.name}
    elif field.type == "datetime":
        out = {"type": "string", "format": "date-time"}
    else:
        out = {"type": field.type}
        if field.format:
            out["format"] = field.format
        if field.type == "array":
            item = field.items or "string"
            out["items"] = {"ref": item} if item[0].isupper() else {"type": item}
            if item == "integer":  # the only integers the document has in arrays
                out["items"]["format"] = "int32"
    for fact, value in (
        ("maxLength", field.max_length),
        ("minimum", field.minimum),
        ("maximum", field.maximum),
    ):
        if value is not None:
            out[fact] = value
    if field.read_only:
        out["readOnly"] = True
    return out


def reference_field(facts: dict) -> dict:
    return {fact: value for fact, value in facts.items() if fact != "default"}


def param_facts(param: Param) -> dict:
    return {
        "type": param.type,
        "required": param.required,
        "enum": list(param.enum) if param.enum else None,
    }


def reference_param(facts: dict) -> dict:
    enum = reference.enum(facts["ref"]) if "ref" in facts else facts.get("enum")
    return {
        "type": "string" if "ref" in facts else facts["type"],
        "required": facts.get("required", False),
        "enum": enum,
    }


def operation_facts(operation: Operation) -> dict:
    return {
        "tag": operation.tag,
        "method": operation.method,
        "path": operation.path,
        "roles": list(operation.roles),
        "status": operation.status,
        "request": operation.request.name if operation.request else None,
        "requestRequired": list(operation.request_required),
        "response": operation.response.name if operation.response else None,
        "listPage": operation.is_list,
        "meta": (operation.meta.name if operation.meta else "Meta") if operation.is_list else None,
        "searchOn": list(operation.searchable),
        "sortBy": list(operation.sortable),
        "query": {param.name: param_facts(param) for param in operation.query},
    }


def reference_operation(facts: dict) -> dict:
    request, response = facts.get("request", {}), facts.get("response", {})
    return {
        "tag": facts["tag"],
        "method": facts["method"],
        "path": facts["path"],
        "roles": facts["roles"],
        "status": facts["status"],
        "request": request.get("schema"),
        "requestRequired": request.get("required", []),
        "response": response.get("schema"),
        "listPage": response.get("listPage", False),
        "meta": response.get("meta"),
        "searchOn": facts.get("searchOn", []),
        "sortBy": facts.get("sortBy", []),
        "query": {
            name: reference_param(param)
            for name, param in facts.get("query", {}).items()
            if name not in LIST_PARAMETERS
        },
    }


def operation_differences(operation: Operation) -> dict:
    """{fact: (the sandbox's value, the reference's value)} where they differ."""
    ours = operation_facts(operation)
    theirs = reference_operation(reference.operation(operation.operation_id))
    return {fact: (ours[fact], theirs[fact]) for fact in ours if ours[fact] != theirs[fact]}


def field_differences(schema: Schema) -> dict:
    """{field: {fact: (the sandbox's value, the reference's value)}} where they differ."""
    ours = {field.name: wire_facts(field) for field in schema.fields}
    theirs = {name: reference_field(f) for name, f in reference.schema(schema.name).items()}
    found = {}
    for name in [*ours, *(name for name in theirs if name not in ours)]:
        if name not in theirs or name not in ours:
            found[name] = {"field": (ours.get(name), theirs.get(name))}
            continue
        facts = sorted({*ours[name], *theirs[name]})
        differ = {f: (ours[name].get(f), theirs[name].get(f)) for f in facts}
        differ = {f: pair for f, pair in differ.items() if pair[0] != pair[1]}
        if differ:
            found[name] = differ
    return found


def explain(found: dict, allowed: dict) -> str:
    lines = []
    for key in sorted({*found, *allowed}):
        if found.get(key) == allowed.get(key):
            continue
        if key not in allowed:
            lines.append(
                f"{key}: the sandbox has {found[key][0]!r}, the reference {found[key][1]!r}"
            )
        elif key not in found:
            lines.append(f"{key}: agrees now; remove it from the allow-list")
        else:
            lines.append(f"{key}: now {found[key]!r}, allow-listed as {allowed[key]!r}")
    return "\n".join(lines)


def served_schemas() -> list[Schema]:
    """Every schema the sandbox describes: declared, or in an operation's body or response
    (each declaration once, so two different ones under one name are both compared)."""
    found: list[Schema] = []
    for schema in DECLARED_SCHEMAS:
        if schema not in found:
            found.append(schema)
    for operation in OPERATIONS:
        for schema in (operation.request, operation.response):
            if schema is not None and schema not in found:
                found.append(schema)
    return found


SCHEMAS = served_schemas()
IN_REFERENCE = [op for op in OPERATIONS if op.operation_id in reference.operations()]
REFERENCE_SCHEMAS = [schema for schema in SCHEMAS if schema.name in reference.facts()["schemas"]]


def schema_id(schema: Schema) -> str:
    return schema.name


def operation_id(operation: Operation) -> str:
    return operation.operation_id


# --- the tests ---------------------------------------------------------------------------


@pytest.mark.parametrize("operation", IN_REFERENCE, ids=operation_id)
def test_operation_agrees_with_the_reference(operation):
    found = operation_differences(operation)
    allowed = {
        fact: pair
        for (op_id, fact), pair in OPERATION_DIFFERENCES.items()
        if op_id == operation.operation_id
    }

    assert found == allowed, explain(found, allowed)


def test_every_operation_is_the_references_or_allow_listed():
    own = {op.operation_id for op in OPERATIONS} - set(reference.operations())

    assert own == set(OWN_OPERATIONS), (
        f"Not in OrderCloud's document (fix the operationId, or allow-list it with its"
        f" reason): {sorted(own - set(OWN_OPERATIONS))}; allow-listed but in the document"
        f" or not served: {sorted(set(OWN_OPERATIONS) - own)}"
    )


@pytest.mark.parametrize("schema", REFERENCE_SCHEMAS, ids=schema_id)
def test_schema_agrees_with_the_reference(schema):
    found = field_differences(schema)
    allowed = {
        field: facts for (name, field), facts in FIELD_DIFFERENCES.items() if name == schema.name
    }

    assert found == allowed, "\n".join(
        f"{schema.name}.{field}: {explain(found.get(field, {}), allowed.get(field, {}))}"
        for field in sorted({*found, *allowed})
        if found.get(field) != allowed.get(field)
    )


def test_every_schema_is_the_references_or_allow_listed():
    own = {schema.name for schema in SCHEMAS} - set(reference.facts()["schemas"])

    assert own == set(OWN_SCHEMAS), (
        f"Not in OrderCloud's document (fix the name, or allow-list it with its reason):"
        f" {sorted(own - set(OWN_SCHEMAS))}; allow-listed but in the document or not"
        f" described: {sorted(set(OWN_SCHEMAS) - own)}"
    )


@pytest.mark.parametrize("schema", REFERENCE_SCHEMAS, ids=schema_id)
def test_fields_are_in_the_references_order(schema):
    theirs = list(reference.schema(schema.name))
    ours = [field.name for field in schema.fields if field.name in theirs]

    assert ours == [name for name in theirs if name in ours]


def test_allow_lists_name_what_the_sandbox_serves():
    served = {op.operation_id for op in OPERATIONS}
    fields = {(schema.name, field.name) for schema in SCHEMAS for field in schema.fields}
    reference_fields = {
        (name, field) for name, schema in reference.facts()["schemas"].items() for field in schema
    }

    assert {op_id for op_id, _ in OPERATION_DIFFERENCES} <= served
    assert set(OWN_OPERATIONS) <= served
    assert set(FIELD_DIFFERENCES) <= fields | reference_fields


def test_api_roles_are_the_references():
    assert sorted(API_ROLES) == sorted(reference.enum("ApiRole"))


def test_enumerations_are_the_references():
    enumerations = {f.enum for schema in SCHEMAS for f in schema.fields if f.enum is not None}

    assert enumerations
    for enumeration in enumerations:
        assert list(enumeration.values) == reference.enum(enumeration.name), enumeration.name


# --- the comparison itself sees a difference in each fact ---------------------------------

BUYERS_LIST = next(op for op in OPERATIONS if op.operation_id == "Buyers.List")
USERS_MOVE = next(op for op in OPERATIONS if op.operation_id == "Users.Move")
BUYER = next(schema for schema in SCHEMAS if schema.name == "Buyer")


@pytest.mark.parametrize(
    ("changed", "fact"),
    [
        (replace(BUYERS_LIST, tag="Buyer"), "tag"),
        (replace(BUYERS_LIST, method="POST"), "method"),
        (replace(BUYERS_LIST, path="/buyer"), "path"),
        (replace(BUYERS_LIST, roles=("BuyerReader", "FullAccess", "BuyerAdmin")), "roles"),
        (replace(BUYERS_LIST, status=201), "status"),
        (replace(BUYERS_LIST, request=BUYER), "request"),
        (replace(BUYERS_LIST, request_required=("Name",)), "requestRequired"),
        (replace(BUYERS_LIST, is_list=False), "listPage,meta"),
        (replace(BUYERS_LIST, meta=BUYER), "meta"),
        (replace(BUYERS_LIST, searchable=("ID", "Name")), "searchOn"),
        (replace(BUYERS_LIST, sortable=("ID", "Name")), "sortBy"),
        (replace(USERS_MOVE, query=(replace(USERS_MOVE.query[0], required=False),)), "query"),
    ],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_a_changed_operation_fact_is_reported(changed, fact):
    assert set(operation_differences(changed)) == set(fact.split(","))


@pytest.mark.parametrize(
    ("field", "differences"),
    [
        (Field("Name", max_length=50), {"maxLength": (50, 100)}),
        (Field("Name", "integer", max_length=100), {"type": ("integer", "string")}),
        (Field("DateCreated", "datetime"), {"readOnly": (None, True)}),
        (Field("DateCreated", read_only=True), {"format": (None, "date-time")}),
    ],
    ids=["maxLength", "type", "readOnly", "format"],
)
def test_a_changed_field_fact_is_reported(field, differences):
    fields = tuple(field if f.name == field.name else f for f in BUYER.fields)

    assert field_differences(replace(BUYER, fields=fields)) == {field.name: differences}


def test_an_extra_and_a_missing_field_are_reported():
    fields = (*(f for f in BUYER.fields if f.name != "Active"), Field("Color"))

    assert field_differences(replace(BUYER, fields=fields)) == {
        "Color": {"field": ({"type": "string"}, None)},
        "Active": {"field": (None, {"type": "boolean"})},
    }
