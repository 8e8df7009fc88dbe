"""The page's layout: signed in, the sign-in form folds away and the work gets the width."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_getting_started import _sign_in

pytestmark = pytest.mark.browser

SIGN_IN_AGAIN = "Add a context"


@pytest.fixture
def small_page(browser):
    """A 1024x768 screen, as on a projector."""
    context = browser.new_context(viewport={"width": 1024, "height": 768})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def _get_me(page):
    page.get_by_label("Path").fill("/v1/me")
    page.get_by_role("button", name="Send", exact=True).click()
    # Wait for this request's result: the sign-in exchange before it was a 200 OK too.
    expect(page.locator("#raw-request")).to_contain_text("GET /sandbox/v1/me HTTP/1.1")
    expect(page.locator("#result-status")).to_have_text("200 OK")


def test_signed_out_the_form_is_beside_the_composer(sandbox, page):
    page.goto(f"{sandbox.console_url}/")

    signin = page.locator("section.signin").bounding_box()
    composer = page.locator("#composer-card").bounding_box()
    assert signin["x"] + signin["width"] <= composer["x"]
    expect(page.get_by_text(SIGN_IN_AGAIN)).to_have_count(0)
    expect(page.get_by_label("Username")).to_be_visible()


def test_signed_in_the_result_panes_start_above_the_fold_at_1024x768(sandbox, small_page):
    page = small_page
    _sign_in(page, sandbox)

    _get_me(page)

    expect(page.get_by_label("Username")).to_be_hidden()
    expect(page.get_by_text(SIGN_IN_AGAIN)).to_be_visible()
    # The operations run down the side; the composer has the rest of the width.
    composer = page.locator("#composer-card").bounding_box()
    catalog = page.locator("#catalog").bounding_box()
    assert catalog["x"] + catalog["width"] <= composer["x"]
    assert composer["x"] + composer["width"] - catalog["x"] > 0.9 * 1024
    for pane in ("#raw-request", ".response-pane"):
        assert page.locator(pane).bounding_box()["y"] < 768 - 50, pane


def test_signing_in_again_opens_the_disclosure_first(sandbox, page):
    _sign_in(page, sandbox)
    _get_me(page)

    page.get_by_text(SIGN_IN_AGAIN).click()
    page.get_by_label("Password", exact=True).fill(sandbox.password)
    page.get_by_role("button", name="Add context").click()

    expect(page.locator("#raw-request")).to_contain_text("POST /sandbox/oauth/token HTTP/1.1")
    expect(page.locator("#result-status")).to_have_text("200 OK")
    expect(page.locator("#auth-status")).to_contain_text("Signed in as demo")
    expect(page.get_by_label("Username")).to_be_hidden()
    # The pressed button folded away: the focus stays at the disclosure, not on <body>.
    expect(page.get_by_text(SIGN_IN_AGAIN)).to_be_focused()


def test_a_failed_sign_in_again_stays_open(sandbox, page):
    _sign_in(page, sandbox)

    page.get_by_text(SIGN_IN_AGAIN).click()
    page.get_by_label("Password", exact=True).fill("wrong")
    page.get_by_role("button", name="Add context").click()

    expect(page.locator("#signin-error")).to_contain_text("Sign-in failed")
    expect(page.get_by_role("button", name="Add context")).to_be_visible()
    expect(page.locator("#auth-status")).to_contain_text("Signed in as demo")


def test_the_disclosure_works_without_javascript(sandbox, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        _sign_in(page, sandbox)
        _get_me(page)
        expect(page.get_by_label("Username")).to_be_hidden()

        page.get_by_text(SIGN_IN_AGAIN).click()
        page.get_by_label("Password", exact=True).fill(sandbox.password)
        page.get_by_role("button", name="Add context").click()

        expect(page.locator("#raw-request")).to_contain_text("POST /sandbox/oauth/token HTTP/1.1")
        expect(page.locator("#result-status")).to_have_text("200 OK")
        expect(page.get_by_label("Username")).to_be_hidden()
    finally:
        context.close()
