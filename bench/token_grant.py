"""Token grant latency: the demo password grant (DevCenterImpersonate), against GET /v1/me.

Both go over loopback with one keep-alive session to the embedded sandbox's gunicorn
pool, interleaved in one run. A grant checks the API client, verifies the password hash
(sandbox.auth.passwords: PBKDF2 with few iterations), resolves the roles and signs a JWT;
GET /v1/me, a cheap authenticated read, is the baseline. The issue's target: a grant's
median under 30 ms.
"""

import statistics

import requests

from bench.server import interleave, percentile, served

ROUNDS = 200
WARMUP = 20
TARGET_MS = 30


def run():
    from django.conf import settings

    form = {
        "grant_type": "password",
        "client_id": settings.SANDBOX_CLIENT_ID,
        "username": settings.SANDBOX_USERNAME,
        "password": settings.SANDBOX_PASSWORD,
        "scope": "DevCenterImpersonate FullAccess",
    }
    with served() as (_console, sandbox, _env):
        session = requests.Session()
        token = None

        def grant(_round):
            nonlocal token
            r = session.post(f"{sandbox}/oauth/token", data=form)
            assert r.status_code == 200, r.text
            token = r.json()["access_token"]

        def me(_round):
            r = session.get(f"{sandbox}/v1/me", headers={"Authorization": f"Bearer {token}"})
            assert r.status_code == 200, r.text

        timings = interleave({"grant": grant, "me": me}, ROUNDS, WARMUP)
    g, m = timings["grant"], timings["me"]
    return {
        "rounds": ROUNDS,
        "grant_median_ms": statistics.median(g),
        "grant_p95_ms": percentile(g, 95),
        "me_median_ms": statistics.median(m),
        "me_p95_ms": percentile(m, 95),
        "ratio_median": statistics.median(g) / statistics.median(m),
        f"grant_median_under_{TARGET_MS}_ms": "yes" if statistics.median(g) < TARGET_MS else "NO",
    }
