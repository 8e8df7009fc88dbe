"""`/me/addresses`: a buyer user's private addresses plus the ones assigned to them."""

from http import HTTPStatus

import pytest

from sandbox.models import User
from tests.sandbox import factories
from tests.sandbox.api import api_for, error

ADDRESS = {"Street1": "1 Main St", "City": "Minneapolis", "State": "MN", "Zip": "55401"}
ADDRESS["Country"] = "US"


@pytest.fixture
def marketplace(db):
    return factories.marketplace("mkt")


@pytest.fixture
def admin(client, marketplace):
    api = api_for(client, marketplace)
    assert api.post("/buyers", {"ID": "b1", "Name": "B"}).status_code == HTTPStatus.CREATED
    return api


@pytest.fixture
def shopper(client, marketplace, admin):
    user = factories.user(marketplace, "u1", user_type=User.Type.BUYER, company_id="b1")
    return api_for(client, marketplace, ["MeAddressAdmin", "Shopper"], user=user)


def buyer_address(admin, address_id, assigned=True, **assignment):
    created = admin.post("/buyers/b1/addresses", {"ID": address_id, **ADDRESS})
    assert created.status_code == HTTPStatus.CREATED
    if assigned:
        saved = admin.post(
            "/buyers/b1/addresses/assignments", {"AddressID": address_id, **assignment}
        )
        assert saved.status_code == HTTPStatus.NO_CONTENT, saved.content


class TestPrivateAddresses:
    def test_create_get_and_list(self, shopper):
        created = shopper.post("/me/addresses", {**ADDRESS, "Shipping": True, "ID": "ignored"})

        assert created.status_code == HTTPStatus.CREATED
        body = created.json()
        assert list(body)[:4] == ["ID", "Shipping", "Billing", "Editable"]
        assert body["ID"] != "ignored"
        assert body == {
            **body,
            **ADDRESS,
            "Shipping": True,
            "Billing": False,
            "Editable": True,
            "xp": {},
        }
        assert shopper.get(f"/me/addresses/{body['ID']}").json() == body
        assert shopper.get("/me/addresses").json()["Items"] == [body]

    def test_put_replaces_and_patch_merges(self, shopper):
        address_id = shopper.post("/me/addresses", {**ADDRESS, "Billing": True}).json()["ID"]

        put = shopper.put(f"/me/addresses/{address_id}", {**ADDRESS, "City": "St Paul"})
        patch = shopper.patch(f"/me/addresses/{address_id}", {"Shipping": True, "xp": {"a": 1}})

        assert put.status_code == HTTPStatus.OK
        assert put.json()["City"] == "St Paul"
        assert put.json()["Billing"] is False
        assert patch.status_code == HTTPStatus.NO_CONTENT
        assert patch.content == b""
        got = shopper.get(f"/me/addresses/{address_id}").json()
        assert (got["City"], got["Shipping"], got["xp"]) == ("St Paul", True, {"a": 1})

    def test_delete(self, shopper):
        address_id = shopper.post("/me/addresses", ADDRESS).json()["ID"]

        response = shopper.delete(f"/me/addresses/{address_id}")

        assert response.status_code == HTTPStatus.NO_CONTENT
        assert shopper.get(f"/me/addresses/{address_id}").status_code == HTTPStatus.NOT_FOUND

    def test_private_to_their_user(self, client, marketplace, admin, shopper):
        address_id = shopper.post("/me/addresses", ADDRESS).json()["ID"]
        other = factories.user(marketplace, "u2", user_type=User.Type.BUYER, company_id="b1")
        other_api = api_for(client, marketplace, ["MeAddressAdmin"], user=other)

        assert other_api.get(f"/me/addresses/{address_id}").status_code == HTTPStatus.NOT_FOUND
        assert other_api.get("/me/addresses").json()["Items"] == []
        assert admin.get("/buyers/b1/addresses").json()["Items"] == []

    def test_invalid_body(self, shopper):
        response = shopper.post("/me/addresses", {**ADDRESS, "Country": "USA"})

        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert response.json()["Errors"][0]["Data"]["Field"] == "Country"


class TestAssignedAddresses:
    def test_user_group_and_buyer_level_assignments_are_listed_read_only(
        self, marketplace, admin, shopper
    ):
        admin.post("/buyers/b1/usergroups", {"ID": "g1", "Name": "G"})
        admin.post("/buyers/b1/usergroups/assignments", {"UserGroupID": "g1", "UserID": "u1"})
        buyer_address(admin, "to-user", UserID="u1", IsShipping=True)
        buyer_address(admin, "to-group", UserGroupID="g1", IsBilling=True)
        buyer_address(admin, "to-buyer")
        buyer_address(admin, "unassigned", assigned=False)
        mine = shopper.post("/me/addresses", ADDRESS).json()["ID"]

        listed = shopper.get("/me/addresses", sortBy="ID").json()["Items"]

        flags = {a["ID"]: (a["Shipping"], a["Billing"], a["Editable"]) for a in listed}
        assert flags == {
            "to-user": (True, False, False),
            "to-group": (False, True, False),
            "to-buyer": (False, False, False),
            mine: (False, False, True),
        }
        assert shopper.get("/me/addresses", Editable="false").json()["Meta"]["TotalCount"] == 3
        assert [a["ID"] for a in shopper.get("/me/addresses", Shipping="true").json()["Items"]] == [
            "to-user"
        ]

    def test_an_assigned_address_cannot_be_changed(self, admin, shopper):
        buyer_address(admin, "to-user", UserID="u1")

        assert shopper.get("/me/addresses/to-user").json()["Editable"] is False
        assert shopper.put("/me/addresses/to-user", ADDRESS).status_code == HTTPStatus.NOT_FOUND
        assert shopper.delete("/me/addresses/to-user").status_code == HTTPStatus.NOT_FOUND


def test_only_for_buyer_users(client, marketplace):
    admin = api_for(client, marketplace)

    response = admin.get("/me/addresses")

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert response.json() == error(
        "Auth.BuyerUsersOnly", "Only buyer users have /me/addresses.", {"UserType": "admin"}
    )
