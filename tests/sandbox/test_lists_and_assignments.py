from http import HTTPStatus

import pytest

from sandbox.auth.roles import available_roles
from sandbox.models import User
from tests.sandbox import factories
from tests.sandbox.api import api_for, error


@pytest.fixture
def marketplace(db):
    return factories.marketplace("mkt")


@pytest.fixture
def api(client, marketplace):
    api = api_for(client, marketplace)
    api.post("/buyers", {"ID": "b1", "Name": "B"})
    people = [
        ("u1", "Ann", "Smith", 5, "red"),
        ("u2", "Bob", "Jones", 10, "blue"),
        ("u3", "Cid", "Smithers", 15, None),
        ("u4", "Dee", "Adams", 20, "red"),
    ]
    for oc_id, first, last, age, color in people:
        xp = {"age": age, "nested": {"color": color}} if color else {"age": age}
        body = {"ID": oc_id, "Username": oc_id, "FirstName": first, "LastName": last}
        body |= {"Email": f"{oc_id}@example.com", "Active": oc_id != "u3", "xp": xp}
        assert api.post("/buyers/b1/users", body).status_code == 201
    return api


def ids(response):
    assert response.status_code == HTTPStatus.OK, response.content
    return [item["ID"] for item in response.json()["Items"]]


class TestListSemantics:
    @pytest.mark.parametrize(
        ("query", "expected"),
        [
            ({"LastName": "Smith"}, ["u1"]),
            ({"LastName": "Smith*"}, ["u1", "u3"]),
            ({"LastName": "*s"}, ["u2", "u3", "u4"]),
            ({"LastName": "*mit*"}, ["u1", "u3"]),
            ({"LastName": "S*s"}, ["u3"]),
            ({"LastName": "Smith|Adams"}, ["u1", "u4"]),
            ({"LastName": "!Smith"}, ["u2", "u3", "u4"]),
            ({"Active": "false"}, ["u3"]),
            ({"xp.age": ">10"}, ["u3", "u4"]),
            ({"xp.age": "<10"}, ["u1"]),
            ({"xp.age": "10"}, ["u2"]),
            ({"xp.nested.color": "red"}, ["u1", "u4"]),
            ({"xp.nested.color": "!*"}, ["u3"]),
            ({"xp.nested.color": "*"}, ["u1", "u2", "u4"]),
        ],
    )
    def test_filters(self, api, query, expected):
        assert ids(api.get("/buyers/b1/users", **query)) == expected

    def test_repeated_keys_are_anded(self, api):
        response = api.client.get(
            "/sandbox/v1/buyers/b1/users?xp.age=>5&xp.age=<20",
            headers={"Authorization": f"Bearer {api.token}"},
        )

        assert ids(response) == ["u2", "u3"]

    @pytest.mark.parametrize(
        ("query", "expected"),
        [
            ({"search": "smith"}, ["u1", "u3"]),
            ({"search": "ann bob"}, ["u1", "u2"]),
            ({"search": "ann smith", "searchType": "AllTermsAnyField"}, ["u1"]),
            ({"search": "ann smith", "searchType": "AllTermsSameField"}, []),
            ({"search": "Smithe", "searchType": "ExactPhrasePrefix"}, ["u3"]),
            ({"search": "u1", "searchOn": "Username"}, ["u1"]),
        ],
    )
    def test_search(self, api, query, expected):
        assert ids(api.get("/buyers/b1/users", **query)) == expected

    def test_sort(self, api):
        assert ids(api.get("/buyers/b1/users", sortBy="LastName")) == ["u4", "u2", "u1", "u3"]
        assert ids(api.get("/buyers/b1/users", sortBy="!LastName")) == ["u3", "u1", "u2", "u4"]
        assert ids(api.get("/buyers/b1/users", sortBy="!xp.age")) == ["u4", "u3", "u2", "u1"]

    def test_multi_sort(self, api):
        api.patch("/buyers/b1/users/u2", {"LastName": "Smith"})

        assert ids(api.get("/buyers/b1/users", sortBy="LastName,!FirstName")) == [
            "u4",
            "u2",
            "u1",
            "u3",
        ]

    def test_paging_meta(self, api):
        body = api.get("/buyers/b1/users", page="2", pageSize="3").json()

        assert body["Meta"] == {
            "Page": 2,
            "PageSize": 3,
            "TotalCount": 4,
            "TotalPages": 2,
            "ItemRange": [4, 4],
        }
        assert [item["ID"] for item in body["Items"]] == ["u4"]

    def test_a_page_past_the_end(self, api):
        body = api.get("/buyers/b1/users", page="9").json()

        assert body["Items"] == []
        assert body["Meta"]["ItemRange"] == [0, 0]

    def test_invalid_page_size(self, api):
        response = api.get("/buyers/b1/users", pageSize="101")

        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert response.json() == error(
            "List.InvalidPageSize", "pageSize must be between 1 and 100.", {"Value": 101}
        )

    @pytest.mark.parametrize(
        "query", [{"Nope": "1"}, {"sortBy": "Phone"}, {"searchOn": "Phone", "search": "x"}]
    )
    def test_invalid_property(self, api, query):
        response = api.get("/buyers/b1/users", **query)

        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert response.json()["Errors"][0]["ErrorCode"] == "List.InvalidProperty"

    @pytest.mark.parametrize(
        "query", [{"Active": "maybe"}, {"page": "x"}, {"searchType": "Fuzzy", "search": "a"}]
    )
    def test_invalid_values(self, api, query):
        response = api.get("/buyers/b1/users", **query)

        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert response.json()["Errors"][0]["ErrorCode"] == "ValidationFailure"


class TestIsolation:
    def test_another_marketplace_sees_nothing(self, client, api):
        other = api_for(client, factories.marketplace("other"))

        assert other.get("/buyers").json()["Items"] == []
        assert other.get("/buyers/b1").status_code == HTTPStatus.NOT_FOUND
        assert other.get("/buyers/b1/users/u1").status_code == HTTPStatus.NOT_FOUND
        assert other.post("/buyers", {"ID": "b1", "Name": "Mine"}).status_code == 201
        assert api.get("/buyers/b1").json()["Name"] == "B"


class TestAssignments:
    def test_user_group_assignments(self, api):
        api.post("/buyers/b1/usergroups", {"ID": "g1", "Name": "G"})

        saved = api.post("/buyers/b1/usergroups/assignments", {"UserGroupID": "g1", "UserID": "u2"})
        listed = api.get("/buyers/b1/usergroups/assignments", userGroupID="g1").json()
        deleted = api.delete("/buyers/b1/usergroups/g1/assignments/u2")

        assert saved.status_code == HTTPStatus.NO_CONTENT
        assert listed["Items"] == [{"UserGroupID": "g1", "UserID": "u2"}]
        assert listed["Meta"]["TotalCount"] == 1
        assert deleted.status_code == HTTPStatus.NO_CONTENT
        assert api.get("/buyers/b1/usergroups/assignments").json()["Items"] == []

    def test_user_group_assignment_of_a_missing_user(self, api):
        api.post("/buyers/b1/usergroups", {"ID": "g1", "Name": "G"})

        response = api.post(
            "/buyers/b1/usergroups/assignments", {"UserGroupID": "g1", "UserID": "nope"}
        )

        assert response.status_code == HTTPStatus.NOT_FOUND
        assert response.json()["Errors"][0]["Data"] == {"ObjectType": "User", "ObjectID": "nope"}

    def test_address_assignments(self, api):
        address = {"ID": "a1", "Street1": "1 Main", "City": "C", "State": "S", "Zip": "1"}
        api.post("/buyers/b1/addresses", {**address, "Country": "US"})

        api.post(
            "/buyers/b1/addresses/assignments",
            {"AddressID": "a1", "UserID": "u1", "IsShipping": True},
        )
        api.post("/buyers/b1/addresses/assignments", {"AddressID": "a1", "IsBilling": True})

        listed = api.get("/buyers/b1/addresses/assignments", isShipping="true").json()
        assert listed["Items"] == [
            {
                "AddressID": "a1",
                "UserID": "u1",
                "UserGroupID": None,
                "IsShipping": True,
                "IsBilling": False,
            }
        ]
        company = api.get("/buyers/b1/addresses/assignments", level="Company").json()
        assert [item["IsBilling"] for item in company["Items"]] == [True]
        assert api.delete("/buyers/b1/addresses/a1/assignments?userID=u1").status_code == 204
        assert api.get("/buyers/b1/addresses/assignments").json()["Meta"]["TotalCount"] == 1

    def test_api_client_assignments(self, api, marketplace):
        client = api.post("/apiclients", {"AppName": "App", "AccessTokenDuration": 60}).json()

        api.post("/apiclients/assignments", {"ApiClientID": client["ID"], "BuyerID": "b1"})

        listed = api.get("/apiclients/assignments").json()["Items"]
        assert listed == [{"ApiClientID": client["ID"], "BuyerID": "b1", "SupplierID": None}]
        assert api.get(f"/apiclients/{client['ID']}").json()["AssignedBuyerCount"] == 1
        deleted = api.delete(f"/buyers/b1/ApiClients/Assignments/{client['ID']}")
        assert deleted.status_code == HTTPStatus.NO_CONTENT
        assert api.get("/apiclients/assignments").json()["Items"] == []


class TestRolesThroughProfiles:
    @pytest.fixture
    def profiles(self, api):
        for name, roles in (
            ("company", ["Shopper"]),
            ("group", ["OrderAdmin"]),
            ("user", ["MeAdmin"]),
            ("other", ["BuyerAdmin"]),
        ):
            api.post("/securityprofiles", {"ID": name, "Name": name, "Roles": roles})
        api.post("/buyers/b1/usergroups", {"ID": "g1", "Name": "G"})
        api.post("/buyers/b1/usergroups/assignments", {"UserGroupID": "g1", "UserID": "u1"})
        for body in (
            {"SecurityProfileID": "company", "BuyerID": "b1"},
            {"SecurityProfileID": "group", "BuyerID": "b1", "UserGroupID": "g1"},
            {"SecurityProfileID": "user", "BuyerID": "b1", "UserID": "u1"},
            {"SecurityProfileID": "other", "BuyerID": "b1", "UserID": "u2"},
        ):
            assert api.post("/securityprofiles/assignments", body).status_code == 204

    def test_each_level_counts(self, api, profiles):
        user = User.objects.get(oc_id="u1")

        assert available_roles(user) == ["Shopper", "OrderAdmin", "MeAdmin"]

    def test_leaving_the_group_loses_its_roles(self, api, profiles):
        api.delete("/buyers/b1/usergroups/g1/assignments/u1")

        assert available_roles(User.objects.get(oc_id="u1")) == ["Shopper", "MeAdmin"]

    def test_listing_by_level(self, api, profiles):
        response = api.get("/securityprofiles/assignments", level="Group")

        assert response.json()["Items"] == [
            {
                "SecurityProfileID": "group",
                "BuyerID": "b1",
                "SupplierID": None,
                "UserID": None,
                "UserGroupID": "g1",
            }
        ]

    def test_deleting_an_assignment(self, api, profiles):
        response = api.delete("/securityprofiles/user/assignments?buyerID=b1&userID=u1")

        assert response.status_code == HTTPStatus.NO_CONTENT
        assert available_roles(User.objects.get(oc_id="u1")) == ["Shopper", "OrderAdmin"]

    def test_an_assignment_to_a_user_of_another_buyer(self, api, profiles):
        api.post("/buyers", {"ID": "b2", "Name": "B2"})

        response = api.post(
            "/securityprofiles/assignments",
            {"SecurityProfileID": "user", "BuyerID": "b2", "UserID": "u1"},
        )

        assert response.status_code == HTTPStatus.NOT_FOUND
        assert response.json()["Errors"][0]["Data"] == {"ObjectType": "User", "ObjectID": "u1"}
