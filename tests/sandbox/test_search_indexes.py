"""Wildcard filters and searches read indexes on either database: SQLite's NOCASE index
(sandbox.models.base.NoCaseIndex) for a prefix, PostgreSQL's own (migration
0007_integrity) for a prefix and for any pattern."""

import pytest
from django.db import connection
from django.http import QueryDict

from sandbox.api import crud, listing
from sandbox.models import Product, User
from sandbox.resources.products import PRODUCTS
from sandbox.resources.users import USERS
from tests.sandbox import factories


@pytest.fixture
def marketplace(db):
    """Four users to find among 3,000 others of the company, and a product among 3,000,
    so that each database's planner, its statistics gathered, prefers the index it has
    to reading every row."""
    marketplace = factories.marketplace("mkt")
    for n, last in enumerate(("Martin", "Marshall", "Johnson", "Smith")):
        factories.user(marketplace, f"u{n}", user_type="buyer", company_id="b1", last_name=last)
    User.objects.bulk_create(
        User(
            marketplace=marketplace,
            user_type="buyer",
            company_id="b1",
            oc_id=f"x{n:04d}",
            username=f"x{n:04d}",
            first_name="Ann",
            last_name=f"Lee{n:04d}",
            email=f"x{n:04d}@example.com",
        )
        for n in range(3000)
    )
    Product.objects.bulk_create(
        Product(marketplace=marketplace, oc_id=f"x{n:04d}", owner_id="mkt", name=f"Hat {n:04d}")
        for n in range(3000)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return marketplace


def plan(queryset, resource, filters):
    filtered = listing.filtered(
        queryset,
        QueryDict(filters),
        fields=crud.list_columns(resource),
        searchable=resource.searchable,
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # 3,000 rows are read fast: make it choose
            cursor.execute("SET LOCAL enable_seqscan = off")
    return filtered.explain(), sorted(filtered.values_list("oc_id", flat=True))


def users(marketplace):
    return User.objects.filter(marketplace=marketplace, user_type="buyer", company_id="b1")


def test_a_last_name_prefix_reads_an_index(marketplace):
    explained, found = plan(users(marketplace), USERS, "LastName=mar*")

    assert found == ["u0", "u1"]
    expected = {"sqlite": "sandbox_user_last_name_ci", "postgresql": "sandbox_user_last_name_upper"}
    assert expected[connection.vendor] in explained


def test_a_product_name_prefix_reads_an_index(marketplace):
    Product.objects.create(marketplace=marketplace, oc_id="p1", owner_id="mkt", name="Jacket")
    products = Product.objects.filter(marketplace=marketplace, active=False)

    explained, found = plan(products, PRODUCTS, "Name=jack*")

    assert found == ["p1"]
    expected = {"sqlite": "sandbox_product_name_ci", "postgresql": "sandbox_product_name_upper"}
    assert expected[connection.vendor] in explained


@pytest.mark.parametrize(
    ("filters", "indexes", "expected"),
    [
        ("LastName=*son", ["sandbox_user_last_name_trgm"], ["u2"]),
        ("search=SON&searchOn=LastName", ["sandbox_user_last_name_trgm"], ["u2"]),
        (
            "search=mar",
            [
                f"sandbox_user_{column}_trgm"
                for column in ("oc_id", "username", "first_name", "last_name", "email")
            ],
            ["u0", "u1"],
        ),
    ],
)
def test_patterns_and_searches_read_trigram_indexes_on_postgresql(
    marketplace, filters, indexes, expected
):
    """SQLite has no index for a pattern that does not start the value: it reads the
    company's rows, with the same answer."""
    explained, found = plan(users(marketplace), USERS, filters)

    assert found == expected
    if connection.vendor == "postgresql":
        assert all(index in explained for index in indexes), explained
