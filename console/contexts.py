"""The auth contexts a browser session keeps: several named identities, one of them active.

The server-side session is the only place an access token, a refresh token or a kept
client secret lives; the browser holds the session cookie and sees them redacted.
"""

import secrets
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime, timedelta

import jwt

from console import environments

CONTEXTS_KEY = "console.contexts"
# A token this close to its expiry is refreshed before a request goes out with it.
REFRESH_MARGIN = timedelta(seconds=60)
# The claims the token inspector shows first, in this order (OrderCloud's own).
MAIN_CLAIMS = ("usr", "cid", "u", "usrtype", "role", "exp", "nbf")
USER_TYPES = {"admin": "Admin", "buyer": "Buyer", "supplier": "Supplier"}
GRANT_NAMES = {
    "password": "password",
    "elevated": "password + client secret",
    "client_credentials": "client credentials",
    "anonymous": "anonymous shopper",
    "refresh_token": "refresh token",
    "impersonation": "impersonation",
}


def redact(secret):
    """Enough of a secret to recognise it, never enough to use it: `eyJhbG…x9Qk`."""
    if not secret:
        return ""
    if len(secret) < 16:
        return "…"
    return f"{secret[:6]}…{secret[-4:]}"


def token_secrets(*tokens):
    """{token: how it is shown} for the tokens a request carries or a response returns."""
    return {token: redact(token) for token in tokens if token}


def decode_claims(access_token):
    """The JWT's claims, unverified: for display only, the API verifies the token."""
    try:
        claims = jwt.decode(access_token, options={"verify_signature": False})
    except jwt.PyJWTError:
        return {}
    return claims if isinstance(claims, dict) else {}


def roles_of(claims):
    """The `role` claim, which OrderCloud sends as a string for one role, a list for more."""
    role = claims.get("role", [])
    if isinstance(role, str):
        return (role,)
    if isinstance(role, list):
        return tuple(str(r) for r in role)
    return ()


@dataclass(frozen=True)
class AuthContext:
    """A signed-in identity: its name, where, who, with which roles, until when, and the
    token itself (with what refreshes it)."""

    id: str
    name: str
    environment_id: str
    grant: str  # password, elevated, client_credentials, anonymous, refresh_token, impersonation
    client_id: str
    username: str  # the name given at sign-in (empty for client grants)
    user: str  # the token's `usr` claim: differs from username under DevCenterImpersonate
    user_type: str  # the token's `usrtype` claim
    roles: tuple[str, ...]
    expires_at: datetime
    access_token: str
    refresh_token: str = ""
    client_secret: str = ""  # kept only when the user ticked "Keep for refresh"
    impersonated_by: str = ""  # the name of the context that impersonated this user

    @property
    def environment(self):
        """Where the context signed in (None once it is no longer configured)."""
        return environments.get(self.environment_id)

    @property
    def environment_name(self):
        env = self.environment
        return env.name if env else self.environment_id

    @property
    def expired(self):
        return datetime.now(UTC) >= self.expires_at

    @property
    def expiring(self):
        """Expired, or about to: a refresh is due before the next request."""
        return datetime.now(UTC) >= self.expires_at - REFRESH_MARGIN

    @property
    def refreshable(self):
        return bool(self.refresh_token)

    @property
    def expires_in_text(self):
        """Time left, short: "9 h 59 min", "4 min", "30 s"."""
        seconds = int((self.expires_at - datetime.now(UTC)).total_seconds())
        hours, rest = divmod(max(seconds, 0), 3600)
        if hours:
            return f"{hours} h {rest // 60} min"
        return f"{rest // 60} min" if rest >= 60 else f"{rest} s"

    @property
    def redacted_token(self):
        return redact(self.access_token)

    @property
    def kind(self):
        """ "Admin", "Buyer", "Supplier" (from usrtype), or "Anonymous shopper"."""
        if self.grant == "anonymous":
            return "Anonymous shopper"
        return USER_TYPES.get(self.user_type, self.user_type.title() or "User")

    @property
    def grant_name(self):
        return GRANT_NAMES.get(self.grant, self.grant)

    @property
    def claims(self):
        """[(name, value shown)] of the token's claims, OrderCloud's main ones first."""
        claims = decode_claims(self.access_token)
        names = [n for n in MAIN_CLAIMS if n in claims] + sorted(set(claims) - set(MAIN_CLAIMS))
        return [(name, _claim_text(name, claims[name])) for name in names]

    def __repr__(self):
        # Never let a token or secret reach a log line or a debug page through repr().
        return (
            f"AuthContext(name={self.name!r}, environment_id={self.environment_id!r}, "
            f"user={self.user!r}, roles={self.roles!r}, "
            f"expires_at={self.expires_at.isoformat()!r})"
        )

    def to_session(self):
        data = asdict(self)
        data["roles"] = list(self.roles)
        data["expires_at"] = self.expires_at.isoformat()
        return data

    @classmethod
    def from_session(cls, data):
        return cls(
            **{
                **data,
                "roles": tuple(data["roles"]),
                "expires_at": datetime.fromisoformat(data["expires_at"]),
            }
        )


def _claim_text(name, value):
    if name in ("exp", "nbf", "iat") and isinstance(value, int | float):
        when = datetime.fromtimestamp(value, UTC)
        number = int(value) if float(value).is_integer() else value
        return f"{number} ({when:%Y-%m-%d %H:%M:%S} UTC)"
    if isinstance(value, list):
        return " ".join(str(v) for v in value)
    return str(value)


def new_context(**fields):
    """An AuthContext with a fresh id and, unless given, a name from its token."""
    context = AuthContext(id=secrets.token_hex(4), **{"name": "", **fields})
    return context if context.name else replace(context, name=default_name(context))


def default_name(context):
    """ "Admin: demo-admin", "Buyer: jane", "Anonymous shopper"."""
    if context.grant == "anonymous":
        return context.kind
    return f"{context.kind}: {context.user or context.username or context.client_id}"


# --- The session -------------------------------------------------------------------------


def _stored(session):
    data = session.get(CONTEXTS_KEY)
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        return {"active": "", "items": []}
    return data


def all_contexts(session):
    """The session's contexts in the order they were added (unreadable ones left out)."""
    found = []
    for item in _stored(session)["items"]:
        try:
            found.append(AuthContext.from_session(item))
        except (TypeError, KeyError, ValueError):
            continue
    return found


def get(session, context_id):
    return next((c for c in all_contexts(session) if c.id == context_id), None)


def get_auth(session):
    """The active context, or None (also when the stored data is unreadable)."""
    return get(session, _stored(session).get("active", ""))


def _save(session, items, active):
    session[CONTEXTS_KEY] = {"active": active, "items": [c.to_session() for c in items]}


def add(session, context):
    """Add context and make it active; one with the same name is replaced in its place."""
    items = all_contexts(session)
    same = next((i for i, c in enumerate(items) if c.name.lower() == context.name.lower()), None)
    if same is None:
        items.append(context)
    else:
        items[same] = context
    _save(session, items, context.id)


def update(session, context):
    """Store a context's new token (after a refresh); a context signed out meanwhile stays out."""
    items = all_contexts(session)
    if any(c.id == context.id for c in items):
        items = [context if c.id == context.id else c for c in items]
        _save(session, items, _stored(session).get("active", ""))


def activate(session, context_id):
    """Make a context the active one; False when the session has no such context."""
    items = all_contexts(session)
    if not any(c.id == context_id for c in items):
        return False
    _save(session, items, context_id)
    return True


def remove(session, context_id):
    """Sign out of one context; when it was the active one, the last added one takes over."""
    items = [c for c in all_contexts(session) if c.id != context_id]
    active = _stored(session).get("active", "")
    if active == context_id or not any(c.id == active for c in items):
        active = items[-1].id if items else ""
    _save(session, items, active)


def sending_as(session, chosen, environment_id):
    """The context a request goes out as: (context or None for no token, why not).

    `chosen` is the composer's "Send as": a context id, or "" for no token. Posted
    without it (None), the active context's token goes, to its own environment only.
    """
    if chosen is None:
        auth = get_auth(session)
        return (auth if auth and auth.environment_id == environment_id else None), ""
    if not chosen:
        return None, ""
    context = get(session, chosen)
    if context is None:
        return None, (
            "That context is no longer signed in (signed out, or the session changed, "
            "maybe in another tab): choose whom to send as again. Nothing was sent."
        )
    return context, ""
