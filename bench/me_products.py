"""A buyer user's /me/products at 10,000 and 100,000 products, against an admin's fetch
of one product by ID (GET /v1/products/{id}), in the same run.

The server is the real one (both gunicorn pools, a throw-away SQLite database). The shop
is made through the API: a buyer with a group and a user who signs in with a password, a
catalog given to the buyer without ViewAllProducts, a tree of 8 top categories with 5
subcategories each, price schedules. Products and their assignments are bulk-inserted by
a `manage.py shell -c` subprocess in the server's environment (as bench/sandbox_lists.py
does), seeded so the data is the same every run: each product is in the catalog and in
one subcategory, 95 % active, xp color / size / brand. What the user sees comes through
assignments: the categories of 4 of the 8 top categories are given to the buyer with
ViewAllProducts (half the products), and one product in 20 of the rest is assigned to
the buyer at a price schedule of its own, one in 50 to the user's group.

At each size, 100 rounds after 10 warm-up rounds, interleaved over keep-alive sessions:
- `get`: GET /v1/products/{id} as the admin (a different product each round): the baseline;
- `me_get`: GET /v1/me/products/{id} of a product the user sees;
- `me_list`: `Name=Alpine*&sortBy=Name&page=3&pageSize=20` (visibility, filter, sort,
  page: one name in 24 starts so);
- `me_sort`: `sortBy=!Name&page=3&pageSize=20` (every visible product sorted);
- `me_category`: `categoryID=top-2&depth=all&page=2&pageSize=20` (a subtree);
- `me_xp`: `xp.color=red&sortBy=Name&page=3&pageSize=20` (an xp filter: one in 8);
and at the last size, once two product facets exist, `me_facets`: `me_xp` again, now
with Meta.Facets (color and size counted over the user's matching products).

Reported per size: median and p95 of each, each one's median over `get`'s, the lists'
TotalCount, the insert time, and whether `me_list` at 100k is within the issue's 10x.
"""

import statistics
import subprocess
import sys
import time

import requests

from bench.sandbox_lists import sign_in
from bench.server import ROOT, interleave, percentile, served

SIZES = (10_000, 100_000)
ROUNDS = 100
WARMUP = 10
SEED = 20250607
TARGET_RATIO = 10
PASSWORD = "Bench-shopper-1"
TOPS, SUBS = 8, 5

REQUESTS = {
    "get": None,
    "me_get": None,
    "me_list": "Name=Alpine*&sortBy=Name&page=3&pageSize=20",
    "me_sort": "sortBy=!Name&page=3&pageSize=20",
    "me_category": "categoryID=top-2&depth=all&page=2&pageSize=20",
    "me_xp": "xp.color=red&sortBy=Name&page=3&pageSize=20",
}

# Runs in the server's environment: products number START..STOP-1 and their assignments.
INSERT = """
import os, random
from sandbox.models import (Buyer, Catalog, Category, CategoryProductAssignment, Marketplace,
    PriceSchedule, Product, ProductAssignment, ProductCatalogAssignment, UserGroup)
from sandbox.seeding.demo import MARKETPLACE_ID
WORDS = ("Alpine Breeze Cedar Drift Ember Fjord Glacier Harbor Iris Juniper Kestrel Lumen "
         "Meadow Nimbus Onyx Prairie Quartz Ridge Summit Tundra Umber Vale Willow Zephyr").split()
KINDS = "Jacket Shirt Boot Hat Scarf Glove Sock Pant Vest Tee".split()
COLORS = "red blue green black white grey navy olive".split()
SIZES = "XS S M L XL".split()
mp = Marketplace.objects.get(oc_id=MARKETPLACE_ID)
catalog = Catalog.objects.get(marketplace=mp, oc_id="bench-catalog")
buyer = Buyer.objects.get(marketplace=mp, oc_id="bench-buyer")
group = UserGroup.objects.get(marketplace=mp, company_id="bench-buyer", oc_id="bench-group")
leaves = list(Category.objects.filter(catalog=catalog, level=2).order_by("oc_id"))
schedules = {s.oc_id: s for s in PriceSchedule.objects.filter(marketplace=mp)}
start, stop, seed = (int(os.environ[k]) for k in ("BENCH_START", "BENCH_STOP", "BENCH_SEED"))
batch = 5000
for lo in range(start, stop, batch):
    rnd = random.Random(seed * 1_000_003 + lo)
    products = []
    for i in range(lo, min(stop, lo + batch)):
        name = f"{rnd.choice(WORDS)} {rnd.choice(WORDS)} {rnd.choice(KINDS)}"
        products.append(Product(
            marketplace=mp, oc_id=f"p{i:06d}", name=name, owner_id=mp.oc_id,
            description=f"The {name.lower()}, number {i}.", active=rnd.random() < 0.95,
            default_price_schedule_id="bench-default",
            xp={"color": rnd.choice(COLORS), "size": rnd.choice(SIZES),
                "brand": rnd.choice(WORDS)},
        ))
    Product.objects.bulk_create(products)
    pca, cpa, pa = [], [], []
    for product in products:
        n = int(product.oc_id[1:])
        leaf = leaves[n % len(leaves)]
        pca.append(ProductCatalogAssignment(marketplace=mp, catalog=catalog, product=product))
        cpa.append(CategoryProductAssignment(marketplace=mp, category=leaf, product=product))
        if n % 20 == 3:
            pa.append(ProductAssignment(marketplace=mp, seller_id=mp.oc_id, product=product,
                buyer=buyer, price_schedule=schedules["bench-buyer-price"]))
        elif n % 50 == 7:
            pa.append(ProductAssignment(marketplace=mp, seller_id=mp.oc_id, product=product,
                buyer=buyer, user_group=group, price_schedule=schedules["bench-group-price"]))
    ProductCatalogAssignment.objects.bulk_create(pca)
    CategoryProductAssignment.objects.bulk_create(cpa)
    ProductAssignment.objects.bulk_create(pa)
"""


def grow(env, start, stop):
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", INSERT],
        cwd=ROOT,
        env={
            **env,
            "BENCH_START": str(start),
            "BENCH_STOP": str(stop),
            "BENCH_SEED": str(SEED),
        },
        check=True,
    )


def set_up(admin, sandbox):
    """The shop, through the API; the buyer user's session."""

    def post(path, body):
        response = admin.post(f"{sandbox}/v1{path}", json=body)
        assert response.status_code in (201, 204), (path, response.text)
        return response

    # The demo marketplace's own facets would be counted on every list: the lists are
    # measured without facets first, then with two of the benchmark's (see `run`).
    for facet in admin.get(f"{sandbox}/v1/productfacets?pageSize=100").json()["Items"]:
        assert admin.delete(f"{sandbox}/v1/productfacets/{facet['ID']}").status_code == 204
    post("/buyers", {"ID": "bench-buyer", "Name": "Bench buyer", "Active": True})
    post("/buyers/bench-buyer/usergroups", {"ID": "bench-group", "Name": "Bench group"})
    post(
        "/buyers/bench-buyer/users",
        {
            "ID": "shopper",
            "Username": "bench-shopper",
            "Password": PASSWORD,
            "FirstName": "Bench",
            "LastName": "Shopper",
            "Email": "shopper@example.com",
            "Active": True,
        },
    )
    post(
        "/buyers/bench-buyer/usergroups/assignments",
        {"UserGroupID": "bench-group", "UserID": "shopper"},
    )
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
    post("/catalogs", {"ID": "bench-catalog", "Name": "Bench catalog", "Active": True})
    post("/catalogs/assignments", {"CatalogID": "bench-catalog", "BuyerID": "bench-buyer"})
    for top in range(TOPS):
        post(
            "/catalogs/bench-catalog/categories",
            {"ID": f"top-{top}", "Name": f"Top {top}", "Active": True, "ListOrder": top},
        )
        for sub in range(SUBS):
            post(
                "/catalogs/bench-catalog/categories",
                {
                    "ID": f"top-{top}-{sub}",
                    "Name": f"Sub {top}.{sub}",
                    "Active": True,
                    "ParentID": f"top-{top}",
                },
            )
        body = {"CategoryID": f"top-{top}", "BuyerID": "bench-buyer", "Visible": True}
        body["ViewAllProducts"] = top % 2 == 0
        post("/catalogs/bench-catalog/categories/assignments", body)
    for schedule, price in (("bench-default", 10), ("bench-buyer-price", 9)):
        post(
            "/priceschedules",
            {"ID": schedule, "Name": schedule, "PriceBreaks": [{"Quantity": 1, "Price": price}]},
        )
    post(
        "/priceschedules",
        {"ID": "bench-group-price", "Name": "Group", "PriceBreaks": [{"Quantity": 1, "Price": 8}]},
    )
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
    return shopper


def visible_ids(shopper, sandbox, count):
    """IDs of products the shopper sees, spread over the list."""
    page = shopper.get(f"{sandbox}/v1/me/products?sortBy=ID&pageSize=100").json()
    return [item["ID"] for item in page["Items"]][:count]


def measure(admin, shopper, sandbox, size, requests_to_time):
    totals = {}
    seen = visible_ids(shopper, sandbox, 100)

    def call(name, query):
        def run(i):
            if name == "get":
                url = f"{sandbox}/v1/products/p{(i * 7919) % size:06d}"
                response = admin.get(url)
            elif name == "me_get":
                response = shopper.get(f"{sandbox}/v1/me/products/{seen[i % len(seen)]}")
            else:
                response = shopper.get(f"{sandbox}/v1/me/products?{query}")
            assert response.status_code == 200, response.text[:500]
            if query is not None:
                body = response.json()
                assert len(body["Items"]) == 20, body["Meta"]
                totals[name] = body["Meta"]["TotalCount"]

        return run

    calls = {name: call(name, query) for name, query in requests_to_time.items()}
    return interleave(calls, ROUNDS, WARMUP), totals


def record(figures, k, timings, totals):
    get_median = statistics.median(timings["get"])
    for name, values in timings.items():
        figures[f"{k}_{name}_median_ms"] = statistics.median(values)
        figures[f"{k}_{name}_p95_ms"] = percentile(values, 95)
        if name != "get":
            figures[f"{k}_{name}_vs_get"] = statistics.median(values) / get_median
    for name, total in totals.items():
        figures[f"{k}_{name}_matches"] = total


def run():
    figures = {"rounds": ROUNDS}
    with served() as (_console, sandbox, env):
        admin = requests.Session()
        admin.headers["Authorization"] = f"Bearer {sign_in(sandbox)}"
        shopper = set_up(admin, sandbox)
        have = 0
        for size in SIZES:
            started = time.perf_counter()
            grow(env, have, size)
            have = size
            k = f"{size // 1000}k"
            figures[f"{k}_insert_s"] = time.perf_counter() - started
            timings, totals = measure(admin, shopper, sandbox, size, REQUESTS)
            record(figures, k, timings, totals)
        for facet, path in (("color", "color"), ("size", "size")):
            body = {"ID": facet, "Name": facet.title(), "XpPath": path, "MinCount": 1}
            assert admin.post(f"{sandbox}/v1/productfacets", json=body).status_code == 201
        timings, totals = measure(
            admin, shopper, sandbox, have, {"get": None, "me_facets": REQUESTS["me_xp"]}
        )
        record(figures, f"{have // 1000}k_facets", timings, totals)
    last = f"{SIZES[-1] // 1000}k"
    figures[f"{last}_me_list_within_{TARGET_RATIO}x_get"] = (
        "yes" if figures[f"{last}_me_list_vs_get"] <= TARGET_RATIO else "NO"
    )
    return figures


# --- diagnosis: python -m bench.me_products --explain [SIZE] ------------------------------

EXPLAIN = """
import json, os, sqlite3, time
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
db = sqlite3.connect(connection.settings_dict["NAME"])
for name, (token, url) in json.loads(os.environ["BENCH_URLS"]).items():
    client = Client(HTTP_HOST="127.0.0.1", HTTP_AUTHORIZATION="Bearer " + token)
    client.get(url)
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    total = (time.perf_counter() - started) * 1000
    print(f"== {name}: {url}  ({total:.1f} ms in Django)")
    for q in ctx.captured_queries:
        sql = q["sql"]
        started = time.perf_counter()
        db.execute(sql).fetchall()
        ms = (time.perf_counter() - started) * 1000
        print(f"  {ms:7.2f} ms  {sql[:2000]}")
        for row in db.execute("EXPLAIN QUERY PLAN " + sql):
            print(f"             {row[-1]}")
"""


def explain(size):
    import json

    with served() as (_console, sandbox, env):
        admin = requests.Session()
        token = sign_in(sandbox)
        admin.headers["Authorization"] = f"Bearer {token}"
        shopper = set_up(admin, sandbox)
        grow(env, 0, size)
        shopper_token = shopper.headers["Authorization"].split()[1]
        seen = visible_ids(shopper, sandbox, 1)[0]
        urls = {"get": (token, "/sandbox/v1/products/p000042")}
        urls["me_get"] = (shopper_token, f"/sandbox/v1/me/products/{seen}")
        for name, query in REQUESTS.items():
            if query:
                urls[name] = (shopper_token, f"/sandbox/v1/me/products?{query}")
        subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", EXPLAIN],
            cwd=ROOT,
            env={**env, "BENCH_URLS": json.dumps(urls)},
            check=True,
        )


if __name__ == "__main__":
    if "--explain" in sys.argv:
        import os

        import django

        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "console.settings")
        django.setup()
        sizes = [int(arg) for arg in sys.argv[1:] if arg.isdigit()]
        explain(sizes[0] if sizes else SIZES[-1])
