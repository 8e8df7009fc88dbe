"""The declarative description of the sandbox's API: resources, their fields and operations.

Everything the engine does for a resource comes from its entry here: routing
(`sandbox.urls` builds its URL patterns from `operations()`), validation of request bodies
(`Field`), persistence (`Resource.model`, `Field.attr`, `Resource.scope`, `Parent`),
role checks (`Operation.roles`), list semantics (`Resource.searchable` / `sortable`) and
the sandbox's own OpenAPI document (operationIds, tags, summaries, schemas).

Paths, operationIds, tags, summaries, field names, max lengths, read-only flags, the
searchOn / sortBy enums and the roles of each operation are OrderCloud's, copied from its
OpenAPI document. Adding a plain CRUD resource is one `Resource(...)` below plus its model.

Reading it (e.g. for the OpenAPI generator):

- `operations()`: every implemented operation, in document order. Each `Operation` has
  `operation_id`, `method`, `path` (`/buyers/{buyerID}/users`), `tag`, `summary`, `roles`
  (the `security[0].OAuth2` list), `status` (the success status), `path_params`,
  `query` (extra query parameters, `Param`), `is_list` (a ListPage of `response`; then
  `searchable` / `sortable` give the searchOn / sortBy enums), `request` and `response`
  (a `Schema` or None) and `request_required` (the body's required fields).
- `schemas()`: every `Schema` by name; a schema's `fields` are `Field`s with `name`, `type`
  (string | integer | number | boolean | datetime | object | array), `items` (the item
  type of an array, or "ApiRole"), `format`, `max_length`, `read_only`, `write_only`,
  `example`, `minimum` / `maximum`, `ref` (another schema's name, for nested objects).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any

from sandbox import models

# --- the format -------------------------------------------------------------------------


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
    ref: str | None = None  # the Schema of a structured object (PasswordConfig)
    example: Any = None
    # Computes the value of a field that is not a plain column: fn(obj) -> value.
    compute: Callable | None = None


@dataclass(frozen=True)
class Schema:
    name: str
    fields: tuple[Field, ...]

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


@dataclass(frozen=True)
class Reference:
    """Rows elsewhere that hold this object's ID: renamed with it, deleted with it.

    `scope` values "{param}" are the path parameter's value; "{id}" is the object's ID.
    """

    model: type
    column: str
    scope: dict[str, str] = field(default_factory=dict)
    on_delete: str = "cascade"  # cascade | clear (set the column to "")


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
    list_params: tuple[tuple[Param, str], ...] = ()  # (param, ORM path it filters on)
    kinds: tuple[str, ...] = ("List", "Create", "Get", "Save", "Patch", "Delete")
    id_generated_only: bool = False  # ID is read-only (ApiClient): always generated
    # Its body names other objects that must exist: writes can answer 404 NotFound.
    checks_references: bool = False
    save_creates: bool = True  # PUT creates when absent (ApiClients.Save only updates)
    schema_name: str | None = None

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
    query: tuple[Param, ...] = ()
    searchable: tuple[str, ...] = ()
    sortable: tuple[str, ...] = ()

    @property
    def path_params(self) -> tuple[str, ...]:
        return tuple(part[1:-1] for part in self.path.split("/") if part.startswith("{"))


# --- shared field sets ------------------------------------------------------------------


def _id(max_length=100, **kw) -> Field:
    return Field("ID", attr="oc_id", max_length=max_length, example="ID-1", **kw)


XP = Field("xp", "object", attr="xp", default=None, example={})
DATE_CREATED = Field("DateCreated", "datetime", attr="date_created", read_only=True)

USER_FIELDS = (
    _id(),
    Field("Username", attr="username", max_length=100, example="jdoe"),
    Field("Password", attr="password", format="password", write_only=True, default=""),
    Field("FirstName", attr="first_name", max_length=100, example="Jane"),
    Field("LastName", attr="last_name", max_length=100, example="Doe"),
    Field("Email", attr="email", max_length=200, example="jane@example.com"),
    Field("Phone", attr="phone", max_length=100),
    Field("TermsAccepted", "datetime", attr="terms_accepted"),
    Field("Active", "boolean", attr="active", default=False, example=True),
    XP,
    Field("AvailableRoles", "array", items="string", read_only=True),
    Field("Locale", "object", read_only=True, ref="Locale"),
    DATE_CREATED,
    Field("PasswordLastSetDate", "datetime", attr="password_last_set_date", read_only=True),
    # From OrderCloud versions newer than the reference document: counted by the password
    # grant, reset by a successful sign-in; read-only (the SDK sends its default, 0).
    Field(
        "FailedLoginAttempts",
        "integer",
        attr="failed_login_attempts",
        format="int32",
        read_only=True,
        example=0,
    ),
)
USER_REQUIRED = ("Username", "FirstName", "LastName", "Email", "Active")
USER_SEARCH = ("ID", "Username", "LastName", "FirstName", "Email")
USER_SORT = ("LastName", "FirstName", "Username", "ID", "Email", "DateCreated")
USER_SORT += ("PasswordLastSetDate",)

GROUP_FIELDS = (
    _id(),
    Field("Name", attr="name", max_length=100, example="Group"),
    Field("Description", attr="description", max_length=2000),
    XP,
)

ADDRESS_FIELDS = (
    _id(),
    DATE_CREATED,
    Field("CompanyName", attr="company_name", max_length=100),
    Field("FirstName", attr="first_name", max_length=100),
    Field("LastName", attr="last_name", max_length=100),
    Field("Street1", attr="street1", max_length=100, example="1 Main St"),
    Field("Street2", attr="street2", max_length=100),
    Field("City", attr="city", max_length=100, example="Minneapolis"),
    Field("State", attr="state", max_length=100, example="MN"),
    Field("Zip", attr="zip", max_length=100, example="55401"),
    Field("Country", attr="country", max_length=2, example="US"),
    Field("Phone", attr="phone", max_length=100),
    Field("AddressName", attr="address_name", max_length=100),
    XP,
)
ADDRESS_REQUIRED = ("Street1", "City", "State", "Zip", "Country")
ADDRESS_SEARCH = ("ID", "AddressName", "CompanyName", "City", "Street1", "Street2")
ADDRESS_SEARCH += ("LastName", "FirstName", "State", "Zip")
ADDRESS_SORT = ("AddressName", "ID", "DateCreated", "CompanyName", "FirstName", "LastName")
ADDRESS_SORT += ("Street1", "Street2", "City", "State", "Zip", "Country", "Phone")

PASSWORD_CONFIG = Schema(
    "PasswordConfig",
    (
        Field("LimitPasswordReuse", "integer", format="int32", minimum=0, maximum=24),
        Field("MaxConsecutiveDupeChars", "integer", format="int32", minimum=1, maximum=24),
        Field("MaximumPasswordAge", "integer", format="int32", minimum=1, maximum=365),
        Field("MinimumPasswordAge", "integer", format="int32", minimum=1, maximum=60),
        Field("AllowedFailedAttempts", "integer", format="int32", minimum=1, maximum=10),
        Field("LockoutDuration", "integer", format="int32", minimum=2, maximum=1440),
        Field("UpperCaseRequired", "boolean"),
        Field("LowerCaseRequired", "boolean"),
        Field("SpecialCharacterRequired", "boolean"),
        Field("NumericRequired", "boolean"),
        Field("MinimumCharacterCount", "integer", format="int32", minimum=8),
    ),
)
LOCALE = Schema(
    "Locale",
    (
        _id(),
        Field("OwnerID"),
        Field("Currency", max_length=100),
        Field("Language", max_length=100),
    ),
)


def _roles(*names: str) -> tuple[str, ...]:
    return ("FullAccess", *names)


def _crud_summaries(singular: str, plural: str, article: str = "a") -> dict[str, str]:
    return {
        "List": f"Get a list of {plural}.",
        "Create": f"Create a new {singular}.",
        "Get": f"Get a single {singular}.",
        "Save": f"Create or update {article} {singular}.",
        "Delete": f"Delete {article} {singular}.",
        "Patch": f"Partially update {article} {singular}.",
    }


# Behaviour beyond the generic (password hashing, unique usernames, generated ClientIDs)
# lives in sandbox.engine.HOOKS, by resource name: the registry stays data.

# --- resources ---------------------------------------------------------------------------

BUYER_SCOPE = {"user_type": models.User.Type.BUYER}
SUPPLIER_SCOPE = {"user_type": models.User.Type.SUPPLIER}
ADMIN_SCOPE = {"user_type": models.User.Type.ADMIN, "company_id": ""}
BUYER_PARENT = Parent("buyerID", models.Buyer, "Buyer", "company_id")
SUPPLIER_PARENT = Parent("supplierID", models.Supplier, "Supplier", "company_id")

BUYERS = Resource(
    name="Buyer",
    prefix="Buyers",
    tag="Buyers",
    path="/buyers",
    id_param="buyerID",
    model=models.Buyer,
    fields=(
        _id(),
        Field("Name", attr="name", max_length=100, example="Buyer"),
        Field("DefaultCatalogID", attr="default_catalog_id"),
        Field("Active", "boolean", attr="active", default=False, example=True),
        DATE_CREATED,
        XP,
    ),
    required=("Name",),
    searchable=("Name", "ID"),
    sortable=("ID", "Name", "DateCreated"),
    read_roles=_roles("BuyerAdmin", "BuyerReader"),
    write_roles=_roles("BuyerAdmin"),
    summaries=_crud_summaries("buyer", "buyers"),
    references=(
        Reference(models.User, "company_id", {"user_type": "buyer"}),
        Reference(models.UserGroup, "company_id", {"group_type": "buyer"}),
        Reference(models.Address, "company_id", {"owner_type": "buyer"}),
        Reference(models.SecurityProfileAssignment, "buyer_id"),
        Reference(models.ApiClientAssignment, "buyer_id"),
        Reference(models.ImpersonationConfig, "buyer_id"),
        Reference(models.ImpersonationConfig, "impersonation_buyer_id"),
    ),
)

USERS = Resource(
    name="User",
    prefix="Users",
    tag="Users",
    path="/buyers/{buyerID}/users",
    id_param="userID",
    model=models.User,
    fields=USER_FIELDS,
    required=USER_REQUIRED,
    searchable=USER_SEARCH,
    sortable=USER_SORT,
    read_roles=_roles("BuyerUserAdmin", "BuyerUserReader"),
    write_roles=_roles("BuyerUserAdmin"),
    summaries=_crud_summaries("user", "users"),
    parents=(BUYER_PARENT,),
    scope=BUYER_SCOPE,
    list_params=(
        (
            Param("userGroupID", description="ID of the user group."),
            "group_assignments__user_group__oc_id",
        ),
    ),
    references=(
        Reference(models.SecurityProfileAssignment, "user_id"),
        Reference(models.ImpersonationConfig, "user_id", on_delete="clear"),
        Reference(models.ImpersonationConfig, "impersonation_user_id", on_delete="clear"),
    ),
)

ADMIN_USERS = replace(
    USERS,
    prefix="AdminUsers",
    tag="Admin Users",
    path="/adminusers",
    read_roles=_roles("AdminUserAdmin", "AdminUserReader"),
    write_roles=_roles("AdminUserAdmin"),
    summaries=_crud_summaries("admin user", "admin users", "an"),
    parents=(),
    scope=ADMIN_SCOPE,
    list_params=(),
    references=(Reference(models.SecurityProfileAssignment, "user_id"),),
)

SUPPLIER_USERS = replace(
    USERS,
    prefix="SupplierUsers",
    tag="Supplier Users",
    path="/suppliers/{supplierID}/users",
    read_roles=_roles("SupplierUserAdmin", "SupplierUserReader"),
    write_roles=_roles("SupplierUserAdmin"),
    summaries=_crud_summaries("supplier user", "supplier users"),
    parents=(SUPPLIER_PARENT,),
    scope=SUPPLIER_SCOPE,
    references=(Reference(models.SecurityProfileAssignment, "user_id"),),
)

USER_GROUPS = Resource(
    name="UserGroup",
    prefix="UserGroups",
    tag="User Groups",
    path="/buyers/{buyerID}/usergroups",
    id_param="userGroupID",
    model=models.UserGroup,
    fields=GROUP_FIELDS,
    required=("Name",),
    searchable=("ID", "Name", "Description"),
    sortable=("Name", "ID"),
    read_roles=_roles("UserGroupAdmin", "UserGroupReader"),
    write_roles=_roles("UserGroupAdmin"),
    summaries=_crud_summaries("user group", "user groups"),
    parents=(BUYER_PARENT,),
    scope={"group_type": models.User.Type.BUYER},
    references=(
        Reference(models.SecurityProfileAssignment, "user_group_id", {"buyer_id": "{buyerID}"}),
        Reference(
            models.ImpersonationConfig,
            "group_id",
            {"buyer_id": "{buyerID}"},
            on_delete="clear",
        ),
        Reference(
            models.ImpersonationConfig,
            "impersonation_group_id",
            {"impersonation_buyer_id": "{buyerID}"},
            on_delete="clear",
        ),
    ),
)

ADMIN_USER_GROUPS = replace(
    USER_GROUPS,
    prefix="AdminUserGroups",
    tag="Admin User Groups",
    path="/usergroups",
    read_roles=_roles("AdminUserGroupAdmin", "AdminUserGroupReader"),
    write_roles=_roles("AdminUserGroupAdmin"),
    summaries=_crud_summaries("admin user group", "admin user groups", "an"),
    parents=(),
    scope={"group_type": models.User.Type.ADMIN, "company_id": ""},
    references=(
        Reference(
            models.SecurityProfileAssignment,
            "user_group_id",
            {"buyer_id": "", "supplier_id": ""},
        ),
    ),
)

SUPPLIER_USER_GROUPS = replace(
    USER_GROUPS,
    prefix="SupplierUserGroups",
    tag="Supplier User Groups",
    path="/suppliers/{supplierID}/usergroups",
    read_roles=_roles("SupplierUserGroupAdmin", "SupplierUserGroupReader"),
    write_roles=_roles("SupplierUserGroupAdmin"),
    summaries=_crud_summaries("supplier user group", "supplier user groups"),
    parents=(SUPPLIER_PARENT,),
    scope={"group_type": models.User.Type.SUPPLIER},
    references=(
        Reference(
            models.SecurityProfileAssignment, "user_group_id", {"supplier_id": "{supplierID}"}
        ),
    ),
)

ADDRESSES = Resource(
    name="Address",
    prefix="Addresses",
    tag="Addresses",
    path="/buyers/{buyerID}/addresses",
    id_param="addressID",
    model=models.Address,
    fields=ADDRESS_FIELDS,
    required=ADDRESS_REQUIRED,
    searchable=ADDRESS_SEARCH,
    sortable=ADDRESS_SORT,
    read_roles=_roles("AddressAdmin", "AddressReader"),
    write_roles=_roles("AddressAdmin"),
    summaries=_crud_summaries("address", "addresses", "an"),
    parents=(BUYER_PARENT,),
    scope={"owner_type": models.User.Type.BUYER, "owner_user": None},
)

ADMIN_ADDRESSES = replace(
    ADDRESSES,
    prefix="AdminAddresses",
    tag="Admin Addresses",
    path="/addresses",
    read_roles=_roles("AdminAddressAdmin", "AdminAddressReader"),
    write_roles=_roles("AdminAddressAdmin"),
    summaries=_crud_summaries("admin address", "admin addresses", "an"),
    parents=(),
    scope={"owner_type": models.User.Type.ADMIN, "company_id": "", "owner_user": None},
)

SUPPLIER_ADDRESSES = replace(
    ADDRESSES,
    prefix="SupplierAddresses",
    tag="Supplier Addresses",
    path="/suppliers/{supplierID}/addresses",
    read_roles=_roles("SupplierAddressAdmin", "SupplierAddressReader"),
    write_roles=_roles("SupplierAddressAdmin"),
    summaries=_crud_summaries("supplier address", "supplier addresses"),
    parents=(SUPPLIER_PARENT,),
    scope={"owner_type": models.User.Type.SUPPLIER, "owner_user": None},
)

SUPPLIERS = Resource(
    name="Supplier",
    prefix="Suppliers",
    tag="Suppliers",
    path="/suppliers",
    id_param="supplierID",
    model=models.Supplier,
    fields=(
        _id(),
        Field("Name", attr="name", max_length=100, example="Supplier"),
        Field("Active", "boolean", attr="active", default=False, example=True),
        DATE_CREATED,
        Field("AllBuyersCanOrder", "boolean", attr="all_buyers_can_order", default=False),
        XP,
    ),
    required=("Name",),
    searchable=("Name", "ID"),
    sortable=("ID", "Name", "DateCreated"),
    read_roles=_roles("SupplierAdmin", "SupplierReader"),
    write_roles=_roles("SupplierAdmin"),
    summaries=_crud_summaries("supplier", "suppliers"),
    references=(
        Reference(models.User, "company_id", {"user_type": "supplier"}),
        Reference(models.UserGroup, "company_id", {"group_type": "supplier"}),
        Reference(models.Address, "company_id", {"owner_type": "supplier"}),
        Reference(models.SecurityProfileAssignment, "supplier_id"),
        Reference(models.ApiClientAssignment, "supplier_id"),
    ),
)


def _assigned_count(column: str) -> Callable:
    def count(client) -> int:
        return client.assignments.exclude(**{column: ""}).count()

    return count


API_CLIENTS = Resource(
    name="ApiClient",
    prefix="ApiClients",
    tag="Api Clients",
    path="/apiclients",
    id_param="apiClientID",
    model=models.ApiClient,
    fields=(
        Field("ID", attr="oc_id", read_only=True, example="8836BE8D-710A-4D2D-98BF-EDBE7227E3BB"),
        Field("ClientSecret", attr="client_secret"),
        Field(
            "AccessTokenDuration",
            "integer",
            attr="access_token_duration",
            format="int32",
            minimum=10,
            maximum=600,
            example=600,
        ),
        Field("Active", "boolean", attr="active", default=False, example=True),
        Field("AppName", attr="app_name", example="My App"),
        Field(
            "RefreshTokenDuration",
            "integer",
            attr="refresh_token_duration",
            format="int32",
            minimum=0,
            maximum=43200,
            default=0,
        ),
        Field("DefaultContextUserName", attr="default_context_username"),
        # Newer than the reference document: the lifetime of anonymous (IsAnonBuyer) tokens.
        Field(
            "AnonymousTokenDuration",
            "integer",
            attr="anonymous_token_duration",
            format="int32",
            minimum=10,
            maximum=525600,
            default=10080,
            example=10080,
        ),
        XP,
        Field("AllowAnyBuyer", "boolean", attr="allow_any_buyer", default=False),
        Field("AllowAnySupplier", "boolean", attr="allow_any_supplier", default=False),
        Field("AllowSeller", "boolean", attr="allow_seller", default=False),
        Field("IsAnonBuyer", "boolean", attr="is_anon_buyer", default=False),
        Field(
            "AssignedBuyerCount",
            "integer",
            format="int32",
            read_only=True,
            compute=_assigned_count("buyer_id"),
        ),
        Field(
            "AssignedSupplierCount",
            "integer",
            format="int32",
            read_only=True,
            compute=_assigned_count("supplier_id"),
        ),
        Field("OrderCheckoutIntegrationEventID", attr="order_checkout_integration_event_id"),
        Field("OrderCheckoutIntegrationEventName", read_only=True),
        Field("OrderReturnIntegrationEventID", attr="order_return_integration_event_id"),
        Field("OrderReturnIntegrationEventName", read_only=True),
        Field(
            "MinimumRequiredRoles",
            "array",
            attr="minimum_required_roles",
            items="ApiRole",
            default=[],
        ),
        Field(
            "MinimumRequiredCustomRoles",
            "array",
            attr="minimum_required_custom_roles",
            items="string",
            default=[],
        ),
        Field(
            "MaximumGrantedRoles",
            "array",
            attr="maximum_granted_roles",
            items="ApiRole",
            default=[],
        ),
        Field(
            "MaximumGrantedCustomRoles",
            "array",
            attr="maximum_granted_custom_roles",
            items="string",
            default=[],
        ),
    ),
    required=("AccessTokenDuration", "AppName"),
    searchable=("ID", "AppName", "DefaultContextUserName"),
    sortable=("ID", "AppName", "DefaultContextUserName"),
    read_roles=_roles("ApiClientAdmin", "ApiClientReader"),
    write_roles=_roles("ApiClientAdmin"),
    summaries={
        **_crud_summaries("API client", "API clients", "a"),
        "Save": "Update an API client.",
    },
    id_generated_only=True,
    save_creates=False,
)

SECURITY_PROFILES = Resource(
    name="SecurityProfile",
    prefix="SecurityProfiles",
    tag="Security Profiles",
    path="/securityprofiles",
    id_param="securityProfileID",
    model=models.SecurityProfile,
    fields=(
        _id(),
        Field("Name", attr="name", max_length=100, example="Full access"),
        Field("Roles", "array", attr="roles", items="ApiRole", default=[], example=["FullAccess"]),
        Field("CustomRoles", "array", attr="custom_roles", items="string", default=[]),
        Field("PasswordConfig", "object", attr="password_config", ref="PasswordConfig"),
    ),
    required=("Name",),
    searchable=("ID", "Name"),
    sortable=("ID", "Name"),
    read_roles=_roles("SecurityProfileAdmin", "SetSecurityProfile", "SecurityProfileReader"),
    write_roles=_roles("SecurityProfileAdmin", "SetSecurityProfile"),
    summaries=_crud_summaries("security profile", "security profiles"),
    references=(Reference(models.ImpersonationConfig, "security_profile_id"),),
)

IMPERSONATION_CONFIGS = Resource(
    name="ImpersonationConfig",
    prefix="ImpersonationConfigs",
    tag="Impersonation Configs",
    path="/impersonationconfig",
    id_param="impersonationConfigID",
    model=models.ImpersonationConfig,
    fields=(
        _id(),
        Field("ImpersonationBuyerID", attr="impersonation_buyer_id"),
        Field("ImpersonationGroupID", attr="impersonation_group_id"),
        Field("ImpersonationUserID", attr="impersonation_user_id"),
        Field("BuyerID", attr="buyer_id", example="buyer-1"),
        Field("GroupID", attr="group_id"),
        Field("UserID", attr="user_id"),
        Field("SecurityProfileID", attr="security_profile_id", example="profile-1"),
        Field("ClientID", attr="client_id", example="8836BE8D-710A-4D2D-98BF-EDBE7227E3BB"),
    ),
    required=("BuyerID", "SecurityProfileID", "ClientID"),
    searchable=(
        "ImpersonationBuyerID",
        "ImpersonationGroupID",
        "ImpersonationUserID",
        "BuyerID",
        "GroupID",
        "UserID",
        "SecurityProfileID",
        "ClientID",
        "ID",
    ),
    sortable=(
        "ImpersonationBuyerID",
        "ImpersonationGroupID",
        "ImpersonationUserID",
        "BuyerID",
        "GroupID",
        "UserID",
        "SecurityProfileID",
        "ClientID",
        "ID",
    ),
    read_roles=_roles("SetSecurityProfile"),
    write_roles=_roles("SetSecurityProfile"),
    summaries=_crud_summaries("impersonation config", "impersonation configs", "an"),
    checks_references=True,  # sandbox.engine.ImpersonationConfigHooks
)

INCREMENTORS = Resource(
    name="Incrementor",
    prefix="Incrementors",
    tag="Incrementors",
    path="/incrementors",
    id_param="incrementorID",
    model=models.Incrementor,
    fields=(
        _id(),
        Field("Name", attr="name", max_length=100, example="Order numbers"),
        Field("LastNumber", "integer", attr="last_number", format="int32", default=0, example=0),
        Field(
            "LeftPaddingCount",
            "integer",
            attr="left_padding_count",
            format="int32",
            default=0,
            example=6,
        ),
    ),
    required=("LastNumber", "LeftPaddingCount"),
    searchable=("ID", "Name"),
    sortable=("ID", "Name"),
    read_roles=_roles("IncrementorAdmin", "IncrementorReader"),
    write_roles=_roles("IncrementorAdmin"),
    summaries=_crud_summaries("incrementor", "incrementors", "an"),
)

RESOURCES: tuple[Resource, ...] = (
    BUYERS,
    USERS,
    USER_GROUPS,
    ADDRESSES,
    ADMIN_USERS,
    ADMIN_USER_GROUPS,
    ADMIN_ADDRESSES,
    API_CLIENTS,
    SECURITY_PROFILES,
    IMPERSONATION_CONFIGS,
    SUPPLIERS,
    SUPPLIER_USERS,
    SUPPLIER_USER_GROUPS,
    SUPPLIER_ADDRESSES,
    INCREMENTORS,
)


# --- operations -------------------------------------------------------------------------

LIST_STATUS = {"List": 200, "Create": 201, "Get": 200, "Save": 200, "Delete": 204}
LIST_STATUS["Patch"] = 200


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
        operations.append(
            Operation(
                operation_id=f"{resource.prefix}.{kind}",
                method=method,
                path=path,
                tag=resource.tag,
                summary=resource.summaries[kind],
                roles=roles,
                kind=kind,
                status=LIST_STATUS[kind],
                resource=resource,
                request=schema if kind in ("Create", "Save", "Patch") else None,
                request_required=resource.required if kind in ("Create", "Save") else (),
                response=None if kind == "Delete" else schema,
                is_list=kind == "List",
                query=tuple(param for param, _ in resource.list_params) if kind == "List" else (),
                searchable=resource.searchable if kind == "List" else (),
                sortable=resource.sortable if kind == "List" else (),
            )
        )
    return operations


@cache
def operations() -> tuple[Operation, ...]:
    """Every operation the sandbox implements (`/v1` + path), in document order."""
    # Custom operations (Me, moveto, assignments) are built on the generic ones in
    # sandbox.identity, which needs this module: imported here, not at the top.
    from sandbox import assignments, identity, me_addresses, supplier_buyers

    found: list[Operation] = []
    for resource in RESOURCES:
        found.extend(crud_operations(resource))
    found.extend(assignments.operations())
    found.extend(identity.operations())
    found.extend(me_addresses.operations())
    found.extend(supplier_buyers.operations())
    return tuple(found)


@cache
def schemas() -> dict[str, Schema]:
    """Every schema an operation's body or response uses, and the ones they refer to."""
    from sandbox import identity

    found = {schema.name: schema for schema in (PASSWORD_CONFIG, LOCALE, *identity.EXTRA_SCHEMAS)}
    for operation in operations():
        for schema in (operation.request, operation.response):
            if schema is not None:
                found.setdefault(schema.name, schema)
    return found
