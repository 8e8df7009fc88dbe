"""What an OrderCloud error in a response means, in plain words, and what to do about it.

Read from the recorded Exchange (secrets already redacted), so that any exchange shown
can be explained. OrderCloud answers `{"Errors": [{"ErrorCode", "Message", "Data"}]}`.
"""

import json
from dataclasses import dataclass, field

from console.catalog.forms import input_name

MAX_ERRORS = 20


@dataclass(frozen=True)
class Explanation:
    kind: str  # expired, refused, roles, not-found or validation
    message: str = ""  # the API's own Message, when it helps
    roles: tuple[str, ...] = ()  # roles: any one of them would do
    roles_to_ask: str = ""  # roles: the Roles to sign in again with
    object_type: str = ""  # not-found
    object_id: str = ""
    fields: dict = field(default_factory=dict)  # validation: {field: message}

    @property
    def marks(self):
        """{the composer's input: message} for the fields the API refused."""
        marks = {}
        for name, message in self.fields.items():
            top = name.split(".", 1)[0] if not name.startswith("xp.") else "xp"
            for location in ("body", "path", "query"):
                marks.setdefault(input_name(location, top), message)
        return marks


def api_errors(exchange):
    """The Errors of an OrderCloud error response ([] when it has none). Read from the
    body as received: a success is never parsed (a 20 MB list would cost a second)."""
    if exchange.truncated or not exchange.body or (exchange.status or 0) < 400:
        return []
    try:
        data = json.loads(exchange.body)
    except (ValueError, RecursionError):
        return []
    errors = data.get("Errors") if isinstance(data, dict) else None
    if not isinstance(errors, list):
        return []
    return [e for e in errors[:MAX_ERRORS] if isinstance(e, dict)]


def explain(exchange, auth=None, sent_token=False, operation=None):
    """The Explanation of exchange's error, or None when there is nothing to add."""
    if exchange is None or exchange.status is None:
        return None
    errors = api_errors(exchange)
    first = errors[0] if errors else {}
    code, message = _text(first.get("ErrorCode")), _text(first.get("Message"))
    data = first.get("Data") if isinstance(first.get("Data"), dict) else {}
    status = exchange.status
    if status == 401 and sent_token:
        expired = (auth is not None and auth.expired) or "expired" in message.lower()
        return Explanation("expired" if expired else "refused", message=message)
    if status == 403 and code == "Auth.InsufficientRoles":
        roles = data.get("SufficientRoles")
        roles = tuple(_text(r) for r in roles if _text(r)) if isinstance(roles, list) else ()
        roles = roles or (operation.roles if operation is not None else ())
        held = auth.roles if auth is not None else ()
        return Explanation(
            "roles",
            message=message,
            roles=roles,
            roles_to_ask=" ".join(dict.fromkeys((*held, *roles))),
        )
    if status == 404 and code == "NotFound":
        return Explanation(
            "not-found",
            message=message,
            object_type=_text(data.get("ObjectType")) or "object",
            object_id=_text(data.get("ObjectID")),
        )
    if status == 400 and code == "ValidationFailure":
        fields = {}
        for error in errors:
            details = error.get("Data") if isinstance(error.get("Data"), dict) else {}
            name = next(
                (
                    _text(details.get(k))
                    for k in ("Field", "Property", "PropertyName")
                    if k in details
                ),
                "",
            )
            if name and error.get("ErrorCode") == "ValidationFailure":
                fields.setdefault(name, _text(error.get("Message")) or "Refused by the API.")
        return Explanation("validation", message=message, fields=fields)
    return None


def _text(value):
    return value[:500] if isinstance(value, str) else ""
