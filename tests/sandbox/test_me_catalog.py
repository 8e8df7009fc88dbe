"""What buyer users shop from over the API: /me/catalogs, /me/categories, /me/products
(with price schedules, filters and facets), a product's specs and variants, the user's
groups and sellers."""

from http import HTTPStatus

import pytest

from sandbox.auth import tokens
from sandbox.domain import visibility
from sandbox.models import Marketplace, User, VisibleSet
from tests.sandbox import factories
from tests.sandbox.api import Api, api_for, error


@pytest.fixture
def marketplace(db):
    return factories.marketplace("mkt")


@pytest.fixture
def admin(client, marketplace):
    return api_for(client, marketplace)


def ok(response):
    assert response.status_code in (200, 201, 204), (response.status_code, response.content)
    return response


@pytest.fixture
def shop(admin):
    """Buyers b1 (users alice, in group vip, and bob) and b2 (carol). Catalog c1 (given to
    b1, b1's default) holds a tree clothing > shirts, and shoes:
    - tee (in shirts) and hat (in clothing): seen through clothing's assignment to b1;
    - boot (in shoes): assigned to vip only, at the vip price;
    - sock (in c1, no category): assigned to b1 at the buyer price;
    - jacket: inactive; belt: in no catalog.
    Catalog c2 (given to b2 with ViewAllProducts) holds hat and sock."""
    calls = [
        ("/buyers", {"ID": "b1", "Name": "B1", "Active": True, "DefaultCatalogID": None}),
        ("/buyers", {"ID": "b2", "Name": "B2", "Active": True}),
        ("/buyers/b1/usergroups", {"ID": "vip", "Name": "VIP"}),
        ("/buyers/b1/usergroups", {"ID": "other", "Name": "Other"}),
        ("/catalogs", {"ID": "c1", "Name": "Catalog 1", "Active": True}),
        ("/catalogs", {"ID": "c2", "Name": "Catalog 2", "Active": True}),
        ("/catalogs/assignments", {"CatalogID": "c1", "BuyerID": "b1"}),
        ("/catalogs/assignments", {"CatalogID": "c2", "BuyerID": "b2", "ViewAllProducts": True}),
        ("/catalogs/c1/categories", {"ID": "clothing", "Name": "Clothing", "Active": True}),
        (
            "/catalogs/c1/categories",
            {"ID": "shirts", "Name": "Shirts", "Active": True, "ParentID": "clothing"},
        ),
        ("/catalogs/c1/categories", {"ID": "shoes", "Name": "Shoes", "Active": True}),
        (
            "/catalogs/c1/categories/assignments",
            {"CategoryID": "clothing", "BuyerID": "b1", "Visible": True, "ViewAllProducts": True},
        ),
        (
            "/catalogs/c1/categories/assignments",
            {"CategoryID": "shoes", "BuyerID": "b1", "UserGroupID": "vip", "Visible": True},
        ),
    ]
    for schedule, price in (("default", 10), ("buyer", 9), ("vip", 8)):
        body = {"ID": schedule, "Name": schedule, "PriceBreaks": [{"Quantity": 1, "Price": price}]}
        calls.append(("/priceschedules", body))
    for product_id, color, active in (
        ("tee", "red", True),
        ("hat", "blue", True),
        ("boot", "red", True),
        ("sock", "white", True),
        ("jacket", "red", False),
        ("belt", "red", True),
    ):
        body = {
            "ID": product_id,
            "Name": product_id.title(),
            "Active": active,
            "DefaultPriceScheduleID": "default",
            "xp": {"color": color},
        }
        calls.append(("/products", body))
    for category, product in (("shirts", "tee"), ("clothing", "hat"), ("shoes", "boot")):
        body = {"CategoryID": category, "ProductID": product}
        calls.append(("/catalogs/c1/categories/productassignments", body))
    for catalog, product in (("c1", "sock"), ("c1", "jacket"), ("c2", "hat"), ("c2", "sock")):
        calls.append(("/catalogs/productassignments", {"CatalogID": catalog, "ProductID": product}))
    calls += [
        (
            "/products/assignments",
            {"ProductID": "sock", "BuyerID": "b1", "PriceScheduleID": "buyer"},
        ),
        (
            "/products/assignments",
            {"ProductID": "boot", "BuyerID": "b1", "UserGroupID": "vip", "PriceScheduleID": "vip"},
        ),
    ]
    for path, body in calls:
        ok(admin.post(path, body))
    ok(admin.patch("/buyers/b1", {"DefaultCatalogID": "c1"}))
    return admin


def shopper(shop, user_id, buyer_id="b1", *groups):
    client, marketplace = shop.client, Marketplace.objects.get(oc_id="mkt")
    user = factories.user(marketplace, user_id, user_type=User.Type.BUYER, company_id=buyer_id)
    for group in groups:
        body = {"UserGroupID": group, "UserID": user_id}
        ok(shop.post(f"/buyers/{buyer_id}/usergroups/assignments", body))
    client_app = factories.api_client(marketplace, f"shop-{user_id}")
    return Api(client, factories.access_token(client_app, user, ("Shopper",)))


@pytest.fixture
def alice(shop):
    return shopper(shop, "alice", "b1", "vip")


@pytest.fixture
def bob(shop):
    return shopper(shop, "bob", "b1")


@pytest.fixture
def carol(shop):
    return shopper(shop, "carol", "b2")


def ids(response):
    assert response.status_code == HTTPStatus.OK, response.content
    return [item["ID"] for item in response.json()["Items"]]


class TestProducts:
    def test_each_user_sees_what_is_theirs(self, alice, bob, carol):
        assert ids(alice.get("/me/products", sortBy="ID")) == ["boot", "hat", "sock", "tee"]
        assert ids(bob.get("/me/products", sortBy="ID")) == ["hat", "sock", "tee"]
        assert ids(carol.get("/me/products", sortBy="ID")) == ["hat", "sock"]

    def test_each_with_the_price_schedule_that_applies_to_the_user(self, alice, bob):
        def prices(api):
            return {
                item["ID"]: (item["PriceSchedule"]["ID"], item["PriceSchedule"]["PriceBreaks"])
                for item in api.get("/me/products").json()["Items"]
            }

        assert prices(alice) == {
            "boot": ("vip", [{"Quantity": 1, "Price": 8, "SalePrice": None}]),
            "hat": ("default", [{"Quantity": 1, "Price": 10, "SalePrice": None}]),
            "sock": ("buyer", [{"Quantity": 1, "Price": 9, "SalePrice": None}]),
            "tee": ("default", [{"Quantity": 1, "Price": 10, "SalePrice": None}]),
        }
        assert prices(bob)["sock"][0] == "buyer"

    def test_a_buyer_product_as_the_api_shows_it(self, alice):
        product = alice.get("/me/products/sock").json()

        assert list(product) == [
            "PriceSchedule",
            "ID",
            "Name",
            "Description",
            "QuantityMultiplier",
            "ShipWeight",
            "ShipHeight",
            "ShipWidth",
            "ShipLength",
            "Active",
            "SpecCount",
            "VariantCount",
            "ShipFromAddressID",
            "Inventory",
            "DefaultSupplierID",
            "AllSuppliersCanSell",
            "Returnable",
            "xp",
        ]
        assert product["PriceSchedule"]["ID"] == "buyer"

    def test_a_product_the_user_cannot_see_is_not_found(self, alice, carol):
        for api, product in ((alice, "jacket"), (alice, "belt"), (carol, "tee")):
            response = api.get(f"/me/products/{product}")

            assert response.status_code == HTTPStatus.NOT_FOUND
            assert response.json() == error(
                "NotFound",
                f"Product not found: {product}",
                {"ObjectType": "Product", "ObjectID": product},
            )

    def test_by_catalog_category_and_depth(self, alice):
        assert ids(alice.get("/me/products", catalogID="c2")) == []
        assert ids(alice.get("/me/products", categoryID="clothing", sortBy="ID")) == ["hat", "tee"]
        assert ids(alice.get("/me/products", categoryID="clothing", depth="1")) == ["hat"]
        assert ids(alice.get("/me/products", categoryID="shirts")) == ["tee"]
        assert ids(alice.get("/me/products", depth="1", sortBy="ID")) == ["boot", "hat"]
        assert ids(alice.get("/me/products", categoryID="nowhere")) == []

    def test_search_filter_sort_and_page(self, alice):
        first = alice.get("/me/products", **{"xp.color": "red", "sortBy": "!Name", "pageSize": 1})
        second = alice.get(
            "/me/products", **{"xp.color": "red", "sortBy": "!Name", "pageSize": 1, "page": 2}
        )

        assert ids(first) == ["tee"]
        assert ids(second) == ["boot"]
        assert second.json()["Meta"] | {"Facets": []} == {
            "Facets": [],
            "Page": 2,
            "PageSize": 1,
            "TotalCount": 2,
            "TotalPages": 2,
            "ItemRange": [2, 2],
        }
        assert ids(alice.get("/me/products", search="so", searchOn="Name")) == ["sock"]
        assert ids(alice.get("/me/products", sortBy="OwnerID,ID")) == ["boot", "hat", "sock", "tee"]

    def test_facets_count_what_the_user_sees(self, shop, alice, carol):
        shop.post("/productfacets", {"ID": "color", "Name": "Color", "MinCount": 1})

        facets = alice.get("/me/products").json()["Meta"]["Facets"]

        assert facets == [
            {
                "Name": "Color",
                "XpPath": "color",
                "Values": [
                    {"Value": "red", "Count": 2},
                    {"Value": "blue", "Count": 1},
                    {"Value": "white", "Count": 1},
                ],
                "xp": {},
            }
        ]
        assert carol.get("/me/products").json()["Meta"]["Facets"][0]["Values"] == [
            {"Value": "blue", "Count": 1},
            {"Value": "white", "Count": 1},
        ]

    def test_a_seller_filter(self, alice):
        assert ids(alice.get("/me/products", sellerID="mkt", sortBy="ID")) == [
            "boot",
            "hat",
            "sock",
            "tee",
        ]
        assert ids(alice.get("/me/products", sellerID="someone")) == []
        assert alice.get("/me/products/tee", sellerID="someone").status_code == 404

    def test_visibility_follows_changes(self, shop, alice, bob):
        ok(shop.patch("/catalogs/c1/categories/clothing", {"Active": False}))

        assert ids(alice.get("/me/products", sortBy="ID")) == ["boot", "sock"]

        ok(shop.patch("/catalogs/c1", {"Active": False}))

        assert ids(bob.get("/me/products")) == []

    def test_only_buyer_users_shop(self, admin, shop):
        response = admin.get("/me/products")

        assert response.status_code == HTTPStatus.FORBIDDEN
        assert response.json()["Errors"][0]["ErrorCode"] == "Auth.BuyerUsersOnly"


class TestSpecsAndVariants:
    @pytest.fixture
    def shirt(self, shop):
        ok(shop.post("/specs", {"ID": "size", "Name": "Size", "DefinesVariant": True}))
        for option in ("S", "M"):
            ok(shop.post("/specs/size/options", {"ID": option, "Value": option}))
        ok(shop.post("/specs/productassignments", {"SpecID": "size", "ProductID": "tee"}))
        ok(shop.post("/products/tee/variants/generate"))
        ok(shop.patch("/products/tee/variants/tee-M", {"Active": False}))
        return shop

    def test_a_visible_products_specs_and_active_variants(self, shirt, alice):
        assert ids(alice.get("/me/products/tee/specs")) == ["size"]
        assert alice.get("/me/products/tee/specs/size").json()["OptionCount"] == 2
        assert ids(alice.get("/me/products/tee/variants")) == ["tee-S"]
        assert alice.get("/me/products/tee/variants/tee-S").json()["Specs"][0]["OptionID"] == "S"
        assert alice.get("/me/products/tee/variants/tee-M").status_code == 404
        assert alice.get("/me/products/tee").json()["VariantCount"] == 2

    def test_not_found_through_a_product_the_user_cannot_see(self, shirt, carol):
        response = carol.get("/me/products/tee/specs")

        assert response.status_code == HTTPStatus.NOT_FOUND
        assert response.json()["Errors"][0]["Data"] == {"ObjectType": "Product", "ObjectID": "tee"}
        assert carol.get("/me/products/tee/variants/tee-S").status_code == 404


class TestCatalogsAndCategories:
    def test_catalogs(self, alice, carol):
        assert ids(alice.get("/me/catalogs")) == ["c1"]
        assert ids(carol.get("/me/catalogs")) == ["c2"]
        assert alice.get("/me/catalogs/c2").status_code == HTTPStatus.NOT_FOUND
        assert alice.get("/me/catalogs/c1").json()["CategoryCount"] == 3

    def test_categories_of_the_default_catalog_by_depth(self, alice, bob):
        assert ids(alice.get("/me/categories")) == ["clothing", "shoes"]
        assert ids(bob.get("/me/categories")) == ["clothing"]
        assert ids(alice.get("/me/categories", depth="all")) == ["clothing", "shirts", "shoes"]
        assert ids(alice.get("/me/categories", ParentID="clothing")) == ["shirts"]
        assert ids(alice.get("/me/categories", productID="tee")) == ["shirts"]

    def test_another_catalog_or_none(self, alice, carol):
        assert ids(alice.get("/me/categories", catalogID="c2")) == []

        response = carol.get("/me/categories")

        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert response.json()["Errors"][0]["Data"] == {"Field": "catalogID"}

    def test_get_a_category_in_a_catalog(self, alice, bob):
        assert alice.get("/me/categories/shoes", catalogID="c1").json()["Name"] == "Shoes"
        assert bob.get("/me/categories/shoes", catalogID="c1").status_code == 404
        assert alice.get("/me/categories/shoes").status_code == HTTPStatus.BAD_REQUEST


class TestGroupsAndSellers:
    def test_my_user_groups(self, alice, bob):
        assert ids(alice.get("/me/usergroups")) == ["vip"]
        assert ids(bob.get("/me/usergroups")) == []

    def test_my_sellers(self, shop, alice, carol):
        ok(shop.post("/suppliers", {"ID": "s1", "Name": "Linked"}))
        ok(shop.post("/suppliers", {"ID": "s2", "Name": "Everyone's", "AllBuyersCanOrder": True}))
        ok(shop.put("/suppliers/s1/buyers/b1"))

        assert ids(alice.get("/me/sellers", sortBy="ID")) == ["s1", "s2"]
        assert ids(carol.get("/me/sellers")) == ["s2"]


class TestListsFollowEveryWrite:
    """/me/products lists read a materialized set per buyer, groups and catalog
    (sandbox.domain.visible_sets): after each kind of write that changes what a user sees,
    the next list shows exactly the new products (each list is also checked against the
    rules themselves, which the sets are built from)."""

    def seen(self, api, **query):
        listed = ids(api.get("/me/products", sortBy="ID", pageSize=100, **query))
        user = User.objects.get(username=tokens.decode(api.token)["usr"])
        catalogs = None
        if query.get("catalogID"):
            catalogs = visibility.visible_catalogs(user).filter(oc_id=query["catalogID"])
        rules = visibility.visible_products(user, catalogs).order_by("oc_id")
        assert listed == list(rules.values_list("oc_id", flat=True))
        return listed

    def test_product_assigned_to_and_removed_from_a_catalog(self, shop, carol):
        assert self.seen(carol) == ["hat", "sock"]
        assert self.seen(carol, catalogID="c2") == ["hat", "sock"]
        ok(shop.post("/catalogs/productassignments", {"CatalogID": "c2", "ProductID": "tee"}))

        assert self.seen(carol) == ["hat", "sock", "tee"]
        assert self.seen(carol, catalogID="c2") == ["hat", "sock", "tee"]

        ok(shop.delete("/catalogs/c2/productassignments/hat"))

        assert self.seen(carol) == ["sock", "tee"]
        assert self.seen(carol, catalogID="c2") == ["sock", "tee"]

    def test_catalog_assigned_to_a_buyer_with_and_without_view_all_products(self, shop, carol):
        assert self.seen(carol, catalogID="c1") == []
        ok(shop.post("/catalogs/assignments", {"CatalogID": "c1", "BuyerID": "b2"}))

        assert self.seen(carol) == ["hat", "sock"]
        assert self.seen(carol, catalogID="c1") == []

        body = {"CatalogID": "c1", "BuyerID": "b2", "ViewAllProducts": True}
        ok(shop.post("/catalogs/assignments", body))

        assert self.seen(carol) == ["boot", "hat", "sock", "tee"]
        assert self.seen(carol, catalogID="c1") == ["boot", "hat", "sock", "tee"]

        ok(shop.delete("/catalogs/c2/assignments", buyerID="b2"))

        assert self.seen(carol) == ["boot", "hat", "sock", "tee"]
        assert self.seen(carol, catalogID="c2") == []

        ok(shop.delete("/catalogs/c1/assignments", buyerID="b2"))

        assert self.seen(carol) == []

    def test_category_assignments(self, shop, alice, bob):
        assert self.seen(bob) == ["hat", "sock", "tee"]
        body = {"CategoryID": "shoes", "BuyerID": "b1", "ViewAllProducts": True}
        ok(shop.post("/catalogs/c1/categories/assignments", body))

        assert self.seen(bob) == ["boot", "hat", "sock", "tee"]

        ok(shop.delete("/catalogs/c1/categories/clothing/assignments", buyerID="b1"))

        assert self.seen(bob) == ["boot", "sock"]
        assert self.seen(alice) == ["boot", "sock"]

        body = {"CategoryID": "shirts", "BuyerID": "b1", "UserGroupID": "vip"}
        ok(shop.post("/catalogs/c1/categories/assignments", {**body, "ViewAllProducts": True}))

        assert self.seen(alice) == ["boot", "sock", "tee"]
        assert self.seen(bob) == ["boot", "sock"]

    def test_category_product_assignments(self, shop, bob):
        assert self.seen(bob) == ["hat", "sock", "tee"]
        body = {"CategoryID": "clothing", "ProductID": "belt"}
        ok(shop.post("/catalogs/c1/categories/productassignments", body))

        assert self.seen(bob) == ["belt", "hat", "sock", "tee"]

        ok(shop.delete("/catalogs/c1/categories/shirts/productassignments/tee"))

        assert self.seen(bob) == ["belt", "hat", "sock"]

    def test_product_assignments_and_group_membership(self, shop, alice, bob):
        ok(shop.post("/catalogs/productassignments", {"CatalogID": "c1", "ProductID": "belt"}))
        assert self.seen(bob) == ["hat", "sock", "tee"]
        body = {"ProductID": "belt", "BuyerID": "b1", "UserGroupID": "other"}
        ok(shop.post("/products/assignments", body))

        assert self.seen(bob) == ["hat", "sock", "tee"]

        ok(
            shop.post(
                "/buyers/b1/usergroups/assignments", {"UserGroupID": "other", "UserID": "bob"}
            )
        )

        assert self.seen(bob) == ["belt", "hat", "sock", "tee"]
        assert self.seen(alice) == ["boot", "hat", "sock", "tee"]

        ok(shop.delete("/buyers/b1/usergroups/vip/assignments/alice"))

        assert self.seen(alice) == ["hat", "sock", "tee"]

        ok(shop.delete("/buyers/b1/usergroups/other/assignments/bob"))

        assert self.seen(bob) == ["hat", "sock", "tee"]

        ok(shop.delete("/products/sock/assignments/b1"))

        assert self.seen(bob) == ["hat", "tee"]

    def test_active_flags(self, shop, alice, bob):
        assert self.seen(bob) == ["hat", "sock", "tee"]
        ok(shop.patch("/products/hat", {"Active": False}))

        assert self.seen(bob) == ["sock", "tee"]

        ok(shop.patch("/products/jacket", {"Active": True}))
        ok(shop.post("/products/assignments", {"ProductID": "jacket", "BuyerID": "b1"}))

        assert self.seen(bob) == ["jacket", "sock", "tee"]

        ok(shop.patch("/catalogs/c1/categories/clothing", {"Active": False}))

        assert self.seen(bob) == ["jacket", "sock"]

        ok(shop.patch("/catalogs/c1/categories/clothing", {"Active": True}))

        assert self.seen(bob) == ["jacket", "sock", "tee"]

        ok(shop.patch("/catalogs/c1", {"Active": False}))

        assert self.seen(bob) == []
        assert self.seen(alice, catalogID="c1") == []

        ok(shop.patch("/catalogs/c1", {"Active": True}))

        assert self.seen(alice, catalogID="c1") == ["boot", "jacket", "sock", "tee"]

    def test_deletes(self, shop, alice, bob, carol):
        assert self.seen(alice) == ["boot", "hat", "sock", "tee"]
        ok(shop.delete("/products/tee"))

        assert self.seen(bob) == ["hat", "sock"]

        ok(shop.delete("/catalogs/c1/categories/clothing"))

        assert self.seen(bob) == ["sock"]

        ok(shop.delete("/buyers/b1/usergroups/vip"))

        assert self.seen(alice) == ["sock"]

        assert self.seen(carol) == ["hat", "sock"]
        ok(shop.delete("/catalogs/c2"))

        assert self.seen(carol) == []

    def test_a_category_moved_under_another(self, shop, alice, bob):
        assert self.seen(bob) == ["hat", "sock", "tee"]
        ok(shop.patch("/catalogs/c1/categories/shirts", {"ParentID": "shoes"}))

        assert self.seen(bob) == ["hat", "sock"]
        assert self.seen(alice) == ["boot", "hat", "sock"]

        ok(shop.patch("/catalogs/c1/categories/shirts", {"ParentID": "clothing"}))

        assert self.seen(bob) == ["hat", "sock", "tee"]

    def test_users_of_a_buyer_with_the_same_groups_share_one_set(self, shop, alice, bob):
        dave = shopper(shop, "dave", "b1", "vip")

        assert self.seen(alice) == self.seen(dave) == ["boot", "hat", "sock", "tee"]
        assert self.seen(bob) == ["hat", "sock", "tee"]
        assert VisibleSet.objects.count() == 2
