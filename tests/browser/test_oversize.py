"""A request body over the console's limit: said at the Body field, nothing sent."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_getting_started import _sign_in

pytestmark = pytest.mark.browser

LIMIT = 10_000


@pytest.fixture
def small_limit(settings):
    """The live server runs in this process: a small limit keeps the bodies small."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = LIMIT


def test_console_js_says_so_before_sending(sandbox, small_limit, page):
    _sign_in(page, sandbox)
    sends = []
    page.on("request", lambda request: sends.append(request.url) if "/send" in request.url else 0)
    page.get_by_label("Method").select_option("POST")
    page.get_by_label("Path").fill("/v1/buyers")
    page.get_by_label("Body").fill('{"Name": "' + "x" * LIMIT + '"}')

    page.get_by_role("button", name="Send", exact=True).click()

    expect(page.locator("#body-error")).to_have_text(
        re.compile(
            r"The request is 1\d\.\d KB, over the console's limit of 9\.8 KB: "
            r"shorten the body\. Nothing was sent\."
        )
    )
    expect(page.get_by_label("Body")).to_be_focused()
    expect(page.get_by_label("Body")).to_have_attribute("aria-describedby", "body-error")
    assert sends == []
    expect(page.locator("#raw-request")).to_contain_text("POST /sandbox/oauth/token")

    page.get_by_label("Body").fill('{"Name": "Acme"}')
    page.get_by_role("button", name="Send", exact=True).click()
    expect(page.locator("#result-status")).to_have_text("201 Created")
    expect(page.locator("#body-error")).to_have_count(0)


def test_without_javascript_the_console_page_says_so(sandbox, small_limit, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        _sign_in(page, sandbox)
        page.get_by_label("Method").select_option("POST")
        page.get_by_label("Path").fill("/v1/buyers")
        page.get_by_label("Body").fill('{"Name": "' + "x" * LIMIT + '"}')

        with page.expect_navigation() as navigation:
            page.get_by_role("button", name="Send", exact=True).click()

        assert navigation.value.status == 413
        expect(page.locator("#body-error")).to_contain_text("over the console's limit of 9.8 KB")
        expect(page.locator("#body-error")).to_contain_text("Nothing was sent.")
        expect(page.get_by_label("Method")).to_have_value("POST")
        expect(page.get_by_label("Path")).to_have_value("/v1/buyers")
        expect(page.locator("#auth-status")).to_contain_text("Signed in as demo")
    finally:
        context.close()


def test_sign_out_still_works_with_an_oversize_body(sandbox, small_limit, page):
    _sign_in(page, sandbox)
    page.get_by_label("Path").fill("/v1/buyers")
    page.get_by_label("Body").fill("x" * LIMIT)

    page.get_by_role("button", name="Sign out", exact=True).click()

    expect(page.locator("#auth-status")).to_contain_text("Not signed in")
    expect(page.get_by_label("Path")).to_have_value("/v1/buyers")
