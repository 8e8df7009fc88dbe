"""Several instances on one PostgreSQL database, as behind a load balancer: started at the
same moment on an empty database, they share sessions, sandbox tokens and data."""

import io
import re
import subprocess
import sys
import threading

import pytest
import requests

from tests.deployment.conftest import DEMO, DEMO_ROLES
from tests.deployment.served import (
    PRODUCTS,
    ROOT,
    Browser,
    fresh_database,
    instance_env,
    launch,
    manage,
    postgres_database,
    sandbox_token,
    serving,
)

WORKERS, THREADS = 2, 4


def at_once(envs, *args):
    """Run `manage.py *args` for each environment at the same moment: their exit statuses
    and their output (standard and error output together)."""
    procs = [
        subprocess.Popen(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for env in envs
    ]
    outputs = [proc.communicate(timeout=120)[0] for proc in procs]
    return [proc.returncode for proc in procs], outputs


def test_two_instances_share_sessions_tokens_and_data(postgres, tmp_path, static_root, secret_key):
    with postgres_database(postgres, tmp_path) as database:
        a_env, b_env = (
            instance_env(database, static_root, secret_key, WORKERS=WORKERS, THREADS=THREADS)
            for _ in "ab"
        )
        # Started together on an empty database: both migrate at once.
        statuses, errors = at_once([a_env, b_env], "migrate", "--no-input", "-v0")
        assert statuses == [0, 0], errors
        # A small catalog: the race is over the accounts and organizations seeded first.
        statuses, outputs = at_once([a_env, b_env], "seed_sandbox", "--products", PRODUCTS)
        assert statuses == [0, 0], outputs
        with serving(launch(a_env, tmp_path / "a.log"), launch(b_env, tmp_path / "b.log")) as (
            a,
            b,
        ):
            user = Browser(a.console)

            # A session begun on A...
            user.open()
            signed_in = user.sign_in(**DEMO, roles=DEMO_ROLES)
            assert signed_in.status_code == 200
            assert "Admin: demo-admin" in signed_in.text
            # ...continues on B: the same contexts, and B sends with the token A got.
            user.console = b.console
            assert "Admin: demo-admin" in user.get("/").text
            sent = user.send_composed("/v1/me")
            assert sent.status_code == 200
            assert re.search(r'id="result-status"[^>]*>200 OK<', sent.text)
            assert "&quot;Username&quot;: &quot;demo-admin&quot;" in sent.text
            # B's history has the sign-in made through A, then its own send.
            history = user.get("/history", headers={"HX-Request": "true"}).text
            assert re.findall(r'history-path mono">([^<]*)<', history) == [
                "/v1/me",
                "/oauth/token",
            ]

            # A sandbox token from A's pool, and data made with it, are valid on B's.
            token = sandbox_token(a.sandbox, **DEMO, scope=DEMO_ROLES)["access_token"]
            auth = {"Authorization": f"Bearer {token}"}
            made = requests.post(
                f"{a.sandbox}/v1/buyers",
                json={"ID": "made-on-a", "Name": "A"},
                headers=auth,
                timeout=10,
            )
            assert made.status_code == 201, made.text
            for url in (b.sandbox, f"{b.console}/sandbox"):
                seen = requests.get(f"{url}/v1/buyers/made-on-a", headers=auth, timeout=10)
                assert (seen.status_code, seen.json()["Name"]) == (200, "A")

            # Each pool of each instance holds at most WORKERS x THREADS connections.
            connections = database.rows(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = %s", database.name
            )[0][0]
            assert 2 <= connections <= 2 * 2 * WORKERS * THREADS

        for instance in (a, b):
            assert "Traceback" not in instance.log, instance.log


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_migrate_at_once_on_an_empty_database(kind, request, tmp_path, secret_key):
    if kind == "postgresql":
        request.getfixturevalue("postgres")
    with fresh_database(tmp_path, kind) as database:
        env = instance_env(database, tmp_path, secret_key)

        statuses, errors = at_once([env] * 4, "migrate", "--no-input", "-v0")

        assert statuses == [0, 0, 0, 0], errors
        assert "No migrations to apply." in manage(env, "migrate", "--no-input").stdout


@pytest.mark.django_db(transaction=True)
def test_seeding_at_once():
    """Eight seed_sandbox commands on an empty sandbox at the same instant (a barrier), as
    the processes of instances started together, each thread with its own connection: one
    seeds, the others wait for it and find nothing left to do. (Before the lock, on
    PostgreSQL the losers failed with IntegrityError on sandbox_account_username_key.)"""
    from django.core.management import call_command
    from django.db import connections

    from sandbox.models import Account, Marketplace, Product

    barrier = threading.Barrier(8)
    outputs, failures = [], []

    def seed():
        out = io.StringIO()
        try:
            barrier.wait()
            call_command("seed_sandbox", "--products", "30", stdout=out)
            outputs.append(out.getvalue())
        except Exception as e:  # noqa: BLE001 (what each seeder met is the result)
            failures.append(f"{type(e).__name__}: {e}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=seed) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    loaded = [out for out in outputs if "Loaded the demo's buyers and catalog" in out]
    nothing = [out for out in outputs if "Sandbox demo already seeded; nothing changed." in out]
    assert (len(loaded), len(nothing)) == (1, 7), outputs
    assert (Account.objects.count(), Marketplace.objects.count()) == (1, 1)
    assert Product.objects.count() == 30
