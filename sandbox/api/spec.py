"""The types that describe the sandbox's API: resources, their fields and operations.

Everything the engine does for an operation comes from its description here: routing
(`sandbox.api.routing` builds URL patterns from `Operation`s), validation of request
bodies (`Field`), persistence (`Resource.model`, `Field.attr`, `Resource.scope`,
`Parent`), role and user type checks (`Operation.roles`, `Operation.user_types`), list
semantics (`searchable` / `sortable`) and the OpenAPI document (operationIds, tags,
summaries, schemas, error statuses). Resource-specific behaviour is declared on the
resource (`Resource.hooks`, `Resource.id_scope`) or the operation (`Operation.handler`),
never looked up by name.

The declarations themselves live in `sandbox.resources`, one module per resource family;
`sandbox.collect` gathers them. This module imports no model: a `Resource` holds its
model class, given by the declaring module.

Reading an `Operation` (e.g. for the OpenAPI generator): `operation_id`, `method`,
`path` (`/buyers/{buyerID}/users`), `tag`, `summary`, `roles` (the `security[0].OAuth2`
list), `status` (the success status), `path_params`, `query` (extra query parameters,
`Param`), `is_list` (a ListPage of `response`; then `searchable` / `sortable` give the
searchOn / sortBy enums), `request` and `response` (a `Schema` or None),
`request_required` (the body's required fields), `user_types` and `error_statuses`. A
`Schema`'s `fields` are `Field`s with `name`, `type` (string | integer | number | boolean
| datetime | object | array), `items` (the item type of an array, or "ApiRole"),
`format`, `max_length`, `read_only`, `write_only`, `example`, `minimum` / `maximum`,
`ref` (the `Schema` of a nested object, or of each item of an array of objects), `enum`
(an `Enumeration` of a string's values).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from sandbox.api.wire import generate_id

# OrderCloud's ApiRole enumeration: the roles a token can carry and an operation can
# require. FullAccess implies every one of them (custom roles are never implied).
API_ROLES = frozenset(
    {
        "ApiClientAdmin",
        "ApiClientReader",
        "AddressAdmin",
        "AddressReader",
        "AdminAddressAdmin",
        "AdminAddressReader",
        "AdminUserAdmin",
        "AdminUserGroupAdmin",
        "AdminUserGroupReader",
        "AdminUserReader",
        "ApprovalRuleAdmin",
        "ApprovalRuleReader",
        "BuyerAdmin",
        "BuyerImpersonation",
        "BuyerReader",
        "BuyerUserAdmin",
        "BuyerUserReader",
        "CatalogAdmin",
        "CatalogReader",
        "CategoryAdmin",
        "CategoryReader",
        "CostCenterAdmin",
        "CostCenterReader",
        "CreditCardAdmin",
        "CreditCardReader",
        "FullAccess",
        "IncrementorAdmin",
        "IncrementorReader",
        "LocaleReader",
        "LocaleAdmin",
        "MeAddressAdmin",
        "MeAdmin",
        "MeCreditCardAdmin",
        "MessageConfigAssignmentAdmin",
        "MeXpAdmin",
        "OrderAdmin",
        "OrderReader",
        "OverrideShipping",
        "OverrideTax",
        "OverrideUnitPrice",
        "PasswordReset",
        "PriceScheduleAdmin",
        "PriceScheduleReader",
        "ProductAdmin",
        "ProductAssignmentAdmin",
        "ProductFacetAdmin",
        "ProductFacetReader",
        "ProductReader",
        "PromotionAdmin",
        "PromotionReader",
        "SecurityProfileAdmin",
        "SecurityProfileReader",
        "SetSecurityProfile",
        "ShipmentAdmin",
        "ShipmentReader",
        "Shopper",
        "SpendingAccountAdmin",
        "SpendingAccountReader",
        "SupplierAddressAdmin",
        "SupplierAddressReader",
        "SupplierAdmin",
        "SupplierReader",
        "SupplierUserAdmin",
        "SupplierUserGroupAdmin",
        "SupplierUserGroupReader",
        "SupplierUserReader",
        "UnsubmittedOrderReader",
        "UserGroupAdmin",
        "UserGroupReader",
        "OpenIDConnectReader",
        "OpenIDConnectAdmin",
        "MessageSenderReader",
        "MessageSenderAdmin",
        "XpIndexAdmin",
        "WebhookReader",
        "WebhookAdmin",
        "IntegrationEventReader",
        "IntegrationEventAdmin",
    }
)


@dataclass(frozen=True)
class Enumeration:
    """A named set of string values a field takes (OrderCloud's PriceMarkupType)."""

    name: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class Field:
    name: str  # the wire name, e.g. "FirstName"
    type: str = "string"  # string | integer | number | boolean | datetime | object | array
    attr: str | None = None  # the model attribute; None = not stored (computed or constant)
    max_length: int | None = None
    read_only: bool = False  # ignored in request bodies
    write_only: bool = False  # never in responses (Password)
    default: Any = None  # the value when absent from a create / replace
    items: str | None = None  # item type of an array: "string" or "ApiRole"
    format: str | None = None  # "password", "int32", ...
    minimum: int | None = None
    maximum: int | None = None
    # The Schema of a structured object (PasswordConfig), or with type "array" of each item
    # of an array of objects (PriceBreaks).
    ref: Schema | None = None
    example: Any = None
    # Computes the value of a field that is not a plain column: fn(obj) -> value.
    compute: Callable | None = None
    enum: Enumeration | None = None  # a string field's allowed values


@dataclass(frozen=True)
class Schema:
    name: str
    fields: tuple[Field, ...]
    # Fields an object of this schema must have where it is nested in a body (the items
    # of PriceBreaks); a body's own required fields are its operation's.
    required: tuple[str, ...] = ()

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)


@dataclass(frozen=True)
class Param:
    """A query parameter beyond the list ones (page, search, ...)."""

    name: str
    type: str = "string"
    required: bool = False
    description: str = ""
    enum: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Parent:
    """A path parameter naming the object a resource lives in: checked to exist (404)."""

    param: str  # "buyerID"
    model: type  # models.Buyer
    object_type: str  # "Buyer", for NotFound
    column: str  # the child's column holding the parent's ID, e.g. "company_id"
    # `column` is a ForeignKey to the parent's row (e.g. a category's "catalog") rather
    # than a column holding its ID.
    foreign_key: bool = False


@dataclass(frozen=True)
class Reference:
    """Rows elsewhere that hold this object's ID: renamed with it, deleted with it.

    `scope` values "{param}" are the path parameter's value; "{id}" is the object's ID.
    """

    model: type
    column: str
    scope: dict[str, str] = field(default_factory=dict)
    on_delete: str = "cascade"  # cascade | clear (set the column to "") | null (to NULL)


class Hooks:
    """A resource's behaviour beyond the generic; subclasses override what they need.

    `call` is the `sandbox.api.crud.Call` being executed.
    """

    def new_id(self, call) -> str:
        """The ID of an object created without one."""
        return generate_id()

    def before_write(self, call, obj, values: dict, given: set[str]) -> None:
        """Called in the saving transaction with the object about to be saved (new or
        changed): raise to refuse."""

    def after_write(self, call, obj, created: bool) -> None:
        """Called in the saving transaction, after the object (and the renames of its ID
        in `Resource.references`) are saved: keep what depends on it right."""

    def before_delete(self, call, obj) -> None:
        """Called in the deleting transaction, before the object is deleted."""

    def after_delete(self, call, obj) -> None:
        """Called in the deleting transaction, after the object is deleted."""

    def queryset(self, call, queryset):
        """The resource's rows the caller reaches (every operation on the resource goes
        through it): narrow or annotate them."""
        return queryset


class IdScope(StrEnum):
    """Where a resource's IDs must be unique (a taken one answers 409 IdExists)."""

    PARENT = "parent"  # among the resource's objects under the path's parents
    MARKETPLACE = "marketplace"  # among every object of its model in the marketplace
    GLOBAL = "global"  # across marketplaces (ClientIDs: a token request names only those)


@dataclass(frozen=True)
class Resource:
    name: str  # the schema name and NotFound's ObjectType, e.g. "Buyer"
    prefix: str  # operationId prefix, e.g. "Buyers"
    tag: str  # e.g. "Buyers"
    path: str  # the collection, e.g. "/buyers/{buyerID}/users"
    id_param: str  # "userID"
    model: type
    fields: tuple[Field, ...]
    required: tuple[str, ...]  # on Create and Save (the reference's requestBody.required)
    searchable: tuple[str, ...]
    sortable: tuple[str, ...]
    read_roles: tuple[str, ...]
    write_roles: tuple[str, ...]
    summaries: dict[str, str]  # operation kind -> summary
    parents: tuple[Parent, ...] = ()
    scope: dict[str, str] = field(default_factory=dict)  # fixed columns, e.g. user_type
    references: tuple[Reference, ...] = ()
    # (param, the ORM path it filters on). A List ignores a param that is absent or empty.
    list_params: tuple[tuple[Param, str], ...] = ()
    kinds: tuple[str, ...] = ("List", "Create", "Get", "Save", "Patch", "Delete")
    id_generated_only: bool = False  # ID is read-only (ApiClient): always generated
    id_scope: IdScope = IdScope.PARENT
    # Its body names other objects that must exist: writes can answer 404 NotFound.
    checks_references: bool = False
    save_creates: bool = True  # PUT creates when absent (ApiClients.Save only updates)
    # What a List orders by after sortBy (then by creation): ORM expressions or names.
    default_order: tuple = ()
    schema_name: str | None = None
    hooks: Hooks = Hooks()

    @property
    def schema(self) -> Schema:
        return Schema(self.schema_name or self.name, self.fields)

    @property
    def item_path(self) -> str:
        return f"{self.path}/{{{self.id_param}}}"

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)


@dataclass(frozen=True)
class Operation:
    operation_id: str
    method: str
    path: str
    tag: str
    summary: str
    roles: tuple[str, ...]
    # List | Create | Get | Save | Patch | Delete | ListAssignments | SaveAssignment |
    # DeleteAssignment | Custom
    kind: str
    status: int
    resource: Resource | None = None
    handler: Callable | None = None  # Custom operations: fn(call) -> (status, body)
    request: Schema | None = None
    request_required: tuple[str, ...] = ()
    response: Schema | None = None
    is_list: bool = False
    # A list page's Meta when it is not the plain one (MetaWithFacets).
    meta: Schema | None = None
    query: tuple[Param, ...] = ()
    searchable: tuple[str, ...] = ()
    sortable: tuple[str, ...] = ()
    # The user types (admin | buyer | supplier) it serves; empty: all. Others get a 403.
    user_types: tuple[str, ...] = ()
    # Error statuses beyond the ones every operation of its shape can answer (see
    # `error_statuses`), e.g. 409 when a write can take an ID or username in use.
    errors: tuple[int, ...] = ()

    @property
    def path_params(self) -> tuple[str, ...]:
        return tuple(part[1:-1] for part in self.path.split("/") if part.startswith("{"))

    @property
    def error_statuses(self) -> tuple[int, ...]:
        """400 and 401 always; 403 with roles or user types to check; 404 when the path
        names objects; and the declared `errors`."""
        statuses = {400, 401, *self.errors}
        if self.roles or self.user_types:
            statuses.add(403)
        if self.path_params:
            statuses.add(404)
        return tuple(sorted(statuses))


# --- the generic operations of a resource -------------------------------------------------

CRUD_STATUS = {"List": 200, "Create": 201, "Get": 200, "Save": 200, "Delete": 204, "Patch": 200}


def crud_operations(resource: Resource) -> list[Operation]:
    """List, Create, Get, Save, Delete, Patch: in the reference document's order."""
    read, write = resource.read_roles, resource.write_roles
    schema = resource.schema
    shapes = {
        "List": ("GET", resource.path, read),
        "Create": ("POST", resource.path, write),
        "Get": ("GET", resource.item_path, read),
        "Save": ("PUT", resource.item_path, write),
        "Delete": ("DELETE", resource.item_path, write),
        "Patch": ("PATCH", resource.item_path, write),
    }
    operations = []
    for kind in ("List", "Create", "Get", "Save", "Delete", "Patch"):
        if kind not in resource.kinds:
            continue
        method, path, roles = shapes[kind]
        writes = kind in ("Create", "Save", "Patch")
        errors = (409,) if writes else ()  # the (new) ID is taken
        if writes and resource.checks_references:
            errors += (404,)
        operations.append(
            Operation(
                operation_id=f"{resource.prefix}.{kind}",
                method=method,
                path=path,
                tag=resource.tag,
                summary=resource.summaries[kind],
                roles=roles,
                kind=kind,
                status=CRUD_STATUS[kind],
                resource=resource,
                request=schema if writes else None,
                request_required=resource.required if kind in ("Create", "Save") else (),
                response=None if kind == "Delete" else schema,
                is_list=kind == "List",
                query=tuple(param for param, _ in resource.list_params) if kind == "List" else (),
                searchable=resource.searchable if kind == "List" else (),
                sortable=resource.sortable if kind == "List" else (),
                errors=errors,
            )
        )
    return operations
