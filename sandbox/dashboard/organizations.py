"""Seller organizations of a developer account, and their applications (API clients).

A new organization is made ready for DevCenterImpersonate exactly as an imported one is
(`seeding.organization.ready_for_dev_center`): a default admin user with FullAccess and a
"Default Access" application. Applications are created through the API's own operation
(ApiClients.Create), so the dashboard validates them as the API does.
"""

import secrets
import uuid
from dataclasses import dataclass

from django.db import transaction

from sandbox.api.errors import ApiError
from sandbox.api.spec import API_ROLES
from sandbox.models import Account, ApiClient, Marketplace
from sandbox.seeding.calls import Caller, operation
from sandbox.seeding.organization import ready_for_dev_center

DEFAULT_APP_NAME = "Default Access"


class Invalid(Exception):
    def __init__(self, message: str, field: str = ""):
        super().__init__(message)
        self.message = message
        self.field = field


def new_organization(owner: Account, name: str) -> Marketplace:
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise Invalid("Name the seller organization (100 characters at most).", "name")
    with transaction.atomic():
        marketplace = Marketplace.objects.create(
            oc_id=str(uuid.uuid4()).upper(), name=name, owner=owner
        )
        ready_for_dev_center(marketplace, app_name=DEFAULT_APP_NAME)
    return marketplace


def organizations_of(account: Account) -> list[Marketplace]:
    return list(account.marketplaces.order_by("date_created", "pk"))


def organization_of(account: Account, marketplace_id: str) -> Marketplace | None:
    """The account's own organization by ID; None for anyone else's (no telling which)."""
    return account.marketplaces.filter(oc_id=marketplace_id).first()


def applications_of(marketplace: Marketplace) -> list[ApiClient]:
    return list(marketplace.api_clients.order_by("app_name", "oc_id"))


@dataclass(frozen=True)
class NewApplication:
    """What the dashboard's "New" form asks for."""

    app_name: str
    roles: tuple[str, ...] = ()  # MaximumGrantedRoles; none: every role the user has
    access_token_duration: int = 600  # minutes
    refresh_token_duration: int = 0  # minutes; 0 = no refresh tokens
    client_secret: bool = False
    default_context_username: str = ""
    is_anon_buyer: bool = False
    allow_seller: bool = True
    allow_any_buyer: bool = False


def new_application(marketplace: Marketplace, new: NewApplication) -> ApiClient:
    if unknown := [role for role in new.roles if role not in API_ROLES]:
        raise Invalid(f"Not a role: {', '.join(unknown)}.", "roles")
    body = {
        "AppName": new.app_name,
        "Active": True,
        "AccessTokenDuration": new.access_token_duration,
        "RefreshTokenDuration": new.refresh_token_duration,
        "AllowSeller": new.allow_seller,
        "AllowAnyBuyer": new.allow_any_buyer,
        "IsAnonBuyer": new.is_anon_buyer,
        "DefaultContextUserName": new.default_context_username or None,
        "MaximumGrantedRoles": list(new.roles),
        "ClientSecret": secrets.token_urlsafe(32) if new.client_secret else None,
    }
    try:
        return create_client(marketplace, body)
    except ApiError as error:
        field = error.data.get("Field", "") if isinstance(error.data, dict) else ""
        raise Invalid(error.message, field) from None


def create_client(marketplace: Marketplace, body: dict) -> ApiClient:
    """ApiClients.Create in the organization, as its owner (raises the API's ApiError)."""
    _, created = Caller(marketplace).run(operation("ApiClients.Create"), {}, None, body)
    return marketplace.api_clients.get(oc_id=created["ID"])
