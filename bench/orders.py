"""Orders: submitting an order of 50 line items and adding one line item, against
GET /v1/me, in the same run; then Orders.List (Incoming, filtered by status and date,
sorted, paged) at 100,000 orders, against a fetch of one order by ID.

The server is the real one (both gunicorn pools, a throw-away SQLite database). The shop
is made through the API: a buyer and a user who signs in with a password (Shopper), a
catalog the buyer sees whole, 50 products at one price schedule. The carts to submit are
filled through the API before the timed rounds (50 line items each, priced as a shopper's
always are). The 100,000 orders are bulk-inserted by a `manage.py shell -c` subprocess in
the server's environment (as bench/sandbox_lists.py does), seeded so the data is the
same every run: spread over 2024-2025, 70 % Open, 15 % Completed, 10 % Canceled, 5 %
Unsubmitted, to the marketplace from the bench buyer's user.

Timed, interleaved over keep-alive sessions:
- part 1, 30 rounds after 5 warm-up rounds: `me` (GET /v1/me as the shopper, the
  baseline), `add_line` (POST a line item to a cart), `submit_50` (POST .../submit of a
  cart of 50 line items: status checked under lock, inventory, totals);
- part 2, 100 rounds after 10 warm-up rounds, as the marketplace's admin: `get`
  (GET /v1/orders/Incoming/{id}, a different order each round, the baseline) and `list`
  (`Status=Open&from=2025-03-01&to=2025-09-30&sortBy=!DateSubmitted&page=3&pageSize=20`).
"""

import statistics
import subprocess
import sys
import time

import requests

from bench.sandbox_lists import sign_in
from bench.server import ROOT, interleave, percentile, served

ORDERS = 100_000
ROUNDS, WARMUP = 100, 10
SUBMIT_ROUNDS, SUBMIT_WARMUP = 30, 5
LINES = 50
SEED = 20250701
TARGET_RATIO = 10
PASSWORD = "Bench-shopper-1"
LIST_QUERY = "Status=Open&from=2025-03-01&to=2025-09-30&sortBy=!DateSubmitted&page=3&pageSize=20"

INSERT = """
import os, random
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from sandbox.models import Marketplace, Order, User
from sandbox.seeding.demo import MARKETPLACE_ID
mp = Marketplace.objects.get(oc_id=MARKETPLACE_ID)
user = User.objects.get(marketplace=mp, oc_id="shopper")
count, seed = int(os.environ["BENCH_ORDERS"]), int(os.environ["BENCH_SEED"])
start = datetime(2024, 1, 1, tzinfo=UTC)
span = 2 * 365 * 24 * 3600
rnd = random.Random(seed)
batch = []
for i in range(count):
    created = start + timedelta(seconds=rnd.randrange(span))
    roll = rnd.random()
    status = ("Open" if roll < 0.7 else "Completed" if roll < 0.85
              else "Canceled" if roll < 0.95 else "Unsubmitted")
    submitted = None if status == "Unsubmitted" else created + timedelta(minutes=rnd.randrange(600))
    total = Decimal(rnd.randrange(500, 500000)) / 100
    batch.append(Order(
        marketplace=mp, oc_id=f"bench-{i:06d}", from_user=user, from_user_oc_id="shopper",
        from_company_id="bench-buyer", to_company_id=mp.oc_id, status=status,
        is_submitted=submitted is not None, date_created=created, date_submitted=submitted,
        last_updated=submitted or created, subtotal=total, total=total, line_item_count=3,
        currency="USD", xp={},
    ))
    if len(batch) == 5000:
        Order.objects.bulk_create(batch)
        batch = []
Order.objects.bulk_create(batch)
"""


def set_up(admin, sandbox):
    """The shop, through the API; the shopper's session and the product IDs."""

    def post(path, body):
        response = admin.post(f"{sandbox}/v1{path}", json=body)
        assert response.status_code in (201, 204), (path, response.text)
        return response

    post("/buyers", {"ID": "bench-buyer", "Name": "Bench buyer", "Active": True})
    user = {"ID": "shopper", "Username": "bench-shopper", "Password": PASSWORD}
    user |= {"FirstName": "Bench", "LastName": "Shopper", "Email": "s@example.com"}
    post("/buyers/bench-buyer/users", {**user, "Active": True})
    post("/securityprofiles", {"ID": "bench-shopper", "Name": "Shopper", "Roles": ["Shopper"]})
    post(
        "/securityprofiles/assignments",
        {"SecurityProfileID": "bench-shopper", "BuyerID": "bench-buyer"},
    )
    storefront = post(
        "/apiclients",
        {
            "AppName": "Bench storefront",
            "AccessTokenDuration": 600,
            "Active": True,
            "AllowAnyBuyer": True,
        },
    ).json()["ID"]
    post(
        "/priceschedules",
        {"ID": "bench-price", "Name": "Bench", "PriceBreaks": [{"Quantity": 1, "Price": 10}]},
    )
    post("/catalogs", {"ID": "bench-catalog", "Name": "Bench catalog", "Active": True})
    post(
        "/catalogs/assignments",
        {"CatalogID": "bench-catalog", "BuyerID": "bench-buyer", "ViewAllProducts": True},
    )
    products = [f"bench-p{n:02d}" for n in range(LINES)]
    for product in products:
        post(
            "/products",
            {
                "ID": product,
                "Name": product,
                "Active": True,
                "DefaultPriceScheduleID": "bench-price",
            },
        )
        post("/catalogs/productassignments", {"CatalogID": "bench-catalog", "ProductID": product})
    token = requests.post(
        f"{sandbox}/oauth/token",
        data={
            "grant_type": "password",
            "client_id": storefront,
            "username": "bench-shopper",
            "password": PASSWORD,
            "scope": "Shopper",
        },
    )
    token.raise_for_status()
    shopper = requests.Session()
    shopper.headers["Authorization"] = f"Bearer {token.json()['access_token']}"
    return shopper, products


def fill(shopper, sandbox, order_id, products):
    response = shopper.post(f"{sandbox}/v1/orders/Outgoing", json={"ID": order_id})
    assert response.status_code == 201, response.text
    for product in products:
        line = {"ProductID": product, "Quantity": 2}
        response = shopper.post(f"{sandbox}/v1/orders/Outgoing/{order_id}/lineitems", json=line)
        assert response.status_code == 201, response.text


def part_one(shopper, sandbox, products):
    rounds = SUBMIT_ROUNDS + SUBMIT_WARMUP
    for n in range(rounds):
        fill(shopper, sandbox, f"big-{n}", products)
    fill(shopper, sandbox, "cart", products[:1])

    def me(i):
        assert shopper.get(f"{sandbox}/v1/me").status_code == 200

    def add_line(i):
        line = {"ProductID": products[i % len(products)], "Quantity": 1}
        response = shopper.post(f"{sandbox}/v1/orders/Outgoing/cart/lineitems", json=line)
        assert response.status_code == 201, response.text

    def submit_50(i):
        response = shopper.post(f"{sandbox}/v1/orders/Outgoing/big-{i}/submit")
        assert response.status_code == 201, response.text
        assert response.json()["LineItemCount"] == LINES

    calls = {"me": me, "add_line": add_line, "submit_50": submit_50}
    return interleave(calls, SUBMIT_ROUNDS, SUBMIT_WARMUP)


def part_two(admin, sandbox, env):
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", INSERT],
        cwd=ROOT,
        env={**env, "BENCH_ORDERS": str(ORDERS), "BENCH_SEED": str(SEED)},
        check=True,
    )
    inserted = time.perf_counter() - started
    totals = {}

    def get(i):
        response = admin.get(f"{sandbox}/v1/orders/Incoming/bench-{(i * 7919) % ORDERS:06d}")
        assert response.status_code == 200, response.text[:300]

    def listed(i):
        response = admin.get(f"{sandbox}/v1/orders/Incoming?{LIST_QUERY}")
        assert response.status_code == 200, response.text[:300]
        body = response.json()
        assert len(body["Items"]) == 20, body["Meta"]
        totals["list"] = body["Meta"]["TotalCount"]

    return interleave({"get": get, "list": listed}, ROUNDS, WARMUP), totals, inserted


def summarize(figures, prefix, timings, baseline):
    base = statistics.median(timings[baseline])
    for name, values in timings.items():
        figures[f"{prefix}{name}_median_ms"] = statistics.median(values)
        figures[f"{prefix}{name}_p95_ms"] = percentile(values, 95)
        if name != baseline:
            figures[f"{prefix}{name}_vs_{baseline}"] = statistics.median(values) / base


def run():
    figures = {}
    with served() as (_console, sandbox, env):
        admin = requests.Session()
        admin.headers["Authorization"] = f"Bearer {sign_in(sandbox)}"
        shopper, products = set_up(admin, sandbox)
        summarize(figures, "", part_one(shopper, sandbox, products), "me")
        timings, totals, inserted = part_two(admin, sandbox, env)
        figures["100k_insert_s"] = inserted
        summarize(figures, "100k_", timings, "get")
        figures["100k_list_matches"] = totals["list"]
    figures[f"100k_list_within_{TARGET_RATIO}x_get"] = (
        "yes" if figures["100k_list_vs_get"] <= TARGET_RATIO else "NO"
    )
    return figures


if __name__ == "__main__":
    for key, value in run().items():
        print(f"  {key:28} {value:.2f}" if isinstance(value, float) else f"  {key:28} {value}")
