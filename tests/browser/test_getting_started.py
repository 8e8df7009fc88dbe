"""The getting-started flow in headless Chromium, through the page as a user does it."""

import re

import pytest
from django.contrib.sessions.backends.db import SessionStore
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def _stored_token(page):
    """The active context's access token, kept in the browser's server-side session."""
    cookie = next(c for c in page.context.cookies() if c["name"] == "sessionid")
    stored = SessionStore(session_key=cookie["value"]).load()["console.contexts"]
    return next(i for i in stored["items"] if i["id"] == stored["active"])["access_token"]


def _sign_in(page, sandbox):
    page.goto(f"{sandbox.console_url}/")
    expect(page.get_by_label("Environment")).to_have_value("sandbox")
    expect(page.get_by_label("Client ID")).to_have_value(sandbox.client_id)
    page.get_by_label("Username").fill(sandbox.username)
    page.get_by_label("Password", exact=True).fill(sandbox.password)
    page.get_by_label("Roles").fill("DevCenterImpersonate FullAccess")
    page.get_by_role("button", name="Add context").click()
    expect(page.locator("#auth-status")).to_contain_text("Signed in as demo")


def test_sign_in_and_get_me_with_htmx(sandbox, page):
    _sign_in(page, sandbox)
    # htmx swapped the page in place: a marker set on the window survives.
    page.evaluate("window.__notReloaded = true")

    expect(page.locator("#auth-status")).to_contain_text("DevCenterImpersonate")
    expect(page.locator("#auth-status")).to_contain_text("FullAccess")
    expect(page.locator("#auth-status")).to_contain_text("expires")
    # The token request is shown as a raw exchange, password and token redacted.
    expect(page.locator("#raw-request")).to_contain_text("POST /sandbox/oauth/token HTTP/1.1")
    expect(page.locator("#raw-response")).to_contain_text("HTTP/1.1 200 OK")

    page.get_by_label("Method").select_option("GET")
    page.get_by_label("Path").fill("/v1/me")
    page.get_by_role("button", name="Send", exact=True).click()

    expect(page.locator("#raw-request")).to_contain_text("GET /sandbox/v1/me HTTP/1.1")
    expect(page.locator("#result-status")).to_have_text("200 OK")
    request_text = page.locator("#raw-request").inner_text()
    response_text = page.locator("#raw-response").inner_text()
    assert re.search(r"^Authorization: Bearer eyJhbG…[A-Za-z0-9_-]{4}$", request_text, re.M)
    assert response_text.startswith("HTTP/1.1 200 OK\n")
    assert '"Username": "demo-admin"' in response_text
    assert page.evaluate("window.__notReloaded") is True
    token = _stored_token(page)
    assert len(token) > 100
    html = page.content()
    assert token not in html
    assert token[10:-10] not in html
    assert sandbox.password not in html


def test_ctrl_enter_in_the_composer_sends(sandbox, page):
    _sign_in(page, sandbox)

    page.get_by_label("Path").fill("/v1/me")
    page.get_by_label("Path").press("Control+Enter")

    expect(page.locator("#raw-request")).to_contain_text("GET /sandbox/v1/me HTTP/1.1")
    expect(page.locator("#result-status")).to_have_text("200 OK")


def test_bad_input_keeps_the_composed_request(sandbox, page):
    _sign_in(page, sandbox)

    page.get_by_label("Method").select_option("POST")
    page.get_by_label("Path").fill("/v1/buyers")
    page.get_by_label("Body").fill('{"Name": "Acme",')
    page.get_by_role("button", name="Send", exact=True).click()

    expect(page.locator("#body-error")).to_be_visible()
    expect(page.get_by_label("Method")).to_have_value("POST")
    expect(page.get_by_label("Path")).to_have_value("/v1/buyers")
    expect(page.get_by_label("Body")).to_have_value('{"Name": "Acme",')
    # The token exchange from sign-in is still the last result: nothing was sent.
    expect(page.locator("#raw-request")).to_contain_text("POST /sandbox/oauth/token")


def test_the_same_flow_works_without_javascript(sandbox, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        _sign_in(page, sandbox)
        page.get_by_label("Path").fill("/v1/me")
        page.get_by_role("button", name="Send", exact=True).click()

        expect(page.locator("#result-status")).to_have_text("200 OK")
        expect(page.locator("#raw-request")).to_contain_text("GET /sandbox/v1/me HTTP/1.1")
        assert _stored_token(page) not in page.content()
    finally:
        context.close()


def test_sign_out_forgets_the_token(sandbox, page):
    _sign_in(page, sandbox)

    page.get_by_role("button", name="Sign out", exact=True).click()

    expect(page.locator("#auth-status")).not_to_contain_text("Signed in as")
    page.get_by_label("Path").fill("/v1/me")
    page.get_by_role("button", name="Send", exact=True).click()
    expect(page.locator("#result-status")).to_have_text("401 Unauthorized")
    assert "Authorization:" not in page.locator("#raw-request").inner_text()


def test_the_page_runs_under_its_content_security_policy(sandbox, page):
    page.add_init_script(
        """window.__violations = [];
        document.addEventListener("securitypolicyviolation",
            (event) => window.__violations.push(event.violatedDirective));"""
    )
    _sign_in(page, sandbox)
    page.get_by_label("Path").fill("/v1/me")
    page.get_by_role("button", name="Send", exact=True).click()
    expect(page.locator("#raw-request")).to_contain_text("GET /sandbox/v1/me HTTP/1.1")
    expect(page.locator("#result-status")).to_have_text("200 OK")
    assert page.evaluate("window.__violations") == []  # the page itself needs no exception

    injected = page.evaluate(
        """() => {
            const script = document.createElement("script");
            script.textContent = "window.__injected = true";
            document.body.append(script);
            return window.__injected === true;
        }"""
    )

    assert injected is False
    assert page.evaluate("window.__violations") == ["script-src-elem"]


def test_choosing_the_sandbox_again_pre_fills_its_client_id(sandbox, page):
    page.goto(f"{sandbox.console_url}/")
    page.get_by_label("Environment").select_option("westeurope-sandbox")
    expect(page.get_by_label("Client ID")).to_have_value("")
    page.get_by_label("Client ID").fill("MY-EUROPE-CLIENT")

    page.get_by_label("Environment").select_option("sandbox")

    expect(page.get_by_label("Client ID")).to_have_value(sandbox.client_id)
    expect(page.get_by_label("Roles")).to_have_value("DevCenterImpersonate FullAccess")
