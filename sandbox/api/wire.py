"""Models to OrderCloud's JSON: field names from each model's `wire_fields`."""

from datetime import UTC, datetime

from sandbox.models import User


def timestamp(value: datetime) -> str:
    """ISO 8601 in UTC, e.g. 2025-01-31T12:00:00.000+00:00."""
    return value.astimezone(UTC).isoformat(timespec="milliseconds")


def to_wire(obj) -> dict:
    out = {}
    for name, attribute in obj.wire_fields.items():
        value = getattr(obj, attribute)
        out[name] = timestamp(value) if isinstance(value, datetime) else value
    return out


def me_user(user: User, available_roles: list[str]) -> dict:
    """OrderCloud's MeUser: the user, its roles and its company; never its password."""
    company = {"Buyer": None, "Supplier": None, "Seller": None}
    match user.user_type:
        case User.Type.ADMIN:
            company["Seller"] = {"ID": user.marketplace.oc_id}
        case User.Type.BUYER:
            # Until buyers exist, a buyer's DefaultCatalogID is unknown.
            company["Buyer"] = {"ID": user.company_id, "DefaultCatalogID": None}
        case User.Type.SUPPLIER:
            company["Supplier"] = {"ID": user.company_id}
    fields = to_wire(user)
    fields.pop("FailedLoginAttempts")  # on User, not on MeUser (OrderCloud's own models)
    dates = {name: fields.pop(name) for name in ("DateCreated", "PasswordLastSetDate")}
    return {**company, **fields, "AvailableRoles": available_roles, "Locale": None, **dates}
