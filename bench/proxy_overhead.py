"""Proxy overhead: the same GET /v1/me sent directly with requests and through the console.

Both go over loopback to the embedded sandbox's own gunicorn pool, interleaved in one
run so that machine noise hits both alike. The console path is a real HTTP POST to the
console's send endpoint (htmx fragment), which validates, proxies with its pooled
session, and renders the raw request/response panes.
"""

import re
import statistics

import requests

from bench.server import interleave, percentile, served

ROUNDS = 300
WARMUP = 20


def sign_in_to_console(console, sandbox_env):
    session = requests.Session()
    session.get(f"{console}/")
    csrf = session.cookies["csrftoken"]
    response = session.post(
        f"{console}/signin",
        data={
            "environment": "sandbox",
            "client_id": sandbox_env["client_id"],
            "username": sandbox_env["username"],
            "password": sandbox_env["password"],
            "roles": "DevCenterImpersonate FullAccess",
        },
        headers={"X-CSRFToken": csrf, "HX-Request": "true"},
    )
    response.raise_for_status()
    assert "Signed in as" in response.text, response.text[:500]
    # Sign-in rotates the CSRF token.
    return session, session.cookies["csrftoken"]


def run():
    from django.conf import settings

    with served() as (console, sandbox, _env):
        creds = {
            "client_id": settings.SANDBOX_CLIENT_ID,
            "username": settings.SANDBOX_USERNAME,
            "password": settings.SANDBOX_PASSWORD,
        }
        token = requests.post(
            f"{sandbox}/oauth/token",
            data={
                "grant_type": "password",
                "scope": "DevCenterImpersonate FullAccess",
                **{k: creds[k] for k in ("client_id", "username", "password")},
            },
        ).json()["access_token"]
        direct_session = requests.Session()
        console_session, csrf = sign_in_to_console(console, creds)

        def direct(_round):
            r = direct_session.get(f"{sandbox}/v1/me", headers={"Authorization": f"Bearer {token}"})
            assert r.status_code == 200, r.text

        def through_console(_round):
            r = console_session.post(
                f"{console}/send",
                data={"environment": "sandbox", "method": "GET", "path": "/v1/me", "body": ""},
                headers={"X-CSRFToken": csrf, "HX-Request": "true"},
            )
            assert r.status_code == 200 and re.search(r"HTTP/1\.1 200 OK", r.text), r.text[:500]

        timings = interleave({"direct": direct, "console": through_console}, ROUNDS, WARMUP)
    d, c = timings["direct"], timings["console"]
    return {
        "rounds": ROUNDS,
        "direct_median_ms": statistics.median(d),
        "direct_p95_ms": percentile(d, 95),
        "console_median_ms": statistics.median(c),
        "console_p95_ms": percentile(c, 95),
        "added_median_ms": statistics.median(c) - statistics.median(d),
        "added_p95_ms": percentile(c, 95) - percentile(d, 95),
        "ratio_median": statistics.median(c) / statistics.median(d),
    }
