"""Who is calling: the bearer token of an API request, verified, and what it may do.

Every operation's view starts with `authorize(request, operation)`: the token verified,
then one of the operation's roles required; each refusal is an `ApiError` (401 / 403),
which the `api_endpoint` decorator answers in OrderCloud's shape. All further lookups go
through `token.marketplace`, so one marketplace's token never reaches another's data.
"""

import re
from dataclasses import dataclass

import jwt

from sandbox.api.errors import insufficient_roles, invalid_token
from sandbox.api.spec import Operation
from sandbox.auth import tokens
from sandbox.auth.roles import has_role
from sandbox.models import ApiClient, Marketplace, User

MAX_TOKEN_LENGTH = 8000
_BEARER = re.compile(r"Bearer +([A-Za-z0-9_\-.=]+) *", re.IGNORECASE)


@dataclass(frozen=True)
class AccessToken:
    claims: dict
    client: ApiClient
    user: User

    @property
    def marketplace(self) -> Marketplace:
        return self.client.marketplace

    @property
    def roles(self) -> tuple[str, ...]:
        return tokens.roles_of(self.claims)

    def has_role(self, allowed: list[str]) -> bool:
        return has_role(self.roles, allowed)

    def require_roles(self, allowed: list[str]) -> None:
        """Raise 403 Auth.InsufficientRoles unless the token has one of `allowed`."""
        if not self.has_role(allowed):
            raise insufficient_roles(allowed)


def authorize(request, operation: Operation) -> AccessToken:
    """The caller's token, when it has one of the operation's roles (else 401 / 403)."""
    token = authenticate(request)
    token.require_roles(list(operation.roles))
    return token


def authenticate(request) -> AccessToken:
    return verify(bearer_token(request))


def bearer_token(request) -> str:
    header = request.headers.get("Authorization")
    if not header:
        raise invalid_token("Access token is missing: send an Authorization: Bearer header.")
    match = _BEARER.fullmatch(header) if len(header) <= MAX_TOKEN_LENGTH else None
    if match is None:
        raise invalid_token("Authorization header is malformed: expected 'Bearer <token>'.")
    return match[1]


def verify(raw: str) -> AccessToken:
    """The token's client and user, both still existing and active, and the token not
    revoked (issued no later than the user's `tokens_valid_after`)."""
    try:
        claims = tokens.decode(raw)
    except jwt.ExpiredSignatureError:
        raise invalid_token("Access token has expired.") from None
    except jwt.InvalidTokenError:
        raise invalid_token("Access token is invalid.") from None
    client = ApiClient.objects.select_related("marketplace").filter(oc_id=claims["cid"]).first()
    if client is None or not client.active:
        raise invalid_token("Access token's API client no longer exists or is inactive.")
    # Scoped by the client's marketplace: a user ID means nothing outside it.
    user = User.objects.filter(marketplace_id=client.marketplace_id, oc_id=claims["u"]).first()
    if user is None or user.user_type != claims["usrtype"] or not user.active:
        raise invalid_token("Access token's user no longer exists or is inactive.")
    if tokens.issued_before(claims, user.tokens_valid_after):
        raise invalid_token("Access token has been revoked.")
    user.marketplace = client.marketplace
    return AccessToken(claims=claims, client=client, user=user)
