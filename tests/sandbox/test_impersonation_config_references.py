"""ImpersonationConfigs name objects that must exist: 404 NotFound otherwise."""

from http import HTTPStatus

import pytest

from sandbox.models import ImpersonationConfig, User
from tests.sandbox import factories
from tests.sandbox.api import api_for, error

CLIENT = "mkt-client-FullAccess"
VALID = {"BuyerID": "b1", "SecurityProfileID": "p1", "ClientID": CLIENT}


@pytest.fixture
def api(client, db):
    marketplace = factories.marketplace("mkt")
    api = api_for(client, marketplace)
    api.post("/buyers", {"ID": "b1", "Name": "B1"})
    api.post("/buyers", {"ID": "b2", "Name": "B2"})
    api.post("/securityprofiles", {"ID": "p1", "Name": "P1"})
    api.post("/buyers/b1/usergroups", {"ID": "g1", "Name": "G1"})
    api.post("/usergroups", {"ID": "admins", "Name": "Admins"})
    factories.user(marketplace, "u1", user_type=User.Type.BUYER, company_id="b1")
    factories.user(marketplace, "u2", user_type=User.Type.BUYER, company_id="b2")
    return api


def test_every_reference_that_exists(api):
    body = {
        **VALID,
        "ID": "cfg",
        "GroupID": "g1",
        "UserID": "u1",
        "ImpersonationBuyerID": "b2",
        "ImpersonationUserID": "u2",
    }

    response = api.post("/impersonationconfig", body)

    assert response.status_code == HTTPStatus.CREATED, response.content
    assert response.json() == {**response.json(), **body}


def test_an_admin_impersonator(api):
    body = {**VALID, "ImpersonationUserID": "admin", "ImpersonationGroupID": "admins"}

    assert api.post("/impersonationconfig", body).status_code == HTTPStatus.CREATED


@pytest.mark.parametrize(
    ("fields", "missing"),
    [
        ({"BuyerID": "nope"}, ("Buyer", "nope")),
        ({"SecurityProfileID": "nope"}, ("SecurityProfile", "nope")),
        ({"ClientID": "nope"}, ("ApiClient", "nope")),
        ({"GroupID": "nope"}, ("UserGroup", "nope")),
        ({"UserID": "u2"}, ("User", "u2")),  # a user of another buyer
        ({"ImpersonationBuyerID": "nope"}, ("Buyer", "nope")),
        ({"ImpersonationUserID": "u1"}, ("User", "u1")),  # a buyer user, no buyer named
        ({"ImpersonationBuyerID": "b2", "ImpersonationGroupID": "g1"}, ("UserGroup", "g1")),
    ],
)
def test_a_missing_reference_is_not_found(api, fields, missing):
    response = api.post("/impersonationconfig", {**VALID, **fields})

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert response.json() == error(
        "NotFound",
        f"{missing[0]} not found: {missing[1]}",
        {"ObjectType": missing[0], "ObjectID": missing[1]},
    )
    assert not ImpersonationConfig.objects.exists()


def test_put_and_patch_are_checked_too(api):
    api.post("/impersonationconfig", {**VALID, "ID": "cfg"})

    put = api.put("/impersonationconfig/cfg", {**VALID, "ClientID": "gone"})
    patch = api.patch("/impersonationconfig/cfg", {"UserID": "ghost"})

    assert put.status_code == patch.status_code == HTTPStatus.NOT_FOUND
    assert put.json()["Errors"][0]["Data"] == {"ObjectType": "ApiClient", "ObjectID": "gone"}
    assert patch.json()["Errors"][0]["Data"] == {"ObjectType": "User", "ObjectID": "ghost"}
    assert api.get("/impersonationconfig/cfg").json()["ClientID"] == CLIENT
