"""Supplier/buyer links: Suppliers.ListBuyers, SaveBuyer, DeleteBuyer and
Buyers.ListBuyerSellers."""

from http import HTTPStatus

import pytest

from tests.sandbox import factories
from tests.sandbox.api import api_for, error


@pytest.fixture
def api(client, db):
    api = api_for(client, factories.marketplace("mkt"))
    for buyer_id in ("b1", "b2"):
        assert api.post("/buyers", {"ID": buyer_id, "Name": buyer_id.upper()}).status_code == 201
    assert api.post("/suppliers", {"ID": "s1", "Name": "S1"}).status_code == 201
    assert api.post("/suppliers", {"ID": "s2", "Name": "S2"}).status_code == 201
    everyone = {"ID": "s3", "Name": "S3", "AllBuyersCanOrder": True}
    assert api.post("/suppliers", everyone).status_code == 201
    return api


def ids(response):
    return [item["ID"] for item in response.json()["Items"]]


def test_save_list_and_delete(api):
    saved = api.put("/suppliers/s1/buyers/b1")
    again = api.put("/suppliers/s1/buyers/b1")
    api.put("/suppliers/s1/buyers/b2")

    assert (saved.status_code, saved.content) == (HTTPStatus.NO_CONTENT, b"")
    assert again.status_code == HTTPStatus.NO_CONTENT
    listed = api.get("/suppliers/s1/buyers", sortBy="!ID")
    assert listed.json()["Items"] == [{"ID": "b2", "Name": "B2"}, {"ID": "b1", "Name": "B1"}]
    assert ids(api.get("/suppliers/s1/buyers", Name="B1")) == ["b1"]

    deleted = api.delete("/suppliers/s1/buyers/b1")

    assert deleted.status_code == HTTPStatus.NO_CONTENT
    assert ids(api.get("/suppliers/s1/buyers")) == ["b2"]


def test_a_buyers_sellers_are_its_suppliers_and_those_open_to_all(api):
    api.put("/suppliers/s1/buyers/b1")

    response = api.get("/buyers/b1/sellers")

    assert response.status_code == HTTPStatus.OK
    assert response.json()["Items"] == [{"ID": "s1", "Name": "S1"}, {"ID": "s3", "Name": "S3"}]
    assert ids(api.get("/buyers/b2/sellers")) == ["s3"]


def test_deleting_a_buyer_removes_its_links(api):
    api.put("/suppliers/s1/buyers/b1")

    api.delete("/buyers/b1")

    assert ids(api.get("/suppliers/s1/buyers")) == []


@pytest.mark.parametrize(
    ("method", "path", "missing"),
    [
        ("PUT", "/suppliers/nope/buyers/b1", ("Supplier", "nope")),
        ("PUT", "/suppliers/s1/buyers/nope", ("Buyer", "nope")),
        ("DELETE", "/suppliers/s1/buyers/nope", ("Buyer", "nope")),
        ("GET", "/suppliers/nope/buyers", ("Supplier", "nope")),
        ("GET", "/buyers/nope/sellers", ("Buyer", "nope")),
    ],
)
def test_not_found(api, method, path, missing):
    response = api.call(method, path)

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert response.json() == error(
        "NotFound",
        f"{missing[0]} not found: {missing[1]}",
        {"ObjectType": missing[0], "ObjectID": missing[1]},
    )


def test_unknown_sort_is_refused(api):
    response = api.get("/suppliers/s1/buyers", sortBy="Nope")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json()["Errors"][0]["ErrorCode"] == "List.InvalidProperty"
