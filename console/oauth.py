"""Token grants against {environment}/oauth/token, through the same send path as any request."""

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

import jwt
from django.views.decorators.debug import sensitive_variables
from requests.structures import CaseInsensitiveDict

from console import compose, exchange, transport
from console.contexts import AuthContext, token_secrets
from console.exchange import Exchange

TOKEN_PATH = "/oauth/token"


@dataclass(frozen=True)
class GrantResult:
    """The token request as an Exchange, and the signed-in context or why there is none."""

    exchange: Exchange
    auth: AuthContext | None = None
    error: str = ""


@sensitive_variables("password", "client_secret", "fields", "body", "outgoing", "received", "token")
def password_grant(env, *, client_id, username, password, roles="", client_secret=""):
    """POST {base}/oauth/token with grant_type=password; the password is used once here."""
    fields = [
        ("grant_type", "password"),
        ("username", username),
        ("password", password),
        ("client_id", client_id),
    ]
    if roles:
        fields.append(("scope", roles))
    if client_secret:
        fields.append(("client_secret", client_secret))
    body = urlencode(fields)
    shown = [
        (name, exchange.PASSWORD_MASK if name in ("password", "client_secret") else value)
        for name, value in fields
    ]
    headers = CaseInsensitiveDict(compose.DEFAULT_HEADERS)
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    outgoing = compose.Outgoing(
        method="POST",
        url=compose.build_url(env, TOKEN_PATH),
        headers=headers,
        body=body.encode(),
        display_body=urlencode(shown, safe="*"),
        secrets={password: exchange.PASSWORD_MASK, client_secret: exchange.PASSWORD_MASK},
    )
    received = transport.send(env, outgoing)
    token = _token_response(received)
    recorded = exchange.record(
        env,
        outgoing,
        received,
        token_secrets(token.get("access_token", ""), token.get("refresh_token", "")),
    )
    if received.error:
        return GrantResult(recorded, error=received.error)
    if received.status != 200 or not token.get("access_token"):
        return GrantResult(recorded, error=_grant_error(received, token))
    return GrantResult(
        recorded,
        auth=_auth_context(env, client_id, username, token),
    )


def _token_response(received):
    """The token response's JSON object ({} when it is not one)."""
    if received.truncated:
        return {}
    try:
        data = json.loads(received.body)
    except ValueError:
        return {}
    if not isinstance(data, dict):
        return {}
    return {k: v for k, v in data.items() if isinstance(v, str | int | float)}


def _grant_error(received, token):
    if description := token.get("error_description") or token.get("error"):
        return f"Sign-in failed: {description}"
    if received.status == 200:
        return "Sign-in failed: the token response has no access_token."
    return f"Sign-in failed: {received.status} {received.reason}".rstrip()


def _auth_context(env, client_id, username, token):
    access_token = str(token["access_token"])
    claims = decode_claims(access_token)
    try:
        expires_in = max(0, int(token.get("expires_in", 0)))
    except ValueError:
        expires_in = 0
    expires_at = datetime.now(UTC) + timedelta(seconds=expires_in)
    if not expires_in and isinstance(claims.get("exp"), int | float):
        expires_at = datetime.fromtimestamp(claims["exp"], UTC)
    return AuthContext(
        environment_id=env.id,
        client_id=client_id,
        username=username,
        user=str(claims.get("usr", "")),
        roles=roles_of(claims),
        expires_at=expires_at,
        access_token=access_token,
        refresh_token=str(token.get("refresh_token") or ""),
    )


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
