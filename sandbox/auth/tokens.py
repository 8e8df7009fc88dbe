"""The sandbox's JWTs: issued by the token endpoint, verified on every API request.

Signed with HS256 under a key derived from SECRET_KEY (so a leaked token key is not the
project's key). Issuer and audience are constants rather than URLs because the sandbox
answers under several host names (the console's, its own pool's, a container's).

Besides OrderCloud's claims (`usr`, `cid`, `u`, `usrtype`, `role`, `iss`, `aud`, `exp`,
`nbf`) every token carries `jti` and `iat`. `iat` has microseconds (a JWT NumericDate may
be fractional) so that revoking a user's tokens (`User.tokens_valid_after`) refuses
every token issued before it, even within the same second, and none issued after.
Two optional claims mark special tokens: `orderid` (an anonymous shopper's own identity,
as OrderCloud's anonymous tokens carry it) and `imp` (the ID of the user who obtained an
impersonation token).
"""

import hashlib
import hmac
import time
import uuid
from dataclasses import dataclass
from datetime import datetime
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
    """Who a token speaks for; becomes the claims usr, cid, u, usrtype, role (and the
    optional orderid and imp)."""

    username: str
    client_id: str
    user_id: str
    user_type: str
    roles: tuple[str, ...]
    order_id: str | None = None  # anonymous shoppers only
    impersonator_id: str | None = None  # impersonation tokens only

    @classmethod
    def from_claims(cls, claims: dict) -> "Identity":
        return cls(
            username=claims["usr"],
            client_id=claims["cid"],
            user_id=claims["u"],
            user_type=claims["usrtype"],
            roles=roles_of(claims),
            order_id=claims.get("orderid"),
            impersonator_id=claims.get("imp"),
        )


def encode(
    identity: Identity, lifetime_seconds: int, audience: str = AUDIENCE, now: float | None = None
) -> str:
    """A signed token; an access token and its refresh token share one issue time `now`."""
    now = time.time() if now is None else now
    whole = int(now)
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
        "exp": whole + lifetime_seconds,
        "nbf": whole,
        "iat": round(now, 6),
        "jti": uuid.uuid4().hex,
    }
    if identity.order_id is not None:
        claims["orderid"] = identity.order_id
    if identity.impersonator_id is not None:
        claims["imp"] = identity.impersonator_id
    return jwt.encode(claims, signing_key(), algorithm=ALGORITHM)


REQUIRED_CLAIMS = ["usr", "cid", "u", "usrtype", "role", "iss", "aud", "exp", "nbf", "iat", "jti"]
OPTIONAL_STRING_CLAIMS = ("orderid", "imp")


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
    for name in OPTIONAL_STRING_CLAIMS:
        if name in claims and not isinstance(claims[name], str):
            raise jwt.InvalidTokenError(f"claim {name} is not a string")
    iat = claims["iat"]
    if isinstance(iat, bool) or not isinstance(iat, int | float):
        raise jwt.InvalidTokenError("claim iat is not a number")
    role = claims["role"]
    if not (
        isinstance(role, str) or (isinstance(role, list) and all(isinstance(r, str) for r in role))
    ):
        raise jwt.InvalidTokenError("claim role is neither a string nor strings")
    return claims


def roles_of(claims: dict) -> tuple[str, ...]:
    role = claims["role"]
    return (role,) if isinstance(role, str) else tuple(role)


def issued_before(claims: dict, moment: datetime | None) -> bool:
    """Whether the token was issued at or before `moment` (to the microsecond)."""
    if moment is None:
        return False
    return round(claims["iat"] * 1_000_000) <= round(moment.timestamp() * 1_000_000)
