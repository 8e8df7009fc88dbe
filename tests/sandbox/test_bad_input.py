"""Client input that once produced a 500: each now a 400 (or 404) in OrderCloud's shape."""

from http import HTTPStatus

import pytest
from django.test import override_settings

from tests.sandbox import factories
from tests.sandbox.api import api_for, error


@pytest.fixture
def api(client, db):
    return api_for(client, factories.marketplace("mkt"))


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_a_body_over_the_upload_limit_is_a_400(api):
    response = api.post("/buyers", {"ID": "b1", "Name": "Buyer", "xp": {"k": "v" * 1000}})

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json() == error("Request.InvalidRequestBody", "The request body is too large.")


@pytest.fixture
def buyer(api):
    api.put("/buyers/b1", {"ID": "b1", "Name": "Buyer", "Active": True})
    return "b1"


@pytest.mark.parametrize(
    "value",
    [">9999-12-31T23:59:59-05:00", "<0001-01-01T00:00:00+05:00"],
)
def test_a_date_filter_beyond_the_utc_calendar_is_a_400(api, value):
    response = api.get("/buyers", DateCreated=value)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json() == error(
        "ValidationFailure",
        "Invalid value for DateCreated: expected datetime.",
        {"Field": "DateCreated", "Value": value[1:]},
    )


def test_a_date_filter_without_a_zone_is_utc(api):
    api.put("/buyers/b1", {"ID": "b1", "Name": "Buyer"})

    after = api.get("/buyers", DateCreated=">2000-01-01T00:00:00").json()
    before = api.get("/buyers", DateCreated="<2000-01-01").json()

    assert ([b["ID"] for b in after["Items"]], before["Items"]) == (["b1"], [])


@pytest.mark.parametrize("value", [">99999999999999999999", "<-9223372036854775809"])
def test_an_xp_comparison_beyond_64_bits_compares_as_a_number(api, value):
    api.put("/buyers/b1", {"ID": "b1", "Name": "Buyer", "xp": {"n": 5}})

    response = api.get("/buyers", **{"xp.n": value})

    assert response.status_code == HTTPStatus.OK
    assert response.json()["Meta"]["TotalCount"] == 0


def test_an_xp_comparison_with_a_large_number_still_matches(api):
    api.put("/buyers/b1", {"ID": "b1", "Name": "Buyer", "xp": {"n": 5}})

    response = api.get("/buyers", **{"xp.n": "<99999999999999999999"})

    assert [b["ID"] for b in response.json()["Items"]] == ["b1"]


def test_too_many_filter_values_is_a_400(api, buyer):
    response = api.get(f"/buyers/{buyer}/users", LastName="|".join(["a"] * 999))

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json() == error(
        "ValidationFailure",
        "A list request can have at most 100 filter values.",
        {"Field": "LastName"},
    )


def test_too_many_repeated_filters_is_a_400(api, buyer):
    query = "&".join(f"ID=!u{n}" for n in range(999))

    response = api.client.get(
        f"/sandbox/v1/buyers/{buyer}/users?{query}",
        headers={"Authorization": f"Bearer {api.token}"},
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json() == error(
        "ValidationFailure",
        "A list request can have at most 100 filter values.",
        {"Field": "ID"},
    )


def test_one_hundred_filter_values_are_fine(api, buyer):
    response = api.get(f"/buyers/{buyer}/users", LastName="|".join(["a"] * 100))

    assert response.status_code == HTTPStatus.OK


def test_too_many_search_terms_is_a_400(api, buyer):
    response = api.get(f"/buyers/{buyer}/users", search=" ".join(["ab"] * 600))

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json() == error(
        "ValidationFailure", "search can have at most 20 terms.", {"Field": "search"}
    )


def test_more_query_parameters_than_django_parses_is_a_400(api):
    query = "&".join(["ID=a"] * 1001)

    response = api.client.get(
        f"/sandbox/v1/buyers?{query}", headers={"Authorization": f"Bearer {api.token}"}
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json() == error(
        "ValidationFailure", "A request can have at most 1000 query parameters."
    )


@pytest.mark.parametrize(
    ("method", "path", "object_type"),
    [
        ("GET", "/buyers/%00", "Buyer"),
        ("GET", "/securityprofiles/%00", "SecurityProfile"),
        ("GET", "/buyers/%00/users/u1", "Buyer"),
        ("POST", "/buyers/b1/users/u1/moveto/%00?orders=None", "Buyer"),
    ],
)
def test_a_nul_in_a_path_id_is_not_found_by_its_object_type(api, method, path, object_type):
    response = api.call(method, path)

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert response.json() == error(
        "NotFound", f"{object_type} not found: ", {"ObjectType": object_type, "ObjectID": ""}
    )


@pytest.mark.parametrize(
    ("method", "path", "body", "query", "expected"),
    [
        (
            "POST",
            "/buyers",
            {"ID": "b1", "Name": 5},
            None,
            error(
                "ValidationFailure", "Name must be a string.", {"Field": "Name", "Type": "number"}
            ),
        ),
        (
            "GET",
            "/buyers",
            None,
            {"page": "x"},
            error("ValidationFailure", "page must be an integer.", {"Field": "page"}),
        ),
        (
            "GET",
            "/buyers",
            None,
            {"DateCreated": "soon"},
            error(
                "ValidationFailure",
                "Invalid value for DateCreated: expected datetime.",
                {"Field": "DateCreated", "Value": "soon"},
            ),
        ),
        (
            "GET",
            "/buyers",
            None,
            {"sortBy": "Nope"},
            error("List.InvalidProperty", "Invalid sortBy: Nope", {"Property": "Nope"}),
        ),
    ],
)
def test_a_400_names_an_invalid_value_as_field_and_an_unknown_property_as_property(
    api, method, path, body, query, expected
):
    response = api.call(method, path, body, query=query)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json() == expected
