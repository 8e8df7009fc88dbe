"""Identical writes at the same moment, from threads against the live server: every one
succeeds, and they end in one row (the database's unique constraints decide) with the
counts right."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from django.conf import settings

from sandbox.models import (
    AddressAssignment,
    ApiClientAssignment,
    CatalogAssignment,
    CategoryAssignment,
    CategoryProductAssignment,
    Marketplace,
    ProductAssignment,
    ProductCatalogAssignment,
    ProductSupplier,
    SecurityProfileAssignment,
    SpecProductAssignment,
    SupplierBuyer,
    User,
    UserGroupAssignment,
    XpIndex,
)
from sandbox.seeding.demo import MARKETPLACE_ID
from tests.sandbox import factories

THREADS = 8
TIMEOUT = 30


@pytest.fixture
def admin(sandbox):
    """POST / PUT / PATCH to the live sandbox as its FullAccess admin."""
    token = requests.post(
        f"{sandbox.url}/oauth/token",
        data={
            "grant_type": "password",
            "client_id": sandbox.client_id,
            "username": sandbox.username,
            "password": sandbox.password,
            "scope": "DevCenterImpersonate FullAccess",
        },
        timeout=TIMEOUT,
    ).json()["access_token"]

    def call(method, path, body=None):
        return requests.request(
            method,
            f"{sandbox.url}/v1{path}",
            json=body,
            headers={"Authorization": f"Bearer {token}"},
            timeout=TIMEOUT,
        )

    for path, body in (
        ("/buyers", {"ID": "b1", "Name": "Buyer"}),
        ("/catalogs", {"ID": "c1", "Name": "Catalog"}),
        ("/catalogs/c1/categories", {"ID": "top", "Name": "Top"}),
        ("/products", {"ID": "p1", "Name": "Product"}),
        ("/specs", {"ID": "size", "Name": "Size"}),
        ("/priceschedules", {"ID": "ps", "Name": "Price"}),
    ):
        assert call("POST", path, body).status_code == 201
    return call


def at_once(call, method, path, bodies):
    """Send every body at the same moment, one thread each; their status codes."""
    start = threading.Barrier(len(bodies))

    def send(body):
        start.wait()
        return call(method, path, body).status_code

    with ThreadPoolExecutor(len(bodies)) as pool:
        return list(pool.map(send, bodies))


@pytest.mark.parametrize(
    ("path", "body", "model"),
    [
        ("/catalogs/assignments", {"CatalogID": "c1", "BuyerID": "b1"}, CatalogAssignment),
        (
            "/catalogs/productassignments",
            {"CatalogID": "c1", "ProductID": "p1"},
            ProductCatalogAssignment,
        ),
        (
            "/catalogs/c1/categories/assignments",
            {"CategoryID": "top", "BuyerID": "b1", "Visible": True},
            CategoryAssignment,
        ),
        (
            "/catalogs/c1/categories/productassignments",
            {"CategoryID": "top", "ProductID": "p1"},
            CategoryProductAssignment,
        ),
        (
            "/specs/productassignments",
            {"SpecID": "size", "ProductID": "p1"},
            SpecProductAssignment,
        ),
    ],
    ids=lambda value: value.__name__ if isinstance(value, type) else "",
)
def test_identical_assignment_saves_make_one_row(admin, path, body, model):
    statuses = at_once(admin, "POST", path, [body] * THREADS)

    assert statuses == [204] * THREADS
    assert model.objects.count() == 1


def test_identical_product_assignments_make_one_row(admin):
    admin("POST", "/catalogs/assignments", {"CatalogID": "c1", "BuyerID": "b1"})
    admin("POST", "/catalogs/productassignments", {"CatalogID": "c1", "ProductID": "p1"})
    body = {"ProductID": "p1", "BuyerID": "b1", "PriceScheduleID": "ps"}

    statuses = at_once(admin, "POST", "/products/assignments", [body] * THREADS)

    assert statuses == [204] * THREADS
    assert ProductAssignment.objects.count() == 1
    assert (
        ProductCatalogAssignment.objects.count(),
        CategoryProductAssignment.objects.count(),
    ) == (1, 0)


def test_counts_stay_right_under_concurrent_writes(admin):
    for n in range(3):
        admin("POST", "/specs", {"ID": f"spec{n}", "Name": f"Spec {n}"})
    specs = [{"SpecID": f"spec{n}", "ProductID": "p1"} for n in range(3)] * 2
    children = [{"ID": f"child{n}", "Name": "Child", "ParentID": "top"} for n in range(6)]

    spec_statuses = at_once(admin, "POST", "/specs/productassignments", specs)
    child_statuses = at_once(admin, "POST", "/catalogs/c1/categories", children)

    assert spec_statuses == [204] * 6
    assert child_statuses == [201] * 6
    assert admin("GET", "/products/p1").json()["SpecCount"] == 3
    assert admin("GET", "/catalogs/c1/categories/top").json()["ChildCount"] == 6
    assert admin("GET", "/catalogs/c1").json()["CategoryCount"] == 7


NAMES = {"FirstName": "Ann", "LastName": "Lee", "Email": "ann@example.com"}
STREET = {"Street1": "1 Main St", "City": "Mpls", "State": "MN", "Zip": "55401", "Country": "US"}


@pytest.fixture
def people(admin):
    """A buyer user, a buyer group, a buyer address, a security profile and a supplier
    beside the catalog objects."""
    for path, body in (
        ("/buyers/b1/users", {"ID": "u1", "Username": "u1", **NAMES, "Active": True}),
        ("/buyers/b1/usergroups", {"ID": "g1", "Name": "Group"}),
        ("/buyers/b1/addresses", {"ID": "a1", **STREET}),
        ("/securityprofiles", {"ID": "sp", "Name": "Profile", "Roles": ["Shopper"]}),
        ("/suppliers", {"ID": "s1", "Name": "Supplier"}),
    ):
        assert admin("POST", path, body).status_code == 201, path
    return admin


# Each kind of assignment and "one per" row the generic `crud.assign` writes: its path,
# method, body, the model holding it, and the body of a later, different save of the same.
KINDS = {
    "address_to_user": (
        "POST",
        "/buyers/b1/addresses/assignments",
        {"AddressID": "a1", "UserID": "u1", "IsShipping": True},
        AddressAssignment,
        {"AddressID": "a1", "UserID": "u1", "IsBilling": True},
    ),
    "address_to_group": (
        "POST",
        "/buyers/b1/addresses/assignments",
        {"AddressID": "a1", "UserGroupID": "g1", "IsShipping": True},
        AddressAssignment,
        {"AddressID": "a1", "UserGroupID": "g1", "IsBilling": True},
    ),
    "address_to_buyer": (
        "POST",
        "/buyers/b1/addresses/assignments",
        {"AddressID": "a1", "IsShipping": True},
        AddressAssignment,
        {"AddressID": "a1", "IsBilling": True},
    ),
    "user_group": (
        "POST",
        "/buyers/b1/usergroups/assignments",
        {"UserGroupID": "g1", "UserID": "u1"},
        UserGroupAssignment,
        None,
    ),
    "security_profile": (
        "POST",
        "/securityprofiles/assignments",
        {"SecurityProfileID": "sp", "BuyerID": "b1", "UserGroupID": "g1"},
        SecurityProfileAssignment,
        None,
    ),
    "api_client": (
        "POST",
        "/apiclients/assignments",
        {"ApiClientID": settings.SANDBOX_CLIENT_ID, "BuyerID": "b1"},
        ApiClientAssignment,
        None,
    ),
    "supplier_buyer": ("PUT", "/suppliers/s1/buyers/b1", None, SupplierBuyer, None),
    "product_supplier": (
        "PUT",
        "/products/p1/suppliers/s1",
        None,
        ProductSupplier,
        None,
    ),
    "xp_index": (
        "PUT",
        "/xpindices",
        {"ThingType": "User", "Key": "tier"},
        XpIndex,
        None,
    ),
}


@pytest.mark.parametrize("kind", KINDS)
def test_identical_saves_of_each_kind_make_one_row(people, kind):
    method, path, body, model, later = KINDS[kind]
    before = model.objects.count()

    statuses = at_once(people, method, path, [body] * THREADS)

    assert statuses == [204] * THREADS
    assert model.objects.count() == before + 1
    # The row takes a later, different save, and still is one.
    again = people(method, path, later or body)
    assert again.status_code == 204
    assert model.objects.count() == before + 1


def test_concurrent_address_saves_keep_the_flags_of_one_of_them(people):
    """Different flags for the same user at the same moment: one row, holding the flags
    of one of the saves, and the user's view of the address agrees with it."""
    bodies = [
        {"AddressID": "a1", "UserID": "u1", "IsShipping": n % 2 == 0, "IsBilling": n % 2 == 1}
        for n in range(THREADS)
    ]

    statuses = at_once(people, "POST", "/buyers/b1/addresses/assignments", bodies)

    assert statuses == [204] * THREADS
    (row,) = AddressAssignment.objects.all()
    assert (row.is_shipping, row.is_billing) in ((True, False), (False, True))
    listed = people("GET", "/buyers/b1/addresses/assignments?userID=u1").json()
    assert [(item["IsShipping"], item["IsBilling"]) for item in listed["Items"]] == [
        (row.is_shipping, row.is_billing)
    ]


def test_lists_of_a_buyer_user_stay_exact_while_its_products_are_assigned(admin):
    """Lists rebuild the user's materialized visible set (sandbox.domain.visible_sets)
    while other requests change what it holds: every request succeeds, and once the
    writes are done the list shows all of them (a rebuild racing a write never leaves a
    stale set marked fresh)."""
    marketplace = Marketplace.objects.get(oc_id=MARKETPLACE_ID)
    shopper = factories.user(
        marketplace, "shopper", user_type=User.Type.BUYER, company_id="b1", active=True
    )
    token = factories.access_token(factories.api_client(marketplace, "shop"), shopper, ["Shopper"])
    assert admin("PATCH", "/catalogs/c1", {"Active": True}).ok
    assert admin("POST", "/catalogs/assignments", {"CatalogID": "c1", "BuyerID": "b1"}).ok
    ids = [f"q{n}" for n in range(THREADS)]
    for product_id in ids:
        assert admin("POST", "/products", {"ID": product_id, "Name": "Q", "Active": True}).ok
        body = {"CatalogID": "c1", "ProductID": product_id}
        assert admin("POST", "/catalogs/productassignments", body).ok
    url = admin("GET", "/me").url.removesuffix("/me") + "/me/products?sortBy=ID&pageSize=100"

    def listed():
        response = requests.get(url, headers={"Authorization": f"Bearer {token}"}, timeout=30)
        assert response.status_code == 200, response.text
        return [item["ID"] for item in response.json()["Items"]]

    start = threading.Barrier(2 * THREADS)

    def write(product_id):
        start.wait()
        body = {"ProductID": product_id, "BuyerID": "b1"}
        return admin("POST", "/products/assignments", body).status_code

    def read(_):
        start.wait()
        return [listed() for _ in range(3)]

    with ThreadPoolExecutor(2 * THREADS) as pool:
        writes = [pool.submit(write, product_id) for product_id in ids]
        reads = [pool.submit(read, n) for n in range(THREADS)]
        assert [future.result() for future in writes] == [204] * THREADS
        for future in reads:
            for seen in future.result():
                assert set(seen) <= set(ids)

    assert listed() == ids
