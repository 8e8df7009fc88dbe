"""The signed-in state as the page shows it over time: expiry, refused tokens."""

import pytest
from django.contrib.sessions.backends.db import SessionStore
from playwright.sync_api import expect

from tests.browser.test_getting_started import _sign_in

pytestmark = pytest.mark.browser


def _expire_session_token(page):
    """What the session holds once the token's expires_in has passed."""
    cookie = next(c for c in page.context.cookies() if c["name"] == "sessionid")
    session = SessionStore(session_key=cookie["value"])
    data = session.load()
    for item in data["console.contexts"]["items"]:
        item["expires_at"] = "2020-01-01T00:00:00+00:00"
    session.update(data)
    session.save()


def _send(page, method, path):
    page.get_by_label("Method").select_option(method)
    page.get_by_label("Path").fill(path)
    page.get_by_role("button", name="Send", exact=True).click()
    expect(page.locator("#raw-request")).to_contain_text(f"{method} /sandbox{path} HTTP/1.1")


def test_a_send_shows_that_the_token_has_expired_without_a_reload(sandbox, page):
    _sign_in(page, sandbox)
    page.evaluate("window.__notReloaded = true")
    _expire_session_token(page)

    _send(page, "GET", "/v1/me")

    expect(page.locator("#auth-status")).to_contain_text("expired at 1 Jan 00:00 UTC")
    expect(page.locator("#target-auth")).to_have_text(
        "with the token of Admin: demo-admin, which has expired: sign in again"
    )
    assert page.evaluate("window.__notReloaded") is True
    expect(page.locator("#auth-status")).to_have_count(1)


def test_a_revoked_token_says_sign_in_again(sandbox, page):
    _sign_in(page, sandbox)
    _send(page, "DELETE", "/v1/adminusers/demo-admin/tokens")
    expect(page.locator("#result-status")).to_have_text("204 No Content")

    _send(page, "GET", "/v1/me")

    expect(page.locator("#result-status")).to_have_text("401 Unauthorized")
    expect(page.locator("#result-auth-hint")).to_contain_text(
        "The API did not accept the token of Admin: demo-admin (Access token has been revoked.): "
        "sign in again"
    )
