import threading
from dataclasses import dataclass, replace

import pytest


def pytest_configure():
    # Tests render templates without running collectstatic first: static files come from
    # the finders (no manifest, and no STATIC_ROOT for WhiteNoise to warn about).
    from django.conf import settings

    settings.STATIC_ROOT = None
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _no_upstream_env(settings):
    """Tests never see environments configured on the machine that runs them."""
    settings.CONSOLE_ENVIRONMENTS = []


@pytest.fixture(autouse=True)
def _no_kept_catalogs():
    """Each test fetches the catalogs it needs: none is kept from another test."""
    from console.catalog import store

    store.clear()
    yield
    store.clear()


@dataclass
class Sandbox:
    url: str  # base URL of the embedded sandbox, e.g. http://localhost:PORT/sandbox
    console_url: str  # the live server's root, serving the console too
    client_id: str
    username: str
    password: str


@pytest.fixture
def sandbox(live_server, transactional_db, settings):
    """The seeded embedded sandbox, served over real HTTP by a live server.

    The console's "Embedded sandbox" environment points at it, so the console (served by
    the same live server) reaches it over HTTP like any other environment.
    """
    from sandbox.seeding.demo import seed_demo

    seed_demo()
    settings.SANDBOX_BASE_URL = f"{live_server.url}/sandbox"
    return Sandbox(
        url=settings.SANDBOX_BASE_URL,
        console_url=live_server.url,
        client_id=settings.SANDBOX_CLIENT_ID,
        username=settings.SANDBOX_USERNAME,
        password=settings.SANDBOX_PASSWORD,
    )


@pytest.fixture(scope="session")
def _sandbox_pool_url():
    """The sandbox's own pool, as bin/serve runs it (`sandbox.wsgi`), served over real HTTP
    by threads of the test process; like the live server, it uses the test database."""
    from django.core.servers.basehttp import ThreadedWSGIServer
    from django.test.testcases import QuietWSGIRequestHandler

    from sandbox.wsgi import application

    server = ThreadedWSGIServer(
        ("127.0.0.1", 0), QuietWSGIRequestHandler, allow_reuse_address=False
    )
    server.set_app(application)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture
def sandbox_pool(sandbox, settings, _sandbox_pool_url):
    """The seeded sandbox at the root of its own pool, where the console calls it, as with
    `make run`: `{url}/oauth/token`, `{url}/v1/me`."""
    settings.SANDBOX_BASE_URL = _sandbox_pool_url
    return replace(sandbox, url=_sandbox_pool_url)
