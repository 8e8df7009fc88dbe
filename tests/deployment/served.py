"""The app as it is deployed: the steps of `bin/docker-start` and `make run` (migrate,
seed, then `bin/serve`'s two gunicorn pools) in processes of their own, on a database of
its own, on loopback ports.

Nothing here runs in the test process but the client side: the tests see the app as a
user, a load balancer or an operator would.
"""

import contextlib
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import requests

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent  # the virtualenv's: python, gunicorn
CSRF_FORM = "csrfmiddlewaretoken"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def base_env(**extra):
    """A clean environment for the app: the virtualenv first on PATH, nothing inherited
    that could point it elsewhere (DATABASE_URL, CONSOLE_ENVIRONMENTS, DEBUG...)."""
    env = {
        "PATH": f"{BIN}:{os.environ['PATH']}",
        "HOME": os.environ.get("HOME", "/tmp"),
        "LANG": "C.UTF-8",
        "PYTHONDONTWRITEBYTECODE": "1",
        "HOST": "127.0.0.1",
    }
    return {**env, **{k: str(v) for k, v in extra.items()}}


def manage(env, *args, check=True):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=check,
        timeout=120,
    )


# --- Databases ---------------------------------------------------------------------------


@dataclass
class Database:
    """Where a served app keeps its data: `env` says it (DATA_DIR, DATABASE_URL)."""

    kind: str  # "sqlite" or "postgresql"
    env: dict
    name: str = ""

    def connect(self):
        """A DB-API connection to it, for the tests to look at what was stored."""
        if self.kind == "sqlite":
            import sqlite3

            return sqlite3.connect(Path(self.env["DATA_DIR"]) / "db.sqlite3")
        import psycopg

        return psycopg.connect(self.env["DATABASE_URL"], autocommit=True)

    def rows(self, sql, *params):
        with contextlib.closing(self.connect()) as connection:
            cursor = connection.cursor()
            cursor.execute(sql if self.kind == "postgresql" else sql.replace("%s", "?"), params)
            return cursor.fetchall()


def postgres_url():
    """The PostgreSQL server the tests may create databases on, or None."""
    for name in ("TEST_POSTGRES_URL", "DATABASE_URL"):
        url = os.environ.get(name, "")
        if url.startswith(("postgres://", "postgresql://")):
            return url
    return None


@contextlib.contextmanager
def postgres_database(server_url, data_dir):
    """A new, empty database on the server of `server_url`, dropped afterwards."""
    import psycopg

    name = f"occ_served_{secrets.token_hex(4)}"
    with psycopg.connect(server_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    parts = urlsplit(server_url)
    url = urlunsplit(parts._replace(path=f"/{name}"))
    try:
        yield Database("postgresql", {"DATABASE_URL": url, "DATA_DIR": data_dir}, name)
    finally:
        with psycopg.connect(server_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.contextmanager
def fresh_database(tmp_path, kind=None):
    """A new database for a served app: the suite's kind unless `kind` says (the suite runs
    on PostgreSQL when DATABASE_URL is set, as in CI's second run)."""
    data_dir = tmp_path / f"data-{secrets.token_hex(3)}"
    data_dir.mkdir()
    kind = kind or ("postgresql" if os.environ.get("DATABASE_URL") else "sqlite")
    if kind == "sqlite":
        yield Database("sqlite", {"DATA_DIR": data_dir})
        return
    with postgres_database(postgres_url(), data_dir) as database:
        yield database


# --- Servers -----------------------------------------------------------------------------


@dataclass
class Served:
    """One instance: its console and sandbox pools, its process group and its log."""

    console: str
    sandbox: str
    proc: subprocess.Popen
    log_path: Path
    env: dict = field(repr=False)

    @property
    def log(self):
        return self.log_path.read_text(errors="replace")

    def wait_until_up(self, timeout=90):
        deadline = time.monotonic() + timeout
        for url in (f"{self.console}/healthz", f"{self.sandbox}/v1/me"):
            while True:
                if self.proc.poll() is not None:
                    raise RuntimeError(f"the server stopped ({self.proc.returncode}):\n{self.log}")
                try:
                    requests.get(url, timeout=2)
                    break
                # Not listening yet, or its workers still starting (slow on a busy machine).
                except (requests.ConnectionError, requests.Timeout):
                    if time.monotonic() > deadline:
                        raise RuntimeError(f"{url} did not answer:\n{self.log}") from None
                    time.sleep(0.2)
        return self

    def stop(self, sig=signal.SIGTERM):
        """Signal the whole process group (the shell, both masters, their workers)."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, sig)
        self.proc.wait(timeout=30)


def instance_env(database, static_root, secret_key, **extra):
    """An instance's environment variables: its database, the shared key, its own ports."""
    return base_env(
        **database.env,
        SECRET_KEY=secret_key,
        STATIC_ROOT=static_root,
        PORT=free_port(),
        SANDBOX_PORT=free_port(),
        **extra,
    )


# The demo's catalog, cut down: these tests use its accounts and clients, not its 1,200
# products, which take most of the seeding time.
PRODUCTS = "24"


def prepare(env):
    """What bin/docker-start and `make run` do before serving: migrate, then seed."""
    manage(env, "migrate", "--no-input", "-v0")
    manage(env, "seed_sandbox", "--products", PRODUCTS)


def launch(env, log_path):
    """Start bin/serve (both pools) in a process group of its own, without waiting."""
    log = open(log_path, "ab")  # noqa: SIM115 (the child keeps it; closed with the process)
    proc = subprocess.Popen(
        ["bin/serve"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    log.close()
    return Served(
        console=f"http://127.0.0.1:{env['PORT']}",
        sandbox=f"http://127.0.0.1:{env['SANDBOX_PORT']}",
        proc=proc,
        log_path=log_path,
        env=env,
    )


def start(database, static_root, log_path, secret_key, **extra):
    """A prepared instance, starting (`serving` waits for it)."""
    env = instance_env(database, static_root, secret_key, **extra)
    prepare(env)
    return launch(env, log_path)


@contextlib.contextmanager
def serving(*instances):
    """Wait until each instance answers; stop them all afterwards, whatever happens."""
    try:
        yield [instance.wait_until_up() for instance in instances]
    finally:
        for instance in instances:
            instance.stop()


# --- Users -------------------------------------------------------------------------------


class Browser(requests.Session):
    """A browser-less user of the console: its own cookies (session, CSRF)."""

    def __init__(self, console):
        super().__init__()
        self.console = console
        self.pages = []  # every answer's text, to look into afterwards

    def request(self, method, url, *args, **kwargs):
        kwargs.setdefault("timeout", 60)
        url = url if url.startswith("http") else f"{self.console}{url}"
        if method.upper() == "POST" and "csrftoken" in self.cookies:
            kwargs.setdefault("headers", {}).setdefault("X-CSRFToken", self.cookies["csrftoken"])
        response = super().request(method, url, *args, **kwargs)
        self.pages.append(response.text)
        return response

    def open(self):
        response = self.get("/")
        assert response.status_code == 200, response.text[:500]
        return response

    def sign_in(self, environment="sandbox", **fields):
        data = {"environment": environment, "grant": "password", **fields}
        return self.post("/signin", data=data, headers={"HX-Request": "true"})

    def send_composed(
        self, path="/v1/me", method="GET", body="", environment="sandbox", htmx=True, **more
    ):
        data = {"environment": environment, "method": method, "path": path, "body": body, **more}
        return self.post("/send", data=data, headers={"HX-Request": "true"} if htmx else {})


def sandbox_token(sandbox, username, password, client_id, scope=""):
    """A token straight from a sandbox pool, as another program would get one."""
    response = requests.post(
        f"{sandbox}/oauth/token",
        data={
            "grant_type": "password",
            "client_id": client_id,
            "username": username,
            "password": password,
            **({"scope": scope} if scope else {}),
        },
        timeout=30,
    )
    assert response.status_code == 200, response.text
    return response.json()


class SandboxAdmin:
    """The demo marketplace's admin, straight on a sandbox pool (setting up test data)."""

    def __init__(self, sandbox, client_id, username, password, roles):
        self.sandbox = sandbox
        token = sandbox_token(sandbox, username, password, client_id, roles)["access_token"]
        self.http = requests.Session()
        self.http.headers["Authorization"] = f"Bearer {token}"

    def call(self, method, path, body=None, expect=(200, 201, 204)):
        response = self.http.request(method, f"{self.sandbox}/v1{path}", json=body, timeout=30)
        assert response.status_code in expect, (method, path, response.status_code, response.text)
        return response.json() if response.content else None

    def buyer_with_users(self, buyer_id, users, password, roles=("Shopper", "MeAdmin")):
        """A buyer, its users (ID = Username), the roles for all of them, and an API client
        any buyer user may sign in with: its ClientID."""
        self.call("POST", "/buyers", {"ID": buyer_id, "Name": buyer_id, "Active": True})
        profile = f"{buyer_id}-profile"
        self.call("POST", "/securityprofiles", {"ID": profile, "Name": profile, "Roles": roles})
        self.call(
            "POST",
            "/securityprofiles/assignments",
            {"SecurityProfileID": profile, "BuyerID": buyer_id},
        )
        for username in users:
            self.call("POST", f"/buyers/{buyer_id}/users", user_body(username, password))
        client = {"AppName": buyer_id, "Active": True, "AccessTokenDuration": 600}
        return self.call("POST", "/apiclients", {**client, "AllowAnyBuyer": True})["ID"]


def user_body(username, password):
    return {
        "ID": username,
        "Username": username,
        "Password": password,
        "FirstName": "Test",
        "LastName": username,
        "Email": f"{username}@example.com",
        "Active": True,
    }


def python_version():
    return ".".join(map(str, sys.version_info[:3]))
