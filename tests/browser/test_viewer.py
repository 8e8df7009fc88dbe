"""The response viewer, history, export and shortcuts in headless Chromium.

Big bodies come from a real local server (tests/console/conftest.py's `faulty`, path
/list?bytes=N: an OrderCloud ListPage of about N bytes).
"""

import json
import re

import pytest
from playwright.sync_api import expect

from tests.console.conftest import faulty, list_page  # noqa: F401 (the fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Records, for every key pressed, the time until the next frame could be painted.
LATENCY = """() => {
  window.latencies = [];
  document.addEventListener("keydown", (event) => {
    const start = event.timeStamp;
    requestAnimationFrame(() => setTimeout(() => latencies.push(performance.now() - start)));
  }, true);
}"""
VIOLATIONS = """() => {
  window.violations = [];
  document.addEventListener("securitypolicyviolation", (e) => violations.push(e.violatedDirective));
}"""


@pytest.fixture
def console(live_server, faulty, page):  # noqa: F811
    """The console page, its composer aimed at the faulty server (signed out: no token)."""
    page.goto(f"{live_server.url}/")
    page.evaluate(VIOLATIONS)
    page.get_by_label("Environment").select_option("faulty")
    yield page
    assert page.evaluate("window.violations || []") == []


def _send(page, path, query=()):
    page.get_by_label("Path").fill(path)
    for i, (name, value) in enumerate(query):
        if i >= page.locator("input[name=query_name]").count():
            page.get_by_role("button", name="+ Add query parameter").click()
        page.get_by_label(f"Query parameter {i + 1} name").fill(name)
        page.get_by_label(f"Query parameter {i + 1} value").fill(value)
    page.get_by_role("button", name="Send", exact=True).click()


def _nodes(page):
    return page.evaluate("document.getElementsByTagName('*').length")


def test_a_5_mb_list_shows_while_typing_stays_responsive(console, faulty):  # noqa: F811
    page = console
    page.evaluate(LATENCY)

    _send(page, "/list", [("bytes", "5000000")])
    body = page.get_by_label("Body")
    body.click()
    for _ in range(3):  # typing while the response comes and is shown
        page.keyboard.type("abc", delay=30)

    expect(page.locator("#json-viewer[data-ready=yes]")).to_have_count(1, timeout=10_000)
    page.keyboard.type('{"typed": "after the swap"}', delay=20)

    # How fast it shows and how long keystrokes wait is measured in bench/, not asserted
    # here (timings depend on the machine's load); here: every keystroke was handled.
    assert len(page.evaluate("latencies")) >= 30
    expect(body).to_have_value(re.compile(r'abcabcabc\{"typed": "after the swap"\}$'))
    expect(page.locator("#result-size")).to_have_text("5,178.7 KB")
    assert _nodes(page) < 1500
    expect(page.locator(".viewer-row").first).to_have_text(re.compile(r"\{"))
    expect(page.locator("#paging-summary")).to_have_text(re.compile(r"^1-[\d,]+ of [\d,]+$"))


def test_a_20_mb_list_shows_a_bounded_preview_and_downloads_whole(console, faulty, tmp_path):  # noqa: F811
    page = console
    expected = list_page(20_000_000)

    _send(page, "/list", [("bytes", "20000000")])

    notice = page.locator("#viewer-big")
    expect(notice).to_contain_text(f"({len(expected)} bytes): too large to highlight and fold")
    expect(page.locator("#json-viewer")).to_have_count(0)
    preview = page.locator("#raw-response").text_content()
    assert 64 * 1024 < len(preview) < 70 * 1024
    assert preview.endswith(f"… [the first 65,536 of {len(expected):,} bytes]")
    assert _nodes(page) < 1500
    with page.expect_download() as download:
        page.get_by_role("button", name="Download").click()
    saved = tmp_path / "body.json"
    download.value.save_as(saved)
    assert saved.read_bytes() == expected


def test_viewer_search_select_copy_path_fold_wrap_and_raw(console, faulty, browser):  # noqa: F811
    page = console
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    _send(page, "/list", [("bytes", "3000")])
    expect(page.locator("#json-viewer[data-ready=yes]")).to_have_count(1)

    rows_before = page.locator(".viewer-row").count()
    page.locator(".viewer-row", has_text='"Items": [').locator(".fold").click()
    expect(page.locator(".viewer-row", has_text='"Items": […]')).to_contain_text("items")
    assert page.locator(".viewer-row").count() < rows_before

    page.get_by_label("Search response").fill('"Product 3"')
    expect(page.locator("#viewer-matches")).to_have_text("1 of 1")
    expect(page.locator(".viewer-row.is-current-match")).to_contain_text('"Name": "Product 3",')

    after = page.locator(".viewer-row.is-current-match ~ .viewer-row", has_text='"Color": "Blue"')
    after.first.click()
    expect(page.locator(".viewer-selection code")).to_have_text("Items[3].xp.Color")
    page.get_by_role("button", name="Copy path").click()
    assert page.evaluate("navigator.clipboard.readText()") == "Items[3].xp.Color"
    page.get_by_role("button", name="Copy value").click()
    assert page.evaluate("navigator.clipboard.readText()") == "Blue"

    page.get_by_role("button", name="Raw").click()
    expect(page.locator(".viewer-row").first).to_have_text(re.compile(r'^\{"Meta":\{"Page":1'))
    page.get_by_label("Wrap").check()
    width = page.locator(".viewer-scroll").evaluate("e => e.scrollWidth <= e.clientWidth")
    assert width
    assert page.locator(".viewer-row").count() > 3  # the one line wrapped into rows


def test_paging_resends_with_page_and_page_size_changed(console, faulty):  # noqa: F811
    page = console
    _send(page, "/list", [("bytes", "2000"), ("page", "1")])
    count = json.loads(list_page(2000))["Meta"]["PageSize"]
    expect(page.locator("#paging-summary")).to_have_text(f"1-{count} of {3 * count}")
    expect(page.get_by_role("button", name="Previous page")).to_be_disabled()

    page.get_by_role("button", name="Next page").click()

    expect(page.locator("#result-url")).to_contain_text("page=2")
    assert faulty.hits[-1].endswith(f"bytes=2000&page=2&pageSize={count}")
    expect(page.get_by_label("Path")).to_have_value("/list")

    page.get_by_label("Page size").select_option("100")

    expect(page.locator("#result-url")).to_contain_text("pageSize=100")
    assert faulty.hits[-1].endswith("bytes=2000&page=1&pageSize=100")


def test_history_shows_again_edits_and_survives_a_reload(console, faulty):  # noqa: F811
    page = console
    _send(page, "/json")
    expect(page.locator("#result-status")).to_have_text("200 OK")
    _send(page, "/unauthorized")
    expect(page.locator("#result-status")).to_have_text("401 Unauthorized")
    history = page.get_by_role("region", name="History")
    expect(history.locator(".history-item")).to_have_count(2)

    history.locator(".history-item", has_text="/json").click()

    expect(page.locator("#result-status")).to_have_text("200 OK")
    expect(page.get_by_label("Path")).to_have_value("/unauthorized")  # the composer stays
    page.get_by_role("button", name="Edit and resend").click()
    expect(page.get_by_label("Path")).to_have_value("/json")
    expect(page.get_by_label("Path")).to_be_focused()

    page.reload()

    expect(page.get_by_label("Path")).to_have_value("/unauthorized")
    expect(page.locator("#result-status")).to_have_text("401 Unauthorized")
    expect(history.locator(".history-item")).to_have_count(2)
    history.get_by_label("Filter by status").select_option("2xx")
    expect(history.locator(".history-item")).to_have_count(1)

    page.get_by_role("button", name="Clear history").click()
    expect(history).to_contain_text("Requests you send appear here")


def test_copy_link_opens_the_same_request_and_sends_nothing(console, faulty, browser):  # noqa: F811
    page = console
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.get_by_label("Method").select_option("POST")
    page.get_by_label("Path").fill("/echo")
    page.get_by_label("Header 1 name").fill("X-Trace")
    page.get_by_label("Header 1 value").fill("t-1")
    page.get_by_label("Body").fill('{"Name": "Linked"}')
    hits = len(faulty.hits)

    page.get_by_role("button", name="Copy link").click()

    expect(page.locator("#toast")).to_have_text("Copied link")
    link = page.evaluate("navigator.clipboard.readText()")
    other = browser.new_context()
    opened = other.new_page()
    opened.goto(link)
    expect(opened.get_by_label("Path")).to_have_value("/echo")
    expect(opened.get_by_label("Method")).to_have_value("POST")
    expect(opened.get_by_label("Header 1 value")).to_have_value("t-1")
    expect(opened.get_by_label("Body")).to_have_value('{"Name": "Linked"}')
    expect(opened.locator("#result-status")).to_have_count(0)
    other.close()
    assert faulty.hits[hits:] == []

    page.keyboard.press("Alt+Shift+C")
    expect(page.locator("#toast")).to_have_text("Copied as curl")
    assert page.evaluate("navigator.clipboard.readText()").startswith("curl -X POST ")


def test_shortcuts_overlay_and_theme(console):
    page = console
    page.locator("h2#composer-heading").click()

    page.keyboard.press("?")

    dialog = page.get_by_role("dialog", name="Keyboard shortcuts")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Copy the request as curl")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    page.keyboard.press("Alt+P")
    expect(page.get_by_label("Path")).to_be_focused()

    page.get_by_role("button", name="Theme: system").click()
    expect(page.locator("html")).to_have_attribute("data-theme", "light")
    page.get_by_role("button", name="Theme: light").click()
    expect(page.locator("html")).to_have_attribute("data-theme", "dark")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(14, 20, 28)"
    page.reload()
    expect(page.locator("html")).to_have_attribute("data-theme", "dark")


def test_alt_o_focuses_the_operation_search(sandbox, page):
    page.goto(f"{sandbox.console_url}/")
    expect(page.locator("#catalog-search")).to_be_visible()
    page.locator("h2#composer-heading").click()

    page.keyboard.press("Alt+O")

    expect(page.locator("#catalog-search")).to_be_focused()
