from http import HTTPStatus

import pytest

from sandbox.auth.passwords import check_password
from sandbox.models import Buyer, SecurityProfileAssignment, User, UserGroup, UserGroupAssignment
from tests.sandbox import factories
from tests.sandbox.api import api_for, error


@pytest.fixture
def marketplace(db):
    return factories.marketplace("mkt")


@pytest.fixture
def api(client, marketplace):
    return api_for(client, marketplace)


@pytest.fixture
def buyer(api):
    api.post("/buyers", {"ID": "b1", "Name": "Buyer One", "Active": True})
    return Buyer.objects.get(oc_id="b1")


def user_body(**overrides):
    return {
        "ID": "u1",
        "Username": "jdoe",
        "FirstName": "Jane",
        "LastName": "Doe",
        "Email": "jane@example.com",
        "Active": True,
        **overrides,
    }


class TestBuyers:
    def test_create_returns_the_buyer(self, api):
        response = api.post("/buyers", {"ID": "b1", "Name": "Buyer One", "xp": {"a": 1}})

        assert response.status_code == HTTPStatus.CREATED
        body = response.json()
        created = body.pop("DateCreated")
        assert body == {
            "ID": "b1",
            "Name": "Buyer One",
            "DefaultCatalogID": None,
            "Active": False,
            "xp": {"a": 1},
        }
        assert created.endswith("+00:00")
        assert api.get("/buyers/b1").json() == {**body, "DateCreated": created}

    def test_create_generates_an_id(self, api):
        body = api.post("/buyers", {"Name": "Generated"}).json()

        assert len(body["ID"]) == 22
        assert api.get(f"/buyers/{body['ID']}").status_code == HTTPStatus.OK

    def test_create_with_an_existing_id_is_a_conflict(self, api, buyer):
        response = api.post("/buyers", {"ID": "b1", "Name": "Again"})

        assert response.status_code == HTTPStatus.CONFLICT
        assert response.json() == error(
            "IdExists", "Buyer already exists: b1", {"ObjectType": "Buyer", "ObjectID": "b1"}
        )

    def test_get_missing(self, api):
        response = api.get("/buyers/nope")

        assert response.status_code == HTTPStatus.NOT_FOUND
        assert response.json() == error(
            "NotFound", "Buyer not found: nope", {"ObjectType": "Buyer", "ObjectID": "nope"}
        )

    def test_put_creates_then_replaces(self, api):
        created = api.put("/buyers/b2", {"Name": "Two", "Active": True, "xp": {"a": 1}})
        replaced = api.put("/buyers/b2", {"Name": "Deux"})

        assert created.status_code == HTTPStatus.CREATED
        assert created.json()["ID"] == "b2"
        assert replaced.status_code == HTTPStatus.OK
        assert replaced.json()["Name"] == "Deux"
        assert replaced.json()["Active"] is False  # a replace resets what is absent
        assert replaced.json()["xp"] == {}

    def test_put_renames_and_carries_the_users(self, api, buyer):
        api.post("/buyers/b1/users", user_body())

        response = api.put("/buyers/b1", {"ID": "b9", "Name": "Renamed"})

        assert response.status_code == HTTPStatus.OK
        assert response.json()["ID"] == "b9"
        assert api.get("/buyers/b1").status_code == HTTPStatus.NOT_FOUND
        assert api.get("/buyers/b9/users/u1").json()["Username"] == "jdoe"

    def test_rename_onto_an_existing_id_is_a_conflict(self, api, buyer):
        api.post("/buyers", {"ID": "b2", "Name": "Two"})

        response = api.patch("/buyers/b1", {"ID": "b2"})

        assert response.status_code == HTTPStatus.CONFLICT
        assert api.get("/buyers/b1").json()["Name"] == "Buyer One"

    def test_patch_merges_xp(self, api):
        api.post("/buyers", {"ID": "b1", "Name": "One", "xp": {"a": {"b": 1, "c": 2}, "d": 3}})

        response = api.patch("/buyers/b1", {"xp": {"a": {"b": 5}, "e": None}})

        assert response.status_code == HTTPStatus.OK
        assert response.json()["xp"] == {"a": {"b": 5, "c": 2}, "d": 3, "e": None}
        assert response.json()["Name"] == "One"

    def test_delete_cascades(self, api, buyer, marketplace):
        api.post("/buyers/b1/users", user_body())
        api.post("/buyers/b1/usergroups", {"ID": "g1", "Name": "G"})
        factories.profile(marketplace, "p1", ["Shopper"], buyer_id="b1")

        response = api.delete("/buyers/b1")

        assert response.status_code == HTTPStatus.NO_CONTENT
        assert response.content == b""
        assert not User.objects.filter(company_id="b1").exists()
        assert not UserGroup.objects.filter(company_id="b1").exists()
        assert not SecurityProfileAssignment.objects.filter(buyer_id="b1").exists()
        assert api.get("/buyers/b1").status_code == HTTPStatus.NOT_FOUND

    def test_list(self, api):
        for n in range(3):
            api.post("/buyers", {"ID": f"b{n}", "Name": f"Buyer {2 - n}"})

        body = api.get("/buyers", sortBy="Name", pageSize="2").json()

        assert body["Meta"] == {
            "Page": 1,
            "PageSize": 2,
            "TotalCount": 3,
            "TotalPages": 2,
            "ItemRange": [1, 2],
        }
        assert [item["ID"] for item in body["Items"]] == ["b2", "b1"]


class TestUsers:
    def test_create_hashes_the_password_and_never_returns_it(self, api, buyer):
        response = api.post("/buyers/b1/users", user_body(Password="s3cret-Pass"))

        assert response.status_code == HTTPStatus.CREATED
        body = response.json()
        assert "Password" not in body
        assert body["PasswordLastSetDate"] is not None
        user = User.objects.get(oc_id="u1")
        assert (user.user_type, user.company_id) == ("buyer", "b1")
        assert check_password("s3cret-Pass", user.password)
        assert "Password" not in api.get("/buyers/b1/users/u1").json()

    def test_every_field(self, api, buyer):
        body = api.post(
            "/buyers/b1/users", user_body(Phone="555", TermsAccepted="2024-01-02T03:04:05Z")
        ).json()

        created = body.pop("DateCreated")
        assert body == {
            "ID": "u1",
            "Username": "jdoe",
            "FirstName": "Jane",
            "LastName": "Doe",
            "Email": "jane@example.com",
            "Phone": "555",
            "TermsAccepted": "2024-01-02T03:04:05.000+00:00",
            "Active": True,
            "xp": {},
            "AvailableRoles": None,
            "Locale": None,
            "PasswordLastSetDate": None,
            "FailedLoginAttempts": 0,
        }
        assert created

    def test_missing_buyer(self, api):
        response = api.post("/buyers/nope/users", user_body())

        assert response.status_code == HTTPStatus.NOT_FOUND
        assert response.json()["Errors"][0]["Data"] == {"ObjectType": "Buyer", "ObjectID": "nope"}

    def test_user_of_another_buyer_is_not_found(self, api, buyer):
        api.post("/buyers", {"ID": "b2", "Name": "Two"})
        api.post("/buyers/b1/users", user_body())

        response = api.get("/buyers/b2/users/u1")

        assert response.status_code == HTTPStatus.NOT_FOUND
        assert response.json()["Errors"][0]["Data"] == {"ObjectType": "User", "ObjectID": "u1"}

    def test_user_ids_are_unique_across_the_marketplace(self, api, buyer):
        api.post("/buyers", {"ID": "b2", "Name": "Two"})
        api.post("/buyers/b1/users", user_body())

        response = api.post("/buyers/b2/users", user_body(Username="other"))

        assert response.status_code == HTTPStatus.CONFLICT
        assert response.json()["Errors"][0]["ErrorCode"] == "IdExists"

    def test_usernames_are_unique_across_the_marketplace(self, api, buyer):
        api.post("/buyers/b1/users", user_body())

        response = api.post("/adminusers", user_body(ID="a1"))

        assert response.status_code == HTTPStatus.CONFLICT
        assert response.json() == error(
            "User.UsernameMustBeUnique", "Username must be unique: jdoe", {"Username": "jdoe"}
        )

    def test_required_fields(self, api, buyer):
        response = api.post("/buyers/b1/users", user_body(Email=None))

        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert response.json() == error(
            "ValidationFailure", "Email is required.", {"Field": "Email"}
        )

    def test_patch_password(self, api, buyer):
        api.post("/buyers/b1/users", user_body())

        response = api.patch("/buyers/b1/users/u1", {"Password": "new-Passw0rd"})

        assert response.status_code == HTTPStatus.OK
        assert check_password("new-Passw0rd", User.objects.get(oc_id="u1").password)

    def test_put_keeps_the_password_when_absent(self, api, buyer):
        api.post("/buyers/b1/users", user_body(Password="first-Passw0rd"))

        api.put("/buyers/b1/users/u1", user_body(FirstName="J"))

        assert check_password("first-Passw0rd", User.objects.get(oc_id="u1").password)

    def test_list_by_user_group(self, api, buyer):
        api.post("/buyers/b1/users", user_body())
        api.post("/buyers/b1/users", user_body(ID="u2", Username="u2"))
        api.post("/buyers/b1/usergroups", {"ID": "g1", "Name": "G"})
        UserGroupAssignment.objects.create(
            marketplace=buyer.marketplace,
            user_group=UserGroup.objects.get(oc_id="g1"),
            user=User.objects.get(oc_id="u2"),
        )

        body = api.get("/buyers/b1/users", userGroupID="g1").json()

        assert [item["ID"] for item in body["Items"]] == ["u2"]
        assert body["Meta"]["TotalCount"] == 1

    def test_move(self, api, buyer):
        api.post("/buyers", {"ID": "b2", "Name": "Two"})
        api.post("/buyers/b1/users", user_body())

        response = api.post("/buyers/b1/users/u1/moveto/b2?orders=None")

        assert response.status_code == HTTPStatus.CREATED
        assert response.json()["ID"] == "u1"
        assert api.get("/buyers/b2/users/u1").status_code == HTTPStatus.OK
        assert api.get("/buyers/b1/users/u1").status_code == HTTPStatus.NOT_FOUND

    def test_move_needs_orders_and_the_new_buyer(self, api, buyer):
        api.post("/buyers/b1/users", user_body())

        no_orders = api.post("/buyers/b1/users/u1/moveto/b1")
        no_buyer = api.post("/buyers/b1/users/u1/moveto/nope?orders=All")

        assert no_orders.status_code == HTTPStatus.BAD_REQUEST
        assert no_orders.json()["Errors"][0]["Data"] == {"Field": "orders"}
        assert no_buyer.status_code == HTTPStatus.NOT_FOUND
        assert no_buyer.json()["Errors"][0]["Data"] == {"ObjectType": "Buyer", "ObjectID": "nope"}

    def test_roles(self, client, marketplace, buyer):
        reader = api_for(client, marketplace, ["BuyerUserReader"])

        allowed = reader.get("/buyers/b1/users")
        refused = reader.post("/buyers/b1/users", user_body())

        assert allowed.status_code == HTTPStatus.OK
        assert refused.status_code == HTTPStatus.FORBIDDEN
        assert refused.json() == error(
            "Auth.InsufficientRoles",
            "User does not have role(s) required to perform this action.",
            {"SufficientRoles": ["FullAccess", "BuyerUserAdmin"]},
        )
