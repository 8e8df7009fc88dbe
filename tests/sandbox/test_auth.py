"""The pieces the API engine builds on: token verification, role checks, error shapes."""

import json
from datetime import UTC, datetime, timedelta, timezone
from http import HTTPStatus

import pytest

from sandbox.api.errors import ApiError, not_found
from sandbox.api.wire import timestamp
from sandbox.auth.access import verify
from tests.sandbox import factories


def body(response):
    return json.loads(response.content)


@pytest.fixture
def shopper(db):
    marketplace = factories.marketplace("m")
    api_client = factories.api_client(marketplace, "c")
    user = factories.user(marketplace, "u")
    return verify(factories.access_token(api_client, user, roles=["Shopper", "CanFly"]))


def test_a_verified_token_knows_its_marketplace_client_user_and_roles(shopper):
    assert (shopper.marketplace.oc_id, shopper.client.oc_id, shopper.user.oc_id) == ("m", "c", "u")
    assert shopper.roles == ("Shopper", "CanFly")
    assert shopper.claims["usr"] == "u"


def test_a_single_role_claim_is_one_role(db):
    marketplace = factories.marketplace("m")
    token = factories.access_token(
        factories.api_client(marketplace, "c"), factories.user(marketplace, "u"), ["MeAdmin"]
    )

    assert verify(token).roles == ("MeAdmin",)


def test_require_roles_passes_with_one_of_them(shopper):
    shopper.require_roles(["MeAdmin", "Shopper"])
    shopper.require_roles(["CanFly"])
    shopper.require_roles([])


def test_require_roles_refuses_with_orderclouds_403(shopper):
    with pytest.raises(ApiError) as refused:
        shopper.require_roles(["FullAccess", "BuyerAdmin"])

    response = refused.value.response()
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert body(response) == {
        "Errors": [
            {
                "ErrorCode": "Auth.InsufficientRoles",
                "Message": "User does not have role(s) required to perform this action.",
                "Data": {"SufficientRoles": ["FullAccess", "BuyerAdmin"]},
            }
        ]
    }


def test_full_access_token_has_every_api_role(db):
    marketplace = factories.marketplace("m")
    token = factories.access_token(
        factories.api_client(marketplace, "c"), factories.user(marketplace, "u"), ["FullAccess"]
    )

    assert verify(token).has_role(["ProductAdmin"])
    assert not verify(token).has_role(["CanFly"])


def test_not_found_names_the_object():
    response = not_found("User", "u-9").response()

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert body(response) == {
        "Errors": [
            {
                "ErrorCode": "NotFound",
                "Message": "User not found: u-9",
                "Data": {"ObjectType": "User", "ObjectID": "u-9"},
            }
        ]
    }


def test_timestamps_are_utc():
    plus_two = timezone(timedelta(hours=2))

    assert (
        timestamp(datetime(2025, 6, 1, 2, 30, tzinfo=plus_two)) == "2025-06-01T00:30:00.000+00:00"
    )
    assert timestamp(datetime(2025, 6, 1, tzinfo=UTC)) == "2025-06-01T00:00:00.000+00:00"
