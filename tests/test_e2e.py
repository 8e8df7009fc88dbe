"""The getting-started flow end to end over real HTTP: the console, served by a live
server, signs in to the embedded sandbox on its own pool and sends GET /v1/me through
its own proxy, as with `make run`."""

import html
import json
import re
from http import HTTPStatus

import requests


def _pane(page, heading):
    """The raw text of the result pane headed `heading` ("Request" or "Response")."""
    match = re.search(
        rf'<h2[^>]*>\s*{heading}\s*</h2>.*?<pre id="raw-{heading.lower()}"[^>]*>(.*?)</pre>',
        page,
        flags=re.DOTALL,
    )
    assert match, f"no {heading} pane in the page"
    return html.unescape(re.sub(r"<[^>]+>", "", match.group(1)))


def _sign_in(sandbox, session):
    session.get(f"{sandbox.console_url}/")
    response = session.post(
        f"{sandbox.console_url}/signin",
        data={
            "environment": "sandbox",
            "client_id": sandbox.client_id,
            "username": sandbox.username,
            "password": sandbox.password,
            "roles": "DevCenterImpersonate FullAccess",
        },
        headers={"X-CSRFToken": session.cookies["csrftoken"]},
    )
    assert response.status_code == HTTPStatus.OK
    return response


def test_sign_in_then_get_me_through_the_console(sandbox_pool):
    session = requests.Session()

    signed_in = _sign_in(sandbox_pool, session)
    sent = session.post(
        f"{sandbox_pool.console_url}/send",
        data={"environment": "sandbox", "method": "GET", "path": "/v1/me", "body": ""},
        headers={"X-CSRFToken": session.cookies["csrftoken"]},
    )

    # The token request itself is shown, with the password and the tokens redacted.
    token_request = _pane(signed_in.text, "Request")
    assert token_request.startswith("POST /oauth/token HTTP/1.1\n")
    assert sandbox_pool.password not in signed_in.text
    assert token_request.endswith(
        "grant_type=password&username=demo&password=********"
        f"&client_id={sandbox_pool.client_id}&scope=DevCenterImpersonate+FullAccess"
    )
    assert '"access_token": "eyJhbG' in _pane(signed_in.text, "Response")
    # Then GET /v1/me with the token from the session.
    assert sent.status_code == HTTPStatus.OK
    request_text = _pane(sent.text, "Request")
    response_text = _pane(sent.text, "Response")
    assert request_text.splitlines()[0] == "GET /v1/me HTTP/1.1"
    host = sandbox_pool.url.split("//", 1)[1].split("/", 1)[0]
    assert f"Host: {host}" in request_text.splitlines()
    assert re.search(r"^Authorization: Bearer eyJhbG…[A-Za-z0-9_-]{4}$", request_text, re.M)
    assert response_text.splitlines()[0] == "HTTP/1.1 200 OK"
    assert re.search(r"^Content-Type: application/json", response_text, re.M)
    assert '"Username": "demo-admin"' in response_text
    assert '"Seller": {\n    "ID": ' in response_text
    assert '"AvailableRoles": [' in response_text
    assert '"Password":' not in response_text


def test_credentials_upstream_returns_are_redacted_in_the_page(sandbox_pool):
    session = requests.Session()
    _sign_in(sandbox_pool, session)
    secret = "a-client-secret-for-the-demo"

    created = session.post(
        f"{sandbox_pool.console_url}/send",
        data={
            "environment": "sandbox",
            "method": "POST",
            "path": "/v1/apiclients",
            "body": json.dumps(
                {"AppName": "Storefront", "AccessTokenDuration": 600, "ClientSecret": secret}
            ),
        },
        headers={"X-CSRFToken": session.cookies["csrftoken"]},
    )

    assert created.status_code == HTTPStatus.OK
    assert _pane(created.text, "Response").splitlines()[0] == "HTTP/1.1 201 Created"
    assert '"ClientSecret": "********"' in _pane(created.text, "Request")
    assert '"ClientSecret": "********"' in _pane(created.text, "Response")
    # Only where the user typed it: the composer's Body keeps what was composed.
    body_field = re.search(r'<textarea[^>]*name="body"[^>]*>(.*?)</textarea>', created.text, re.S)
    assert secret in html.unescape(body_field.group(1))
    assert created.text.count(secret) == 1
