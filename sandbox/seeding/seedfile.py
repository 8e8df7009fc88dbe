"""OrderCloud's seeding format (`@ordercloud/seeding`): a marketplace as YAML.

A file has two sections, `Objects:` and `Assignments:`, each a mapping from a resource
name (`Users`, `CatalogAssignments`, ...) to a list of records in the API's own shape. A
record names the objects its path needs in fields of its own: a user's `BuyerID`, a
category's `CatalogID`, a spec option's `SpecID` (the path parameter `buyerID` is the
field `BuyerID`). `OwnerID` values that are the seller organization itself are written as
a placeholder, so that a file can be loaded into any organization. Products carry their
variants in a `Variants` list of their own.

`KINDS` is the format's table of names: for each, the operation that writes one record
and the one that lists them, in the order a loader must follow (an object before what
names it). This is knowledge of the format, not of the sandbox: a name whose operations
the sandbox does not implement yet is simply not loadable (and reported as such).
"""

import json
import math
from dataclasses import dataclass
from datetime import date, datetime

import yaml

MARKETPLACE_PLACEHOLDER = "<MarketplaceID placeholder>"
REDACTED = "<Redacted. Leave unchanged.>"
SECTIONS = ("Objects", "Assignments")
# Fields that name the seller organization (written as the placeholder).
OWNER_FIELDS = ("OwnerID", "SellerID")
# Fields that hold a ClientID: rewritten when an imported API client gets a new one.
CLIENT_ID_FIELDS = ("ClientID", "ApiClientID", "OrderCloudApiClientID")
# Which resource's objects fill a path parameter when a list goes through each parent.
PARENTS = {
    "buyerID": "Buyers",
    "supplierID": "Suppliers",
    "catalogID": "Catalogs",
    "specID": "Specs",
    "productID": "Products",
}
# A file larger than this many values (after YAML aliases are expanded) is refused.
MAX_VALUES = 20_000_000


@dataclass(frozen=True)
class Kind:
    """One resource name of the format."""

    name: str  # the YAML key, e.g. "Users"
    save: str  # operationId that writes one record, e.g. "Users.Create"
    list: str  # operationId that lists them, e.g. "Users.List"
    assignment: bool = False
    aliases: tuple[str, ...] = ()  # other spellings seen in files
    # Listing: extra query parameters (Categories: every depth, not just the top level).
    list_query: tuple[tuple[str, str], ...] = ()
    # A list whose items are the other side of a link (Suppliers.ListBuyers gives buyers):
    # the item's ID goes into this field, the rest is dropped.
    listed_as: str | None = None
    # A field naming another record of the same kind: parents are written first.
    tree: str | None = None
    # Fields naming records written later (Spec.DefaultOptionID): saved by `patch` once
    # every record of the file is in.
    deferred: tuple[str, ...] = ()
    patch: str | None = None
    # Records kept inside another kind's records (a product's `Variants`), in a field of
    # this kind's name.
    inline_in: str | None = None
    # Records made by this operation on their parent (once per parent) and then saved
    # over: the parents to make them for are those whose `count_field` is above 0.
    generated_by: str | None = None
    count_field: str | None = None
    # Read-only copies of this kind's records inside another kind's (a spec's Options, as
    # the API returns it): (that kind, its field). Loading needs the records themselves.
    copied_in: tuple[str, str] | None = None


def assignment(name, save, list_, **kw) -> Kind:
    return Kind(name, save, list_, assignment=True, **kw)


# In loading order (the format's "create priority"): what a record names comes first.
KINDS = (
    Kind("Incrementors", "Incrementors.Create", "Incrementors.List"),
    Kind("XpIndices", "XpIndices.Put", "XpIndices.List"),
    Kind("SecurityProfiles", "SecurityProfiles.Create", "SecurityProfiles.List"),
    Kind("AdminUsers", "AdminUsers.Create", "AdminUsers.List"),
    Kind("AdminUserGroups", "AdminUserGroups.Create", "AdminUserGroups.List"),
    Kind("AdminAddresses", "AdminAddresses.Create", "AdminAddresses.List"),
    Kind("MessageSenders", "MessageSenders.Create", "MessageSenders.List"),
    Kind("IntegrationEvents", "IntegrationEvents.Create", "IntegrationEvents.List"),
    Kind("Suppliers", "Suppliers.Create", "Suppliers.List"),
    Kind("ProductFacets", "ProductFacets.Create", "ProductFacets.List"),
    Kind("Locales", "Locales.Create", "Locales.List"),
    Kind("SupplierUsers", "SupplierUsers.Create", "SupplierUsers.List"),
    Kind("SupplierUserGroups", "SupplierUserGroups.Create", "SupplierUserGroups.List"),
    Kind("SupplierAddresses", "SupplierAddresses.Create", "SupplierAddresses.List"),
    Kind("Catalogs", "Catalogs.Create", "Catalogs.List"),
    Kind("PriceSchedules", "PriceSchedules.Create", "PriceSchedules.List"),
    Kind(
        "Specs",
        "Specs.Create",
        "Specs.List",
        deferred=("DefaultOptionID",),
        patch="Specs.Patch",
    ),
    Kind("Promotions", "Promotions.Create", "Promotions.List"),
    assignment(
        "AdminUserGroupAssignments",
        "AdminUserGroups.SaveUserAssignment",
        "AdminUserGroups.ListUserAssignments",
    ),
    Kind(
        "Categories",
        "Categories.Create",
        "Categories.List",
        list_query=(("depth", "all"),),
        tree="ParentID",
    ),
    Kind("SpecOptions", "Specs.CreateOption", "Specs.ListOptions", copied_in=("Specs", "Options")),
    Kind("Products", "Products.Create", "Products.List"),
    Kind("SellerApprovalRules", "SellerApprovalRules.Create", "SellerApprovalRules.List"),
    assignment(
        "SupplierUserGroupsAssignments",
        "SupplierUserGroups.SaveUserAssignment",
        "SupplierUserGroups.ListUserAssignments",
    ),
    Kind("Buyers", "Buyers.Create", "Buyers.List"),
    Kind("Users", "Users.Create", "Users.List"),
    Kind("UserGroups", "UserGroups.Create", "UserGroups.List"),
    Kind("Addresses", "Addresses.Create", "Addresses.List"),
    Kind("CostCenters", "CostCenters.Create", "CostCenters.List"),
    Kind("CreditCards", "CreditCards.Create", "CreditCards.List"),
    Kind("SpendingAccounts", "SpendingAccounts.Create", "SpendingAccounts.List"),
    Kind("InventoryRecords", "InventoryRecords.Create", "InventoryRecords.List"),
    assignment("CatalogAssignments", "Catalogs.SaveAssignment", "Catalogs.ListAssignments"),
    assignment(
        "ProductCatalogAssignment",
        "Catalogs.SaveProductAssignment",
        "Catalogs.ListProductAssignments",
        aliases=("ProductCatalogAssignments",),
    ),
    assignment(
        "CategoryProductAssignments",
        "Categories.SaveProductAssignment",
        "Categories.ListProductAssignments",
    ),
    assignment(
        "SpecProductAssignments", "Specs.SaveProductAssignment", "Specs.ListProductAssignments"
    ),
    assignment(
        "ProductSupplierAssignments",
        "Products.SaveSupplier",
        "Products.ListSuppliers",
        listed_as="SupplierID",
    ),
    assignment(
        "SupplierBuyerAssignments",
        "Suppliers.SaveBuyer",
        "Suppliers.ListBuyers",
        listed_as="BuyerID",
    ),
    Kind("ApprovalRules", "ApprovalRules.Create", "ApprovalRules.List"),
    Kind("ApiClients", "ApiClients.Create", "ApiClients.List"),
    # Generated from the product's specs, then saved over (Products.GenerateVariants).
    Kind(
        "Variants",
        "Products.SaveVariant",
        "Products.ListVariants",
        inline_in="Products",
        generated_by="Products.GenerateVariants",
        count_field="VariantCount",
    ),
    assignment(
        "SecurityProfileAssignments",
        "SecurityProfiles.SaveAssignment",
        "SecurityProfiles.ListAssignments",
    ),
    assignment("LocaleAssignments", "Locales.SaveAssignment", "Locales.ListAssignments"),
    assignment(
        "UserGroupAssignments", "UserGroups.SaveUserAssignment", "UserGroups.ListUserAssignments"
    ),
    assignment("AddressAssignments", "Addresses.SaveAssignment", "Addresses.ListAssignments"),
    assignment(
        "CostCenterAssignments", "CostCenters.SaveAssignment", "CostCenters.ListAssignments"
    ),
    assignment(
        "CreditCardAssignments", "CreditCards.SaveAssignment", "CreditCards.ListAssignments"
    ),
    assignment(
        "SpendingAccountAssignments",
        "SpendingAccounts.SaveAssignment",
        "SpendingAccounts.ListAssignments",
    ),
    assignment("ProductAssignments", "Products.SaveAssignment", "Products.ListAssignments"),
    assignment("CategoryAssignments", "Categories.SaveAssignment", "Categories.ListAssignments"),
    assignment(
        "PromotionAssignments",
        "Promotions.SaveAssignment",
        "Promotions.ListAssignments",
        aliases=("PromotionAssignment",),
    ),
    Kind("ImpersonationConfigs", "ImpersonationConfigs.Create", "ImpersonationConfigs.List"),
    Kind("OpenIdConnects", "OpenIdConnects.Create", "OpenIdConnects.List"),
    Kind("Webhooks", "Webhooks.Create", "Webhooks.List"),
    Kind(
        "VariantInventoryRecords",
        "InventoryRecords.CreateVariant",
        "InventoryRecords.ListVariant",
    ),
    assignment("ApiClientAssignments", "ApiClients.SaveAssignment", "ApiClients.ListAssignments"),
)


def find_kind(section: str, name: str) -> Kind | None:
    """The kind a section's key names (its name or an alias), or None."""
    for kind in KINDS:
        if kind.assignment == (section == "Assignments") and name in (kind.name, *kind.aliases):
            return kind
    return None


def field_of(param: str) -> str:
    """The record field that fills a path parameter: `buyerID` -> `BuyerID`."""
    return param[0].upper() + param[1:]


def parent_param(name: str) -> str:
    """The path parameter that a record of kind `name` fills: Products -> productID."""
    return next(param for param, kind in PARENTS.items() if kind == name)


# --- reading and writing ----------------------------------------------------------------


class FormatError(Exception):
    """The file is not valid YAML, or not a marketplace in the seeding format."""


def read(text: str | bytes) -> dict:
    """The file's sections, `{section: {name: [record, ...]}}`, with JSON values only
    (dates as ISO 8601 text); FormatError when it is not the format."""
    try:
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise FormatError(f"not valid YAML: {error.problem}{where}") from None
    except yaml.YAMLError as error:  # e.g. bytes that are not UTF-8 / UTF-16
        message = " ".join(str(error).split())
        raise FormatError(f"not valid YAML: {message}") from None
    except RecursionError:
        raise FormatError("not valid YAML: nested too deeply") from None
    data = _as_json(data, [0])
    if not isinstance(data, dict):
        raise FormatError("not a marketplace: expected a mapping with Objects and Assignments")
    extra = [key for key in data if key not in SECTIONS]
    if extra:
        raise FormatError(
            f"not a marketplace: unknown top-level key {extra[0]!r}"
            " (expected Objects and Assignments)"
        )
    if not any(section in data for section in SECTIONS):
        raise FormatError("not a marketplace: neither Objects nor Assignments is given")
    sections = {}
    for section in SECTIONS:
        names = data.get(section) or {}
        if not isinstance(names, dict):
            raise FormatError(f"{section} must map resource names to lists of records")
        for name, records in names.items():
            if records is not None and not isinstance(records, list):
                raise FormatError(f"{section}.{name} must be a list of records")
        sections[section] = {name: records or [] for name, records in names.items()}
    return sections


def _as_json(value, budget: list[int]):
    """The value as JSON would carry it: text keys, ISO dates; refuses other YAML types."""
    budget[0] += 1
    if budget[0] > MAX_VALUES:
        raise FormatError(f"too large: more than {MAX_VALUES:,} values")
    if isinstance(value, dict):
        return {_key(key): _as_json(item, budget) for key, item in value.items()}
    if isinstance(value, list):
        return [_as_json(item, budget) for item in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        return value  # refused by validation, naming the field
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise FormatError(f"not the format: a {type(value).__name__} value has no JSON form")


def _key(key) -> str:
    if isinstance(key, str):
        return key
    if key is None or isinstance(key, bool | int | float | date):
        return json.dumps(key, default=str).strip('"')
    raise FormatError(f"not the format: a {type(key).__name__} key has no JSON form")


def write(sections: dict) -> str:
    """YAML text of `{section: {name: [record, ...]}}`, in the order given."""
    return yaml.dump(
        sections,
        Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper),
        sort_keys=False,
        allow_unicode=True,
        width=100,
    )
