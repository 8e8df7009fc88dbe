"""Token grants, refresh and impersonation, and sending a request as a context.

Every call here goes out through the one send path (compose -> transport -> exchange) and
comes back as an Exchange, the token requests included, every secret redacted. Passwords
and secrets given to a grant are used for one token request here, then dropped.
"""

import json
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from urllib.parse import quote, urlencode

from django.conf import settings
from django.views.decorators.debug import sensitive_variables
from requests.structures import CaseInsensitiveDict

from console import catalog, compose, contexts, environments, exchange, transport
from console.compose import Composed, Row
from console.contexts import AuthContext, decode_claims, roles_of, token_secrets
from console.exchange import Exchange

__all__ = ["AuthContext", "decode_claims", "roles_of"]  # re-exported for older callers

TOKEN_PATH = "/oauth/token"
DEV_CENTER_IMPERSONATE = "DevCenterImpersonate"
# What an impersonation asks for unless the user says otherwise: a shopper's roles.
IMPERSONATION_ROLES = "Shopper MeAdmin"
PAGE_SIZE = "100"  # buyers and users offered for impersonation: the API's largest page

# The grants, as the sign-in form offers them, and the fields each one's form shows
# besides Environment, Client ID and Context name.
GRANTS = {
    "password": "Password",
    "elevated": "Password + client secret",
    "client_credentials": "Client credentials",
    "anonymous": "Anonymous shopper",
    "refresh_token": "Refresh token",
}
GRANT_FIELDS = {
    "password": ("username", "password", "roles"),
    "elevated": ("username", "password", "client_secret", "keep_secret", "roles"),
    "client_credentials": ("client_secret", "keep_secret", "roles"),
    "anonymous": ("roles",),
    "refresh_token": ("refresh_token", "client_secret", "keep_secret"),
}
# Fields a grant cannot go without (the refresh grant's client secret is optional: only an
# API client that has one needs it).
REQUIRED_FIELDS = {
    "password": ("username", "password"),
    "elevated": ("username", "password", "client_secret"),
    "client_credentials": ("client_secret",),
    "anonymous": (),
    "refresh_token": ("refresh_token",),
}
# Token request fields that are never shown, in the raw request or anywhere else.
FORM_SECRETS = ("password", "client_secret", "refresh_token")


@dataclass(frozen=True)
class Credentials:
    """What a grant's form gave. The secrets in it go into one token request, then away."""

    grant: str
    client_id: str
    username: str = ""
    password: str = field(default="", repr=False)
    client_secret: str = field(default="", repr=False)
    refresh_token: str = field(default="", repr=False)
    roles: str = ""
    name: str = ""
    keep_secret: bool = False  # "Keep for refresh": the client secret stays in the session

    def token_fields(self):
        """The token request's form fields, in OrderCloud's documented order."""
        if self.grant in ("password", "elevated"):
            fields = [
                ("grant_type", "password"),
                ("username", self.username),
                ("password", self.password),
                ("client_id", self.client_id),
            ]
        elif self.grant == "refresh_token":
            fields = [
                ("grant_type", "refresh_token"),
                ("client_id", self.client_id),
                ("refresh_token", self.refresh_token),
            ]
        else:  # client_credentials; anonymous is the same grant without a secret
            fields = [("grant_type", "client_credentials"), ("client_id", self.client_id)]
        if self.roles and self.grant != "refresh_token":
            fields.append(("scope", self.roles))
        if self.client_secret and self.grant not in ("password", "anonymous"):
            fields.append(("client_secret", self.client_secret))
        return fields

    @property
    def kept_secret(self):
        return self.client_secret if self.keep_secret else ""


@dataclass(frozen=True)
class GrantResult:
    """The token request as an Exchange, and the new context or why there is none."""

    exchange: Exchange
    auth: AuthContext | None = None
    error: str = ""
    hint: str = ""  # what to do about the error, in plain words


@dataclass(frozen=True)
class Step:
    """One exchange of a send, and why it went out when it is not the request itself."""

    exchange: Exchange
    label: str = ""


@dataclass(frozen=True)
class Sent:
    """Everything that went out for one request, in order (a refresh, the request, a
    refresh after a 401 and the request again), and the context as it then stands.
    `error` says why the request itself did not go out, or what went wrong after it."""

    steps: tuple[Step, ...]
    context: AuthContext | None
    error: str = ""
    hint: str = ""

    @property
    def exchange(self):
        """The last exchange: the request's answer, or the refresh that stopped it."""
        return self.steps[-1].exchange

    @property
    def earlier(self):
        return self.steps[:-1]

    @property
    def exchanges(self):
        return [step.exchange for step in self.steps]


# --- Token requests ----------------------------------------------------------------------


@sensitive_variables("credentials")
def password_grant(env, *, client_id, username, password, roles="", client_secret=""):
    """POST {base}/oauth/token with grant_type=password (elevated with a client secret)."""
    return sign_in(
        env,
        Credentials(
            grant="elevated" if client_secret else "password",
            client_id=client_id,
            username=username,
            password=password,
            client_secret=client_secret,
            roles=roles,
        ),
    )


@sensitive_variables("credentials", "token", "received")
def sign_in(env, credentials):
    """Any of the grants: a new context (not yet stored), or OrderCloud's error and a hint."""
    recorded, received, token = _token_request(env, credentials.token_fields())
    if received.error:
        return GrantResult(recorded, error=received.error, hint=_unreachable_hint(env))
    if refusal := _refusal(received, token):
        return GrantResult(
            recorded,
            error=f"Sign-in failed: {refusal}",
            hint=token_error_hint(env, credentials, token),
        )
    auth = contexts.new_context(
        name=credentials.name,
        environment_id=env.id,
        grant=credentials.grant,
        client_id=credentials.client_id,
        username=credentials.username,
        client_secret=credentials.kept_secret,
        **_token_fields(token, fallback_refresh_token=credentials.refresh_token),
    )
    return GrantResult(recorded, auth=auth)


@sensitive_variables("fields", "token", "received", "fresh")
def refresh(env, context):
    """grant_type=refresh_token for a context: the context with its new token, or why not."""
    fields = [
        ("grant_type", "refresh_token"),
        ("client_id", context.client_id),
        ("refresh_token", context.refresh_token),
    ]
    if context.client_secret:
        fields.append(("client_secret", context.client_secret))
    recorded, received, token = _token_request(env, fields)
    if refusal := received.error or _refusal(received, token):
        credentials = Credentials(grant="refresh_token", client_id=context.client_id)
        hint = _unreachable_hint(env) if received.error else ""
        return GrantResult(
            recorded,
            error=f"Refreshing the token of {context.name} failed: {refusal}",
            hint=hint or token_error_hint(env, credentials, token, refreshing=context),
        )
    fresh = _token_fields(token, fallback_refresh_token=context.refresh_token)
    return GrantResult(recorded, auth=replace(context, **fresh))


@sensitive_variables("fields", "body", "shown", "outgoing", "received", "token")
def _token_request(env, fields):
    """POST the form to {base}/oauth/token: (Exchange, Received, the token response)."""
    body = urlencode(fields)
    shown = [(name, exchange.PASSWORD_MASK if name in FORM_SECRETS else v) for name, v in fields]
    headers = CaseInsensitiveDict(compose.DEFAULT_HEADERS)
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    outgoing = compose.Outgoing(
        method="POST",
        url=compose.build_url(env, TOKEN_PATH),
        headers=headers,
        body=body.encode(),
        display_body=urlencode(shown, safe="*"),
        secrets={v: exchange.PASSWORD_MASK for name, v in fields if name in FORM_SECRETS and v},
    )
    received = transport.send(env, outgoing)
    token = _token_response(received)
    recorded = exchange.record(
        env,
        outgoing,
        received,
        token_secrets(str(token.get("access_token", "")), str(token.get("refresh_token", ""))),
    )
    return recorded, received, token


def _token_response(received):
    """The token response's JSON object, its plain values only ({} when it is not one)."""
    data = _json_object(received)
    return {k: v for k, v in data.items() if isinstance(v, str | int | float)}


def _json_object(received):
    if received.truncated or received.error:
        return {}
    try:
        data = json.loads(received.body)
    except (ValueError, RecursionError):
        return {}
    return data if isinstance(data, dict) else {}


def _refusal(received, token):
    """Why a token request gave no token ("" when it gave one)."""
    if received.status == 200 and token.get("access_token"):
        return ""
    if description := token.get("error_description") or token.get("error"):
        return str(description)
    if received.status == 200:
        return "the token response has no access_token."
    return f"{received.status} {received.reason}".rstrip()


@sensitive_variables("token", "access_token")
def _token_fields(token, fallback_refresh_token=""):
    """AuthContext fields from a token response: the tokens, their claims, the expiry."""
    access_token = str(token["access_token"])
    claims = decode_claims(access_token)
    try:
        expires_in = max(0, int(token.get("expires_in", 0)))
    except (TypeError, ValueError):
        expires_in = 0
    expires_at = datetime.now(UTC) + timedelta(seconds=expires_in)
    if not expires_in and isinstance(claims.get("exp"), int | float):
        expires_at = datetime.fromtimestamp(claims["exp"], UTC)
    return {
        "access_token": access_token,
        # Without a new refresh token in the answer, the one used stays valid (RFC 6749 6).
        "refresh_token": str(token.get("refresh_token") or fallback_refresh_token),
        "expires_at": expires_at,
        "user": str(claims.get("usr", "")),
        "user_type": str(claims.get("usrtype", "")),
        "roles": roles_of(claims),
    }


# --- Sending as a context ----------------------------------------------------------------


def send_as(session, env, composed, context):
    """Send composed to env with context's token (none for None): refreshed first when it
    has expired or is about to, and once more, then resent, on a 401 for an expired token.
    A refreshed token is stored in the session."""
    return _send(session, env, composed, context)[0]


@sensitive_variables("received", "retried")
def _send(session, env, composed, context):
    """send_as, and the last Received (raw: only for this module to read)."""
    steps = []
    if context and context.refreshable and context.expiring:
        result = refresh(env, context)
        why = "expired at" if context.expired else "was about to expire, at"
        steps.append(Step(result.exchange, f"Token refreshed first: it {why} {_time(context)}"))
        if not result.auth:
            error = f"{result.error} The request was not sent."
            return Sent(tuple(steps), context, error=error, hint=result.hint), None
        context = result.auth
        contexts.update(session, context)
    received, recorded = _send_once(env, composed, context)
    if context and context.refreshable and expired_token(received):
        steps.append(Step(recorded, "Answered 401: the token had expired"))
        result = refresh(env, context)
        if not result.auth:
            steps.append(Step(result.exchange, "Token refresh after the 401"))
            return Sent(tuple(steps), context, error=result.error, hint=result.hint), received
        steps.append(Step(result.exchange, "Token refreshed after the 401"))
        context = result.auth
        contexts.update(session, context)
        received, recorded = _send_once(env, composed, context)
    steps.append(Step(recorded))
    return Sent(tuple(steps), context), received


@sensitive_variables("token", "outgoing", "received")
def _send_once(env, composed, context):
    token = context.access_token if context else ""
    outgoing = compose.prepare(env, composed, token)
    received = transport.send(env, outgoing)
    return received, exchange.record(env, outgoing, received)


def _time(context):
    return f"{context.expires_at:%H:%M:%S} UTC"


def api_errors(received):
    """[(ErrorCode, Message)] of OrderCloud's `{"Errors": [...]}` body."""
    errors = _json_object(received).get("Errors")
    if not isinstance(errors, list):
        return []
    return [
        (str(e.get("ErrorCode", "")), str(e.get("Message", "")))
        for e in errors
        if isinstance(e, dict)
    ]


def expired_token(received):
    """A 401 that says the token has expired (OrderCloud: InvalidToken, "... expired ...")."""
    return received.status == 401 and any(
        code == "InvalidToken" and "expired" in message.lower()
        for code, message in api_errors(received)
    )


# --- Impersonation -----------------------------------------------------------------------


@dataclass(frozen=True)
class Choices:
    """What the impersonation form offers: buyers, users of the chosen buyer, ClientIDs."""

    buyers: tuple[tuple[str, str], ...] = ()  # (ID, shown)
    users: tuple[tuple[str, str], ...] = ()
    client_ids: tuple[str, ...] = ()  # the ClientIDs of matching ImpersonationConfigs
    error: str = ""
    hint: str = ""


def impersonation_choices(session, env, caller, buyer_id=""):
    """The buyers (and buyer_id's users) the caller's token may list, for the form."""
    buyers, error = _items(session, env, caller, "/v1/buyers")
    if error:
        return Choices(error=f"Listing buyers failed: {error}", hint=_listing_hint("buyers"))
    shown = tuple((str(b.get("ID", "")), _buyer_text(b)) for b in buyers if b.get("ID"))
    if not buyer_id:
        return Choices(buyers=shown)
    users, error = _items(session, env, caller, f"/v1/buyers/{_segment(buyer_id)}/users")
    if error:
        return Choices(
            buyers=shown,
            error=f"Listing the users of {buyer_id} failed: {error}",
            hint=_listing_hint("users"),
        )
    configs, _ = _items(session, env, caller, "/v1/impersonationconfig")
    client_ids = dict.fromkeys(
        str(c["ClientID"])
        for c in configs
        if c.get("ClientID") and c.get("BuyerID") in (None, "", buyer_id)
    )
    return Choices(
        buyers=shown,
        users=tuple((str(u.get("ID", "")), _user_text(u)) for u in users if u.get("ID")),
        client_ids=tuple(client_ids),
    )


def _buyer_text(buyer):
    name = buyer.get("Name")
    return f"{name} ({buyer['ID']})" if name and name != buyer["ID"] else str(buyer["ID"])


def _user_text(user):
    full = " ".join(str(user.get(n) or "") for n in ("FirstName", "LastName")).strip()
    username = str(user.get("Username") or user["ID"])
    return f"{username} ({full})" if full else username


def _items(session, env, context, path):
    """The Items of a list page (up to PAGE_SIZE), or the error that came instead."""
    composed = Composed(environment_id=env.id, path=path, query=(Row("pageSize", PAGE_SIZE),))
    if compose.validate(composed):
        return [], "that is not a valid ID."
    sent, received = _send(session, env, composed, context)
    if sent.error or received is None:
        return [], sent.error
    if received.error:
        return [], received.error
    items = _json_object(received).get("Items")
    if received.status != 200 or not isinstance(items, list):
        return [], _api_message(received)
    return [item for item in items if isinstance(item, dict)], ""


@dataclass(frozen=True)
class Impersonation:
    """The impersonation request (with any refresh before it), and the new context."""

    sent: Sent
    auth: AuthContext | None = None
    error: str = ""
    hint: str = ""


@sensitive_variables("received", "data")
def impersonate(session, env, caller, *, buyer_id, user_id, client_id, roles, name=""):
    """POST /v1/buyers/{buyerID}/users/{userID}/accesstoken as the caller: a new context."""
    asked = roles.split()
    known = catalog.api_roles(env, session)  # None: the environment's document is unreadable
    body = {
        "ClientID": client_id,
        "Roles": [role for role in asked if known is None or role in known],
        "CustomRoles": [role for role in asked if known is not None and role not in known],
    }
    composed = Composed(
        environment_id=env.id,
        method="POST",
        path=f"/v1/buyers/{_segment(buyer_id)}/users/{_segment(user_id)}/accesstoken",
        body=json.dumps(body),
    )
    if compose.validate(composed):  # an ID of "." or "..", say: not one path segment
        exchange_less = Sent((), caller, error="Impersonation failed: that is not a valid ID.")
        return Impersonation(exchange_less, error=exchange_less.error)
    sent, received = _send(session, env, composed, caller)
    if sent.error or received is None:
        return Impersonation(sent, error=sent.error, hint=sent.hint)
    if received.error:
        return Impersonation(sent, error=received.error, hint=_unreachable_hint(env))
    data = _token_response(received)
    if received.status == 200 and data.get("access_token"):
        auth = contexts.new_context(
            name=name,
            environment_id=env.id,
            grant="impersonation",
            client_id=client_id,
            username="",
            impersonated_by=caller.name,
            **_token_fields(data),
        )
        return Impersonation(sent, auth=auth)
    return Impersonation(
        sent,
        error=f"Impersonation failed: {_api_message(received)}",
        hint=impersonation_hint(received, caller, client_id),
    )


def _segment(value):
    """An ID as one path segment."""
    return quote(value, safe="")


def _api_message(received):
    errors = api_errors(received)
    if errors and errors[0][1]:
        return errors[0][1]
    return f"{received.status} {received.reason}".rstrip()


# --- What to do about an error -----------------------------------------------------------


def _unreachable_hint(env):
    return (
        f"The console's server could not reach {env.name}: check that you chose the right "
        "environment, or try again later."
    )


def token_error_hint(env, credentials, token, refreshing=None):
    """A plain-language hint for OrderCloud's answer to a token request."""
    error = str(token.get("error", ""))
    said = str(token.get("error_description", "")).lower()
    if refreshing is not None and ("refresh" in said or error == "invalid_grant"):
        if "refreshtokenduration" in said:
            return _NO_REFRESH
        return "This refresh token can no longer be used: sign in again (Add context)."
    if error == "invalid_client":
        if "secret" in said and "requires" in said:
            if credentials.grant == "refresh_token" or refreshing is not None:
                return (
                    "This API client has a client secret: enter it too (or tick “Keep for "
                    "refresh” when you sign in, so that refreshing can use it)."
                )
            return (
                "This API client has a client secret: choose the grant “Password + client "
                "secret” (or “Client credentials”) and enter it."
            )
        if "secret" in said:
            return "Check the client secret: it is the API client's ClientSecret."
        if "inactive" in said:
            return "The API client is inactive: set Active on it (PATCH /v1/apiclients/{ID})."
        if "client_credentials" in said:
            return (
                "An anonymous shopper needs an API client with IsAnonBuyer set; client "
                "credentials need the API client's secret."
            )
        return (
            f"Check the Client ID: it is the ID of an API client in {env.name} (each "
            "environment has its own API clients)."
        )
    if error == "invalid_grant":
        if "username or password" in said:
            return _password_hint(env, credentials)
        if "refreshtokenduration" in said:
            return _NO_REFRESH
        if "refresh token" in said:
            return "This refresh token can no longer be used: sign in with another grant."
        if "defaultcontextusername" in said:
            return (
                "Client credentials and anonymous shoppers act as the API client's "
                "DefaultContextUserName: set it to the username of an existing user."
            )
        if "roles" in said:
            return (
                "Ask for roles that the user's security profiles give, or leave Roles empty "
                "to get every role the user has."
            )
        if "does not allow" in said:
            return (
                "The API client does not let this kind of user sign in: set AllowSeller "
                "(admin users), AllowAnyBuyer or AllowAnySupplier on it, or assign it to "
                "the user's buyer or supplier."
            )
        if "marketplace" in said:
            return (
                "DevCenterImpersonate works on the marketplaces your developer account "
                "owns: use the Client ID of one of them."
            )
        if "inactive" in said:
            return "The user is inactive: set Active on it."
        return "Check the credentials you entered."
    if error:
        return "The environment refused the token request as it was sent: check each field."
    return (
        f"{env.name} did not answer like an OrderCloud token endpoint: check that you chose "
        "the right environment."
    )


_NO_REFRESH = (
    "This API client gives no refresh tokens (its RefreshTokenDuration is 0): set "
    "RefreshTokenDuration above 0 on it (PATCH /v1/apiclients/{ID}), or sign in again "
    "when the token expires."
)


def _password_hint(env, credentials):
    """Wrong password, or a developer account without DevCenterImpersonate."""
    if DEV_CENTER_IMPERSONATE in credentials.roles.split():
        return (
            "Check the username and password: with DevCenterImpersonate they are your "
            "developer account's (the one you sign in to the OrderCloud portal with)."
        )
    username = credentials.username
    if env.id == environments.SANDBOX_ID and username == settings.SANDBOX_USERNAME:
        return (
            f"{username} is the sandbox's developer account, not a user of its marketplace: "
            f"it needs the {DEV_CENTER_IMPERSONATE} role. Add {DEV_CENTER_IMPERSONATE} to "
            f"Roles (e.g. “{DEV_CENTER_IMPERSONATE} FullAccess”)."
        )
    return (
        "Check the username and password. Signing in with your developer account (the one "
        f"for the OrderCloud portal) rather than a marketplace user? It needs "
        f"{DEV_CENTER_IMPERSONATE} in Roles."
    )


def impersonation_hint(received, caller, client_id):
    codes = [code for code, _ in api_errors(received)]
    said = " ".join(message for _, message in api_errors(received)).lower()
    if received.status == 401:
        return f"The token of {caller.name} was not accepted: sign in again."
    if "Auth.InsufficientRoles" in codes:
        return (
            f"Impersonating needs the FullAccess or BuyerImpersonation role; {caller.name} "
            f"has {' '.join(caller.roles) or 'none'}. Sign in with one of them in Roles."
        )
    if received.status == 403 and "roles" in said:
        return (
            "The ImpersonationConfig's security profile gives none of the roles you asked "
            "for: ask for roles it gives."
        )
    if received.status == 403 and "does not allow" in said:
        return (
            f"API client {client_id} does not let this buyer's users sign in: set "
            "AllowAnyBuyer on it, or assign it to the buyer."
        )
    if received.status == 403:
        return (
            f"An ImpersonationConfig must allow it: one with ClientID {client_id}, naming "
            "the buyer (or the user, or one of its groups) and a security profile that "
            "gives the roles (POST /v1/impersonationconfig)."
        )
    if received.status == 404 and "apiclient" in said.replace(" ", ""):
        return f"There is no API client {client_id} here: use the ID of an existing one."
    if received.status == 404:
        return "The buyer or the user no longer exists: choose again."
    return "Check the Client ID and the Roles."


def _listing_hint(what):
    if what == "buyers":
        return (
            "The active context may not list buyers: that needs BuyerReader or BuyerAdmin "
            "(FullAccess has both); impersonating needs FullAccess or BuyerImpersonation."
        )
    return "Listing buyer users needs BuyerUserReader or BuyerUserAdmin (FullAccess has both)."
