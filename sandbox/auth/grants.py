"""`POST /oauth/token`: the grants, from form fields to OrderCloud's token response.

Refusals are OAuth errors (HTTP 400): `invalid_client` when the API client itself fails
(unknown, inactive, client_secret missing or wrong: "required on all OAuth workflows
when present"), `invalid_grant` when the credentials, the user or the refresh token do,
`invalid_request` for a malformed request, `unsupported_grant_type` otherwise.
"""

import hmac
import secrets
import time
from collections.abc import Mapping

import jwt
from django.utils import timezone

from sandbox.api.errors import OAuthError
from sandbox.api.spec import API_ROLES
from sandbox.auth import guard, lockout, passwords, tokens
from sandbox.auth.roles import DEV_CENTER_IMPERSONATE, available_roles, granted_roles, parse_scope
from sandbox.models import Account, ApiClient, ApiClientAssignment, User

# Long enough for every role in one scope; short enough to refuse junk before any work.
MAX_FIELD_LENGTH = 4000
WRONG_CREDENTIALS = "Username or password is incorrect."
GRANT_TYPES = ("password", "client_credentials", "refresh_token")


def token_response(form: Mapping[str, list[str]], request) -> dict:
    """The AccessToken body for a token request's fields (each a list of values)."""
    grant_type = field(form, "grant_type")
    match grant_type:
        case "password":
            return password_grant(
                client_id=field(form, "client_id"),
                username=field(form, "username"),
                password=field(form, "password"),
                scope=field(form, "scope", required=False),
                client_secret=field(form, "client_secret", required=False),
                request=request,
            )
        case "client_credentials":
            return client_credentials_grant(
                client_id=field(form, "client_id"),
                client_secret=field(form, "client_secret", required=False),
                scope=field(form, "scope", required=False),
            )
        case "refresh_token":
            return refresh_token_grant(
                client_id=field(form, "client_id"),
                refresh_token=field(form, "refresh_token"),
                client_secret=field(form, "client_secret", required=False),
            )
    raise OAuthError(
        "unsupported_grant_type", f"grant_type must be one of: {', '.join(GRANT_TYPES)}."
    )


def field(form: Mapping[str, list[str]], name: str, required: bool = True) -> str | None:
    values = form.get(name) or []
    if len(values) > 1:
        raise OAuthError("invalid_request", f"{name} is given more than once.")
    value = values[0] if values else None
    if value is None or value == "":
        if required:
            raise OAuthError("invalid_request", f"{name} is required.")
        return None
    if len(value) > MAX_FIELD_LENGTH:
        raise OAuthError("invalid_request", f"{name} is longer than {MAX_FIELD_LENGTH}.")
    if "\x00" in value:
        raise OAuthError("invalid_request", f"{name} contains a NUL character.")
    return value


def password_grant(
    *,
    client_id: str,
    username: str,
    password: str,
    scope: str | None,
    client_secret: str | None,
    request,
) -> dict:
    """An admin, buyer or supplier user's own credentials; or, with DevCenterImpersonate,
    the developer account's, acting as the marketplace's default admin user."""
    client = checked_client(client_id, client_secret)
    requested = parse_scope(scope)
    impersonating = requested is not None and DEV_CENTER_IMPERSONATE in requested
    if impersonating:
        user = dev_center_user(client, username, password, request)
    else:
        user = client.marketplace.users.filter(username=username).first()
        if user is None:
            passwords.burn_time(password)
            raise OAuthError("invalid_grant", WRONG_CREDENTIALS)
        if user.locked_until is not None and user.locked_until > timezone.now():
            passwords.burn_time(password)
            raise lockout.locked_error(user.locked_until)
        password_ok = passwords.check_password(password, user.password)
        lockout.record(user, password_ok)
        if not password_ok:
            raise OAuthError("invalid_grant", WRONG_CREDENTIALS)
    check_user(client, user)
    roles = capped(
        client, granted_roles(requested, available_roles(user), impersonating=impersonating)
    )
    if not roles:
        raise OAuthError("invalid_grant", "The user has none of the requested roles.")
    return issue(client, user, roles)


def client_credentials_grant(*, client_id: str, client_secret: str | None, scope: str | None):
    """The client acting as its DefaultContextUserName user: with its client_secret; or,
    on an IsAnonBuyer client, as an anonymous shopper (see `anonymous_order_id`)."""
    client = checked_client(client_id, client_secret)
    if not client.client_secret and not client.is_anon_buyer:
        raise OAuthError(
            "invalid_client",
            "client_credentials needs an API client with a client_secret, or IsAnonBuyer.",
        )
    if not client.default_context_username:
        raise OAuthError("invalid_grant", "This API client has no DefaultContextUserName.")
    user = client.marketplace.users.filter(username=client.default_context_username).first()
    if user is None:
        raise OAuthError("invalid_grant", "The API client's DefaultContextUserName names no user.")
    order_id = None
    if client.is_anon_buyer:
        if user.user_type != User.Type.BUYER:
            raise OAuthError(
                "invalid_grant",
                "An IsAnonBuyer client's DefaultContextUserName must be a buyer user.",
            )
        order_id = anonymous_order_id()
    check_user(client, user)
    roles = capped(client, granted_roles(parse_scope(scope), available_roles(user)))
    if not roles:
        raise OAuthError("invalid_grant", "The user has none of the requested roles.")
    return issue(client, user, roles, order_id=order_id)


def anonymous_order_id() -> str:
    """A new anonymous shopper: the `orderid` claim, unique to the token (and to tokens
    refreshed from it), that names the shopper's unsubmitted order, as on OrderCloud.
    The token otherwise speaks for the client's template (default context) buyer user."""
    return secrets.token_urlsafe(16)


def refresh_token_grant(*, client_id: str, refresh_token: str, client_secret: str | None):
    """A new access token for the user and roles of a refresh token from this client.

    The refresh token itself is returned unchanged: it keeps its own expiry, so a
    session ends RefreshTokenDuration minutes after sign-in at the latest.
    """
    client = checked_client(client_id, client_secret)
    if client.refresh_token_duration <= 0:
        raise OAuthError(
            "invalid_grant", "This API client issues no refresh tokens (RefreshTokenDuration 0)."
        )
    try:
        claims = tokens.decode(refresh_token, audience=tokens.REFRESH_AUDIENCE)
    except jwt.ExpiredSignatureError:
        raise OAuthError("invalid_grant", "The refresh token has expired.") from None
    except jwt.InvalidTokenError:
        raise OAuthError("invalid_grant", "The refresh token is invalid.") from None
    if claims["cid"] != client.oc_id:
        raise OAuthError("invalid_grant", "The refresh token belongs to another API client.")
    user = client.marketplace.users.filter(oc_id=claims["u"]).first()
    if user is None or user.user_type != claims["usrtype"]:
        raise OAuthError("invalid_grant", "The refresh token's user no longer exists.")
    if tokens.issued_before(claims, user.tokens_valid_after):
        raise OAuthError("invalid_grant", "The refresh token has been revoked.")
    check_user(client, user)
    carried = list(tokens.roles_of(claims))
    roles = capped(
        client,
        granted_roles(
            carried, available_roles(user), impersonating=DEV_CENTER_IMPERSONATE in carried
        ),
    )
    if not roles:
        raise OAuthError("invalid_grant", "The user no longer has any of the token's roles.")
    body = issue(client, user, roles, order_id=claims.get("orderid"))
    body["refresh_token"] = refresh_token
    return body


def capped(client: ApiClient, roles: list[str]) -> list[str]:
    """The roles the client may grant: its MaximumGrantedRoles (API roles) and
    MaximumGrantedCustomRoles (the others) bound them when set; DevCenterImpersonate is
    the developer's own and stays."""
    api_cap, custom_cap = client.maximum_granted_roles, client.maximum_granted_custom_roles
    kept = []
    for role in roles:
        cap = api_cap if role in API_ROLES else custom_cap
        if role == DEV_CENTER_IMPERSONATE or not cap or role in cap:
            kept.append(role)
    return kept


def find_client(client_id: str) -> ApiClient:
    client = ApiClient.objects.select_related("marketplace").filter(oc_id=client_id).first()
    if client is None:
        raise OAuthError("invalid_client", "client_id does not name an API client.")
    if not client.active:
        raise OAuthError("invalid_client", "The API client is inactive.")
    return client


def checked_client(client_id: str, client_secret: str | None) -> ApiClient:
    client = find_client(client_id)
    if client.client_secret:
        # A client with a secret requires it on every grant ("elevated" sign-in).
        if client_secret is None:
            raise OAuthError("invalid_client", "This API client requires its client_secret.")
        if not _same(client_secret, client.client_secret):
            raise OAuthError("invalid_client", "client_secret is incorrect.")
    return client


def dev_center_user(client: ApiClient, username: str, password: str, request) -> User:
    """The marketplace's default admin user, for the account that owns the marketplace;
    guarded as the dashboard's sign-in is (the same account, the same password)."""

    def check() -> Account | None:
        account = Account.objects.filter(username=username).first()
        if account is None:
            passwords.burn_time(password)
            return None
        return account if passwords.check_password(password, account.password) else None

    try:
        account = guard.checked(request, username, check)
    except guard.Locked as locked:
        raise OAuthError("invalid_grant", locked.message) from None
    if account is None:
        raise OAuthError("invalid_grant", WRONG_CREDENTIALS)
    marketplace = client.marketplace
    if marketplace.owner_id != account.pk:
        raise OAuthError(
            "invalid_grant", "This account has no access to the API client's marketplace."
        )
    user = marketplace.default_admin_user
    if user is None:
        raise OAuthError("invalid_grant", "The marketplace has no default admin user.")
    return user


def check_user(client: ApiClient, user: User) -> None:
    """Refuse an inactive user, or one whose kind the client does not let in."""
    if not user.active:
        raise OAuthError("invalid_grant", "The user is inactive.")
    if not client_allows(client, user):
        raise OAuthError(
            "invalid_grant", f"This API client does not allow {user.user_type} users to sign in."
        )


def client_allows(client: ApiClient, user: User) -> bool:
    """AllowSeller for admin users; AllowAnyBuyer / AllowAnySupplier, or an assignment
    of the client to the user's own buyer / supplier, for company users."""
    match user.user_type:
        case User.Type.ADMIN:
            return client.allow_seller
        case User.Type.BUYER:
            assigned = {"buyer_id": user.company_id}
            allowed = client.allow_any_buyer
        case User.Type.SUPPLIER:
            assigned = {"supplier_id": user.company_id}
            allowed = client.allow_any_supplier
        case _:
            return False
    if allowed:
        return True
    return (
        user.company_id != ""
        and ApiClientAssignment.objects.filter(
            marketplace_id=client.marketplace_id, api_client=client, **assigned
        ).exists()
    )


def issue(client: ApiClient, user: User, roles: list[str], *, order_id: str | None = None):
    """OrderCloud's AccessToken body. Durations on the client are in minutes; an anonymous
    shopper's token (order_id) lasts the client's AnonymousTokenDuration."""
    identity = tokens.Identity(
        username=user.username,
        client_id=client.oc_id,
        user_id=user.oc_id,
        user_type=user.user_type,
        roles=tuple(roles),
        order_id=order_id,
    )
    now = time.time()
    minutes = client.anonymous_token_duration if order_id else client.access_token_duration
    expires_in = minutes * 60
    refresh_token = None
    if client.refresh_token_duration > 0:
        refresh_token = tokens.encode(
            identity, client.refresh_token_duration * 60, tokens.REFRESH_AUDIENCE, now
        )
    return {
        "access_token": tokens.encode(identity, expires_in, now=now),
        "expires_in": expires_in,
        "token_type": "bearer",
        "refresh_token": refresh_token,
    }


def _same(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode(), expected.encode())
