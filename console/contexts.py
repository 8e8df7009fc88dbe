"""Typed access to what a user keeps in the server-side session.

The session is the only place an access token lives; the browser holds the session cookie.
"""

from dataclasses import asdict, dataclass
from datetime import UTC, datetime

from console import environments

AUTH_KEY = "console.auth"


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


@dataclass(frozen=True)
class AuthContext:
    """A signed-in user: who, where, with which roles, until when, and the token itself."""

    environment_id: str
    client_id: str
    username: str  # the name given at sign-in
    user: str  # the token's `usr` claim: differs from username under DevCenterImpersonate
    roles: tuple[str, ...]
    expires_at: datetime
    access_token: str
    refresh_token: str = ""

    @property
    def environment(self):
        """Where the user signed in (None once it is no longer configured)."""
        return environments.get(self.environment_id)

    @property
    def expired(self):
        return datetime.now(UTC) >= self.expires_at

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

    def __repr__(self):
        # Never let a token reach a log line or a debug page through repr().
        return (
            f"AuthContext(environment_id={self.environment_id!r}, username={self.username!r}, "
            f"roles={self.roles!r}, expires_at={self.expires_at.isoformat()!r})"
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


def get_auth(session):
    """The signed-in user's context, or None (also when the stored data is unreadable)."""
    data = session.get(AUTH_KEY)
    if not data:
        return None
    try:
        return AuthContext.from_session(data)
    except (TypeError, KeyError, ValueError):
        return None


def set_auth(session, auth):
    session[AUTH_KEY] = auth.to_session()
