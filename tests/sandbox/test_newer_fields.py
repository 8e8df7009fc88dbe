"""Fields of OrderCloud versions newer than the reference document that clients send:
User.FailedLoginAttempts (a read-only counter) and ApiClient.AnonymousTokenDuration."""

from http import HTTPStatus

import pytest

from tests.sandbox import factories
from tests.sandbox.api import api_for

USER = {"Username": "jdoe", "FirstName": "J", "LastName": "D", "Email": "j@d.com"}
USER["Active"] = True


@pytest.fixture
def api(client, db):
    api = api_for(client, factories.marketplace("mkt"))
    api.post("/buyers", {"ID": "b1", "Name": "B"})
    return api


def test_failed_login_attempts_is_read_only(api):
    created = api.post("/buyers/b1/users", {**USER, "ID": "u1", "FailedLoginAttempts": 5})
    patched = api.patch("/buyers/b1/users/u1", {"FailedLoginAttempts": 3})

    assert created.status_code == HTTPStatus.CREATED
    assert created.json()["FailedLoginAttempts"] == 0
    assert patched.json()["FailedLoginAttempts"] == 0
    assert "FailedLoginAttempts" not in api.get("/me").json()  # not on MeUser


def test_anonymous_token_duration(api):
    default = api.post("/apiclients", {"AppName": "A", "AccessTokenDuration": 60})
    given = api.post(
        "/apiclients", {"AppName": "B", "AccessTokenDuration": 60, "AnonymousTokenDuration": 90}
    )
    too_short = api.post(
        "/apiclients", {"AppName": "C", "AccessTokenDuration": 60, "AnonymousTokenDuration": 1}
    )

    assert default.json()["AnonymousTokenDuration"] == 10080
    assert given.json()["AnonymousTokenDuration"] == 90
    assert too_short.status_code == HTTPStatus.BAD_REQUEST
    assert too_short.json()["Errors"][0]["Data"]["Field"] == "AnonymousTokenDuration"
