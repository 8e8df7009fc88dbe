"""Wire helpers: OrderCloud's timestamps and generated IDs, and models to JSON by their
`wire_fields`."""

import secrets
from datetime import UTC, datetime


def timestamp(value: datetime) -> str:
    """ISO 8601 in UTC, e.g. 2025-01-31T12:00:00.000+00:00."""
    return value.astimezone(UTC).isoformat(timespec="milliseconds")


def generate_id() -> str:
    """22 URL-safe characters, like the IDs OrderCloud generates."""
    return secrets.token_urlsafe(16)


def to_wire(obj) -> dict:
    """A model's OrderCloud fields (`wire_fields`: wire name -> attribute)."""
    out = {}
    for name, attribute in obj.wire_fields.items():
        value = getattr(obj, attribute)
        out[name] = timestamp(value) if isinstance(value, datetime) else value
    return out
