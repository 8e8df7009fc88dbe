"""The browser-facing defences: the Content-Security-Policy header, and CSRF on every
state-changing request (htmx's included)."""

import re
from http import HTTPStatus

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

pytestmark = pytest.mark.django_db

POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
HTMX = {"HTTP_HX_REQUEST": "true"}


class TestContentSecurityPolicy:
    @pytest.mark.parametrize("url", ["/", "/history", "/sandbox/", "/sandbox/coverage"])
    def test_every_page_has_the_policy_as_a_header_and_no_inline_script(self, client, url):
        response = client.get(url)

        assert response.status_code == HTTPStatus.OK
        assert response["Content-Security-Policy"] == POLICY
        assert response["X-Frame-Options"] == "DENY"
        html = response.content.decode()
        assert "http-equiv" not in html.lower()  # the policy is no longer a meta tag
        scripts = re.findall(r"<script\b[^>]*>", html)
        assert all(re.search(r'\bsrc="/static/[^"]+\.js"', tag) for tag in scripts), scripts
        assert not re.search(r"\son[a-z]+=", html)  # no inline event handler either

    def test_the_api_answers_carry_it_too(self, client):
        response = client.get("/sandbox/v1/me")

        assert response.status_code == HTTPStatus.UNAUTHORIZED
        assert response["Content-Security-Policy"] == POLICY


# --- CSRF ------------------------------------------------------------------------------

# A valid URL for each of the console's routes with parameters.
ARGS = {"operation": ["Me.Get"], "export": ["curl"], "tour_step": ["account"]}
for name in ("history_entry", "history_edit", "history_body"):
    ARGS[name] = [1]


def console_routes():
    """(name, url) of every route of the console (the sandbox's API is token-only; the
    admin, with CONSOLE_LOGIN_REQUIRED=1, is Django's own)."""
    for pattern in get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            assert pattern.pattern.describe() in ("'sandbox/'", "'admin/'"), pattern
            continue
        assert isinstance(pattern, URLPattern)
        yield pattern.name, reverse(pattern.name, args=ARGS.get(pattern.name, []))


STATE_CHANGING = {
    "signin",
    "signout",
    "signout-all",
    "switch",
    "refresh",
    "reveal",
    "impersonate",
    "send",
    "compare",
    "catalog_refresh",
    "catalog_lock",
    "history_clear",
    "export",
    "tour_restart",
    "tour_step",
}


def test_the_routes_are_all_known():
    """A new route must be added here, so that the CSRF tests below cover it."""
    names = {name for name, _ in console_routes()}

    assert names >= STATE_CHANGING
    assert names - STATE_CHANGING == {
        "index",
        "impersonation",
        "healthz",
        "catalog",
        "catalog_ids",
        "catalog_roles",
        "operation",
        "history",
        "history_entry",
        "history_edit",
        "history_body",
        "tour",
    }


@pytest.mark.parametrize(("name", "url"), list(console_routes()))
@pytest.mark.parametrize("htmx", [False, True], ids=["form", "htmx"])
def test_a_post_without_the_csrf_token_is_refused(name, url, htmx):
    client = Client(enforce_csrf_checks=True)
    client.get("/")  # a session and a CSRF cookie, as a browser would have

    response = client.post(
        url, {"environment": "sandbox", "path": "/v1/me"}, **HTMX if htmx else {}
    )

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert b"CSRF verification failed" in response.content


@pytest.mark.parametrize(("name", "url"), list(console_routes()))
def test_with_the_htmx_header_token_only_state_changing_routes_take_a_post(
    name, url, refusing, settings
):
    """What the page's hx-headers send: the token in X-CSRFToken, no form field. The
    other routes change nothing and answer GET only."""
    settings.SANDBOX_BASE_URL = refusing.base_url  # (catalog/refresh fetches a document)
    client = Client(enforce_csrf_checks=True)
    client.get("/")
    token = client.cookies["csrftoken"].value

    response = client.post(
        url,
        {"environment": "no-such-environment", "path": "/v1/me", "context": "none"},
        HTTP_X_CSRFTOKEN=token,
        **HTMX,
    )

    if name in STATE_CHANGING:
        assert response.status_code not in (HTTPStatus.FORBIDDEN, HTTPStatus.METHOD_NOT_ALLOWED)
    else:
        assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED


def test_a_token_from_another_session_is_refused():
    other = Client(enforce_csrf_checks=True)
    other.get("/")
    client = Client(enforce_csrf_checks=True)
    client.get("/")

    response = client.post(
        reverse("history_clear"), HTTP_X_CSRFTOKEN=other.cookies["csrftoken"].value, **HTMX
    )

    assert response.status_code == HTTPStatus.FORBIDDEN
