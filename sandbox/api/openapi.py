"""The sandbox's own OpenAPI v3 document, generated from `sandbox.registry`.

Every operation the sandbox routes is described here and nothing else: the registry's
operations (which also build the URL patterns) plus `ROUTED_OPERATIONS`, the token
endpoints `sandbox.urls` routes by hand. Names follow OrderCloud's document: operationIds
(`Buyers.List`), tags, summaries, `security: [{"OAuth2": [roles]}]`, schemas by
resource name, list pages as `List<Name>` (`ListBuyer`), errors as `ErrorList`.

The document depends on the code only, so its body is built once per process; the
request's own base URL (`{base}/v1` as the server, `{base}/oauth/token` as the token
URL) is filled in per host.
"""

import json
import re
from functools import cache, lru_cache

from sandbox import registry
from sandbox.api import listing
from sandbox.auth.roles import API_ROLES
from sandbox.registry import Field, Operation, Param, Schema

OPENAPI_VERSION = "3.0.3"
JSON = "application/json"

# --- operations routed outside the registry (sandbox.urls, sandbox.auth_views) -----------

IMPERSONATE_TOKEN_REQUEST = Schema(
    "ImpersonateTokenRequest",
    (
        Field("ClientID", max_length=100, example="8836BE8D-710A-4D2D-98BF-EDBE7227E3BB"),
        Field("Roles", "array", items="ApiRole", example=["Shopper"]),
        Field("CustomRoles", "array", items="string"),
    ),
)
ACCESS_TOKEN = Schema(
    "AccessToken",
    (
        Field("access_token"),
        Field("expires_in", "integer", format="int32", example=36000),
        Field("token_type", example="bearer"),
        Field("refresh_token"),
    ),
)


def _revoke_tokens(prefix: str, tag: str, path: str, role: str, who: str) -> Operation:
    return Operation(
        f"{prefix}.RevokeUserTokens",
        "DELETE",
        f"{path}/{{userID}}/tokens",
        tag,
        f"Revoke every access and refresh token of {who}.",
        ("FullAccess", role),
        "Custom",
        204,
    )


ROUTED_OPERATIONS = (
    Operation(
        "Users.GetAccessToken",
        "POST",
        "/buyers/{buyerID}/users/{userID}/accesstoken",
        "Users",
        "Get a single user access token.",
        ("FullAccess", "BuyerImpersonation"),
        "Custom",
        200,
        request=IMPERSONATE_TOKEN_REQUEST,
        request_required=("ClientID", "Roles"),
        response=ACCESS_TOKEN,
    ),
    _revoke_tokens("AdminUsers", "Admin Users", "/adminusers", "AdminUserAdmin", "an admin user"),
    _revoke_tokens("Users", "Users", "/buyers/{buyerID}/users", "BuyerUserAdmin", "a user"),
    _revoke_tokens(
        "SupplierUsers",
        "Supplier Users",
        "/suppliers/{supplierID}/users",
        "SupplierUserAdmin",
        "a supplier user",
    ),
)


def all_operations() -> tuple[Operation, ...]:
    return (*registry.operations(), *ROUTED_OPERATIONS)


# --- schemas ------------------------------------------------------------------------------


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def list_schema_name(schema: Schema) -> str:
    return f"List{schema.name}"


def property_schema(field: Field) -> dict:
    if field.ref:
        out: dict = {"allOf": [ref(field.ref)]}
    elif field.type == "datetime":
        out = {"type": "string", "format": "date-time"}
    elif field.type == "array":
        items = ref("ApiRole") if field.items == "ApiRole" else {"type": field.items or "string"}
        out = {"type": "array", "items": items}
    elif field.type == "integer":
        out = {"type": "integer", "format": field.format or "int32"}
    else:
        out = {"type": field.type}
        if field.format:
            out["format"] = field.format
    if field.max_length is not None:
        out["maxLength"] = field.max_length
    if field.minimum is not None:
        out["minimum"] = field.minimum
    if field.maximum is not None:
        out["maximum"] = field.maximum
    if field.read_only:
        out["readOnly"] = True
    if field.write_only:
        out["writeOnly"] = True
    # OrderCloud answers null for anything unset, and takes null as "the default".
    if field.name != "ID" or field.read_only:
        out["nullable"] = True
    if field.example is not None:
        out["example"] = field.example
    return out


def object_schema(schema: Schema) -> dict:
    out: dict = {
        "type": "object",
        "properties": {field.name: property_schema(field) for field in schema.fields},
        # Unknown fields are refused in bodies and never sent in responses.
        "additionalProperties": False,
    }
    example = {f.name: f.example for f in schema.fields if f.example is not None}
    if example:
        out["example"] = example
    return out


def list_page_schema(schema: Schema) -> dict:
    return {
        "type": "object",
        "required": ["Meta", "Items"],
        "properties": {
            "Meta": ref("Meta"),
            "Items": {"type": "array", "items": ref(schema.name)},
        },
        "additionalProperties": False,
    }


META = {
    "type": "object",
    "required": ["Page", "PageSize", "TotalCount", "TotalPages", "ItemRange"],
    "properties": {
        "Page": {"type": "integer", "format": "int32", "minimum": 1},
        "PageSize": {
            "type": "integer",
            "format": "int32",
            "minimum": 1,
            "maximum": listing.MAX_PAGE_SIZE,
        },
        "TotalCount": {"type": "integer", "format": "int32", "minimum": 0},
        "TotalPages": {"type": "integer", "format": "int32", "minimum": 0},
        "ItemRange": {
            "type": "array",
            "items": {"type": "integer", "format": "int32"},
            "minItems": 2,
            "maxItems": 2,
        },
    },
    "additionalProperties": False,
}
ERROR_LIST = {
    "type": "object",
    "required": ["Errors"],
    "properties": {
        "Errors": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["ErrorCode", "Message"],
                "properties": {
                    "ErrorCode": {"type": "string", "example": "NotFound"},
                    "Message": {"type": "string"},
                    "Data": {"nullable": True, "description": "Details, by ErrorCode."},
                },
            },
        }
    },
}
ERRORS = {
    "400": "Invalid request: ValidationFailure, Request.InvalidRequestBody, List.InvalidProperty,"
    " List.InvalidPageSize.",
    "401": "Missing, invalid, expired or revoked access token.",
    "403": "Auth.InsufficientRoles: the token has none of the operation's roles"
    " (Auth.BuyerUsersOnly: a /me sub-resource only buyer users have).",
    "404": "NotFound: Data names the ObjectType and ObjectID.",
    "409": "The ID (or username) is taken.",
}


def schemas(operations) -> dict:
    found: dict[str, Schema] = {}
    pending = list(registry.schemas().values())
    for operation in operations:
        pending += [s for s in (operation.request, operation.response) if s is not None]
    index = {**registry.schemas(), **{s.name: s for s in pending}}
    while pending:
        schema = pending.pop()
        if schema.name in found:
            continue
        found[schema.name] = schema
        pending += [index[f.ref] for f in schema.fields if f.ref and f.ref not in found]
    out = {name: object_schema(found[name]) for name in sorted(found)}
    for operation in operations:
        if operation.is_list:
            out[list_schema_name(operation.response)] = list_page_schema(operation.response)
    out["Meta"] = META
    out["ErrorList"] = ERROR_LIST
    out["ApiRole"] = {"type": "string", "enum": sorted(API_ROLES)}
    return dict(sorted(out.items()))


# --- operations ---------------------------------------------------------------------------


def _words(name: str) -> str:
    """`userGroupID` -> "user group"."""
    return re.sub(r"(?<!^)([A-Z])", r" \1", name.removesuffix("ID")).lower()


def path_parameter(name: str) -> dict:
    return {
        "name": name,
        "in": "path",
        "description": f"ID of the {_words(name)}.",
        "required": True,
        "schema": {"type": "string"},
    }


def query_parameter(name, description, schema, required=False) -> dict:
    return {
        "name": name,
        "in": "query",
        "description": description,
        "required": required,
        "schema": schema,
    }


def extra_parameter(param: Param) -> dict:
    schema: dict = {"type": param.type}
    if param.enum:
        schema["enum"] = list(param.enum)
    return query_parameter(param.name, param.description, schema, param.required)


def list_parameters(operation: Operation) -> list[dict]:
    found = []
    searchable_list = operation.kind == "List" or bool(operation.searchable)
    if searchable_list:
        searchable, sortable = list(operation.searchable), list(operation.sortable)
        found += [
            query_parameter("search", "Word or phrase to search for.", {"type": "string"}),
            query_parameter(
                "searchOn",
                "Comma-delimited list of fields to search on.",
                {"type": "array", "items": {"type": "string", "enum": searchable}},
            ),
            query_parameter(
                "searchType",
                "Type of search.",
                {"type": "string", "enum": sorted(listing.SEARCH_TYPES)},
            ),
            query_parameter(
                "sortBy",
                "Comma-delimited list of fields to sort by; '!' sorts descending.",
                {
                    "type": "array",
                    "items": {
                        "type": "string",
                        "enum": sortable + [f"!{name}" for name in sortable],
                    },
                },
            ),
        ]
    found += [
        query_parameter(
            "page",
            "Page of results to return. Default: 1.",
            {"type": "integer", "minimum": 1, "maximum": listing.MAX_PAGE},
        ),
        query_parameter(
            "pageSize",
            f"Number of results to return per page. Default: {listing.DEFAULT_PAGE_SIZE},"
            f" max: {listing.MAX_PAGE_SIZE}.",
            {"type": "integer", "minimum": 1, "maximum": listing.MAX_PAGE_SIZE},
        ),
    ]
    if searchable_list:
        found.append(
            query_parameter(
                "filters",
                "Key/value pairs to filter on: top-level properties of the returned model or"
                " 'xp.???'; '*' wildcard, '|' or, '!' not, '>' / '<' comparisons.",
                {"type": "object", "additionalProperties": {"type": "string"}},
            )
        )
        found[-1]["style"] = "form"
        found[-1]["explode"] = True
    return found


def error_codes(operation: Operation) -> list[str]:
    codes = ["400", "401"]
    if operation.roles:
        codes.append("403")
    refers = operation.request is not None and getattr(
        operation.resource, "checks_references", False
    )
    if operation.path_params or operation.kind == "SaveAssignment" or refers:
        codes.append("404")
    if operation.kind in ("Create", "Save", "Patch") or operation.operation_id in (
        "Me.Save",
        "Me.Patch",
    ):
        codes.append("409")
    return codes


def operation_object(operation: Operation) -> dict:
    out: dict = {
        "operationId": operation.operation_id,
        "tags": [operation.tag],
        "summary": operation.summary,
        "description": "",
    }
    parameters = [path_parameter(name) for name in operation.path_params]
    parameters += [extra_parameter(param) for param in operation.query]
    if operation.is_list:
        parameters += list_parameters(operation)
    if parameters:
        out["parameters"] = parameters
    if operation.request is not None:
        body: dict = {"allOf": [ref(operation.request.name)]}
        if operation.request_required:
            body["required"] = list(operation.request_required)
        out["requestBody"] = {"required": True, "content": {JSON: {"schema": body}}}
    success: dict = {"description": ""}
    if operation.response is not None:
        name = operation.response.name
        schema = ref(list_schema_name(operation.response) if operation.is_list else name)
        success["content"] = {JSON: {"schema": schema}}
    responses = {str(operation.status): success}
    if operation.kind == "Save":  # PUT creates when the ID is new
        responses.setdefault("201", success)
    for code in error_codes(operation):
        responses[code] = {"$ref": f"#/components/responses/{code}"}
    out["responses"] = responses
    out["security"] = [{"OAuth2": list(operation.roles)}]
    return out


# --- the document ------------------------------------------------------------------------


@cache
def _body() -> dict:
    operations = all_operations()
    paths: dict[str, dict] = {}
    tags: dict[str, None] = {}
    for operation in operations:
        paths.setdefault(operation.path, {})[operation.method.lower()] = operation_object(operation)
        tags[operation.tag] = None
    return {
        "openapi": OPENAPI_VERSION,
        "info": {
            "title": "OrderCloud (embedded sandbox)",
            "description": "The operations the console's embedded OrderCloud-compatible"
            " sandbox implements, with OrderCloud's operationIds, roles and schemas.",
            "version": "1.0",
        },
        "tags": [{"name": tag} for tag in tags],
        "paths": paths,
        "components": {
            "schemas": schemas(operations),
            "responses": {
                code: {"description": text, "content": {JSON: {"schema": ref("ErrorList")}}}
                for code, text in ERRORS.items()
            },
        },
    }


def security_scheme(base_url: str) -> dict:
    scopes = dict.fromkeys(sorted(API_ROLES), "")
    token_url = f"{base_url}/oauth/token"
    return {
        "type": "oauth2",
        "description": "OrderCloud's OAuth2 grants; scopes are roles.",
        "flows": {
            "password": {"tokenUrl": token_url, "scopes": scopes},
            "clientCredentials": {"tokenUrl": token_url, "scopes": scopes},
        },
    }


def document(base_url: str) -> dict:
    """The document for a sandbox served at `base_url` (e.g. http://host/sandbox)."""
    body = _body()
    return {
        **body,
        "servers": [{"url": f"{base_url}/v1", "description": "The embedded sandbox's API"}],
        "components": {
            **body["components"],
            "securitySchemes": {"OAuth2": security_scheme(base_url)},
        },
    }


@lru_cache(maxsize=16)
def document_json(base_url: str) -> bytes:
    return json.dumps(document(base_url), separators=(",", ":")).encode()
