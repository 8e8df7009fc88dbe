"""Products, price schedules, specs and variants over the API, as an admin sees them."""

from http import HTTPStatus

import pytest

from sandbox.models import User
from tests.sandbox import factories
from tests.sandbox.api import api_for, error


@pytest.fixture
def marketplace(db):
    return factories.marketplace("mkt")


@pytest.fixture
def api(client, marketplace):
    return api_for(client, marketplace)


def created(response):
    assert response.status_code == HTTPStatus.CREATED, response.content
    return response.json()


def ids(response):
    assert response.status_code == HTTPStatus.OK, response.content
    return [item["ID"] for item in response.json()["Items"]]


class TestProducts:
    def test_a_product_as_the_api_shows_it(self, api):
        product = created(
            api.post(
                "/products",
                {"ID": "shirt", "Name": "Shirt", "Inventory": {"Enabled": True}, "Active": True},
            )
        )

        last_updated = product["Inventory"].pop("LastUpdated")
        assert last_updated.endswith("+00:00")
        assert product == {
            "OwnerID": "mkt",
            "DefaultPriceScheduleID": None,
            "AutoForward": False,
            "ID": "shirt",
            "Name": "Shirt",
            "Description": None,
            "QuantityMultiplier": 1,
            "ShipWeight": None,
            "ShipHeight": None,
            "ShipWidth": None,
            "ShipLength": None,
            "Active": True,
            "SpecCount": 0,
            "VariantCount": 0,
            "ShipFromAddressID": None,
            "Inventory": {
                "Enabled": True,
                "NotificationPoint": None,
                "VariantLevelTracking": None,
                "OrderCanExceed": None,
                "QuantityAvailable": None,
            },
            "DefaultSupplierID": None,
            "AllSuppliersCanSell": False,
            "Returnable": False,
            "xp": {},
        }

    def test_patching_the_inventory_keeps_what_it_leaves_out(self, api):
        api.post("/products", {"ID": "p", "Name": "P", "Inventory": {"Enabled": True}})

        patched = api.patch("/products/p", {"Inventory": {"QuantityAvailable": 5}}).json()

        assert (patched["Inventory"]["Enabled"], patched["Inventory"]["QuantityAvailable"]) == (
            True,
            5,
        )

    def test_the_default_price_schedule_must_exist_and_follows_it(self, api):
        response = api.post("/products", {"ID": "p", "Name": "P", "DefaultPriceScheduleID": "x"})

        assert response.status_code == HTTPStatus.NOT_FOUND
        assert response.json() == error(
            "NotFound",
            "PriceSchedule not found: x",
            {"ObjectType": "PriceSchedule", "ObjectID": "x"},
        )

        api.post("/priceschedules", {"ID": "ps", "Name": "PS"})
        api.post("/products", {"ID": "p", "Name": "P", "DefaultPriceScheduleID": "ps"})
        api.patch("/priceschedules/ps", {"ID": "renamed"})

        assert api.get("/products/p").json()["DefaultPriceScheduleID"] == "renamed"

        api.delete("/priceschedules/renamed")

        assert api.get("/products/p").json()["DefaultPriceScheduleID"] is None

    def test_owner_a_supplier_or_the_marketplace(self, api):
        response = api.post("/products", {"ID": "p", "Name": "P", "OwnerID": "nobody"})
        api.post("/suppliers", {"ID": "s1", "Name": "S"})

        assert response.status_code == HTTPStatus.NOT_FOUND
        owned = created(api.post("/products", {"ID": "p", "Name": "P", "OwnerID": "s1"}))
        assert owned["OwnerID"] == "s1"
        assert api.put("/products/p", {"Name": "P2"}).json()["OwnerID"] == "s1"

    def test_a_supplier_user_sees_and_makes_its_own(self, client, api, marketplace):
        api.post("/suppliers", {"ID": "s1", "Name": "S"})
        api.post("/products", {"ID": "theirs", "Name": "Theirs", "OwnerID": "s1"})
        api.post("/products", {"ID": "ours", "Name": "Ours"})
        supplier_user = factories.user(
            marketplace, "sue", user_type=User.Type.SUPPLIER, company_id="s1"
        )
        supplier = api_for(client, marketplace, ["ProductAdmin"], user=supplier_user)

        made = created(supplier.post("/products", {"ID": "new", "Name": "New", "OwnerID": "mkt"}))

        assert made["OwnerID"] == "s1"
        assert ids(supplier.get("/products", sortBy="ID")) == ["new", "theirs"]
        assert supplier.get("/products/ours").status_code == HTTPStatus.NOT_FOUND

    def test_lists_by_catalog_category_and_supplier(self, api):
        api.post("/catalogs", {"ID": "c1", "Name": "C"})
        api.post("/catalogs/c1/categories", {"ID": "shoes", "Name": "Shoes"})
        api.post("/suppliers", {"ID": "s1", "Name": "S"})
        for product_id in ("boot", "hat", "sock", "belt"):
            api.post("/products", {"ID": product_id, "Name": product_id})
        api.post("/catalogs/productassignments", {"CatalogID": "c1", "ProductID": "hat"})
        api.post(
            "/catalogs/c1/categories/productassignments",
            {"CategoryID": "shoes", "ProductID": "boot"},
        )
        api.put("/products/sock/suppliers/s1")
        api.patch("/products/belt", {"OwnerID": "s1"})

        assert ids(api.get("/products", catalogID="c1", sortBy="ID")) == ["boot", "hat"]
        assert ids(api.get("/products", categoryID="shoes")) == ["boot"]
        assert ids(api.get("/products", supplierID="s1", sortBy="ID")) == ["belt", "sock"]


class TestFacets:
    @pytest.fixture
    def shop(self, api):
        api.post("/productfacets", {"ID": "color", "Name": "Color", "MinCount": 1, "ListOrder": 0})
        api.post(
            "/productfacets",
            {"ID": "size", "Name": "Size", "XpPath": "Facets.Size", "MinCount": 2, "ListOrder": -1},
        )
        for product_id, color, sizes in (
            ("a", "red", ["S", "M"]),
            ("b", "red", ["M"]),
            ("c", "blue", ["M", "L"]),
            ("d", True, []),
            ("e", 7, ["S"]),
        ):
            xp = {"color": color, "Facets": {"Size": sizes}}
            api.post("/products", {"ID": product_id, "Name": product_id, "xp": xp})
        return api

    def test_values_counted_by_count_then_value(self, shop):
        meta = shop.get("/products").json()["Meta"]

        assert meta["Facets"] == [
            {
                "Name": "Size",
                "XpPath": "Facets.Size",
                "Values": [{"Value": "M", "Count": 3}, {"Value": "S", "Count": 2}],
                "xp": {},
            },
            {
                "Name": "Color",
                "XpPath": "color",
                "Values": [
                    {"Value": "red", "Count": 2},
                    {"Value": "7", "Count": 1},
                    {"Value": "blue", "Count": 1},
                    {"Value": "true", "Count": 1},
                ],
                "xp": {},
            },
        ]
        assert meta["TotalCount"] == 5

    def test_a_facets_own_filter_does_not_narrow_its_counts(self, shop):
        response = shop.get("/products", **{"xp.color": "red"})

        facets = {facet["Name"]: facet["Values"] for facet in response.json()["Meta"]["Facets"]}
        assert response.json()["Meta"]["TotalCount"] == 2
        assert facets["Color"][0] == {"Value": "red", "Count": 2}
        assert len(facets["Color"]) == 4
        assert facets["Size"] == [{"Value": "M", "Count": 2}]  # S: 1, under MinCount

    def test_min_count_zero_keeps_the_values_out_of_the_result(self, shop):
        shop.patch("/productfacets/size", {"MinCount": 0})

        response = shop.get("/products", search="c", searchOn="ID")

        facets = {facet["Name"]: facet["Values"] for facet in response.json()["Meta"]["Facets"]}
        assert facets["Size"] == [
            {"Value": "L", "Count": 1},
            {"Value": "M", "Count": 1},
            {"Value": "S", "Count": 0},
        ]

    def test_a_bad_xp_path_is_refused(self, api):
        response = api.post("/productfacets", {"Name": "X", "MinCount": 1, "XpPath": "a..b"})

        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert response.json()["Errors"][0]["Data"] == {"Field": "XpPath"}


class TestPriceSchedules:
    def test_breaks_in_quantity_order_and_sale(self, api):
        schedule = created(
            api.post(
                "/priceschedules",
                {
                    "ID": "ps",
                    "Name": "PS",
                    "PriceBreaks": [{"Quantity": 10, "Price": 8}, {"Quantity": 1, "Price": 10}],
                    "SaleStart": "2000-01-01T00:00:00Z",
                    "Currency": "USD",
                },
            )
        )

        assert schedule == {
            "OwnerID": "mkt",
            "ID": "ps",
            "Name": "PS",
            "ApplyTax": False,
            "ApplyShipping": False,
            "MinQuantity": 1,
            "MaxQuantity": None,
            "UseCumulativeQuantity": False,
            "RestrictedQuantity": False,
            "PriceBreaks": [
                {"Quantity": 1, "Price": 10, "SalePrice": None},
                {"Quantity": 10, "Price": 8, "SalePrice": None},
            ],
            "Currency": "USD",
            "SaleStart": "2000-01-01T00:00:00.000+00:00",
            "SaleEnd": None,
            "IsOnSale": False,  # no SalePrice
            "xp": {},
        }

        response = api.post(
            "/priceschedules/ps/PriceBreaks", {"Quantity": 1, "Price": 11, "SalePrice": 9}
        )

        assert response.status_code == HTTPStatus.CREATED
        assert response.json()["PriceBreaks"][0] == {"Quantity": 1, "Price": 11, "SalePrice": 9}
        assert response.json()["IsOnSale"] is True

        assert api.delete("/priceschedules/ps/PriceBreaks", quantity="10").status_code == 204

        assert [b["Quantity"] for b in api.get("/priceschedules/ps").json()["PriceBreaks"]] == [1]
        assert api.delete("/priceschedules/ps/PriceBreaks", quantity="ten").status_code == 400

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            (
                {"PriceBreaks": [{"Quantity": 1, "Price": 1}, {"Quantity": 1, "Price": 2}]},
                "PriceBreaks",
            ),
            ({"PriceBreaks": [{"Quantity": 1}]}, "PriceBreaks[0].Price"),
            ({"PriceBreaks": [{"Quantity": -1, "Price": 1}]}, "PriceBreaks[0].Quantity"),
            ({"MinQuantity": 5, "MaxQuantity": 2}, "MaxQuantity"),
            ({"SaleStart": "2025-02-01T00:00:00Z", "SaleEnd": "2025-01-01T00:00:00Z"}, "SaleEnd"),
        ],
        ids=["twice", "no-price", "negative", "max-below-min", "end-before-start"],
    )
    def test_refused(self, api, body, field):
        response = api.post("/priceschedules", {"Name": "PS", **body})

        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert response.json()["Errors"][0]["Data"]["Field"] == field

    def test_search_on_a_boolean_matches_true_or_false(self, api):
        api.post("/priceschedules", {"ID": "taxed", "Name": "T", "ApplyTax": True})
        api.post("/priceschedules", {"ID": "free", "Name": "F"})

        assert ids(api.get("/priceschedules", search="true", searchOn="ApplyTax")) == ["taxed"]
        assert ids(api.get("/priceschedules", search="FALSE", searchOn="ApplyTax")) == ["free"]
        assert ids(api.get("/priceschedules", search="yes", searchOn="ApplyTax")) == []


@pytest.fixture
def shirt(api):
    """A shirt with a size spec (S, M) and a color spec (red, blue), both defining
    variants, and an engraving spec that does not."""
    api.post("/products", {"ID": "shirt", "Name": "Shirt", "Active": True})
    for spec_id, options, defines in (
        ("size", ("S", "M"), True),
        ("color", ("red", "blue"), True),
        ("engraving", (), False),
    ):
        api.post("/specs", {"ID": spec_id, "Name": spec_id.title(), "DefinesVariant": defines})
        for n, option in enumerate(options):
            api.post(f"/specs/{spec_id}/options", {"ID": option, "Value": option, "ListOrder": n})
        body = {"SpecID": spec_id, "ProductID": "shirt"}
        assert api.post("/specs/productassignments", body).status_code == 204
    api.patch("/specs/size", {"ListOrder": 1})
    api.patch("/specs/color", {"ListOrder": 2})
    return api


class TestSpecs:
    def test_a_spec_with_its_options(self, shirt):
        spec = shirt.get("/specs/size").json()

        assert spec["OptionCount"] == 2
        assert spec["Options"] == [
            {
                "ID": "S",
                "Value": "S",
                "ListOrder": 0,
                "IsOpenText": False,
                "PriceMarkupType": "NoMarkup",
                "PriceMarkup": None,
                "xp": {},
            },
            {
                "ID": "M",
                "Value": "M",
                "ListOrder": 1,
                "IsOpenText": False,
                "PriceMarkupType": "NoMarkup",
                "PriceMarkup": None,
                "xp": {},
            },
        ]

    def test_the_default_option_is_one_of_its_options(self, shirt):
        response = shirt.patch("/specs/size", {"DefaultOptionID": "red"})

        assert response.status_code == HTTPStatus.NOT_FOUND
        assert shirt.patch("/specs/size", {"DefaultOptionID": "M"}).json()["DefaultOptionID"] == "M"

        shirt.patch("/specs/size/options/M", {"ID": "medium"})

        assert shirt.get("/specs/size").json()["DefaultOptionID"] == "medium"

        shirt.delete("/specs/size/options/medium")

        assert shirt.get("/specs/size").json()["DefaultOptionID"] is None
        assert shirt.get("/specs/size").json()["OptionCount"] == 1

    def test_a_bad_price_markup_type_is_refused(self, shirt):
        response = shirt.patch("/specs/size/options/S", {"PriceMarkupType": "Discount"})

        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert response.json()["Errors"][0]["Data"] == {
            "Field": "PriceMarkupType",
            "Value": "Discount",
        }

    def test_spec_count_and_the_products_specs(self, shirt):
        assert shirt.get("/products/shirt").json()["SpecCount"] == 3
        assert ids(shirt.get("/products/shirt/specs")) == ["engraving", "size", "color"]
        assert shirt.get("/specs/productassignments", sortBy="SpecID").json()["Items"][0] == {
            "SpecID": "color",
            "ProductID": "shirt",
            "DefaultValue": None,
            "DefaultOptionID": None,
        }

        shirt.delete("/specs/engraving/productassignments/shirt")
        shirt.delete("/specs/color")

        assert shirt.get("/products/shirt").json()["SpecCount"] == 1

    def test_spec_product_assignment_needs_both_ids(self, shirt):
        response = shirt.post("/specs/productassignments", {"SpecID": "size"})

        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert response.json()["Errors"][0]["Data"] == {"Field": "ProductID"}


class TestVariants:
    def test_one_per_combination_of_the_variant_specs_options(self, shirt):
        response = shirt.post("/products/shirt/variants/generate")

        assert response.status_code == HTTPStatus.CREATED
        assert response.json()["VariantCount"] == 4
        assert ids(shirt.get("/products/shirt/variants", sortBy="ID")) == [
            "shirt-M-blue",
            "shirt-M-red",
            "shirt-S-blue",
            "shirt-S-red",
        ]
        variant = shirt.get("/products/shirt/variants/shirt-S-blue").json()
        assert variant == {
            "ID": "shirt-S-blue",
            "Name": "shirt-S-blue",
            "Description": None,
            "Active": True,
            "ShipWeight": None,
            "ShipHeight": None,
            "ShipWidth": None,
            "ShipLength": None,
            "Inventory": None,
            "Specs": [
                {
                    "SpecID": "size",
                    "Name": "Size",
                    "OptionID": "S",
                    "Value": "S",
                    "PriceMarkupType": "NoMarkup",
                    "PriceMarkup": None,
                },
                {
                    "SpecID": "color",
                    "Name": "Color",
                    "OptionID": "blue",
                    "Value": "blue",
                    "PriceMarkupType": "NoMarkup",
                    "PriceMarkup": None,
                },
            ],
            "xp": {},
        }

    def test_generating_again_adds_the_missing_ones_only(self, shirt):
        shirt.post("/products/shirt/variants/generate")
        shirt.patch("/products/shirt/variants/shirt-S-red", {"ID": "small-red", "Active": False})
        shirt.post("/specs/color/options", {"ID": "green", "Value": "Green", "ListOrder": 9})

        shirt.post("/products/shirt/variants/generate")

        assert sorted(ids(shirt.get("/products/shirt/variants"))) == [
            "shirt-M-blue",
            "shirt-M-green",
            "shirt-M-red",
            "shirt-S-blue",
            "shirt-S-green",
            "small-red",
        ]
        assert shirt.get("/products/shirt").json()["VariantCount"] == 6

    def test_overwrite_existing_starts_over(self, shirt):
        shirt.post("/products/shirt/variants/generate")
        shirt.patch("/products/shirt/variants/shirt-S-red", {"ID": "small-red"})
        shirt.delete("/specs/color/productassignments/shirt")

        response = shirt.post("/products/shirt/variants/generate?overwriteExisting=true")

        assert response.json()["VariantCount"] == 2
        assert ids(shirt.get("/products/shirt/variants", sortBy="ID")) == ["shirt-M", "shirt-S"]

    def test_save_and_patch_a_variant(self, shirt):
        shirt.post("/products/shirt/variants/generate")
        path = "/products/shirt/variants/shirt-S-red"

        saved = shirt.put(path, {"ID": "shirt-S-red", "Name": "Small red", "Inventory": {}})
        patched = shirt.patch(path, {"Inventory": {"QuantityAvailable": 3}, "xp": {"sku": "1"}})

        assert (saved.status_code, saved.json()["Active"]) == (HTTPStatus.OK, False)
        assert patched.json()["Name"] == "Small red"
        assert patched.json()["Inventory"]["QuantityAvailable"] == 3
        assert len(patched.json()["Specs"]) == 2
        assert shirt.put("/products/shirt/variants/nope", {}).status_code == HTTPStatus.NOT_FOUND

    def test_no_variant_specs_no_variants(self, api):
        api.post("/products", {"ID": "plain", "Name": "Plain"})

        assert api.post("/products/plain/variants/generate").json()["VariantCount"] == 0

    def test_too_many_combinations_are_refused(self, api):
        api.post("/products", {"ID": "big", "Name": "Big"})
        for spec in ("a", "b", "c"):
            api.post("/specs", {"ID": spec, "Name": spec, "DefinesVariant": True})
            api.post("/specs/productassignments", {"SpecID": spec, "ProductID": "big"})
            for n in range(11):
                api.post(f"/specs/{spec}/options", {"ID": f"o{n}", "Value": str(n)})

        response = api.post("/products/big/variants/generate")

        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert response.json()["Errors"][0]["Message"] == (
            "These specs make 1331 variants; a product can have 1000."
        )


class TestAssignments:
    @pytest.fixture
    def shop(self, api):
        api.post("/buyers", {"ID": "b1", "Name": "B"})
        api.post("/buyers/b1/usergroups", {"ID": "vip", "Name": "VIP"})
        api.post("/catalogs", {"ID": "c1", "Name": "C"})
        api.post("/catalogs/assignments", {"CatalogID": "c1", "BuyerID": "b1"})
        api.post("/products", {"ID": "p", "Name": "P"})
        api.post("/priceschedules", {"ID": "ps", "Name": "PS"})
        return api

    def test_needs_a_catalog_the_buyer_and_product_share(self, shop):
        body = {"ProductID": "p", "BuyerID": "b1", "PriceScheduleID": "ps"}

        refused = shop.post("/products/assignments", body)
        shop.post("/catalogs/productassignments", {"CatalogID": "c1", "ProductID": "p"})

        assert refused.status_code == HTTPStatus.BAD_REQUEST
        assert shop.post("/products/assignments", body).status_code == 204
        assert shop.get("/products/assignments").json()["Items"] == [
            {
                "SellerID": "mkt",
                "ProductID": "p",
                "BuyerID": "b1",
                "UserGroupID": None,
                "PriceScheduleID": "ps",
            }
        ]

    def test_one_per_buyer_and_group_levels_and_delete(self, shop):
        shop.post("/catalogs/productassignments", {"CatalogID": "c1", "ProductID": "p"})
        for body in (
            {"ProductID": "p", "BuyerID": "b1"},
            {"ProductID": "p", "BuyerID": "b1", "PriceScheduleID": "ps"},
            {"ProductID": "p", "BuyerID": "b1", "UserGroupID": "vip"},
        ):
            assert shop.post("/products/assignments", body).status_code == 204

        def listed(**query):
            items = shop.get("/products/assignments", **query).json()["Items"]
            return sorted((a["UserGroupID"] or "", a["PriceScheduleID"]) for a in items)

        assert listed() == [("", "ps"), ("vip", None)]
        assert listed(level="Group") == [("vip", None)]
        assert listed(level="Company", priceScheduleID="ps") == [("", "ps")]

        shop.delete("/products/p/assignments/b1", userGroupID="vip")

        assert listed() == [("", "ps")]

    def test_suppliers_of_a_product(self, shop):
        shop.post("/suppliers", {"ID": "s1", "Name": "Supplier"})

        assert shop.put("/products/p/suppliers/s1?defaultPriceScheduleID=ps").status_code == 204
        listed = shop.get("/products/p/suppliers").json()["Items"]
        assert [(s["ID"], s["Name"], s["DefaultPriceScheduleID"]) for s in listed] == [
            ("s1", "Supplier", "ps")
        ]
        assert shop.delete("/products/p/suppliers/s1").status_code == 204
        assert shop.get("/products/p/suppliers").json()["Items"] == []
