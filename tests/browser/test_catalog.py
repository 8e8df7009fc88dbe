"""Exploring by operation in headless Chromium: the tree and its search, generated forms,
the role warning, explanations of errors."""

import json
import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_getting_started import _sign_in

pytestmark = pytest.mark.browser

CSP_WATCH = """window.__violations = [];
document.addEventListener("securitypolicyviolation",
    (event) => window.__violations.push(event.violatedDirective));"""


def _sign_in_with(page, sandbox, roles):
    page.goto(f"{sandbox.console_url}/")
    page.get_by_label("Username").fill(sandbox.username)
    page.get_by_label("Password", exact=True).fill(sandbox.password)
    page.get_by_label("Roles").fill(roles)
    page.get_by_role("button", name="Add context").click()
    expect(page.locator("#auth-status")).to_contain_text("Signed in as demo")


def _choose(page, query, operation_id):
    page.get_by_label("Search operations").fill(query)
    page.get_by_role("link", name=re.compile(rf"\b{re.escape(operation_id)}\b")).first.click()
    expect(page.locator("#op-id")).to_have_text(operation_id)


def test_find_me_get_by_searching_send_it_and_see_the_response(sandbox, page):
    page.add_init_script(CSP_WATCH)
    _sign_in(page, sandbox)

    page.get_by_label("Search operations").fill("me")
    first = page.locator("#catalog-results a.op-link").first
    expect(first).to_contain_text("Me.Get")
    first.click()

    expect(page).to_have_url(f"{sandbox.console_url}/op/Me.Get")
    expect(page.locator("#op-id")).to_have_text("Me.Get")
    expect(page.get_by_label("Path", exact=True)).to_have_value("/v1/me")
    expect(first).to_have_attribute("aria-current", "page")
    page.get_by_role("button", name="Send", exact=True).click()

    expect(page.locator("#raw-request")).to_contain_text("GET /sandbox/v1/me HTTP/1.1")
    expect(page.locator("#result-status")).to_have_text("200 OK")
    expect(page.locator("#raw-response")).to_contain_text('"Username": "demo-admin"')
    assert page.evaluate("window.__violations") == []


def test_buyers_create_from_the_form_view(sandbox, page):
    page.add_init_script(CSP_WATCH)
    _sign_in(page, sandbox)
    _choose(page, "buyers create", "Buyers.Create")

    page.get_by_label("Form", exact=True).check()
    form = page.locator("#body-form")
    expect(form).to_be_visible()
    expect(page.locator("#id_body")).to_be_hidden()
    expect(form.get_by_label("Name")).to_have_value("Buyer")  # from the example
    form.get_by_label("ID", exact=True).fill("from-the-form")
    form.get_by_label("Name").fill("Made in the form view")
    form.get_by_label("Active").select_option("false")
    page.get_by_role("button", name="Send", exact=True).click()

    expect(page.locator("#result-status")).to_have_text("201 Created")
    sent = json.loads(page.locator("#raw-request").inner_text().split("\n\n", 1)[1])
    assert sent == {"ID": "from-the-form", "Name": "Made in the form view", "Active": False,
                    "xp": {}}  # fmt: skip
    expect(page.locator("#raw-response")).to_contain_text('"Name": "Made in the form view"')
    assert page.evaluate("window.__violations") == []


def test_switching_views_keeps_the_values(sandbox, page):
    _sign_in(page, sandbox)
    _choose(page, "buyers create", "Buyers.Create")

    page.get_by_label("Body").fill('{"Name": "Typed as JSON", "xp": {"tier": "gold"}}')
    page.get_by_label("Form", exact=True).check()
    form = page.locator("#body-form")
    expect(form.get_by_label("Name")).to_have_value("Typed as JSON")
    expect(form.get_by_label("xp")).to_have_value('{\n  "tier": "gold"\n}')
    expect(form.get_by_label("ID", exact=True)).to_have_value("")
    form.get_by_label("Name").fill("Changed in the form")
    page.get_by_label("JSON", exact=True).check()

    expect(page.get_by_label("Body")).to_be_visible()
    assert json.loads(page.get_by_label("Body").input_value()) == {
        "Name": "Changed in the form",
        "xp": {"tier": "gold"},
    }


def test_bad_json_stays_in_the_json_view(sandbox, page):
    _sign_in(page, sandbox)
    _choose(page, "buyers create", "Buyers.Create")

    page.get_by_label("Body").fill('{"Name": ')
    page.get_by_label("Form", exact=True).click()  # refused: it stays unchecked

    expect(page.locator("#body-view-error")).to_contain_text(
        "Fix the JSON before using the form view"
    )
    expect(page.get_by_label("JSON", exact=True)).to_be_checked()
    expect(page.locator("#body-form")).to_be_hidden()


def test_a_token_lacking_the_role_sees_the_alert_before_sending(sandbox, page):
    _sign_in_with(page, sandbox, "DevCenterImpersonate MeAdmin")

    _choose(page, "buyers create", "Buyers.Create")

    alert = page.get_by_role("alert")
    expect(alert).to_contain_text(
        "The token of Admin: demo-admin has none of the roles Buyers.Create needs"
    )
    page.get_by_role("button", name="Send", exact=True).click()  # still allowed
    expect(page.locator("#result-status")).to_have_text("403 Forbidden")
    expect(page.locator("#result-explanation")).to_contain_text("FullAccess or BuyerAdmin")

    explanation = page.locator("#result-explanation")
    explanation.get_by_role("button", name="Sign in again asking for them").click()

    expect(page.get_by_label("Roles")).to_have_value(
        "DevCenterImpersonate MeAdmin FullAccess BuyerAdmin"
    )
    expect(page.get_by_label("Password", exact=True)).to_be_focused()


def test_sort_by_keeps_the_order_clicked(sandbox, page):
    _sign_in(page, sandbox)
    _choose(page, "buyers.list", "Buyers.List")

    sort_by = page.get_by_role("group", name="sortBy")
    sort_by.get_by_label("!Name", exact=True).check()
    sort_by.get_by_label("ID", exact=True).check()
    page.get_by_label("pageSize").fill("3")
    page.get_by_role("button", name="Send", exact=True).click()

    expect(page.locator("#raw-request")).to_contain_text(
        "GET /sandbox/v1/buyers?sortBy=!Name,ID&pageSize=3 HTTP/1.1"
    )
    expect(page.locator("#result-status")).to_have_text("200 OK")


def test_lock_an_id_and_pick_ids_as_you_type(sandbox, page):
    _sign_in(page, sandbox)
    _choose(page, "buyers create", "Buyers.Create")
    page.get_by_label("Form", exact=True).check()
    page.locator("#body-form").get_by_label("ID", exact=True).fill("picked-buyer")
    page.get_by_role("button", name="Send", exact=True).click()
    expect(page.locator("#result-status")).to_have_text("201 Created")

    _choose(page, "users.list", "Users.List")
    buyer = page.get_by_label("buyerID", exact=True)
    buyer.fill("picked")
    expect(page.locator("#op-path-0-ids option")).to_have_attribute("value", "picked-buyer")
    buyer.fill("picked-buyer")
    lock = page.get_by_role("button", name="Lock buyerID")
    lock.click()
    expect(lock).to_have_attribute("aria-pressed", "true")

    _choose(page, "users.create", "Users.Create")

    expect(page.get_by_label("buyerID", exact=True)).to_have_value("picked-buyer")
    expect(page.get_by_role("button", name="Lock buyerID")).to_have_attribute(
        "aria-pressed", "true"
    )


def test_a_refused_send_says_nothing_was_sent(sandbox, page):
    _sign_in(page, sandbox)
    page.get_by_role("button", name="Send", exact=True).click()
    expect(page.locator("#raw-request")).to_contain_text("GET /sandbox/v1/me HTTP/1.1")

    page.get_by_label("Path", exact=True).fill("https://evil.example/v1/me")
    page.get_by_role("button", name="Send", exact=True).click()

    expect(page.locator("#path-error")).to_contain_text("This URL is on evil.example")
    expect(page.locator("#nothing-sent")).to_have_text(
        "Nothing was sent: correct what is marked in the request and send again. The result "
        "below is from an earlier request."
    )

    page.get_by_label("Path", exact=True).fill(f"{sandbox.url}/v1/me?x=1")
    page.get_by_role("button", name="Send", exact=True).click()

    expect(page.locator("#raw-request")).to_contain_text("GET /sandbox/v1/me?x=1 HTTP/1.1")
    expect(page.get_by_label("Path", exact=True)).to_have_value("/v1/me")
    expect(page.locator("#nothing-sent")).to_be_empty()


def test_the_response_is_brought_into_view(sandbox, browser):
    context = browser.new_context(viewport={"width": 1024, "height": 600})
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        _sign_in(page, sandbox)
        _choose(page, "users.list", "Users.List")  # a long form: the result is far below
        page.get_by_label("buyerID", exact=True).fill("nobody")

        page.get_by_role("button", name="Send", exact=True).click()

        expect(page.locator("#result-status")).to_have_text("404 Not Found")
        expect(page.locator("#result-status")).to_be_in_viewport()
    finally:
        context.close()


def test_signed_out_the_pane_follows_the_environment_chosen(sandbox, page, settings):
    settings.CONSOLE_ENVIRONMENTS = [
        {"id": "again", "name": "The sandbox again", "base_url": sandbox.url}
    ]
    page.goto(f"{sandbox.console_url}/")
    expect(page.locator("#catalog .catalog-env")).to_have_text("Embedded sandbox")

    page.get_by_label("Environment").select_option("again")

    expect(page.locator("#catalog .catalog-env")).to_have_text("The sandbox again")
    page.get_by_label("Search operations").fill("me.get")
    page.get_by_role("link", name=re.compile(r"\bMe\.Get\b")).click()
    expect(page).to_have_url(f"{sandbox.console_url}/op/Me.Get?environment=again")
    expect(page.locator("#target-name")).to_have_text("The sandbox again")


def test_signed_out_the_result_stays_under_the_composer(sandbox, page):
    page.goto(f"{sandbox.console_url}/")
    expect(page.locator("#catalog-search")).to_be_visible()

    composer = page.locator("#composer-card").bounding_box()
    result = page.locator("#result").bounding_box()
    signin = page.locator("section.signin").bounding_box()
    catalog = page.locator("#catalog").bounding_box()
    assert result["y"] - (composer["y"] + composer["height"]) < 40
    assert result["y"] < signin["y"] + signin["height"]
    assert catalog["y"] >= signin["y"] + signin["height"]
    assert catalog["x"] + catalog["width"] <= composer["x"]
