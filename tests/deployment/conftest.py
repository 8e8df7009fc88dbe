import os
import secrets

import pytest

from tests.deployment.served import base_env, manage, postgres_url

DEMO_CLIENT_ID = "8836BE8D-710A-4D2D-98BF-EDBE7227E3BB"
DEMO = {"client_id": DEMO_CLIENT_ID, "username": "demo", "password": "demo-password"}
DEMO_ROLES = "DevCenterImpersonate FullAccess"


def in_ci():
    return os.environ.get("CI", "").lower() not in ("", "0", "false", "no")


@pytest.fixture(scope="session")
def static_root(tmp_path_factory):
    """The static files collected once, as `make run` and the Docker image do."""
    root = tmp_path_factory.mktemp("static")
    data = tmp_path_factory.mktemp("collect-data")
    manage(base_env(STATIC_ROOT=root, DATA_DIR=data, SECRET_KEY="collectstatic"), "collectstatic",
           "--no-input", "-v0")  # fmt: skip
    return root


@pytest.fixture
def secret_key():
    """One key, shared by every instance a test starts (as a deployment must)."""
    return secrets.token_urlsafe(50)


@pytest.fixture
def postgres():
    """The URL of a PostgreSQL server to create databases on (TEST_POSTGRES_URL, else the
    suite's DATABASE_URL). Locally its absence skips the test; in CI it fails it."""
    url = postgres_url()
    if url is None:
        message = (
            "No PostgreSQL server: set TEST_POSTGRES_URL=postgres://user:password@host/db "
            "(a role that may create databases)."
        )
        if in_ci():
            pytest.fail(message)
        pytest.skip(message)
    return url
