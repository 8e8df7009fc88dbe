"""An OrderCloud-sized OpenAPI document, generated: about 400 operations and 1 MB of JSON.

Shaped like OrderCloud's own (operationIds `Resource.Verb`, tags, list parameters,
`security: [{"OAuth2": roles}]`, bodies as `allOf` of a schema with read-only fields and
an example, enums by `$ref`, an `ApiRole` enum), so that parsing, searching and rendering
it cost what the real one does. Deterministic: the same document every time.
"""

import json

WORDS = [
    "Buyer",
    "User",
    "Group",
    "Address",
    "Product",
    "Catalog",
    "Category",
    "Order",
    "LineItem",
    "Payment",
    "Shipment",
    "Promotion",
    "Spec",
    "Variant",
    "PriceSchedule",
    "Supplier",
    "CostCenter",
    "CreditCard",
    "SpendingAccount",
    "ApprovalRule",
    "Incrementor",
    "Webhook",
    "Locale",
    "MessageSender",
    "SecurityProfile",
    "ApiClient",
    "ImpersonationConfig",
    "IntegrationEvent",
    "InventoryRecord",
    "ProductFacet",
    "XpIndex",
    "Return",
    "Subscription",
    "DeliveryConfig",
    "EntitySync",
    "TrackingEvent",
    "OpenIdConnect",
    "Bundle",
    "SellerApproval",
    "Discount",
    "Coupon",
    "Invoice",
    "Warehouse",
    "Carrier",
    "TaxCode",
    "Region",
    "Channel",
    "Segment",
    "Campaign",
    "Review",
    "Wishlist",
    "Cart",
    "Quote",
    "Contract",
    "Store",
    "Brand",
    "Collection",
    "Attribute",
    "Tag",
    "Note",
    "Fee",
    "Kit",
]
VERBS = ("List", "Create", "Get", "Save", "Patch", "Delete")
ROLES = [f"{w}{kind}" for w in WORDS[:40] for kind in ("Admin", "Reader")]
LOREM = (
    "Used by the marketplace to decide what buyers see and what suppliers may change; "
    "when null the default of the parent object applies, and a change is audited. "
)


def _plural(word):
    return word[:-1] + "ies" if word.endswith("y") else word + "s"


def _schema(word, i):
    properties = {
        "ID": {"type": "string", "maxLength": 100},
        "Name": {"type": "string", "maxLength": 100, "description": f"Name of the {word}."},
        "Active": {"type": "boolean", "description": LOREM * 2},
        "Status": {"$ref": "#/components/schemas/Status"},
        "DateCreated": {"type": "string", "format": "date-time", "readOnly": True},
        "xp": {"type": "object"},
    }
    for n in range(17):
        kind = ("string", "integer", "number", "boolean")[n % 4]
        properties[f"{word}Field{n}"] = {"type": kind, "description": LOREM * (1 + n % 3) + word}
    if i:
        properties["Parent"] = {"allOf": [{"$ref": f"#/components/schemas/{WORDS[i - 1]}"}]}
    properties["Self"] = {"allOf": [{"$ref": f"#/components/schemas/{word}"}], "readOnly": True}
    example = {"ID": "", "Name": "", "Active": False, "DateCreated": "2018-01-01T00:00:00Z"}
    return {"type": "object", "example": {**example, "xp": {}}, "properties": properties}


def _list_parameters(word):
    fields = ["ID", "Name", "DateCreated"]
    return [
        {"name": "search", "in": "query", "description": "Word or phrase to search for.",
         "required": False, "schema": {"type": "string"}},
        {"name": "searchOn", "in": "query", "description": "Comma-delimited list of fields.",
         "required": False,
         "schema": {"type": "array", "items": {"type": "string", "enum": ["Name", "ID"]}}},
        {"name": "sortBy", "in": "query", "description": "Comma-delimited list of fields.",
         "required": False,
         "schema": {"type": "array",
                    "items": {"type": "string", "enum": fields + [f"!{f}" for f in fields]}}},
        {"name": "page", "in": "query", "description": "Page of results to return.",
         "required": False, "schema": {"type": "integer"}},
        {"name": "pageSize", "in": "query", "description": "Results per page, max 100.",
         "required": False, "schema": {"type": "integer"}},
        {"name": "filters", "in": "query", "description": f"Filters on {word}.",
         "required": False, "schema": {"type": "object"}},
    ]  # fmt: skip


def _operation(word, verb, roles, path_params):
    plural = _plural(word)
    op = {
        "operationId": f"{plural}.{verb}",
        "tags": [plural],
        "summary": f"{verb} {'a list of ' + plural.lower() if verb == 'List' else 'a ' + word}.",
        "description": LOREM if verb in ("Create", "Save") else "",
        "parameters": [
            {
                "name": p,
                "in": "path",
                "description": f"ID of the {p[:-2]}.",
                "required": True,
                "schema": {"type": "string"},
            }
            for p in path_params
        ],  # fmt: skip
        "responses": {
            "200": {
                "description": "",
                "content": {
                    "application/json": {
                        "schema": (
                            {
                                "type": "object",
                                "properties": {
                                    "Items": {
                                        "type": "array",
                                        "items": {"$ref": f"#/components/schemas/{word}"},
                                    },
                                    "Meta": {"$ref": "#/components/schemas/Meta"},
                                },
                            }
                            if verb.startswith("List")
                            else {"$ref": f"#/components/schemas/{word}"}
                        )
                    }
                },
            }
        },  # fmt: skip
        "security": [{"OAuth2": ["FullAccess", *roles]}],
    }
    if verb.startswith("List"):
        op["parameters"] += _list_parameters(word)
    if verb in ("Create", "Save", "Patch", "SaveAssignment"):
        op["requestBody"] = {
            "required": True,
            "content": {
                "application/json": {
                    "schema": {"allOf": [{"$ref": f"#/components/schemas/{word}"}],
                               "required": ["Name"]}
                }
            },
        }  # fmt: skip
    return op


def document():
    """The document, as a dict."""
    paths, schemas = {}, {}
    for i, word in enumerate(WORDS):
        plural = _plural(word).lower()
        parent = WORDS[i - 1] if i % 2 else ""
        prefix = (
            f"/{_plural(parent).lower()}/{{{parent[0].lower() + parent[1:]}ID}}" if parent else ""
        )
        own = f"{word[0].lower() + word[1:]}ID"
        parents = [f"{parent[0].lower() + parent[1:]}ID"] if parent else []
        roles = [f"{word}Admin", f"{word}Reader"] if word in WORDS[:40] else []
        collection, item = f"{prefix}/{plural}", f"{prefix}/{plural}/{{{own}}}"
        for verb in VERBS:
            where = collection if verb in ("List", "Create") else item
            params = parents if verb in ("List", "Create") else [*parents, own]
            method = {"List": "get", "Create": "post", "Get": "get", "Save": "put",
                      "Patch": "patch", "Delete": "delete"}[verb]  # fmt: skip
            writer = roles[:1] if verb not in ("List", "Get") else roles
            paths.setdefault(where, {})[method] = _operation(word, verb, writer, params)
        if i < 10:  # assignments, as ten of OrderCloud's resources have: 402 in all
            paths[f"{collection}/assignments"] = {
                "get": _operation(word, "ListAssignments", roles, parents),
                "post": _operation(word, "SaveAssignment", roles[:1], parents),
                "delete": _operation(word, "DeleteAssignment", roles[:1], parents),
            }
        schemas[word] = _schema(word, i)
    schemas["Status"] = {"type": "string", "enum": ["Open", "Closed", "Pending"]}
    schemas["Meta"] = {"type": "object", "properties": {"Page": {"type": "integer"}}}
    schemas["ApiRole"] = {"type": "string", "enum": ["FullAccess", *ROLES]}
    return {
        "openapi": "3.0.1",
        "info": {"title": "Synthetic OrderCloud", "version": "1.0.0"},
        "servers": [{"url": "https://api.example.invalid/v1"}],
        "tags": [{"name": _plural(w), "description": LOREM} for w in WORDS],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {"OAuth2": {"type": "oauth2", "flows": {}}},
        },
    }


def document_bytes():
    return json.dumps(document(), indent=1).encode()
