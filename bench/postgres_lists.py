"""Buyer users lists with wildcards and searches at 100,000 users on PostgreSQL, without
and then with the search indexes of migration 0007_integrity, against fetching one user
by ID in the same phase.

Needs a PostgreSQL server: `BENCH_POSTGRES_URL` (e.g. postgres://occ:occ@127.0.0.1:5432/occ,
a role that may create databases); without it the benchmark reports itself skipped. It
makes a throw-away database on that server, serves the project on it as `make run` does
(both gunicorn pools), creates a buyer through the API and bulk-inserts its users as
bench/sandbox_lists.py does (the same seeded names). Then, with statistics gathered
(ANALYZE, as autovacuum would):

- `before`: the search indexes dropped (`drop_search_indexes` of the migration);
- `after`: made again (`create_search_indexes`; the time it takes is reported).

In each phase the requests run interleaved, 100 rounds after 10 warm-up rounds:
`get` (one user by ID: the baseline), `prefix` (`LastName=Mar*`, filtered, sorted and
paged as in sandbox_lists), `suffix` (`LastName=*son`), `search` (`search=son` on
LastName) and `search_all` (`search=mart` on every searchable field).
"""

import os
import statistics
import subprocess
import sys
import time
from urllib.parse import urlsplit, urlunsplit

import requests

from bench.sandbox_lists import BUYER_ID, grow, sign_in
from bench.server import ROOT, interleave, percentile, served

SIZE = 100_000
ROUNDS = 100
WARMUP = 10
REQUESTS = {
    "get": None,
    "prefix": "Active=true&LastName=Mar*&sortBy=!LastName,FirstName&page=3&pageSize=20",
    "suffix": "LastName=*son&page=3&pageSize=20",
    "search": "search=son&searchOn=LastName&page=3&pageSize=20",
    "search_all": "search=mart&page=3&pageSize=20",
}

# Runs in the server's environment: the migration's own index function, then ANALYZE.
INDEXES = """
import importlib, os
from django.db import connection
migration = importlib.import_module("sandbox.migrations.0007_integrity")
with connection.schema_editor() as editor:
    getattr(migration, os.environ["BENCH_INDEXES"])(None, editor)
with connection.cursor() as cursor:
    cursor.execute("ANALYZE")
"""


def indexes(env, function):
    """Run the migration's `function` on the served database; its seconds."""
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", INDEXES],
        cwd=ROOT,
        env={**env, "BENCH_INDEXES": function},
        check=True,
    )
    return time.perf_counter() - started


def measure(session, users_url):
    totals = {}

    def request(name, query):
        def call(i):
            user = f"/u{(i * 7919) % SIZE:06d}"
            response = session.get(users_url + (user if query is None else f"?{query}"))
            assert response.status_code == 200, response.text[:500]
            if query is not None:
                totals[name] = response.json()["Meta"]["TotalCount"]

        return call

    calls = {name: request(name, query) for name, query in REQUESTS.items()}
    return interleave(calls, ROUNDS, WARMUP), totals


def throwaway_database(server_url):
    """(URL of a new, empty database on the server, a function that drops it)."""
    import psycopg

    name = f"occ_bench_{os.getpid()}"
    parts = urlsplit(server_url)
    with psycopg.connect(server_url, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")

    def drop():
        with psycopg.connect(server_url, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    return urlunsplit(parts._replace(path=f"/{name}")), drop


def run():
    server_url = os.environ.get("BENCH_POSTGRES_URL")
    if not server_url:
        return {"skipped": "set BENCH_POSTGRES_URL=postgres://user:password@host:port/db"}
    database_url, drop = throwaway_database(server_url)
    figures = {"rounds": ROUNDS, "users": SIZE}
    extra = {"DATABASE_URL": database_url, "SECRET_KEY": "bench-" + "k" * 60}
    try:
        with served(extra_env=extra) as (_console, sandbox, env):
            session = requests.Session()
            session.headers["Authorization"] = f"Bearer {sign_in(sandbox)}"
            response = session.post(
                f"{sandbox}/v1/buyers",
                json={"ID": BUYER_ID, "Name": "Bench Buyer", "Active": True},
            )
            assert response.status_code == 201, response.text
            users_url = f"{sandbox}/v1/buyers/{BUYER_ID}/users"
            indexes(env, "drop_search_indexes")
            started = time.perf_counter()
            grow(env, 0, SIZE)
            figures["insert_s"] = time.perf_counter() - started
            indexes(env, "drop_search_indexes")  # and ANALYZE
            for phase in ("before", "after"):
                if phase == "after":
                    figures["create_indexes_s"] = indexes(env, "create_search_indexes")
                timings, totals = measure(session, users_url)
                get_median = statistics.median(timings["get"])
                for name, values in timings.items():
                    figures[f"{phase}_{name}_median_ms"] = statistics.median(values)
                    figures[f"{phase}_{name}_p95_ms"] = percentile(values, 95)
                    if name != "get":
                        figures[f"{phase}_{name}_vs_get"] = statistics.median(values) / get_median
                for name, total in totals.items():
                    figures[f"{phase}_{name}_matches"] = total
    finally:
        drop()
    return figures


if __name__ == "__main__":
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "console.settings")
    django.setup()
    for key, value in run().items():
        print(f"  {key:32} {value:.2f}" if isinstance(value, float) else f"  {key:32} {value}")
