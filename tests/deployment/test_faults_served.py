"""A hostile or broken upstream, through gunicorn: each fault, from a real local server,
answers a clear message within its timeout plus a second; meanwhile another user keeps
being served, and afterwards every worker thread is free again."""

import html
import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.console.conftest import faulty_server, refusing_port, silent_server, unreachable_server
from tests.deployment.conftest import DEMO, DEMO_ROLES
from tests.deployment.served import Browser, fresh_database, serving, start

CONNECT, READ = 1, 2  # UPSTREAM_CONNECT_TIMEOUT, UPSTREAM_READ_TIMEOUT (s)
CAP = 1 << 20  # UPSTREAM_MAX_BYTES
WORKERS, THREADS = 2, 8  # bin/serve's defaults


def faults(urls):
    """(name, environment, path, the message shown, the time it may take: the timeout that
    ends it plus a second)."""
    faulty = f"Faulty server ({urls['faulty']})"
    cut = "The response is larger than the 1.0\xa0MB limit: only its first 1.0\xa0MB is shown."
    return [
        ("refused", "refusing", "/v1/me",
         f"No response from Refusing server ({urls['refusing']}): connection refused.", 1),
        ("DNS failure", "nowhere", "/v1/me",
         "No response from Nowhere (https://nowhere.invalid): DNS lookup failed for "
         "nowhere.invalid.", 1),
        ("connect timeout", "unreachable", "/v1/me",
         f"No response from Unreachable server ({urls['unreachable']}): timed out "
         f"connecting (connect timeout {CONNECT} s).", CONNECT + 1),
        ("read timeout", "silent", "/v1/me",
         f"No response from Silent server ({urls['silent']}): timed out waiting for the "
         f"response (read timeout {READ} s).", READ + 1),
        ("slow drip", "faulty", "/drip-then-stall",
         f"Incomplete response from {faulty}: timed out reading the response (over "
         f"{CONNECT + READ} s).", CONNECT + READ + 1),
        ("reset mid-body", "faulty", "/reset",
         f"Incomplete response from {faulty}: the connection was reset (by the server, or "
         "on the way).", 1),
        ("body over the cap", "faulty", f"/list?bytes={3 * CAP}", cut, 1),
        ("gzip bomb", "faulty", "/gzip-bomb", cut, 1),
        ("invalid UTF-8", "faulty", "/bad-utf8", '"Name": "caf\ufffd \ufffd\ufffd"', 1),
        ("malformed status line", "faulty", "/garbage",
         f"No response from {faulty}: invalid response (not an HTTP status line: "
         "'THIS IS NOT HTTP\\r\\n').", 1),
        ("endless chunked stream", "faulty", "/endless", cut, 1),
        ("endless slow chunked stream", "faulty", "/endless-slow",
         f"Incomplete response from {faulty}: timed out reading the response (over "
         f"{CONNECT + READ} s).", CONNECT + READ + 1),
    ]  # fmt: skip


@pytest.fixture
def upstreams():
    """The misbehaving servers, as CONSOLE_ENVIRONMENTS for the served console."""
    with faulty_server() as (_, faulty), silent_server() as silent, unreachable_server() as full:
        urls = {
            "faulty": faulty,
            "silent": f"http://127.0.0.1:{silent}",
            "unreachable": f"http://127.0.0.1:{full}",
            "refusing": f"http://127.0.0.1:{refusing_port()}",
        }
        config = [
            {"id": name, "name": f"{name.title()} server", "base_url": url}
            for name, url in urls.items()
        ]
        config.append({"id": "nowhere", "name": "Nowhere", "base_url": "https://nowhere.invalid"})
        yield urls, json.dumps(config)


def test_every_fault_is_survived_while_others_are_served(
    tmp_path, static_root, secret_key, upstreams
):
    urls, config = upstreams
    with fresh_database(tmp_path) as database:
        app = start(
            database, static_root, tmp_path / "serve.log", secret_key,
            CONSOLE_ENVIRONMENTS=config, UPSTREAM_CONNECT_TIMEOUT=CONNECT,
            UPSTREAM_READ_TIMEOUT=READ, UPSTREAM_MAX_BYTES=CAP,
            WORKERS=WORKERS, THREADS=THREADS,
        )  # fmt: skip
        with serving(app):
            bystander = Browser(app.console)
            bystander.open()
            assert bystander.sign_in(**DEMO, roles=DEMO_ROLES).status_code == 200
            served, stop = [], threading.Event()

            def keep_sending():
                while not stop.is_set():
                    began = time.monotonic()
                    response = bystander.send_composed("/v1/me")
                    ok = response.status_code == 200 and ">200 OK<" in response.text
                    served.append((ok, time.monotonic() - began))

            # Four faults at a time (at most half of one worker's threads), every fault once,
            # while the bystander keeps sending to the sandbox.
            outcomes = []
            watcher = threading.Thread(target=keep_sending)
            watcher.start()
            try:
                listed = faults(urls)
                with ThreadPoolExecutor(4) as pool:
                    outcomes = list(pool.map(lambda fault: hit(app, *fault), listed))
            finally:
                stop.set()
                watcher.join()

            # Afterwards no thread is held: as many requests as there are threads, at once.
            def quick(_):
                began = time.monotonic()
                response = Browser(app.console).get("/healthz")
                return response.status_code, time.monotonic() - began

            with ThreadPoolExecutor(WORKERS * THREADS) as pool:
                after = list(pool.map(quick, range(WORKERS * THREADS)))

        for name, message_shown, elapsed, allowed in outcomes:
            assert message_shown is True, (name, message_shown)
            assert elapsed <= allowed, (name, elapsed)
        assert len(outcomes) == 12
        assert len(served) >= 10 and all(ok for ok, _ in served)
        assert max(t for _, t in served) < 1.5
        assert all(status == 200 for status, _ in after)
        assert max(t for _, t in after) < 1.5
        assert "Traceback" not in app.log and "WORKER TIMEOUT" not in app.log
        print(
            f"\n12 faults survived; the bystander got {len(served)} answers meanwhile, the "
            f"slowest in {max(t for _, t in served):.2f} s; slowest fault "
            f"{max(o[2] for o in outcomes):.2f} s"
        )


def hit(app, name, environment, path, message, allowed):
    """Send the fault's request as a user of its own (no token): what the page says."""
    user = Browser(app.console)
    user.open()
    began = time.monotonic()
    response = user.send_composed(path, environment=environment, context="")
    elapsed = time.monotonic() - began
    text = html.unescape(response.text)
    shown = response.status_code == 200 and message in text
    return name, shown or (response.status_code, text[:3000]), elapsed, allowed
