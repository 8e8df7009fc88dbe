"""Sandbox objects for tests, with plain defaults."""

from sandbox.auth import tokens
from sandbox.auth.passwords import hash_password
from sandbox.models import (
    Account,
    ApiClient,
    Marketplace,
    SecurityProfile,
    SecurityProfileAssignment,
    User,
)


def account(username="dev", password="dev-password") -> Account:
    return Account.objects.create(username=username, password=hash_password(password))


def marketplace(oc_id="mkt", *, owner=None, name="Test Marketplace") -> Marketplace:
    return Marketplace.objects.create(
        oc_id=oc_id, name=name, owner=owner or account(username=f"{oc_id}-dev")
    )


def api_client(marketplace, oc_id="client-1", **fields) -> ApiClient:
    fields = {"app_name": "Test App", "allow_seller": True, **fields}
    return ApiClient.objects.create(marketplace=marketplace, oc_id=oc_id, **fields)


def user(marketplace, oc_id="user-1", *, password="user-password", **fields) -> User:
    fields = {"username": oc_id, **fields}
    return User.objects.create(
        marketplace=marketplace,
        oc_id=oc_id,
        password=hash_password(password) if password else "",
        **fields,
    )


def profile(marketplace, oc_id, roles=(), custom_roles=(), **level) -> SecurityProfile:
    """A security profile, assigned at the given level (marketplace level by default)."""
    created = SecurityProfile.objects.create(
        marketplace=marketplace,
        oc_id=oc_id,
        name=oc_id,
        roles=list(roles),
        custom_roles=list(custom_roles),
    )
    SecurityProfileAssignment.objects.create(
        marketplace=marketplace, security_profile=created, **level
    )
    return created


def access_token(client, user, roles=("FullAccess",), lifetime=600) -> str:
    identity = tokens.Identity(
        username=user.username,
        client_id=client.oc_id,
        user_id=user.oc_id,
        user_type=user.user_type,
        roles=tuple(roles),
    )
    return tokens.encode(identity, lifetime)
