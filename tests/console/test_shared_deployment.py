"""Shared deployments: CONSOLE_LOGIN_REQUIRED=1 (people sign in to the console, the admin
manages them, failed sign-ins are throttled) and SANDBOX_ENABLED=0 (no sandbox at all)."""

import importlib
import re
from http import HTTPStatus

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import clear_url_caches, reverse

import console.urls
from tests.console.test_security import console_routes
from tests.console.test_views import signin_data

pytestmark = pytest.mark.django_db
PASSWORD = "Root-pass-123!"


@pytest.fixture
def reconfigure(settings):
    """Change the flags the URLs are built from (as a restart with them would)."""
    before = {}

    def apply(**values):
        for name, value in values.items():
            before.setdefault(name, getattr(settings, name))
            setattr(settings, name, value)
        importlib.reload(console.urls)
        clear_url_caches()

    yield apply
    for name, value in before.items():
        setattr(settings, name, value)
    importlib.reload(console.urls)
    clear_url_caches()


@pytest.fixture
def login_required(reconfigure):
    reconfigure(CONSOLE_LOGIN_REQUIRED=True)


@pytest.fixture
def root(monkeypatch):
    """The first person, made as the README says: manage.py createsuperuser."""
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", PASSWORD)
    call_command("createsuperuser", interactive=False, username="root", email="root@x.example")
    return "root"


def log_in(client, username, password=PASSWORD, **extra):
    return client.post(
        reverse("login"), {"username": username, "password": password, "next": "/"}, **extra
    )


class TestLoginRequired:
    def test_every_console_page_sends_to_the_login_page(self, login_required):
        client = Client()

        for name, url in console_routes():
            if name in ("login", "logout"):
                continue
            response = client.get(url)
            if name == "healthz":
                assert response.status_code == HTTPStatus.OK
                continue
            assert response.status_code == HTTPStatus.FOUND, url
            assert response["Location"] == f"/accounts/login/?next={url}", url

    def test_posts_and_htmx_too(self, login_required, faulty):
        client = Client(enforce_csrf_checks=True)
        client.get(reverse("login"))
        token = client.cookies["csrftoken"].value

        posted = client.post(reverse("signin"), signin_data(), HTTP_X_CSRFTOKEN=token)
        swapped = client.post(
            reverse("send"), {"path": "/json"}, HTTP_X_CSRFTOKEN=token, HTTP_HX_REQUEST="true"
        )

        assert posted["Location"] == "/accounts/login/?next=/signin"
        assert (swapped.status_code, swapped["HX-Redirect"]) == (200, "/accounts/login/?next=/send")
        assert faulty.hits == []  # nothing was sent

    def test_the_sandbox_keeps_its_own_tokens(self, login_required, client):
        assert client.get("/sandbox/v1/me").status_code == HTTPStatus.UNAUTHORIZED
        assert client.get("/sandbox/").status_code == HTTPStatus.OK

    def test_createsuperuser_then_sign_in_use_and_sign_out(self, login_required, root, faulty):
        client = Client()
        assert client.get("/").status_code == HTTPStatus.FOUND

        logged_in = log_in(client, root)
        page = client.get("/")
        client.post(reverse("signin"), signin_data())  # an OrderCloud context, as ever
        with_context = client.get("/").content.decode()
        logged_out = client.post(reverse("logout"))

        assert (logged_in.status_code, logged_in["Location"]) == (302, "/")
        assert page.status_code == HTTPStatus.OK
        assert '<span class="muted">root</span>' in page.content.decode()
        assert "Sign out of the console" in page.content.decode()
        assert "Signed in as" in with_context
        assert (logged_out.status_code, logged_out["Location"]) == (302, "/accounts/login/")
        assert client.get("/").status_code == HTTPStatus.FOUND
        assert "console.contexts" not in client.session  # the session went with the person

    def test_a_wrong_password_is_said_so(self, login_required, root):
        response = log_in(Client(), root, password="nope")

        assert response.status_code == HTTPStatus.OK
        assert "Please enter a correct username and password." in response.content.decode()
        assert "nope" not in response.content.decode()

    def test_the_admin_manages_people(self, login_required, root):
        admin = Client()
        log_in(admin, root)

        added = admin.post(
            "/admin/auth/user/add/",
            {"username": "ann", "usable_password": "true", "password1": "Ann-pass-12345!",
             "password2": "Ann-pass-12345!"},
        )  # fmt: skip
        ann = Client()
        log_in(ann, "ann", "Ann-pass-12345!")

        assert added.status_code == HTTPStatus.FOUND, added.content.decode()[:2000]
        assert ann.get("/").status_code == HTTPStatus.OK
        # Ann uses the console; she is no administrator.
        assert ann.get("/admin/").status_code == HTTPStatus.FOUND
        assert admin.get("/admin/auth/user/").status_code == HTTPStatus.OK

    def test_failed_sign_ins_are_throttled(self, login_required, root, settings):
        client = Client()

        failures = [log_in(client, root, password=f"wrong-{i}") for i in range(5)]
        locked = log_in(client, root)  # even the right password, now
        elsewhere = log_in(Client(), root, REMOTE_ADDR="10.0.0.9")  # another address

        assert [f.status_code for f in failures] == [
            200,
            200,
            200,
            200,
            HTTPStatus.TOO_MANY_REQUESTS,
        ]
        assert locked.status_code == HTTPStatus.TOO_MANY_REQUESTS
        assert (
            "5 sign-ins failed for root from your address: it is locked for 15 minutes."
        ) in locked.content.decode()
        assert elsewhere.status_code == HTTPStatus.FOUND

    def test_off_by_default(self, client):
        assert client.get("/").status_code == HTTPStatus.OK
        assert client.get("/accounts/login/").status_code == HTTPStatus.NOT_FOUND
        assert client.get("/admin/").status_code == HTTPStatus.NOT_FOUND


class TestSandboxSwitchedOff:
    def test_its_routes_and_environment_are_gone(self, reconfigure, client):
        reconfigure(SANDBOX_ENABLED=False)

        page = client.get("/").content.decode()

        assert client.get("/sandbox/").status_code == HTTPStatus.NOT_FOUND
        assert client.get("/sandbox/v1/me").status_code == HTTPStatus.NOT_FOUND
        assert client.post("/sandbox/oauth/token").status_code == HTTPStatus.NOT_FOUND
        assert "Embedded sandbox" not in page
        assert 'value="sandbox"' not in page
        assert re.search(r'<option value="uswest-sandbox"[^>]* selected>US West · Sandbox<', page)

    def test_a_request_for_it_is_refused(self, reconfigure, client):
        reconfigure(SANDBOX_ENABLED=False)

        response = client.post(reverse("send"), {"environment": "sandbox", "path": "/v1/me"})

        assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
        assert "Choose an environment to send to." in response.content.decode()
