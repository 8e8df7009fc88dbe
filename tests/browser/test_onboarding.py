"""Onboarding in headless Chromium: the guided tour from an empty database to GET /v1/me
(a screenshot of each step under artifacts/getting-started/), the dashboard's account,
"New" application and "Use in console", and presentation mode on a 1280x720 projector."""

import re
from pathlib import Path

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.browser.conftest import assert_no_secrets

pytestmark = pytest.mark.browser

ARTIFACTS = Path("artifacts")
EMAIL = "newcomer@example.com"
PASSWORD = "newcomer-password"


def last_code():
    return re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)


def shot(page, folder, name):
    path = ARTIFACTS / folder / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True)


@pytest.fixture
def empty_sandbox(live_server, transactional_db, settings):
    """The embedded sandbox with nothing in it (no demo), over HTTP for the console."""
    settings.SANDBOX_BASE_URL = f"{live_server.url}/sandbox"
    return live_server.url


def test_the_guided_tour_from_an_empty_database(empty_sandbox, page):
    page.goto(f"{empty_sandbox}/")
    page.get_by_role("link", name="Getting started", exact=True).click()
    expect(page).to_have_title(re.compile(r"^Getting started · 0 of 8 steps done"))
    expect(page.locator("#step-organization-state")).to_have_text("Locked")
    shot(page, "getting-started", "00-start")

    account = page.locator("#step-account")
    account.get_by_label("Email", exact=True).fill(EMAIL)
    account.get_by_label("Password", exact=True).fill(PASSWORD)
    account.get_by_role("button", name="Create account", exact=True).click()
    expect(account.locator(".tour-result")).to_contain_text("HTTP/1.1 201 Created")
    account.get_by_label("Verification code", exact=True).fill(last_code())
    account.get_by_role("button", name="Verify", exact=True).click()
    expect(page.locator("#step-account-state")).to_have_text("Done")
    expect(account.locator(".tour-result")).to_contain_text('"Verified": true')
    shot(page, "getting-started", "01-account")

    organization = page.locator("#step-organization")
    # The tour goes on where it continues: the next step's button has the focus.
    listing = organization.get_by_role("button", name="List my seller organizations")
    expect(listing).to_be_focused()
    expect(page).to_have_title(re.compile(r"^Getting started · 1 of 8 steps done"))
    listing.click()
    expect(page.locator("#step-organization-state")).to_have_text("Done")
    expect(organization).to_contain_text("My Seller Organization")
    shot(page, "getting-started", "02-organization")

    application = page.locator("#step-application")
    application.get_by_role("button", name="Use the default access application").click()
    expect(page.locator("#step-application-state")).to_have_text("Done")
    expect(application.locator(".tour-result")).to_contain_text('"AppName": "Default Access"')
    shot(page, "getting-started", "03-application")

    authenticate = page.locator("#step-authenticate")
    authenticate.get_by_label("Password", exact=True).fill(PASSWORD)
    authenticate.get_by_role("button", name="Get a token").click()
    expect(page.locator("#step-authenticate-state")).to_have_text("Done")
    expect(authenticate.locator(".tour-result")).to_contain_text("POST /sandbox/oauth/token")
    expect(authenticate.locator(".tour-result")).to_contain_text("scope=DevCenterImpersonate")
    shot(page, "getting-started", "04-authenticate")

    me = page.locator("#step-me")
    me.get_by_role("button", name="Send GET /v1/me").click()
    expect(page.locator("#step-me-state")).to_have_text("Done")
    result = me.locator(".tour-result")
    expect(result).to_contain_text("GET /sandbox/v1/me HTTP/1.1")
    expect(result).to_contain_text("HTTP/1.1 200 OK")
    expect(result).to_contain_text('"Username": "default-admin"')
    result.scroll_into_view_if_needed()
    expect(result.locator("pre").last).to_be_in_viewport()
    shot(page, "getting-started", "05-me")
    assert_no_secrets(page, PASSWORD)

    # The next steps, into the catalog.
    page.locator("#step-products").get_by_role("button", name="Send GET /v1/products").click()
    expect(page.locator("#step-products-state")).to_have_text("Done")
    page.locator("#step-buyer").get_by_role("button", name="Send POST /v1/buyers").click()
    expect(page.locator("#step-buyer-state")).to_have_text("Done")
    shopper = page.locator("#step-shopper")
    shopper.get_by_role("button", name="See a buyer user's products").click()
    expect(page.locator("#step-shopper-state")).to_have_text("Done")
    expect(shopper.locator(".tour-result")).to_contain_text("GET /sandbox/v1/me/products")
    expect(page.locator("#tour-progress")).to_have_text("8 of 8 steps done")
    shot(page, "getting-started", "06-catalog")

    # The console is signed in as the developer.
    page.get_by_role("link", name="Console", exact=True).click()
    expect(page.locator("#auth-status")).to_contain_text(f"Signed in as {EMAIL}")
    assert_no_secrets(page, PASSWORD)


def test_the_tour_works_without_javascript(empty_sandbox, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"{empty_sandbox}/getting-started")
        account = page.locator("#step-account")
        account.get_by_label("Email", exact=True).fill(EMAIL)
        account.get_by_label("Password", exact=True).fill(PASSWORD)
        account.get_by_role("button", name="Create account", exact=True).click()
        page.locator("#step-account").get_by_label("Verification code").fill(last_code())
        page.locator("#step-account").get_by_role("button", name="Verify").click()

        expect(page.locator("#step-account-state")).to_have_text("Done")
        assert page.url.endswith("/getting-started#step-account")
    finally:
        context.close()


def test_dashboard_new_application_then_use_in_console(empty_sandbox, page):
    page.goto(f"{empty_sandbox}/sandbox/dashboard/")
    page.get_by_role("link", name="Create account").click()
    page.get_by_label("Email", exact=True).fill(EMAIL)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    page.get_by_label("Verification code").fill(last_code())
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("heading", name="Seller organizations")).to_be_visible()
    shot(page, "dashboard", "01-organizations")
    page.get_by_label("Name", exact=True).fill("Second organization")
    page.get_by_role("button", name="New seller organization").click()
    expect(page.get_by_role("heading", name="Seller applications")).to_be_visible()
    expect(page).to_have_title("Seller applications · Second organization · Sandbox dashboard")

    page.get_by_role("link", name="New", exact=True).click()
    page.get_by_label("Name", exact=True).fill("My storefront")
    page.get_by_label("Refresh tokens").check()
    page.get_by_role("button", name="Create application").click()
    created = page.locator(".dash-app.is-new")
    expect(created).to_contain_text("My storefront")
    client_id = created.locator("code").first.inner_text()
    shot(page, "dashboard", "02-applications")
    created.get_by_role("link", name="Use in console").click()

    expect(page.get_by_label("Environment")).to_have_value("sandbox")
    expect(page.get_by_label("Client ID")).to_have_value(client_id)
    expect(page.get_by_label("Username")).to_have_value(EMAIL)
    expect(page.get_by_label("Roles")).to_have_value("DevCenterImpersonate FullAccess")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Add context").click()
    expect(page.locator("#auth-status")).to_contain_text(f"Signed in as {EMAIL}")
    page.get_by_label("Path").fill("/v1/me")
    page.get_by_role("button", name="Send", exact=True).click()
    expect(page.locator("#result-status")).to_have_text("200 OK")
    shot(page, "dashboard", "03-console")
    assert_no_secrets(page, PASSWORD)


def test_presentation_mode_on_a_projector(sandbox, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    try:
        page.goto(f"{sandbox.console_url}/")
        page.get_by_label("Username").fill(sandbox.username)
        page.get_by_label("Password", exact=True).fill(sandbox.password)
        page.get_by_role("button", name="Add context").click()
        expect(page.locator("#auth-status")).to_contain_text("Signed in as demo")
        expect(page).to_have_title("Admin: demo-admin on Embedded sandbox · OrderCloud API Console")

        page.get_by_role("button", name="Presentation mode").click()
        expect(page.get_by_role("button", name="Presentation mode")).to_have_attribute(
            "aria-pressed", "true"
        )
        assert "present=1" in page.url
        expect(page).to_have_title(
            "Presenting · Admin: demo-admin on Embedded sandbox · OrderCloud API Console"
        )
        page.get_by_label("Path").fill("/v1/me")
        page.get_by_role("button", name="Send", exact=True).click()
        expect(page.locator("#result-status")).to_have_text("200 OK")
        expect(page.locator("#raw-response")).to_contain_text('"Username": "demo-admin"')

        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "presentation-1280x720.png"))
        # The whole response, on screen without scrolling.
        assert page.evaluate("window.scrollY") == 0
        response = page.locator("#json-viewer:visible, #raw-response:visible").first
        box = response.bounding_box()
        assert box["y"] >= 0
        assert box["y"] + box["height"] <= 720
        assert page.evaluate("document.documentElement.scrollHeight") <= 720 + 1
        # No ID of a secret, no token in anything shown.
        shown = page.locator("body").inner_text()
        assert sandbox.client_id not in shown
        assert "eyJhbG" not in shown

        page.reload()
        expect(page.get_by_role("button", name="Presentation mode")).to_have_attribute(
            "aria-pressed", "true"
        )
        page.get_by_role("button", name="Presentation mode").click()
        expect(page.get_by_role("button", name="Presentation mode")).to_have_attribute(
            "aria-pressed", "false"
        )
    finally:
        context.close()
