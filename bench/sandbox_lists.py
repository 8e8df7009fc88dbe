"""Sandbox list latency at 10,000 and 100,000 buyer users, against fetching one by ID.

The server is the real one (both gunicorn pools, a throw-away SQLite database), measured
over HTTP with a keep-alive session on the sandbox pool. A buyer is created through the
API; its users are bulk-inserted straight into the served database by a
`manage.py shell -c` subprocess that gets the server's environment (DATA_DIR). Not in
this process: bench/run.py has already set Django up on the default DATA_DIR, and
settings are read once, so an ORM insert from here would land in the developer's own
database instead of the bench's.

At each size the five requests run interleaved, round after round, so that machine
noise hits all alike; `get` (one user by ID) is the baseline the lists are divided by.

`python -m bench.sandbox_lists --explain` prints SQLite's plan and the time of every
SQL statement each request runs, at 100,000 users (for finding out why a list is slow).
"""

import json
import statistics
import subprocess
import sys
import time

import requests

from bench.server import ROOT, interleave, percentile, served

SIZES = (10_000, 100_000)
ROUNDS = 100
WARMUP = 10
SEED = 20240503
BUYER_ID = "bench-buyer"
TARGET_RATIO = 10  # the issue's: a filtered, sorted page within 10x the single fetch

# The users are drawn from these with a fixed seed (see INSERT); "Mar*" matches Martin,
# Martinez and Marshall: about 3 in 50 last names.
REQUESTS = {
    "get": None,  # /users/{an ID that exists}
    "list": "Active=true&LastName=Mar*&sortBy=!LastName,FirstName&page=3&pageSize=20",
    "sort": "sortBy=LastName,FirstName&page=3&pageSize=20",
    "search": "search=son&searchOn=LastName&page=3&pageSize=20",
    "xp": "xp.tier=gold&page=3&pageSize=20",
}

# Runs in the server's environment: inserts users number START..STOP-1 of the buyer.
# Each batch is seeded by its start, so users are the same whatever the steps were.
INSERT = """
import os, random
from sandbox.models import Marketplace, User
from sandbox.seeding.demo import MARKETPLACE_ID
FIRST = ("James Mary John Patricia Robert Jennifer Michael Linda William Elizabeth David "
         "Barbara Richard Susan Joseph Jessica Thomas Sarah Charles Karen Christopher Lisa "
         "Daniel Nancy Matthew Betty Anthony Margaret Mark Sandra Donald Ashley Steven "
         "Kimberly Paul Emily Andrew Donna Joshua Michelle Kenneth Carol Kevin Amanda Brian "
         "Dorothy George Melissa Timothy Deborah").split()
LAST = ("Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez "
        "Lopez Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson "
        "White Harris Sanchez Clark Ramirez Lewis Robinson Walker Young Allen King Wright "
        "Scott Torres Nguyen Hill Flores Green Adams Nelson Baker Hall Rivera Campbell "
        "Mitchell Carter Marshall").split()
TIERS = ("gold", "silver", "bronze", "none")
mp = Marketplace.objects.get(oc_id=MARKETPLACE_ID)
start, stop, seed = (int(os.environ[k]) for k in ("BENCH_START", "BENCH_STOP", "BENCH_SEED"))
batch = 5000
for lo in range(start, stop, batch):
    rnd = random.Random(seed * 1_000_003 + lo)
    rows = []
    for i in range(lo, min(stop, lo + batch)):
        first, last = rnd.choice(FIRST), rnd.choice(LAST)
        rows.append(User(
            marketplace=mp, user_type="buyer", company_id=os.environ["BENCH_BUYER"],
            oc_id=f"u{i:06d}", username=f"user{i:06d}", first_name=first, last_name=last,
            email=f"{first}.{last}{i}@example.com".lower(), active=rnd.random() < 0.8,
            xp={"tier": rnd.choice(TIERS), "score": rnd.randint(0, 1000)},
        ))
    User.objects.bulk_create(rows)
"""


def grow(env, start, stop):
    """Insert buyer users start..stop-1 into the served database."""
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", INSERT],
        cwd=ROOT,
        env={
            **env,
            "BENCH_START": str(start),
            "BENCH_STOP": str(stop),
            "BENCH_SEED": str(SEED),
            "BENCH_BUYER": BUYER_ID,
        },
        check=True,
    )


def sign_in(sandbox):
    from django.conf import settings

    response = requests.post(
        f"{sandbox}/oauth/token",
        data={
            "grant_type": "password",
            "client_id": settings.SANDBOX_CLIENT_ID,
            "username": settings.SANDBOX_USERNAME,
            "password": settings.SANDBOX_PASSWORD,
            "scope": "DevCenterImpersonate FullAccess",
        },
    )
    response.raise_for_status()
    return response.json()["access_token"]


def measure(session, users_url, size):
    """Median and p95 (ms) of each request, interleaved; and each list's TotalCount."""
    totals = {}

    def request(name, query):
        def call(i):
            # A different user each round, across the whole table.
            user = f"/u{(i * 7919) % size:06d}"
            url = users_url + (user if query is None else f"?{query}")
            response = session.get(url)
            assert response.status_code == 200, response.text[:500]
            if query is not None:
                body = response.json()
                assert len(body["Items"]) == 20, body["Meta"]
                totals[name] = body["Meta"]["TotalCount"]

        return call

    calls = {name: request(name, query) for name, query in REQUESTS.items()}
    return interleave(calls, ROUNDS, WARMUP), totals


def run():
    figures = {"rounds": ROUNDS}
    with served() as (_console, sandbox, env):
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {sign_in(sandbox)}"
        response = session.post(
            f"{sandbox}/v1/buyers", json={"ID": BUYER_ID, "Name": "Bench Buyer", "Active": True}
        )
        assert response.status_code == 201, response.text
        # The xp path the `xp` list filters on is indexed, as one does on OrderCloud.
        response = session.put(f"{sandbox}/v1/xpindices", json={"ThingType": "User", "Key": "tier"})
        assert response.status_code == 204, response.text
        users_url = f"{sandbox}/v1/buyers/{BUYER_ID}/users"
        have = 0
        for size in SIZES:
            started = time.perf_counter()
            grow(env, have, size)
            have = size
            k = f"{size // 1000}k"
            figures[f"{k}_insert_s"] = time.perf_counter() - started
            timings, totals = measure(session, users_url, size)
            get_median = statistics.median(timings["get"])
            for name, values in timings.items():
                figures[f"{k}_{name}_median_ms"] = statistics.median(values)
                figures[f"{k}_{name}_p95_ms"] = percentile(values, 95)
                if name != "get":
                    figures[f"{k}_{name}_vs_get"] = statistics.median(values) / get_median
            for name, total in totals.items():
                figures[f"{k}_{name}_matches"] = total
    last = f"{SIZES[-1] // 1000}k"
    figures[f"{last}_list_within_{TARGET_RATIO}x_get"] = (
        "yes" if figures[f"{last}_list_vs_get"] <= TARGET_RATIO else "NO"
    )
    return figures


# --- diagnosis: python -m bench.sandbox_lists --explain ----------------------------------

EXPLAIN = """
import json, os, sqlite3, time
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
client = Client(HTTP_HOST="127.0.0.1", HTTP_AUTHORIZATION="Bearer " + os.environ["BENCH_TOKEN"])
db = sqlite3.connect(connection.settings_dict["NAME"])
for name, url in json.loads(os.environ["BENCH_URLS"]).items():
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    print(f"== {name}: {url}")
    for q in ctx.captured_queries:
        sql = q["sql"]
        started = time.perf_counter()
        db.execute(sql).fetchall()
        ms = (time.perf_counter() - started) * 1000
        print(f"  {ms:7.2f} ms  {sql[:300]}")
        for row in db.execute("EXPLAIN QUERY PLAN " + sql):
            print(f"             {row[-1]}")
"""


def explain():
    with served() as (_console, sandbox, env):
        token = sign_in(sandbox)
        headers = {"Authorization": f"Bearer {token}"}
        requests.post(
            f"{sandbox}/v1/buyers",
            json={"ID": BUYER_ID, "Name": "Bench Buyer", "Active": True},
            headers=headers,
        ).raise_for_status()
        requests.put(
            f"{sandbox}/v1/xpindices", json={"ThingType": "User", "Key": "tier"}, headers=headers
        ).raise_for_status()
        grow(env, 0, SIZES[-1])
        path = f"/sandbox/v1/buyers/{BUYER_ID}/users"
        urls = {n: f"{path}/u000042" if q is None else f"{path}?{q}" for n, q in REQUESTS.items()}
        subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", EXPLAIN],
            cwd=ROOT,
            env={**env, "BENCH_TOKEN": token, "BENCH_URLS": json.dumps(urls)},
            check=True,
        )


if __name__ == "__main__":
    if "--explain" in sys.argv:
        import os

        import django

        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "console.settings")
        django.setup()
        explain()
