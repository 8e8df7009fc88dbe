"""What the resource families share: field sets, roles, summaries, parents, list pages.

Paths, operationIds, tags, summaries, field names, max lengths, read-only flags, the
searchOn / sortBy enums and the roles of each operation in `sandbox.resources` are
OrderCloud's, copied from its OpenAPI document.
"""

from http import HTTPStatus

from sandbox.api import listing
from sandbox.api.errors import not_found, validation_failure
from sandbox.api.spec import Field, Hooks, Parent, Schema
from sandbox.auth.roles import FULL_ACCESS
from sandbox.models import Buyer, Supplier, User

# --- roles and summaries -----------------------------------------------------------------


def full_access_or(*roles: str) -> tuple[str, ...]:
    """An operation's roles: FullAccess, or any of `roles`."""
    return (FULL_ACCESS, *roles)


def crud_summaries(singular: str, plural: str, article: str = "a") -> dict[str, str]:
    return {
        "List": f"Get a list of {plural}.",
        "Create": f"Create a new {singular}.",
        "Get": f"Get a single {singular}.",
        "Save": f"Create or update {article} {singular}.",
        "Delete": f"Delete {article} {singular}.",
        "Patch": f"Partially update {article} {singular}.",
    }


# --- fields --------------------------------------------------------------------------------


def id_field(max_length=100, **kw) -> Field:
    return Field("ID", attr="oc_id", max_length=max_length, example="ID-1", **kw)


XP = Field("xp", "object", attr="xp", default=None, example={})
DATE_CREATED = Field("DateCreated", "datetime", attr="date_created", read_only=True)
# The organization that owns a catalog, product, price schedule or spec: the marketplace
# (its ID) or one of its suppliers (OwnedHooks).
OWNER_ID = Field("OwnerID", attr="owner_id")


def owner_of(call) -> str:
    """The organization a caller creates things for: its supplier, else the marketplace."""
    user = call.token.user
    if user.user_type == User.Type.SUPPLIER:
        return user.company_id
    return call.marketplace.oc_id


class OwnedHooks(Hooks):
    """OwnerID: the caller's organization unless the marketplace's admin names one of its
    suppliers (404 for another ID); kept when a write leaves it out. A supplier user
    reaches only its supplier's objects, and what it creates is its supplier's."""

    def queryset(self, call, queryset):
        user = call.token.user
        if user.user_type == User.Type.SUPPLIER:
            return queryset.filter(owner_id=user.company_id)
        return queryset

    def before_write(self, call, obj, values, given):
        stored = None
        if obj.pk is not None:
            stored = type(obj).objects.filter(pk=obj.pk).values_list("owner_id", flat=True)[0]
        if call.token.user.user_type == User.Type.SUPPLIER or not obj.owner_id:
            obj.owner_id = stored or owner_of(call)
        elif obj.owner_id != call.marketplace.oc_id and not (
            Supplier.objects.filter(marketplace=call.marketplace, oc_id=obj.owner_id).exists()
        ):
            raise not_found("Supplier", obj.owner_id)


def check_xp_path(path: str | None, name: str) -> None:
    """A dotted path into xp ("Facets.Color"): parts of letters, digits, '_' and '-'."""
    if path is None:
        return
    parts = path.split(".")
    if not all(part and part.replace("_", "").replace("-", "").isalnum() for part in parts):
        raise validation_failure(
            f"{name} must be a dotted path of letters, digits, '_' and '-' (Facets.Color).",
            name,
        )


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
        id_field(),
        Field("OwnerID"),
        Field("Currency", max_length=100),
        Field("Language", max_length=100),
    ),
)

USER_FIELDS = (
    id_field(),
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
    Field("Locale", "object", read_only=True, ref=LOCALE),
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

ADDRESS_FIELDS = (
    id_field(),
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

# --- where objects live ----------------------------------------------------------------------

BUYER_PARENT = Parent("buyerID", Buyer, "Buyer", "company_id")
SUPPLIER_PARENT = Parent("supplierID", Supplier, "Supplier", "company_id")

# --- assignment lists ------------------------------------------------------------------------

# The levels an address or security profile assignment is made at.
LEVELS = ("User", "Group", "Company")


def assignment_page(
    call, queryset, columns: dict[str, str], serialize, params, searchable=(), sortable=()
):
    """A ListPage of assignments: filters on `columns` (wire name -> ORM path, or
    listing.Column), paging; `params` are the operation's own query parameters, already
    applied."""
    return HTTPStatus.OK, listing.list_page(
        queryset,
        call.query,
        fields={
            name: path if isinstance(path, listing.Column) else listing.Column(path)
            for name, path in columns.items()
        },
        searchable=searchable,
        sortable=sortable,
        serialize=serialize,
        ignore=[param.name for param in params],
    )


def filter_by(call, queryset, params: dict[str, str]):
    """`queryset` narrowed by the operation's query parameters that are given:
    {param: ORM path}."""
    for param, path in params.items():
        if call.query.get(param):
            queryset = queryset.filter(**{path: call.query[param]})
    return queryset


def boolean_param(call, name: str) -> bool | None:
    """A true / false query parameter (None when absent; 400 when neither)."""
    value = call.query.get(name)
    if value in (None, ""):
        return None
    if value.lower() not in ("true", "false"):
        raise validation_failure(f"{name} must be true or false.", name)
    return value.lower() == "true"
