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
    BuyerProduct,
    Catalog,
    CatalogAssignment,
    Category,
    CategoryAssignment,
    CategoryProductAssignment,
    ImpersonateTokenRequest,
    ImpersonationConfig,
    MeUser,
    PriceBreak,
    PriceSchedule,
    Product,
    ProductAssignment,
    ProductCatalogAssignment,
    ProductFacet,
    SecurityProfile,
    Spec,
    SpecOption,
    SpecProductAssignment,
    User,
    UserGroup,
    UserGroupAssignment,
    Variant,
)
from pydantic import BaseModel

BUYER = "compat-buyer"
SECRET = "compat-secret"
PASSWORD = "Compat-password-1"


# In OrderCloud's ApiClient schema (and sent by the sandbox), not in the SDK's model.
NOT_IN_SDK = {"ClientSecret"}


def assert_typed(model):
    """Every field the sandbox sent is one the SDK's model knows, in nested models too."""
    extra = {name: value for name, value in model.model_extra.items() if name not in NOT_IN_SDK}
    assert extra == {}, extra
    for name in type(model).model_fields:
        value = getattr(model, name)
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, BaseModel) and item.model_extra is not None:
                assert_typed(item)


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


# --- the catalog -----------------------------------------------------------------------------


@pytest.fixture
def catalog(sdk, buyer_with_users):
    """A catalog of the compat buyer: a category tree apparel > shirts, a t-shirt with a
    size spec (S, M) that defines its variants, and a price schedule with a sale."""
    sdk.catalogs.create(Catalog(id="compat-catalog", name="Compat catalog", active=True))
    sdk.catalogs.save_assignment(CatalogAssignment(catalog_id="compat-catalog", buyer_id=BUYER))
    sdk.buyers.patch(BUYER, {"DefaultCatalogID": "compat-catalog"})
    sdk.categories.create("compat-catalog", Category(id="apparel", name="Apparel", active=True))
    sdk.categories.create(
        "compat-catalog",
        Category(id="shirts", name="Shirts", active=True, parent_id="apparel", list_order=1),
    )
    sdk.categories.save_assignment(
        "compat-catalog",
        CategoryAssignment(
            category_id="apparel", buyer_id=BUYER, visible=True, view_all_products=True
        ),
    )
    sdk.price_schedules.create(
        PriceSchedule(
            id="tee-price",
            name="T-shirt price",
            price_breaks=[PriceBreak(quantity=1, price=20)],
            currency="USD",
        )
    )
    sdk.price_schedules.save_price_break(
        "tee-price", PriceBreak(quantity=10, price=18, sale_price=15)
    )
    sdk.price_schedules.patch("tee-price", {"SaleStart": "2000-01-01T00:00:00+00:00"})
    sdk.products.create(
        Product(
            id="tee",
            name="T-shirt",
            active=True,
            default_price_schedule_id="tee-price",
            xp={"color": "red"},
        )
    )
    sdk.product_facets.create(ProductFacet(id="color", name="Color", min_count=1))
    sdk.categories.save_product_assignment(
        "compat-catalog", CategoryProductAssignment(category_id="shirts", product_id="tee")
    )
    sdk.specs.create(Spec(id="size", name="Size", defines_variant=True, required=True))
    for n, value in enumerate(("S", "M")):
        sdk.specs.create_option("size", SpecOption(id=value, value=value, list_order=n))
    sdk.specs.save_product_assignment(SpecProductAssignment(spec_id="size", product_id="tee"))
    return "compat-catalog"


class TestCatalogAsAdmin:
    def test_catalog_tree_and_depth(self, sdk, catalog):
        top = sdk.categories.list(catalog)
        everything = sdk.categories.list(catalog, depth="all", sort_by="ID")

        assert_page(top, total=1, items=["apparel"])
        assert_page(everything, total=2, items=["apparel", "shirts"])
        assert everything.items[0].child_count == 1
        assert sdk.catalogs.get(catalog).category_count == 2
        assert_page(sdk.catalogs.list(), total=1, items=[catalog])

    def test_assignments_parse(self, sdk, catalog):
        assignments = [
            *sdk.catalogs.list_assignments(catalog_id=catalog).items,
            *sdk.catalogs.list_product_assignments(catalog_id=catalog).items,
            *sdk.categories.list_assignments(catalog).items,
            *sdk.categories.list_product_assignments(catalog).items,
            *sdk.specs.list_product_assignments().items,
        ]

        assert len(assignments) == 5
        for assignment in assignments:
            assert_typed(assignment)
        assert isinstance(assignments[1], ProductCatalogAssignment)

    def test_price_schedule_with_breaks_and_sale(self, sdk, catalog):
        schedule = sdk.price_schedules.get("tee-price")

        assert_typed(schedule)
        assert [(b.quantity, b.price, b.sale_price) for b in schedule.price_breaks] == [
            (1, 20, None),
            (10, 18, 15),
        ]
        assert schedule.is_on_sale is True
        sdk.price_schedules.delete_price_break("tee-price", quantity=10)
        assert len(sdk.price_schedules.get("tee-price").price_breaks) == 1

    def test_specs_and_generated_variants(self, sdk, catalog):
        product = sdk.products.generate_variants("tee", {})
        variants = sdk.products.list_variants("tee", sort_by="ID")
        spec = sdk.specs.get("size")

        assert isinstance(product, Product)
        assert_typed(product)
        assert (product.spec_count, product.variant_count) == (1, 2)
        assert_page(variants, total=2, items=["tee-M", "tee-S"])
        assert [option.id for option in spec.options] == ["S", "M"]
        assert_typed(spec)
        assert_page(sdk.products.list_specs("tee"), total=1, items=["size"])

        saved = sdk.products.patch_variant("tee", "tee-S", {"Description": "Small"})

        assert isinstance(saved, Variant)
        assert saved.specs[0].option_id == "S"
        assert sdk.products.get_variant("tee", "tee-S").description == "Small"

    def test_products_list_with_facets(self, sdk, catalog):
        page = sdk.products.list(catalog_id=catalog, filters={"xp.color": "red"})

        assert_page(page, total=1, items=["tee"])
        assert [(f.name, [(v.value, v.count) for v in f.values]) for f in page.meta.facets] == [
            ("Color", [("red", 1)])
        ]

    def test_product_assignment_to_a_group(self, sdk, catalog):
        sdk.price_schedules.create(
            PriceSchedule(
                id="vip-price", name="VIP", price_breaks=[PriceBreak(quantity=1, price=12)]
            )
        )
        sdk.products.save_assignment(
            ProductAssignment(
                product_id="tee", buyer_id=BUYER, user_group_id="vip", price_schedule_id="vip-price"
            )
        )

        assignments = sdk.products.list_assignments(product_id="tee")

        assert [(a.user_group_id, a.price_schedule_id) for a in assignments.items] == [
            ("vip", "vip-price")
        ]
        assert_typed(assignments.items[0])


@pytest.fixture
def shopper_for(sandbox, sdk, storefront):
    """An SDK signed in as one of the compat buyer's users, with the Shopper role."""
    sdk.security_profiles.create(SecurityProfile(id="shopper", name="Shopper", roles=["Shopper"]))
    sdk.security_profiles.save_assignment({"SecurityProfileID": "shopper", "BuyerID": BUYER})
    clients = []

    def sign_in(username):
        client = sdk_for(sandbox, storefront.id, scopes=("Shopper",))
        inner = client._async_client
        client._run(
            inner._token_manager.authenticate_password(inner._http._client, username, PASSWORD)
        )
        clients.append(client)
        return client

    yield sign_in
    for client in clients:
        client.close()


class TestShoppingAsABuyerUser:
    def test_products_categories_specs_and_variants(self, sdk, catalog, shopper_for):
        sdk.products.generate_variants("tee", {})
        shopper = shopper_for("john@compat")

        page = shopper.me.list_products(category_id="apparel", filters={"xp.color": "red"})
        product = shopper.me.get_product("tee")

        assert_page(page, total=1, items=["tee"])
        assert isinstance(product, BuyerProduct)
        assert_typed(product)
        assert product.price_schedule.id == "tee-price"
        assert [(b.quantity, b.sale_price) for b in product.price_schedule.price_breaks] == [
            (1, None),
            (10, 15),
        ]
        assert [f.values[0].value for f in page.meta.facets] == ["red"]
        assert_page(shopper.me.list_categories(depth="all"), total=2, items=["apparel", "shirts"])
        assert shopper.me.get_category("shirts", catalog_id=catalog).parent_id == "apparel"
        assert_page(shopper.me.list_catalogs(), total=1, items=[catalog])
        assert_page(shopper.me.list_specs("tee"), total=1, items=["size"])
        assert shopper.me.get_spec("tee", "size").option_count == 2
        assert_page(
            shopper.me.list_variants("tee", sort_by="ID"), total=2, items=["tee-M", "tee-S"]
        )
        assert shopper.me.get_variant("tee", "tee-S").id == "tee-S"

    def test_a_groups_price_and_what_another_user_cannot_see(self, sdk, catalog, shopper_for):
        sdk.products.create(Product(id="vip-only", name="VIP only", active=True))
        sdk.catalogs.save_product_assignment(
            ProductCatalogAssignment(catalog_id=catalog, product_id="vip-only")
        )
        sdk.price_schedules.create(
            PriceSchedule(
                id="vip-price", name="VIP", price_breaks=[PriceBreak(quantity=1, price=12)]
            )
        )
        for product in ("tee", "vip-only"):
            sdk.products.save_assignment(
                ProductAssignment(
                    product_id=product,
                    buyer_id=BUYER,
                    user_group_id="vip",
                    price_schedule_id="vip-price",
                )
            )
        jane, john = shopper_for("jane@compat"), shopper_for("john@compat")

        assert_page(jane.me.list_products(sort_by="ID"), total=2, items=["tee", "vip-only"])
        assert jane.me.get_product("tee").price_schedule.id == "vip-price"
        assert_page(john.me.list_products(), total=1, items=["tee"])
        assert john.me.get_product("tee").price_schedule.id == "tee-price"
        with pytest.raises(OrderCloudError) as hidden:
            john.me.get_product("vip-only")
        assert hidden.value.status_code == 404
        assert_page(jane.me.list_user_groups(), total=1, items=["vip"])
