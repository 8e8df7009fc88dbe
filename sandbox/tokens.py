"""The sandbox's JWTs: issued by the token endpoint, verified on every API request.

Signed with HS256 under a key derived from SECRET_KEY (so a leaked token key is not the
project's key). Issuer and audience are constants rather than URLs because the sandbox
answers under several host names (the console's, its own pool's, a container's).
"""

import hashlib
import hmac
import time
import uuid
from dataclasses import dataclass
from functools import cache

import jwt
from django.conf import settings

ISSUER = "urn:ordercloud-console:sandbox:auth"
AUDIENCE = "urn:ordercloud-console:sandbox:api"
# Refresh tokens are JWTs too, for another audience, so they never pass as access tokens.
REFRESH_AUDIENCE = "urn:ordercloud-console:sandbox:refresh"
ALGORITHM = "HS256"
LEEWAY_SECONDS = 5  # clock skew between the sandbox's own workers


@cache
def _signing_key(secret_key: str) -> bytes:
    return hmac.new(secret_key.encode(), b"sandbox-jwt-hs256", hashlib.sha256).digest()


def signing_key() -> bytes:
    return _signing_key(settings.SECRET_KEY)


@dataclass(frozen=True)
class Identity:
    """Who a token speaks for; becomes the claims usr, cid, u, usrtype and role."""

    username: str
    client_id: str
    user_id: str
    user_type: str
    roles: tuple[str, ...]


def encode(identity: Identity, lifetime_seconds: int, audience: str = AUDIENCE) -> str:
    now = int(time.time())
    roles = identity.roles
    claims = {
        "usr": identity.username,
        "cid": identity.client_id,
        "u": identity.user_id,
        "usrtype": identity.user_type,
        # OrderCloud's shape: a string for one role, an array for several.
        "role": roles[0] if len(roles) == 1 else list(roles),
        "iss": ISSUER,
        "aud": audience,
        "exp": now + lifetime_seconds,
        "nbf": now,
        "jti": uuid.uuid4().hex,
    }
    return jwt.encode(claims, signing_key(), algorithm=ALGORITHM)


REQUIRED_CLAIMS = ["usr", "cid", "u", "usrtype", "role", "iss", "aud", "exp", "nbf", "jti"]


def decode(raw: str, audience: str = AUDIENCE) -> dict:
    """The claims of a valid token; raises jwt.InvalidTokenError otherwise."""
    claims = jwt.decode(
        raw,
        signing_key(),
        algorithms=[ALGORITHM],
        audience=audience,
        issuer=ISSUER,
        leeway=LEEWAY_SECONDS,
        options={"require": REQUIRED_CLAIMS},
    )
    for name in ("usr", "cid", "u", "usrtype", "jti"):
        if not isinstance(claims[name], str):
            raise jwt.InvalidTokenError(f"claim {name} is not a string")
    role = claims["role"]
    if not (
        isinstance(role, str) or (isinstance(role, list) and all(isinstance(r, str) for r in role))
    ):
        raise jwt.InvalidTokenError("claim role is neither a string nor strings")
    return claims


def roles_of(claims: dict) -> tuple[str, ...]:
    role = claims["role"]
    return (role,) if isinstance(role, str) else tuple(role)
