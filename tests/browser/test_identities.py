"""Identities in headless Chromium: contexts, impersonation, compare, the token inspector,
the grant forms, and a Send pressed while a sign-in is in flight. Each test also leaves a
page without any token or password in it (the `page` fixture checks at the end)."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_no_secrets
from tests.browser.test_getting_started import _sign_in, _stored_token
from tests.console import sandbox_data
from tests.console.sandbox_data import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def market(sandbox):
    return sandbox_data.build(sandbox)


def settled(page):
    """htmx has swapped and settled: new content answers to events."""
    expect(page.locator(".htmx-added, .htmx-settling, .htmx-request")).to_have_count(0)


def send(page, path, method="GET"):
    page.get_by_label("Method").select_option(method)
    page.get_by_label("Path").fill(path)
    page.get_by_role("button", name="Send", exact=True).click()
    expect(page.locator("#raw-request")).to_contain_text(f"{method} /sandbox{path} HTTP/1.1")


def impersonate(page, buyer, user):
    page.get_by_text("Impersonate a buyer user").click()
    expect(page.get_by_label("Buyer", exact=True)).to_be_visible()
    settled(page)
    page.get_by_label("Buyer", exact=True).select_option(buyer)
    expect(page.get_by_label("User", exact=True)).to_be_visible()
    settled(page)
    page.get_by_label("User", exact=True).select_option(user)
    page.get_by_role("button", name="Impersonate", exact=True).click()


def test_impersonate_a_buyer_user_then_send_and_compare_as_them(sandbox, market, page):
    _sign_in(page, sandbox)
    admin_token = _stored_token(page)

    impersonate(page, "buyer-1", "jane")

    expect(page.get_by_label("Context", exact=True)).to_have_value(re.compile(".+"))
    expect(page.locator("#id_context option:checked")).to_have_text("Buyer: jane")
    expect(page.locator("#auth-summary")).to_contain_text("impersonated by Admin: demo-admin")
    expect(page.locator("#raw-request")).to_contain_text(
        "POST /sandbox/v1/buyers/buyer-1/users/jane/accesstoken HTTP/1.1"
    )
    expect(page.locator("#target-context")).to_have_text("Buyer: jane")
    assert_no_secrets(page, admin_token)

    send(page, "/v1/me")

    expect(page.locator("#result-status")).to_have_text("200 OK")
    expect(page.locator("#raw-response")).to_contain_text('"Username": "jane"')
    assert_no_secrets(page, admin_token)

    page.get_by_label("Path").fill("/v1/buyers")
    expect(page.get_by_role("checkbox", name="Admin: demo-admin")).to_be_checked()
    expect(page.get_by_role("checkbox", name="Buyer: jane")).to_be_checked()
    page.get_by_role("button", name="Compare as").click()

    comparison = page.locator("#comparison")
    expect(comparison).to_contain_text("as Admin: demo-admin and Buyer: jane")
    answers = page.locator(".compare-answer")
    expect(answers.nth(0).locator(".status")).to_have_text("200 OK")
    expect(answers.nth(1).locator(".status")).to_have_text("403 Forbidden")
    differences = page.locator("#compare-differences tbody th")
    expect(differences).to_have_text(["status", "Meta", "Items", "Errors"])
    expect(answers.nth(0).locator(".line.differs").first).to_be_visible()
    expect(answers.nth(0)).to_contain_text('"Name": "Acme"')
    assert_no_secrets(page, admin_token)


def test_switching_is_one_choice_and_the_page_says_who_sends(sandbox, market, page):
    page.goto(f"{sandbox.console_url}/")
    for client, username in (("refreshing", "alice"), ("storefront", "jane")):
        page.get_by_label("Client ID").fill(market.clients[client])
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password", exact=True).fill(PASSWORD)
        page.get_by_label("Roles").fill("")
        page.get_by_role("button", name="Add context").click()
        expect(page.locator("#id_context option:checked")).to_contain_text(username)
        settled(page)
        if page.get_by_text("Add a context").is_visible():
            page.get_by_text("Add a context").click()

    page.get_by_label("Context", exact=True).select_option(label="Admin: alice")

    expect(page.locator("#auth-summary")).to_contain_text("Signed in as alice")
    expect(page.locator("#target-context")).to_have_text("Admin: alice")
    send(page, "/v1/me")
    expect(page.locator("#raw-response")).to_contain_text('"Username": "alice"')

    # Send as another context, without switching.
    page.get_by_label("Send as").select_option(label="Buyer: jane")
    expect(page.locator("#target-context")).to_have_text("Buyer: jane")
    page.get_by_role("button", name="Send", exact=True).click()
    expect(page.locator("#raw-response")).to_contain_text('"Username": "jane"')
    expect(page.locator("#id_context option:checked")).to_have_text("Admin: alice")


def test_the_token_inspector(sandbox, page):
    _sign_in(page, sandbox)
    token = _stored_token(page)

    page.get_by_text("Token inspector").click()

    claims = page.locator("table.claims")
    for claim in ("usr", "cid", "u", "usrtype", "role", "exp", "nbf"):
        expect(claims.get_by_role("rowheader", name=claim, exact=True)).to_be_visible()
    expect(claims).to_contain_text("demo-admin")
    countdown = page.locator("#token-countdown")
    expect(countdown).to_have_text(re.compile(r"^(9:59:\d\d|10:00:00)$"))
    first = countdown.inner_text()
    expect(countdown).not_to_have_text(first, timeout=3000)  # it counts down, live
    assert_no_secrets(page)

    page.get_by_role("button", name="Reveal token").click()

    expect(page.locator("#revealed-token")).to_have_value(token)
    page.get_by_role("button", name="Hide token").click()
    expect(page.locator("#revealed-token")).to_have_count(0)
    assert token not in page.content()

    page.get_by_role("button", name="Reveal token").click()
    expect(page.locator("#revealed-token")).to_have_value(token)
    send(page, "/v1/me")  # the next action takes it away too
    expect(page.locator("#revealed-token")).to_have_count(0)
    assert token not in page.content()


GRANT_FIELDS = {
    "Password": ["Username", "Password", "Roles"],
    "Password + client secret": [
        "Username",
        "Password",
        "Client secret",
        "Keep for refresh",
        "Roles",
    ],
    "Client credentials": ["Client secret", "Keep for refresh", "Roles"],
    "Anonymous shopper": ["Roles"],
    "Refresh token": ["Refresh token", "Client secret", "Keep for refresh"],
}
ALL_FIELDS = ["Username", "Password", "Client secret", "Refresh token", "Keep for refresh", "Roles"]


@pytest.mark.parametrize("java_script", [True, False])
def test_each_grant_shows_exactly_its_fields(sandbox, browser, java_script):
    context = browser.new_context(java_script_enabled=java_script)
    page = context.new_page()
    try:
        page.goto(f"{sandbox.console_url}/")
        form = page.locator("#signin-form")
        for grant, fields in GRANT_FIELDS.items():
            page.get_by_label("Grant").select_option(label=grant)
            for label in ["Environment", "Client ID", "Context name", *ALL_FIELDS]:
                field = form.get_by_label(label, exact=True)
                shown = label in fields or label in ("Environment", "Client ID", "Context name")
                (expect(field).to_be_visible if shown else expect(field).to_be_hidden)()
    finally:
        context.close()


def held_sign_in(page, sandbox, password):
    """Press "Add context" with the sign-in request held in the browser: the route to
    continue it with, once the test has done what it does meanwhile."""
    held = []
    page.route("**/signin", lambda route: held.append(route))
    page.goto(f"{sandbox.console_url}/")
    page.get_by_label("Username").fill(sandbox.username)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Add context").click()
    while not held:
        page.wait_for_timeout(50)
    return held[0]


def test_a_send_during_a_sign_in_waits_for_it(sandbox, page):
    sent = []
    page.on("request", lambda request: sent.append(request.url))
    sign_in = held_sign_in(page, sandbox, sandbox.password)

    page.get_by_label("Path").fill("/v1/buyers")
    page.get_by_role("button", name="Send", exact=True).click()

    expect(page.locator("#send-wait")).to_have_text(
        "Waiting for the sign-in to finish: the request goes out as soon as it has."
    )
    assert not any(url.endswith("/send") for url in sent)
    sign_in.continue_()
    expect(page.locator("#raw-request")).to_contain_text("GET /sandbox/v1/buyers HTTP/1.1")
    expect(page.locator("#result-status")).to_have_text("200 OK")
    assert re.search(
        r"^Authorization: Bearer eyJhbG…", page.locator("#raw-request").inner_text(), re.M
    )


def test_what_is_typed_during_a_sign_in_is_kept(sandbox, page):
    sign_in = held_sign_in(page, sandbox, sandbox.password)

    page.get_by_label("Method").select_option("POST")
    page.get_by_label("Path", exact=True).fill("/v1/catalogs")
    page.get_by_label("Body").fill('{"ID": "typed-meanwhile"}')
    sign_in.continue_()

    expect(page.locator("#auth-summary")).to_contain_text(f"Signed in as {sandbox.username}")
    expect(page.get_by_label("Method")).to_have_value("POST")
    expect(page.get_by_label("Path", exact=True)).to_have_value("/v1/catalogs")
    expect(page.get_by_label("Body")).to_have_value('{"ID": "typed-meanwhile"}')
    page.get_by_role("button", name="Send", exact=True).click()
    expect(page.locator("#raw-request")).to_contain_text("POST /sandbox/v1/catalogs HTTP/1.1")


def test_a_send_during_a_failed_sign_in_says_why_it_did_not_go(sandbox, page):
    sent = []
    page.on("request", lambda request: sent.append(request.url))
    sign_in = held_sign_in(page, sandbox, "wrong")
    page.get_by_role("button", name="Send", exact=True).click()

    sign_in.continue_()

    expect(page.locator("#send-wait")).to_have_text(
        "Not sent: the sign-in did not succeed (see its error). Send again to send without a token."
    )
    expect(page.locator("#signin-still")).to_have_text(
        "No context is active: requests go out without a token."
    )
    assert not any(url.endswith("/send") for url in sent)


def test_without_javascript_a_reload_never_posts_the_password_again(sandbox, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    posts = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    try:
        _sign_in(page, sandbox)
        assert page.url == f"{sandbox.console_url}/"
        expect(page.locator("#raw-request")).to_contain_text("POST /sandbox/oauth/token")

        page.reload()

        assert posts == [f"{sandbox.console_url}/signin"]
        expect(page.locator("#auth-status")).to_contain_text("Signed in as demo")
        # The last exchange again, from the session's history (nothing was posted again).
        expect(page.locator("#raw-request")).to_contain_text("POST /sandbox/oauth/token")
        assert_no_secrets(page)
    finally:
        context.close()


def test_the_accessible_names(sandbox, market, page):
    page.goto(f"{sandbox.console_url}/")
    for client, username in (("refreshing", "alice"), ("storefront", "jane")):
        page.get_by_label("Client ID").fill(market.clients[client])
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password", exact=True).fill(PASSWORD)
        page.get_by_label("Roles").fill("")
        page.get_by_role("button", name="Add context").click()
        expect(page.locator("#id_context option:checked")).to_contain_text(username)
        settled(page)
        if page.get_by_text("Add a context").is_visible():
            page.get_by_text("Add a context").click()
    page.get_by_label("Context", exact=True).select_option(label="Admin: alice")
    expect(page.locator("#auth-summary")).to_contain_text("Signed in as alice")
    page.get_by_text("Token inspector").click()
    page.get_by_text("Impersonate a buyer user").click()
    expect(page.get_by_role("combobox", name="Buyer", exact=True)).to_be_visible()
    settled(page)
    page.get_by_label("Buyer", exact=True).select_option("buyer-1")

    expect(page.get_by_role("combobox", name="User", exact=True)).to_be_visible()
    page.get_by_text("Add a context").click()
    expect(page.get_by_role("combobox", name="Context", exact=True)).to_have_count(1)
    options = page.get_by_role("combobox", name="Context", exact=True).locator("option")
    expect(options).to_have_text(["Admin: alice", "Buyer: jane"])
    for name in (
        "Add context",
        "Impersonate",
        "Refresh token",
        "Reveal token",
        "Compare as",
        "Sign out",
        "Sign out of all",
    ):
        expect(page.get_by_role("button", name=name, exact=True)).to_have_count(1)
