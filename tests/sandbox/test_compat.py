"""Compatibility: the `ordercloud-python` SDK (a client written against the real API,
with typed pydantic models) drives the sandbox over real HTTP without noticing.

Every response the SDK parses must fill its models with no unknown fields left over
(`model_extra` empty): the sandbox's field names are the API's.
"""

import httpx
import pytest
import requests
from ordercloud import SyncOrderCloudClient
from ordercloud.errors import OrderCloudError
from ordercloud.models import (
    ApiClient,
    Buyer,
    ImpersonateTokenRequest,
    ImpersonationConfig,
    MeUser,
    SecurityProfile,
    User,
    UserGroup,
    UserGroupAssignment,
)

BUYER = "compat-buyer"
SECRET = "compat-secret"
PASSWORD = "Compat-password-1"


# In OrderCloud's ApiClient schema (and sent by the sandbox), not in the SDK's model.
NOT_IN_SDK = {"ClientSecret"}


def assert_typed(model):
    """Every field the sandbox sent is one the SDK's model knows."""
    extra = {name: value for name, value in model.model_extra.items() if name not in NOT_IN_SDK}
    assert extra == {}, extra


def assert_page(page, *, total, items):
    assert page.meta.total_count == total
    assert [item.id for item in page.items] == items
    for item in page.items:
        assert_typed(item)


@pytest.fixture
def admin_client_id(sandbox):
    """An API client whose secret signs the SDK in (client credentials) as the default
    admin user, set up with the developer's DevCenterImpersonate token, as in the portal."""
    token = requests.post(
        f"{sandbox.url}/oauth/token",
        data={
            "grant_type": "password",
            "client_id": sandbox.client_id,
            "username": sandbox.username,
            "password": sandbox.password,
            "scope": "DevCenterImpersonate FullAccess",
        },
        timeout=10,
    ).json()["access_token"]
    me = requests.get(
        f"{sandbox.url}/v1/me", headers={"Authorization": f"Bearer {token}"}, timeout=10
    ).json()
    response = requests.post(
        f"{sandbox.url}/v1/apiclients",
        json={
            "AppName": "SDK admin",
            "ClientSecret": SECRET,
            "AccessTokenDuration": 600,
            "Active": True,
            "AllowSeller": True,
            "DefaultContextUserName": me["Username"],
        },
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    assert response.status_code == 201, response.text
    return response.json()["ID"]


def sdk_for(sandbox, client_id, *, client_secret="", scopes=("FullAccess",)):
    return SyncOrderCloudClient.create(
        client_id=client_id,
        client_secret=client_secret,
        base_url=f"{sandbox.url}/v1",
        auth_url=f"{sandbox.url}/oauth/token",
        scopes=list(scopes),
    )


@pytest.fixture
def sdk(sandbox, admin_client_id):
    with sdk_for(sandbox, admin_client_id, client_secret=SECRET) as client:
        yield client


@pytest.fixture
def buyer_with_users(sdk):
    sdk.buyers.create(Buyer(id=BUYER, name="Compat Buyer", active=True))
    sdk.user_groups.create(BUYER, UserGroup(id="vip", name="VIP customers"))
    for user_id, first, last in [
        ("jane", "Jane", "Doe"),
        ("john", "John", "Doe"),
        ("alice", "Alice", "Liddell"),
    ]:
        sdk.users.create(
            BUYER,
            User(
                id=user_id,
                username=f"{user_id}@compat",
                password=PASSWORD,
                first_name=first,
                last_name=last,
                email=f"{user_id}@example.com",
                active=True,
                xp={"tier": "gold" if user_id == "jane" else "silver"},
            ),
        )
    sdk.user_groups.save_user_assignment(
        BUYER, UserGroupAssignment(user_group_id="vip", user_id="jane")
    )
    return BUYER


class TestSignInAndMe:
    def test_client_credentials_then_me(self, sdk):
        me = sdk.me.get()

        assert isinstance(me, MeUser)
        assert_typed(me)
        assert me.seller is not None and me.buyer is None
        assert "FullAccess" in me.available_roles
        assert me.active is True

    def test_refused_secret_is_an_sdk_error(self, sandbox, admin_client_id):
        with (
            sdk_for(sandbox, admin_client_id, client_secret="wrong") as client,
            pytest.raises(httpx.HTTPStatusError) as raised,
        ):
            client.me.get()

        assert raised.value.response.status_code == 400
        assert raised.value.response.json()["error"] == "invalid_client"


class TestBuyersUsersGroups:
    def test_created_objects_parse_as_typed_models(self, sdk):
        buyer = sdk.buyers.create(Buyer(name="Generated ID", active=True))
        group = sdk.user_groups.create(buyer.id, UserGroup(id="g", name="Group"))
        user = sdk.users.create(
            buyer.id,
            User(
                id="u",
                username="u@compat",
                first_name="U",
                last_name="Ser",
                email="u@example.com",
                active=True,
            ),
        )

        assert buyer.id and buyer.name == "Generated ID" and buyer.date_created is not None
        for model in (buyer, group, user):
            assert_typed(model)
        assert group.id == "g"
        assert user.username == "u@compat"
        assert sdk.users.get(buyer.id, "u").email == "u@example.com"

    def test_assignment_lists_and_user_group_filter(self, sdk, buyer_with_users):
        assignments = sdk.user_groups.list_user_assignments(buyer_with_users, user_group_id="vip")

        assert [(a.user_group_id, a.user_id) for a in assignments.items] == [("vip", "jane")]
        assert_typed(assignments.items[0])
        assert_page(sdk.users.list(buyer_with_users, user_group_id="vip"), total=1, items=["jane"])

    def test_list_with_filters_sort_and_paging(self, sdk, buyer_with_users):
        first = sdk.users.list(
            buyer_with_users, filters={"LastName": "Doe"}, sort_by="!FirstName", page_size=1
        )
        second = sdk.users.list(
            buyer_with_users,
            filters={"LastName": "Doe"},
            sort_by="!FirstName",
            page=2,
            page_size=1,
        )

        assert_page(first, total=2, items=["john"])
        assert (first.meta.page, first.meta.page_size, first.meta.total_pages) == (1, 1, 2)
        assert first.meta.item_range == [1, 1]
        assert_page(second, total=2, items=["jane"])
        assert second.meta.item_range == [2, 2]

    def test_list_with_search_and_xp_filter(self, sdk, buyer_with_users):
        searched = sdk.users.list(buyer_with_users, search="ali", search_on="FirstName")
        by_xp = sdk.users.list(buyer_with_users, filters={"xp.tier": "silver"}, sort_by="ID")

        assert_page(searched, total=1, items=["alice"])
        assert_page(by_xp, total=2, items=["alice", "john"])

    def test_api_errors_reach_the_sdk_in_ordercloud_shape(self, sdk, buyer_with_users):
        with pytest.raises(OrderCloudError) as raised:
            sdk.users.get(buyer_with_users, "nobody")

        assert raised.value.status_code == 404
        error = raised.value.errors[0]
        assert error.error_code == "NotFound"
        assert error.data == {"ObjectType": "User", "ObjectID": "nobody"}


@pytest.fixture
def storefront(sdk):
    """A buyer app: any buyer's users sign in with a password; refresh tokens for 60 min."""
    client = sdk.api_clients.create(
        ApiClient(
            app_name="Storefront",
            access_token_duration=600,
            refresh_token_duration=60,
            active=True,
            allow_any_buyer=True,
        )
    )
    assert_typed(client)
    assert client.id and client.refresh_token_duration == 60
    return client


class TestImpersonation:
    def test_impersonate_a_buyer_user(self, sandbox, sdk, buyer_with_users, storefront):
        profile = sdk.security_profiles.create(
            SecurityProfile(id="shopper", name="Shopper", roles=["Shopper", "MeAdmin"])
        )
        config = sdk.impersonation_configs.create(
            ImpersonationConfig(
                buyer_id=buyer_with_users,
                group_id="vip",
                security_profile_id=profile.id,
                client_id=storefront.id,
            )
        )
        for model in (profile, config):
            assert_typed(model)

        token = sdk.users.get_access_token(
            buyer_with_users,
            "jane",
            ImpersonateTokenRequest(client_id=storefront.id, roles=["Shopper"]),
        )

        assert_typed(token)
        assert token.access_token and token.expires_in == 600 * 60
        me = MeUser.model_validate(
            requests.get(
                f"{sandbox.url}/v1/me",
                headers={"Authorization": f"Bearer {token.access_token}"},
                timeout=10,
            ).json()
        )
        assert_typed(me)
        assert me.id == "jane"
        assert me.buyer.id == buyer_with_users
        with pytest.raises(OrderCloudError) as refused:
            sdk.users.get_access_token(
                buyer_with_users,
                "john",  # not in the VIP group the config names
                ImpersonateTokenRequest(client_id=storefront.id, roles=["Shopper"]),
            )
        assert refused.value.status_code == 403


class TestRefreshToken:
    def test_the_sdk_refreshes_an_expired_token(self, sandbox, sdk, buyer_with_users, storefront):
        sdk.security_profiles.create(
            SecurityProfile(id="shopper", name="Shopper", roles=["Shopper"])
        )
        sdk.security_profiles.save_assignment(
            {"SecurityProfileID": "shopper", "BuyerID": buyer_with_users}
        )
        with sdk_for(sandbox, storefront.id, scopes=("Shopper",)) as shopper:
            # The sync client has no password sign-in of its own: its TokenManager has.
            inner = shopper._async_client
            shopper._run(
                inner._token_manager.authenticate_password(
                    inner._http._client, "jane@compat", PASSWORD
                )
            )
            first = inner._token_manager._token
            assert first.refresh_token
            assert shopper.me.get().id == "jane"
            # Ten minutes are the shortest token life: age it rather than wait.
            first._expires_at = 0

            me = shopper.me.get()

            refreshed = inner._token_manager._token
        assert me.id == "jane"
        assert refreshed is not first
        assert refreshed.access_token != first.access_token
        assert refreshed.refresh_token == first.refresh_token
