"""The embedded sandbox over real HTTP, as the console and any other client reach it."""

from http import HTTPStatus

import requests

TIMEOUT = 10


def test_getting_started_flow(sandbox):
    token = requests.post(
        f"{sandbox.url}/oauth/token",
        data={
            "grant_type": "password",
            "client_id": sandbox.client_id,
            "username": sandbox.username,
            "password": sandbox.password,
            "scope": "DevCenterImpersonate FullAccess",
        },
        timeout=TIMEOUT,
    )

    assert token.status_code == HTTPStatus.OK
    assert token.headers["Content-Type"] == "application/json"
    body = token.json()
    assert sorted(body) == ["access_token", "expires_in", "refresh_token", "token_type"]
    assert (body["expires_in"], body["token_type"], body["refresh_token"]) == (
        36000,
        "bearer",
        None,
    )

    me = requests.get(
        f"{sandbox.url}/v1/me",
        headers={"Authorization": f"Bearer {body['access_token']}"},
        timeout=TIMEOUT,
    )

    assert me.status_code == HTTPStatus.OK
    user = me.json()
    assert user == {
        "Buyer": None,
        "Supplier": None,
        "Seller": {"ID": "demo-marketplace"},
        "ID": "demo-admin",
        "Username": "demo-admin",
        "FirstName": "Demo",
        "LastName": "Admin",
        "Email": "demo-admin@example.com",
        "Phone": None,
        "TermsAccepted": None,
        "Active": True,
        "xp": {},
        "AvailableRoles": ["FullAccess"],
        "Locale": None,
        "DateCreated": user["DateCreated"],
        "PasswordLastSetDate": None,
    }
    assert user["DateCreated"].endswith("+00:00")


def test_refusals_are_json(sandbox):
    wrong = requests.post(
        f"{sandbox.url}/oauth/token",
        data={
            "grant_type": "password",
            "client_id": sandbox.client_id,
            "username": sandbox.username,
            "password": "wrong",
            "scope": "DevCenterImpersonate FullAccess",
        },
        timeout=TIMEOUT,
    )
    json_body = requests.post(
        f"{sandbox.url}/oauth/token", json={"grant_type": "password"}, timeout=TIMEOUT
    )
    no_token = requests.get(f"{sandbox.url}/v1/me", timeout=TIMEOUT)
    unknown = requests.get(f"{sandbox.url}/v1/nothing-here", timeout=TIMEOUT)

    assert (wrong.status_code, wrong.json()) == (
        HTTPStatus.BAD_REQUEST,
        {"error": "invalid_grant", "error_description": "Username or password is incorrect."},
    )
    assert json_body.status_code == HTTPStatus.BAD_REQUEST
    assert json_body.json()["error"] == "invalid_request"
    assert no_token.status_code == HTTPStatus.UNAUTHORIZED
    assert no_token.json()["Errors"][0]["ErrorCode"] == "InvalidToken"
    assert (unknown.status_code, unknown.json()) == (
        HTTPStatus.NOT_FOUND,
        {
            "Errors": [
                {
                    "ErrorCode": "NotFound",
                    "Message": "No such route: /sandbox/v1/nothing-here",
                    "Data": None,
                }
            ]
        },
    )
