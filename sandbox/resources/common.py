"""What the resource families share: field sets, roles, summaries, parents, list pages.

Paths, operationIds, tags, summaries, field names, max lengths, read-only flags, the
searchOn / sortBy enums and the roles of each operation in `sandbox.resources` are
OrderCloud's, copied from its OpenAPI document.
"""

from http import HTTPStatus

from sandbox.api import listing
from sandbox.api.spec import Field, Parent, Schema
from sandbox.auth.roles import FULL_ACCESS
from sandbox.models import Buyer, Supplier

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


def assignment_page(call, queryset, columns: dict[str, str], serialize, params):
    """A ListPage of assignments: filters on `columns` (wire name -> ORM path), paging;
    `params` are the operation's own query parameters, already applied."""
    return HTTPStatus.OK, listing.list_page(
        queryset,
        call.query,
        fields={name: listing.Column(path) for name, path in columns.items()},
        searchable=(),
        sortable=(),
        serialize=serialize,
        ignore=[param.name for param in params],
    )
