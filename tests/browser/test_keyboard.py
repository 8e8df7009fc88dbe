"""Keyboard use: the focus stays where the user is across htmx swaps."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_getting_started import _sign_in

pytestmark = pytest.mark.browser


def test_the_send_button_keeps_the_focus_after_a_send(sandbox, page):
    _sign_in(page, sandbox)
    page.get_by_label("Path").fill("/v1/me")
    page.get_by_role("button", name="Send", exact=True).focus()

    page.keyboard.press("Enter")

    expect(page.locator("#raw-request")).to_contain_text("GET /sandbox/v1/me HTTP/1.1")
    expect(page.get_by_role("button", name="Send", exact=True)).to_be_focused()
    page.keyboard.press("Enter")  # and sends again from there
    expect(page.locator("#result-status")).to_have_text("200 OK")


def test_the_sign_in_button_keeps_the_focus_after_a_failed_sign_in(sandbox, page):
    page.goto(f"{sandbox.console_url}/")
    page.get_by_label("Username").fill(sandbox.username)
    page.get_by_label("Password", exact=True).fill("wrong")
    page.get_by_role("button", name="Add context").focus()

    page.keyboard.press("Enter")

    expect(page.locator("#signin-error")).to_contain_text("Sign-in failed")
    expect(page.get_by_role("button", name="Add context")).to_be_focused()


def test_bad_input_takes_the_focus(sandbox, page):
    _sign_in(page, sandbox)
    page.get_by_label("Path").fill("https://example.com/v1/me")
    page.get_by_role("button", name="Send", exact=True).focus()

    page.keyboard.press("Enter")

    expect(page.locator("#path-error")).to_contain_text("This URL is on example.com, not on")
    expect(page.get_by_label("Path")).to_be_focused()
    expect(page.get_by_label("Path")).to_have_attribute("aria-describedby", "path-error")


def test_sign_out_moves_the_focus_to_the_username(sandbox, page):
    _sign_in(page, sandbox)
    page.get_by_role("button", name="Sign out", exact=True).focus()

    page.keyboard.press("Enter")

    expect(page.locator("#auth-status")).to_contain_text("Not signed in")
    expect(page.get_by_label("Username")).to_be_focused()
    page.keyboard.type(sandbox.username)  # and the user can sign in again from there
    expect(page.get_by_label("Username")).to_have_value(sandbox.username)


def test_a_sign_out_by_mouse_also_keeps_the_focus_off_the_body(sandbox, page):
    _sign_in(page, sandbox)

    page.get_by_role("button", name="Sign out", exact=True).click()

    expect(page.locator("#auth-status")).to_contain_text("Not signed in")
    expect(page.get_by_label("Username")).to_be_focused()
