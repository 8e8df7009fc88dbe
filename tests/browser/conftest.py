"""Headless Chromium (Debian's package) driven by Playwright's Python API.

Playwright cannot download its own browser here, so it launches the system Chromium.
Locally a missing Chromium skips these tests; in CI (CI=true) it is a failure.
"""

import os
import shutil

import pytest

CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
# Without the background-networking flags Chromium keeps trying Google's hosts, which
# this closed network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items):
    """A browser test that fails is run once more before it counts as failed: a few wait
    on timings (a swap, a focus) that a loaded machine running 4 test processes on 2
    cores can stretch past Playwright's timeout. A test that fails twice still fails."""
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.flaky(reruns=1))


@pytest.fixture
def browser(monkeypatch):
    """A fresh Chromium per test: Playwright's sync API keeps an asyncio loop running in
    this thread while it is open, which would break other tests' own event loops."""
    if not os.path.exists(CHROMIUM):
        message = f"Chromium not found at {CHROMIUM} (apt-get install chromium, or set CHROMIUM)"
        if os.environ.get("CI", "").lower() not in ("", "0", "false", "no"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    # The test's own database work (fixtures) stays synchronous next to that loop.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def stored_secrets():
    """Every token, refresh token and kept client secret in any session, and the sandbox's
    password: what no page may ever contain (but a token on an explicit "Reveal token")."""
    from django.conf import settings
    from django.contrib.sessions.models import Session

    found = {settings.SANDBOX_PASSWORD}
    for session in Session.objects.all():
        items = session.get_decoded().get("console.contexts", {}).get("items", [])
        for item in items:
            found |= {item.get(k) for k in ("access_token", "refresh_token", "client_secret")}
    return {secret for secret in found if secret}


def assert_no_secrets(page, *more):
    html = page.content()
    for secret in stored_secrets() | set(more):
        assert secret not in html, f"a secret is in the page: {secret[:6]}…"


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    # Whatever the test did, the page it leaves holds no token and no password.
    assert_no_secrets(page)
    context.close()
