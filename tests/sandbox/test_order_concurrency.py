"""Submits of one order at the same moment, from threads against the live server: exactly
one succeeds, the others find it submitted (Order.CannotSubmitBadStatus); and two orders
for the last units in stock: exactly one gets them."""

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest

from sandbox.models import Order, Product
from tests.sandbox.test_concurrency import THREADS, admin, at_once  # noqa: F401 (fixture)

USER = {"ID": "u1", "Username": "u1", "FirstName": "U", "LastName": "One", "Email": "u@x.io"}


@pytest.fixture
def shop(admin):  # noqa: F811 (the fixture imported above)
    """Buyer b1 with user u1 sees product p1 ($4, 2 in stock) through catalog c1."""
    for method, path, body in (
        ("POST", "/buyers/b1/users", {**USER, "Active": True}),
        (
            "PUT",
            "/priceschedules/ps",
            {"Name": "Price", "PriceBreaks": [{"Quantity": 1, "Price": 4}]},
        ),
        ("PATCH", "/catalogs/c1", {"Active": True}),
        (
            "PATCH",
            "/products/p1",
            {
                "Active": True,
                "DefaultPriceScheduleID": "ps",
                "Inventory": {"Enabled": True, "QuantityAvailable": 2},
            },
        ),
        (
            "POST",
            "/catalogs/assignments",
            {"CatalogID": "c1", "BuyerID": "b1", "ViewAllProducts": True},
        ),
        ("POST", "/catalogs/productassignments", {"CatalogID": "c1", "ProductID": "p1"}),
    ):
        response = admin(method, path, body)
        assert response.status_code < 300, (path, response.content)
    return admin


def order_of(call, order_id, quantity):
    body = {"ID": order_id, "FromUserID": "u1"}
    assert call("POST", "/orders/Incoming", body).status_code == 201
    line = {"ProductID": "p1", "Quantity": quantity}
    response = call("POST", f"/orders/Incoming/{order_id}/lineitems", line)
    assert response.status_code == 201, response.content


@pytest.mark.django_db(transaction=True)
def test_concurrent_submits_of_one_order_exactly_one_succeeds(shop):
    order_of(shop, "o1", 1)

    statuses = at_once(shop, "POST", "/orders/Incoming/o1/submit", [None] * THREADS)

    assert Counter(statuses) == {201: 1, 400: THREADS - 1}
    order = Order.objects.get(oc_id="o1")
    assert (order.status, order.is_submitted) == ("Open", True)
    assert Product.objects.get(oc_id="p1").inventory["QuantityAvailable"] == 1  # taken once


@pytest.mark.django_db(transaction=True)
def test_concurrent_submits_for_the_last_units_one_gets_them(shop):
    for n in range(THREADS):
        order_of(shop, f"o{n}", 2)
    barrier = threading.Barrier(THREADS)

    def submit(n):
        barrier.wait()
        return shop("POST", f"/orders/Incoming/o{n}/submit").status_code

    with ThreadPoolExecutor(THREADS) as pool:
        statuses = list(pool.map(submit, range(THREADS)))

    assert Counter(statuses) == {201: 1, 400: THREADS - 1}
    assert Order.objects.filter(status="Open").count() == 1
    assert Product.objects.get(oc_id="p1").inventory["QuantityAvailable"] == 0
