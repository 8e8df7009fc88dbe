"""`POST /oauth/token`: the grants, from form fields to OrderCloud's token response."""

import hmac
from collections.abc import Mapping

from sandbox import passwords, tokens
from sandbox.errors import OAuthError
from sandbox.models import Account, ApiClient, User
from sandbox.roles import DEV_CENTER_IMPERSONATE, available_roles, granted_roles, parse_scope

# Long enough for every role in one scope; short enough to refuse junk before any work.
MAX_FIELD_LENGTH = 4000
WRONG_CREDENTIALS = "Username or password is incorrect."


def token_response(form: Mapping[str, list[str]]) -> dict:
    """The AccessToken body for a token request's fields (each a list of values)."""
    grant_type = field(form, "grant_type")
    if grant_type != "password":
        raise OAuthError(
            "unsupported_grant_type",
            "The embedded sandbox supports grant_type=password only.",
        )
    return password_grant(
        client_id=field(form, "client_id"),
        username=field(form, "username"),
        password=field(form, "password"),
        scope=field(form, "scope", required=False),
        client_secret=field(form, "client_secret", required=False),
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
) -> dict:
    """An admin, buyer or supplier user's own credentials; or, with DevCenterImpersonate,
    the developer account's, acting as the marketplace's default admin user."""
    client = checked_client(client_id, client_secret)
    requested = parse_scope(scope)
    impersonating = requested is not None and DEV_CENTER_IMPERSONATE in requested
    if impersonating:
        user = dev_center_user(client, username, password)
    else:
        user = client.marketplace.users.filter(username=username).first()
        if user is None:
            passwords.burn_time(password)
            raise OAuthError("invalid_grant", WRONG_CREDENTIALS)
        if not passwords.check_password(password, user.password):
            raise OAuthError("invalid_grant", WRONG_CREDENTIALS)
    if not user.active:
        raise OAuthError("invalid_grant", "The user is inactive.")
    if not client_allows(client, user):
        raise OAuthError(
            "invalid_grant", f"This API client does not allow {user.user_type} users to sign in."
        )
    roles = granted_roles(requested, available_roles(user), impersonating=impersonating)
    if not roles:
        raise OAuthError("invalid_grant", "The user has none of the requested roles.")
    return issue(client, user, roles)


def checked_client(client_id: str, client_secret: str | None) -> ApiClient:
    client = ApiClient.objects.select_related("marketplace").filter(oc_id=client_id).first()
    if client is None:
        raise OAuthError("invalid_grant", "client_id does not name an API client.")
    if not client.active:
        raise OAuthError("invalid_grant", "The API client is inactive.")
    if client.client_secret:
        # A client with a secret requires it on every grant ("elevated" sign-in).
        if client_secret is None:
            raise OAuthError("invalid_grant", "This API client requires its client_secret.")
        if not _same(client_secret, client.client_secret):
            raise OAuthError("invalid_grant", "client_secret is incorrect.")
    return client


def dev_center_user(client: ApiClient, username: str, password: str) -> User:
    """The marketplace's default admin user, for the account that owns the marketplace."""
    account = Account.objects.filter(username=username).first()
    if account is None:
        passwords.burn_time(password)
        raise OAuthError("invalid_grant", WRONG_CREDENTIALS)
    if not passwords.check_password(password, account.password):
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


def client_allows(client: ApiClient, user: User) -> bool:
    # Buyer and supplier assignments to the client come with buyers and suppliers.
    return {
        User.Type.ADMIN: client.allow_seller,
        User.Type.BUYER: client.allow_any_buyer,
        User.Type.SUPPLIER: client.allow_any_supplier,
    }.get(user.user_type, False)


def issue(client: ApiClient, user: User, roles: list[str]) -> dict:
    """OrderCloud's AccessToken body. Durations on the client are in minutes."""
    identity = tokens.Identity(
        username=user.username,
        client_id=client.oc_id,
        user_id=user.oc_id,
        user_type=user.user_type,
        roles=tuple(roles),
    )
    expires_in = client.access_token_duration * 60
    refresh_token = None
    if client.refresh_token_duration > 0:
        refresh_token = tokens.encode(
            identity, client.refresh_token_duration * 60, audience=tokens.REFRESH_AUDIENCE
        )
    return {
        "access_token": tokens.encode(identity, expires_in),
        "expires_in": expires_in,
        "token_type": "bearer",
        "refresh_token": refresh_token,
    }


def _same(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode(), expected.encode())
