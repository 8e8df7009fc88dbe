"""The sandbox's own OpenAPI v3 document, built from the operations and schemas it is
given (`sandbox.collect` gathers them; the views pass them in).

Every operation the sandbox routes is described here and nothing else. Names follow
OrderCloud's document: operationIds (`Buyers.List`), tags, summaries, `security:
[{"OAuth2": [roles]}]`, schemas by resource name, list pages as `List<Name>`
(`ListBuyer`), errors as `ErrorList`. The request's own base URL (`{base}/v1` as the
server, `{base}/oauth/token` as the token URL) is filled in per host.
"""

import re

from sandbox.api import listing
from sandbox.api.spec import API_ROLES, Field, Operation, Param, Schema

OPENAPI_VERSION = "3.0.3"
JSON = "application/json"

# --- schemas ------------------------------------------------------------------------------


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def list_schema_name(operation: Operation) -> str:
    """`ListBuyer`; a page with a Meta of its own: `ListBuyerProductWithFacets`."""
    suffix = operation.meta.name.removeprefix("Meta") if operation.meta else ""
    return f"List{operation.response.name}{suffix}"


def property_schema(field: Field) -> dict:
    if field.ref is not None and field.type == "array":
        out: dict = {"type": "array", "items": ref(field.ref.name)}
    elif field.ref is not None:
        out = {"allOf": [ref(field.ref.name)]}
    elif field.enum is not None:
        out = {"allOf": [ref(field.enum.name)]}
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
    if schema.required:
        out["required"] = list(schema.required)
    example = {f.name: f.example for f in schema.fields if f.example is not None}
    if example:
        out["example"] = example
    return out


def list_page_schema(operation: Operation) -> dict:
    return {
        "type": "object",
        "required": ["Meta", "Items"],
        "properties": {
            "Meta": ref(operation.meta.name if operation.meta else "Meta"),
            "Items": {"type": "array", "items": ref(operation.response.name)},
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


def schemas(operations, named: dict[str, Schema]) -> dict:
    """`named`: every schema by name (the operations' and the ones their fields refer to)."""
    out = {name: object_schema(named[name]) for name in sorted(named)}
    for operation in operations:
        if operation.is_list:
            out[list_schema_name(operation)] = list_page_schema(operation)
    for name in {operation.meta.name for operation in operations if operation.meta}:
        # The page's numbers as in Meta (bounded), and what the Meta schema adds.
        out[name]["properties"].update(META["properties"])
        out[name]["required"] = META["required"]
    for schema in named.values():
        for field in schema.fields:
            if field.enum is not None:
                out[field.enum.name] = {"type": "string", "enum": list(field.enum.values)}
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
        schema = ref(list_schema_name(operation) if operation.is_list else name)
        success["content"] = {JSON: {"schema": schema}}
    responses = {str(operation.status): success}
    if operation.kind == "Save":  # PUT creates when the ID is new
        responses.setdefault("201", success)
    for status in operation.error_statuses:
        responses[str(status)] = {"$ref": f"#/components/responses/{status}"}
    out["responses"] = responses
    out["security"] = [{"OAuth2": list(operation.roles)}]
    return out


# --- the document ------------------------------------------------------------------------


def body(operations, named: dict[str, Schema]) -> dict:
    """The document but its servers and security scheme, which depend on the host."""
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
            "schemas": schemas(operations, named),
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


def document(base_url: str, operations, named: dict[str, Schema]) -> dict:
    """The document for a sandbox served at `base_url` (e.g. http://host/sandbox)."""
    built = body(operations, named)
    return {
        **built,
        "servers": [{"url": f"{base_url}/v1", "description": "The embedded sandbox's API"}],
        "components": {
            **built["components"],
            "securitySchemes": {"OAuth2": security_scheme(base_url)},
        },
    }
