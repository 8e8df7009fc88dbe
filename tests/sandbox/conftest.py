from dataclasses import dataclass
from urllib.parse import urlencode

import pytest
from django.conf import settings

from sandbox.models import ApiClient, Marketplace, User
from sandbox.seeding.demo import seed_demo

TOKEN_URL = "/sandbox/oauth/token"
ME_URL = "/sandbox/v1/me"
FORM = "application/x-www-form-urlencoded"


def post_token(client, **fields):
    """POST the fields form-encoded, as OAuth clients do."""
    return client.post(TOKEN_URL, urlencode(fields), content_type=FORM)


def get_me(client, access_token):
    return client.get(ME_URL, headers={"Authorization": f"Bearer {access_token}"})


@dataclass
class Demo:
    marketplace: Marketplace
    api_client: ApiClient
    admin: User

    def impersonation_fields(self, **overrides):
        return {
            "grant_type": "password",
            "client_id": self.api_client.oc_id,
            "username": settings.SANDBOX_USERNAME,
            "password": settings.SANDBOX_PASSWORD,
            "scope": "DevCenterImpersonate FullAccess",
            **overrides,
        }


@pytest.fixture
def demo(db):
    """The seeded demo marketplace, in the test's transaction."""
    seed_demo()
    api_client = ApiClient.objects.get(oc_id=settings.SANDBOX_CLIENT_ID)
    marketplace = api_client.marketplace
    return Demo(
        marketplace=marketplace, api_client=api_client, admin=marketplace.default_admin_user
    )
