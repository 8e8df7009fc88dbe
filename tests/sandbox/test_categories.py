"""Categories over the API: a tree per catalog (ParentID, ChildCount, CategoryCount),
`depth` on the list, assignments."""

from http import HTTPStatus

import pytest

from sandbox.models import Category
from tests.sandbox import factories
from tests.sandbox.api import api_for, error

BASE = "/catalogs/c1/categories"


@pytest.fixture
def api(client, db):
    api = api_for(client, factories.marketplace("mkt"))
    assert api.post("/catalogs", {"ID": "c1", "Name": "Catalog"}).status_code == 201
    return api


def add(api, category_id, parent=None, **fields):
    body = {"ID": category_id, "Name": category_id.title(), "ParentID": parent, **fields}
    response = api.post(BASE, body)
    assert response.status_code == HTTPStatus.CREATED, response.content
    return response.json()


@pytest.fixture
def tree(api):
    """clothing > (shirts > tees, pants), shoes; ListOrder puts shoes first."""
    add(api, "clothing", ListOrder=2)
    add(api, "shirts", "clothing", ListOrder=1)
    add(api, "tees", "shirts")
    add(api, "pants", "clothing", ListOrder=0)
    add(api, "shoes", ListOrder=1)
    return api


def ids(response):
    assert response.status_code == HTTPStatus.OK, response.content
    return [item["ID"] for item in response.json()["Items"]]


def counts(api):
    items = api.get(BASE, depth="all").json()["Items"]
    return {item["ID"]: item["ChildCount"] for item in items}


class TestTree:
    def test_a_category_as_the_api_shows_it(self, api):
        created = add(api, "shoes", Description="All shoes", ListOrder=3, Active=True)

        assert created == {
            "ID": "shoes",
            "Name": "Shoes",
            "Description": "All shoes",
            "ListOrder": 3,
            "Active": True,
            "ParentID": None,
            "ChildCount": 0,
            "xp": {},
        }

    def test_child_counts_and_the_catalogs_category_count(self, tree):
        assert counts(tree) == {"clothing": 2, "shirts": 1, "tees": 0, "pants": 0, "shoes": 0}
        assert tree.get("/catalogs/c1").json()["CategoryCount"] == 5

    def test_moving_a_category_moves_its_subtree_and_recounts(self, tree):
        response = tree.patch(f"{BASE}/shirts", {"ParentID": "shoes"})

        assert response.status_code == HTTPStatus.OK
        assert counts(tree) == {"clothing": 1, "shirts": 1, "tees": 0, "pants": 0, "shoes": 1}
        assert ids(tree.get(BASE, depth="3", ParentID="shoes")) == ["tees", "shirts"]
        assert Category.objects.get(oc_id="tees").level == 3

    def test_a_parent_must_exist_in_the_same_catalog(self, tree):
        tree.post("/catalogs", {"ID": "c2", "Name": "Other"})
        tree.post("/catalogs/c2/categories", {"ID": "elsewhere", "Name": "E"})

        response = tree.post(BASE, {"ID": "x", "Name": "X", "ParentID": "elsewhere"})

        assert response.status_code == HTTPStatus.NOT_FOUND
        assert response.json() == error(
            "NotFound",
            "Category not found: elsewhere",
            {"ObjectType": "Category", "ObjectID": "elsewhere"},
        )
        assert tree.get("/catalogs/c1").json()["CategoryCount"] == 5

    @pytest.mark.parametrize("parent", ["clothing", "shirts", "tees"])
    def test_no_cycles(self, tree, parent):
        response = tree.patch(f"{BASE}/clothing", {"ParentID": parent})

        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert response.json()["Errors"][0]["Data"] == {"Field": "ParentID"}
        assert tree.get(f"{BASE}/clothing").json()["ParentID"] is None

    def test_renaming_keeps_the_children(self, tree):
        response = tree.patch(f"{BASE}/clothing", {"ID": "apparel"})

        assert response.json()["ChildCount"] == 2
        assert tree.get(f"{BASE}/shirts").json()["ParentID"] == "apparel"
        assert counts(tree)["apparel"] == 2

    def test_deleting_a_category_deletes_its_subtree(self, tree):
        assert tree.delete(f"{BASE}/shirts").status_code == HTTPStatus.NO_CONTENT

        assert counts(tree) == {"clothing": 1, "pants": 0, "shoes": 0}
        assert tree.get("/catalogs/c1").json()["CategoryCount"] == 3

    def test_same_ids_in_two_catalogs_are_two_categories(self, tree):
        tree.post("/catalogs", {"ID": "c2", "Name": "Other"})

        response = tree.post("/catalogs/c2/categories", {"ID": "shoes", "Name": "Other shoes"})

        assert response.status_code == HTTPStatus.CREATED
        assert tree.get(f"{BASE}/shoes").json()["Name"] == "Shoes"
        assert tree.post(BASE, {"ID": "shoes", "Name": "Again"}).status_code == HTTPStatus.CONFLICT


class TestDepth:
    def test_by_default_the_top_level_in_list_order(self, tree):
        assert ids(tree.get(BASE)) == ["shoes", "clothing"]

    def test_a_number_of_levels(self, tree):
        assert ids(tree.get(BASE, depth="2")) == ["pants", "shirts", "shoes", "clothing"]
        assert ids(tree.get(BASE, depth="2", sortBy="ID")) == [
            "clothing",
            "pants",
            "shirts",
            "shoes",
        ]

    def test_all(self, tree):
        assert sorted(ids(tree.get(BASE, depth="all"))) == [
            "clothing",
            "pants",
            "shirts",
            "shoes",
            "tees",
        ]

    def test_relative_to_a_parent_id_filter(self, tree):
        assert ids(tree.get(BASE, ParentID="clothing")) == ["pants", "shirts"]
        assert ids(tree.get(BASE, ParentID="clothing", depth="2")) == ["tees", "pants", "shirts"]
        assert ids(tree.get(BASE, ParentID="nowhere")) == []

    def test_a_parent_id_filter_with_operators_is_a_filter(self, tree):
        assert ids(tree.get(BASE, ParentID="!*", depth="all")) == ["shoes", "clothing"]

    @pytest.mark.parametrize("depth", ["0", "-1", "two", "1.5"])
    def test_a_bad_depth_is_refused(self, tree, depth):
        response = tree.get(BASE, depth=depth)

        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert response.json() == error(
            "ValidationFailure",
            "depth must be a number of 1 or greater, or 'all'.",
            {"Field": "depth"},
        )


class TestAssignments:
    @pytest.fixture
    def buyer(self, tree):
        tree.post("/buyers", {"ID": "b1", "Name": "Buyer"})
        tree.post("/buyers/b1/usergroups", {"ID": "vip", "Name": "VIP"})
        return "b1"

    def test_to_the_buyer_and_a_group_one_each(self, tree, buyer):
        path = f"{BASE}/assignments"
        for body in (
            {"CategoryID": "shoes", "BuyerID": "b1", "Visible": True},
            {"CategoryID": "shoes", "BuyerID": "b1", "Visible": False, "ViewAllProducts": True},
            {"CategoryID": "shoes", "BuyerID": "b1", "UserGroupID": "vip", "Visible": True},
        ):
            assert tree.post(path, body).status_code == HTTPStatus.NO_CONTENT

        listed = tree.get(path, categoryID="shoes").json()["Items"]

        assert sorted(listed, key=lambda a: a["UserGroupID"] or "") == [
            {
                "CategoryID": "shoes",
                "BuyerID": "b1",
                "UserGroupID": None,
                "Visible": False,
                "ViewAllProducts": True,
            },
            {
                "CategoryID": "shoes",
                "BuyerID": "b1",
                "UserGroupID": "vip",
                "Visible": True,
                "ViewAllProducts": None,
            },
        ]
        assert ids_of(tree.get(path, level="Group")) == [("shoes", "vip")]
        assert ids_of(tree.get(path, level="Company")) == [("shoes", None)]
        assert ids_of(tree.get(path, userID="anyone")) == []

    def test_delete_the_buyers_or_the_groups(self, tree, buyer):
        path = f"{BASE}/assignments"
        tree.post(path, {"CategoryID": "shoes", "BuyerID": "b1"})
        tree.post(path, {"CategoryID": "shoes", "BuyerID": "b1", "UserGroupID": "vip"})

        response = tree.delete(f"{BASE}/shoes/assignments", buyerID="b1", userGroupID="vip")

        assert response.status_code == HTTPStatus.NO_CONTENT
        assert ids_of(tree.get(path)) == [("shoes", None)]
        assert tree.delete(f"{BASE}/shoes/assignments").status_code == HTTPStatus.BAD_REQUEST

    def test_a_group_of_another_buyer_is_not_found(self, tree, buyer):
        tree.post("/buyers", {"ID": "b2", "Name": "Other"})

        response = tree.post(
            f"{BASE}/assignments", {"CategoryID": "shoes", "BuyerID": "b2", "UserGroupID": "vip"}
        )

        assert response.status_code == HTTPStatus.NOT_FOUND
        assert response.json()["Errors"][0]["Data"] == {
            "ObjectType": "UserGroup",
            "ObjectID": "vip",
        }

    def test_a_product_in_a_category_is_in_its_catalog(self, tree):
        tree.post("/products", {"ID": "boot", "Name": "Boot"})
        body = {"CategoryID": "shoes", "ProductID": "boot", "ListOrder": 4}

        assert tree.post(f"{BASE}/productassignments", body).status_code == 204

        assert tree.get(f"{BASE}/productassignments").json()["Items"] == [body]
        assert tree.get("/catalogs/productassignments").json()["Items"] == [
            {"CatalogID": "c1", "ProductID": "boot"}
        ]
        assert ids(tree.get("/products", categoryID="shoes")) == ["boot"]

        tree.delete("/catalogs/c1/productassignments/boot")

        assert tree.get(f"{BASE}/productassignments").json()["Items"] == []


def ids_of(response):
    return sorted(
        ((a["CategoryID"], a["UserGroupID"]) for a in response.json()["Items"]),
        key=lambda pair: (pair[0], pair[1] or ""),
    )
