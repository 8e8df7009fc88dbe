"""Identical writes at the same moment, from threads against the live server: every one
succeeds, and they end in one row (the database's unique constraints decide) with the
counts right."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from sandbox.models import (
    CatalogAssignment,
    CategoryAssignment,
    CategoryProductAssignment,
    ProductAssignment,
    ProductCatalogAssignment,
    SpecProductAssignment,
)

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
