"""The guided tour without JavaScript (posts and redirects), against the embedded sandbox
over real HTTP: from an empty database to GET /v1/me and the catalog steps."""

import html
import re
from http import HTTPStatus

import pytest
from django.core import mail

from console import tour
from sandbox.models import Account, Buyer

EMAIL = "tour@example.com"
PASSWORD = "tour-password-1"


def post(client, step, **data):
    response = client.post(f"/getting-started/{step}", data)
    assert response.status_code == HTTPStatus.SEE_OTHER
    assert response["Location"] == f"/getting-started#step-{step}"
    return html.unescape(client.get("/getting-started").content.decode())


def done(client):
    return client.session[tour.SESSION_KEY]["done"]


def code():
    return re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)


@pytest.fixture
def empty_sandbox(live_server, transactional_db, settings):
    """The sandbox with nothing in it, served over HTTP for the console."""
    settings.SANDBOX_BASE_URL = f"{live_server.url}/sandbox"
    return settings.SANDBOX_BASE_URL


def test_the_whole_tour(client, empty_sandbox):
    page = client.get("/getting-started").content.decode()
    assert "<h1>Getting started</h1>" in page
    assert 'id="step-organization-state">Locked' in page

    page = post(client, "account", action="signup", email=EMAIL, password=PASSWORD)
    assert "POST /sandbox/dashboard/api/accounts HTTP/1.1" in page
    assert "HTTP/1.1 201 Created" in page
    assert PASSWORD not in page
    assert done(client) == []

    page = post(client, "account", action="verify", code="000000" if code() != "000000" else "1")
    assert "The code is wrong." in page
    assert done(client) == []

    page = post(client, "account", action="verify", code=code())
    assert done(client) == ["account"]
    assert Account.objects.filter(username=EMAIL).exists()
    stored = client.session[tour.SESSION_KEY]["dashboard_token"]
    assert stored not in page

    page = post(client, "organization")
    assert "My Seller Organization" in page
    page = post(client, "application", action="list")
    assert done(client) == ["account", "organization", "application"]
    assert "Default Access" in page

    page = post(client, "authenticate", password="wrong password")
    assert "Username or password is incorrect." in page
    page = post(client, "authenticate", password=PASSWORD)
    assert "POST /sandbox/oauth/token HTTP/1.1" in page
    assert PASSWORD not in page
    assert "authenticate" in done(client)

    page = post(client, "me")
    assert "GET /sandbox/v1/me HTTP/1.1" in page
    assert '"Username": "default-admin"' in page
    page = post(client, "products")
    assert '"TotalCount": 0' in page
    page = post(client, "buyer", name="Tour buyer")
    assert Buyer.objects.get(name="Tour buyer")
    page = post(client, "shopper")
    assert "GET /sandbox/v1/me/products HTTP/1.1" in page
    assert done(client) == tour.STEP_IDS
    # The console is signed in as the developer (active) and the shopper.
    console = client.get("/").content.decode()
    assert "Signed in as" in console
    assert EMAIL in console

    # Redone, a step keeps what the others did.
    post(client, "me")
    assert done(client) == tour.STEP_IDS


def test_a_locked_step_does_nothing(client, empty_sandbox):
    page = post(client, "me")

    assert "Finish the steps before this one first." in page
    assert done(client) == []


def test_a_new_application_in_the_tour(client, empty_sandbox):
    post(client, "account", action="signup", email=EMAIL, password=PASSWORD)
    post(client, "account", action="verify", code=code())
    post(client, "organization")

    page = post(client, "application", action="new", name="Tour app")

    assert "HTTP/1.1 201 Created" in page
    assert client.session[tour.SESSION_KEY]["app_name"] == "Tour app"
    post(client, "authenticate", password=PASSWORD)
    assert "authenticate" in done(client)


def test_unknown_step(client, empty_sandbox):
    assert client.post("/getting-started/nope").status_code == HTTPStatus.NOT_FOUND


def test_another_environment_starts_at_the_sign_in(client, sandbox, settings):
    """On an environment other than the embedded sandbox, the account, organization and
    application come from OrderCloud's portal: the tour takes the username and ClientID,
    and the sign-in proves them (here another environment that is the demo sandbox)."""
    settings.CONSOLE_ENVIRONMENTS = [
        {"id": "elsewhere", "name": "Elsewhere", "base_url": sandbox.url, "client_id": ""}
    ]
    client.get("/getting-started?environment=elsewhere")

    refused = post(client, "account", action="signup", email=EMAIL, password=PASSWORD)
    assert (
        "come from OrderCloud&#x27;s portal" in refused
        or "come from OrderCloud's portal" in refused
    )
    page = post(
        client, "account", action="portal", email=sandbox.username, client_id=sandbox.client_id
    )
    assert done(client) == ["account", "organization", "application"]
    assert "OrderCloud's portal" in page
    assert post(client, "organization") and done(client) == [
        "account",
        "organization",
        "application",
    ]

    post(client, "authenticate", password=sandbox.password)
    page = post(client, "me")

    assert done(client) == ["account", "organization", "application", "authenticate", "me"]
    assert '"Username": "demo-admin"' in page


def test_the_sandbox_takes_no_portal_shortcut(client, empty_sandbox):
    page = post(client, "account", action="portal", email=EMAIL, client_id="X")

    assert "the tour makes the account itself" in page
    assert done(client) == []
