"""Many users at once through gunicorn (bin/serve's two pools, their default size): each
with its own session and its own sandbox user, none ever sees another's data."""

import re
import secrets
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from tests.deployment.conftest import DEMO, DEMO_ROLES
from tests.deployment.served import Browser, SandboxAdmin, fresh_database, serving, start

USERS = 50
REQUESTS = 2000  # in all: per user, the page, the sign-in, then sends and history lists
PASSWORD = "Load-pass-123!"
MAX_SECONDS = 300  # the whole run; on a 2-core machine it takes about a third of that


def user_name(i, run):
    return f"load{i:02d}x{run}"  # same length for all: no name is part of another


def test_fifty_users_two_thousand_requests(tmp_path, static_root, secret_key):
    run = secrets.token_hex(3)
    names = [user_name(i, run) for i in range(USERS)]
    with fresh_database(tmp_path) as database:
        app = start(database, static_root, tmp_path / "serve.log", secret_key)
        with serving(app):
            admin = SandboxAdmin(app.sandbox, **DEMO, roles=DEMO_ROLES)
            client_id = admin.buyer_with_users("load", names, PASSWORD)
            peak = Peak(database)

            start_time = time.monotonic()
            with peak, ThreadPoolExecutor(USERS) as pool:
                outcomes = list(pool.map(lambda n: use(app, n, names, client_id), names))
            elapsed = time.monotonic() - start_time

        assert [o.requests for o in outcomes] == [REQUESTS // USERS] * USERS
        assert [o.errors for o in outcomes] == [[]] * USERS
        assert [o.leaks for o in outcomes] == [[]] * USERS
        assert elapsed < MAX_SECONDS
        assert peak.connections <= 2 * 2 * 8  # two pools of WORKERS x THREADS (2 x 8)
        assert "Traceback" not in app.log
        # For SECURITY.md: what this run measured.
        latencies = sorted(t for o in outcomes for t in o.latencies)
        print(
            f"\n{REQUESTS} requests by {USERS} users on {database.kind} in {elapsed:.1f} s; "
            f"p50 {latencies[len(latencies) // 2] * 1000:.0f} ms, "
            f"p99 {latencies[int(len(latencies) * 0.99)] * 1000:.0f} ms, "
            f"peak connections {peak.connections}"
        )


class Outcome:
    def __init__(self):
        self.requests, self.errors, self.leaks, self.latencies = 0, [], [], []


def use(app, name, names, client_id):
    """One user: the page, the sign-in, then GET and PATCH /v1/me and the history list."""
    outcome, user = Outcome(), Browser(app.console)
    others = [other for other in names if other != name]

    def request(what, call, *expected):
        start = time.monotonic()
        response = call()
        outcome.latencies.append(time.monotonic() - start)
        outcome.requests += 1
        text = response.text
        if response.status_code != 200 or not all(e in text for e in expected):
            # What the page says: the upstream's status, or the console's message.
            said = re.findall(r'(?:id="result-status"|role="alert")[^>]*>([^<]{0,300})', text)
            outcome.errors.append((what, response.status_code, said or text[:300]))
        if leaked := [other for other in others if other in text]:
            outcome.leaks.append((what, leaked))
        return text

    request("page", user.open)
    request(
        "sign-in",
        lambda: user.sign_in(client_id=client_id, username=name, password=PASSWORD),
        f"Buyer: {name}",
    )
    for i in range(REQUESTS // USERS - 2):
        if i % 4 == 0:
            marker = f"{name}-{i}"
            request(
                "PATCH /v1/me",
                lambda m=marker: user.send_composed(
                    "/v1/me", method="PATCH", body=f'{{"xp": {{"mark": "{m}"}}}}'
                ),
                ">200 OK<",
                f"&quot;mark&quot;: &quot;{marker}&quot;",
            )
        elif i % 4 == 3:
            history = request(
                "history", lambda: user.get("/history", headers={"HX-Request": "true"})
            )
            if len(re.findall('class="history-item', history)) > i + 2:
                outcome.errors.append(("history", "more entries than this user made"))
        else:
            request(
                "GET /v1/me",
                lambda: user.send_composed("/v1/me"),
                ">200 OK<",
                f"&quot;Username&quot;: &quot;{name}&quot;",
            )
    return outcome


class Peak:
    """The most database connections seen while it is entered (PostgreSQL only)."""

    def __init__(self, database):
        self.database, self.connections = database, 0
        self.stop = threading.Event()

    def __enter__(self):
        if self.database.kind == "postgresql":
            self.thread = threading.Thread(target=self._sample, daemon=True)
            self.thread.start()
        return self

    def _sample(self):
        sql = "SELECT count(*) FROM pg_stat_activity WHERE datname = %s"
        while not self.stop.wait(0.25):
            now = self.database.rows(sql, self.database.name)[0][0] - 1  # not this one
            self.connections = max(self.connections, now)

    def __exit__(self, *exc):
        self.stop.set()
        if self.database.kind == "postgresql":
            self.thread.join()
