"""What the identity tests add to the embedded sandbox's seeded demo.

Made over HTTP as the demo's admin, like a developer would, but for what the API does not
allow: a token shorter than its 10-minute AccessTokenDuration minimum (set in the
database), and a second marketplace (marketplaces are not made through the API).
"""

from dataclasses import dataclass

import requests

from sandbox.models import ApiClient, Buyer
from tests.sandbox import factories

TIMEOUT = 10
PASSWORD = "Test-pass-123!"
SECRET = "client-secret-for-the-tests-0001"
OTHER_PASSWORD = "Other-pass-456!"
ADMIN_ROLES = "DevCenterImpersonate FullAccess"


@dataclass
class Market:
    """The API clients' generated IDs, by name, and how to reach the sandbox."""

    url: str
    clients: dict

    def token(self, client, username, password=PASSWORD, **fields):
        """An access token straight from the sandbox (as another program would get it)."""
        data = {"grant_type": "password", "client_id": client, "username": username}
        response = requests.post(
            f"{self.url}/oauth/token", data={**data, "password": password, **fields}, timeout=10
        )
        response.raise_for_status()
        return response.json()


def admin_token(sandbox):
    response = requests.post(
        f"{sandbox.url}/oauth/token",
        data={
            "grant_type": "password",
            "client_id": sandbox.client_id,
            "username": sandbox.username,
            "password": sandbox.password,
            "scope": ADMIN_ROLES,
        },
        timeout=TIMEOUT,
    )
    response.raise_for_status()
    return response.json()["access_token"]


def build(sandbox):
    """Admin user alice; buyers buyer-1 (users jane, joe) and buyer-2 (user bob); clients:
    secret-app (a secret, refresh tokens), integration (secret, acts as alice), anon
    (IsAnonBuyer, acts as jane), refreshing (refresh tokens), storefront (any buyer) with
    an ImpersonationConfig for buyer-1, short-lived (1-minute tokens) and expired-at-once
    (0-minute tokens), both with refresh tokens."""
    headers = {"Authorization": f"Bearer {admin_token(sandbox)}"}

    def call(method, path, body=None):
        response = requests.request(
            method, f"{sandbox.url}/v1{path}", json=body, headers=headers, timeout=TIMEOUT
        )
        assert response.status_code < 300, (method, path, response.status_code, response.text)
        return response.json() if response.content else None

    call("POST", "/adminusers", _user("alice", "Alice", "Admin"))
    for buyer_id, name in (("buyer-1", "Acme"), ("buyer-2", "Globex")):
        call("POST", "/buyers", {"ID": buyer_id, "Name": name, "Active": True})
    for buyer_id, user_id, first in (
        ("buyer-1", "jane", "Jane"),
        ("buyer-1", "joe", "Joe"),
        ("buyer-2", "bob", "Bob"),
    ):
        call("POST", f"/buyers/{buyer_id}/users", _user(user_id, first, "Doe"))
    call("POST", "/securityprofiles", {"ID": "shopper", "Name": "Shopper", "Roles": SHOPPER})
    for buyer_id in ("buyer-1", "buyer-2"):
        call(
            "POST",
            "/securityprofiles/assignments",
            {"SecurityProfileID": "shopper", "BuyerID": buyer_id},
        )

    def client(name, **fields):
        body = {"AppName": name, "Active": True, "AccessTokenDuration": 600, **fields}
        return call("POST", "/apiclients", body)["ID"]

    clients = {
        "secret-app": client(
            "Secret app", ClientSecret=SECRET, AllowSeller=True, RefreshTokenDuration=60
        ),
        "integration": client(
            "Integration", ClientSecret=SECRET, AllowSeller=True, DefaultContextUserName="alice"
        ),
        "anon": client(
            "Anonymous shop", IsAnonBuyer=True, AllowAnyBuyer=True, DefaultContextUserName="jane"
        ),
        "refreshing": client("Refreshing", AllowSeller=True, RefreshTokenDuration=60),
        "storefront": client("Storefront", AllowAnyBuyer=True),
        "short-lived": client("Short-lived", AllowSeller=True, RefreshTokenDuration=60),
        "expired-at-once": client("Expired at once", AllowSeller=True, RefreshTokenDuration=60),
    }
    call(
        "POST",
        "/impersonationconfig",
        {
            "ID": "storefront-buyer-1",
            "BuyerID": "buyer-1",
            "SecurityProfileID": "shopper",
            "ClientID": clients["storefront"],
        },
    )
    # Under the API's 10-minute minimum: real tokens that expire within a minute, or at once.
    ApiClient.objects.filter(oc_id=clients["short-lived"]).update(access_token_duration=1)
    ApiClient.objects.filter(oc_id=clients["expired-at-once"]).update(access_token_duration=0)
    return Market(url=sandbox.url, clients=clients)


SHOPPER = ["Shopper", "MeAdmin"]


def _user(user_id, first, last):
    return {
        "ID": user_id,
        "Username": user_id,
        "Password": PASSWORD,
        "FirstName": first,
        "LastName": last,
        "Email": f"{user_id}@example.com",
        "Active": True,
    }


def other_marketplace():
    """A second marketplace: admin olga (FullAccess) on client other-admin-app, and buyers
    buyer-1 (another Name than the demo's) and buyer-3."""
    marketplace = factories.marketplace("other-mkt")
    factories.user(marketplace, "olga", password=OTHER_PASSWORD)
    factories.profile(marketplace, "other-full", ["FullAccess"], user_id="olga")
    factories.api_client(marketplace, "other-admin-app")
    for buyer_id, name in (("buyer-1", "Acme Europe"), ("buyer-3", "Initech")):
        Buyer.objects.create(marketplace=marketplace, oc_id=buyer_id, name=name, active=True)
    return marketplace
