"""Data of one marketplace is never visible from another."""

from http import HTTPStatus

import pytest

from sandbox.auth.roles import available_roles
from tests.sandbox import factories
from tests.sandbox.conftest import get_me, post_token


@pytest.fixture
def two(db):
    """Marketplaces a and b, each with a user of the same ID and username, "sam"."""
    users = {}
    for name in ("a", "b"):
        owner = factories.account(f"dev-{name}", f"dev-{name}-password")
        marketplace = factories.marketplace(name, owner=owner)
        factories.api_client(marketplace, f"client-{name}")
        users[name] = factories.user(
            marketplace, "sam", password=f"sam-{name}-password", first_name=f"Sam of {name}"
        )
        marketplace.default_admin_user = users[name]
        marketplace.save()
    factories.profile(users["a"].marketplace, "full", ["FullAccess"])
    factories.profile(users["b"].marketplace, "readers", ["ProductReader"])
    return users


def sign_in(client, name, password, scope=None, username="sam"):
    fields = {"grant_type": "password", "client_id": f"client-{name}", "username": username}
    fields["password"] = password
    if scope:
        fields["scope"] = scope
    return post_token(client, **fields)


def test_same_ids_in_two_marketplaces_are_two_users(client, two):
    token_a = sign_in(client, "a", "sam-a-password").json()["access_token"]
    token_b = sign_in(client, "b", "sam-b-password").json()["access_token"]

    me_a = get_me(client, token_a).json()
    me_b = get_me(client, token_b).json()

    assert (me_a["FirstName"], me_a["Seller"], me_a["AvailableRoles"]) == (
        "Sam of a",
        {"ID": "a"},
        ["FullAccess"],
    )
    assert (me_b["FirstName"], me_b["Seller"], me_b["AvailableRoles"]) == (
        "Sam of b",
        {"ID": "b"},
        ["ProductReader"],
    )


def test_a_users_password_is_only_good_in_its_marketplace(client, two):
    response = sign_in(client, "a", "sam-b-password")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json() == {
        "error": "invalid_grant",
        "error_description": "Username or password is incorrect.",
    }


def test_a_user_of_another_marketplace_is_unknown(client, two):
    factories.user(two["b"].marketplace, "only-in-b", password="pw")

    response = sign_in(client, "a", "pw", username="only-in-b")

    assert response.json() == {
        "error": "invalid_grant",
        "error_description": "Username or password is incorrect.",
    }


def test_an_account_cannot_impersonate_in_a_marketplace_it_does_not_own(client, two):
    response = sign_in(
        client, "a", "dev-b-password", scope="DevCenterImpersonate FullAccess", username="dev-b"
    )

    assert response.json() == {
        "error": "invalid_grant",
        "error_description": "This account has no access to the API client's marketplace.",
    }


def test_a_token_resolves_its_user_in_its_clients_marketplace_only(client, two):
    only_in_b = factories.user(two["b"].marketplace, "only-in-b")
    client_a = two["a"].marketplace.api_clients.get()
    # Well signed, but naming client a with a user that exists only in b.
    raw = factories.access_token(client_a, only_in_b)

    response = get_me(client, raw)

    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert response.json()["Errors"][0]["Message"] == (
        "Access token's user no longer exists or is inactive."
    )


def test_profiles_of_another_marketplace_give_no_roles(two):
    factories.profile(two["b"].marketplace, "sam-extra", ["OrderAdmin"], user_id="sam")

    assert available_roles(two["a"]) == ["FullAccess"]
    assert available_roles(two["b"]) == ["ProductReader", "OrderAdmin"]
