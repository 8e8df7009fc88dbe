"""What a buyer user pays (`sandbox.domain.pricing`), on models alone."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from sandbox.domain import pricing
from sandbox.models import PriceSchedule
from tests.sandbox import catalog_factories as make
from tests.sandbox import factories

NOW = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)


@pytest.fixture
def marketplace(db):
    return factories.marketplace("mkt")


@pytest.fixture
def shop(marketplace):
    b1 = make.buyer(marketplace, "b1")
    alice = make.buyer_user(marketplace, "alice")
    bob = make.buyer_user(marketplace, "bob")
    vip = make.group(marketplace, "vip", alice)
    zoo = make.group(marketplace, "zoo", alice)
    catalog = make.catalog(marketplace)
    make.give_catalog(catalog, b1)
    schedules = {
        name: make.schedule(marketplace, name, (1, price))
        for name, price in (("default", 10), ("buyer", 9), ("vip", 8), ("zoo", 7))
    }
    return locals()


def applied(user, *products):
    found = pricing.schedules_for(user, list(products))
    return [found[p.pk].oc_id if found[p.pk] else None for p in products]


class TestWhichSchedule:
    def test_a_groups_then_the_buyers_then_the_products_default(self, marketplace, shop):
        s = shop["schedules"]
        product = make.product(marketplace, "p", shop["catalog"], default_schedule=s["default"])

        assert applied(shop["alice"], product) == ["default"]

        make.give_product(product, shop["b1"], schedule=s["buyer"])

        assert applied(shop["alice"], product) == ["buyer"]

        make.give_product(product, shop["b1"], shop["vip"], schedule=s["vip"])

        assert applied(shop["alice"], product) == ["vip"]
        assert applied(shop["bob"], product) == ["buyer"]

    def test_of_several_groups_the_one_with_the_lowest_id(self, marketplace, shop):
        s = shop["schedules"]
        product = make.product(marketplace, "p", shop["catalog"])
        make.give_product(product, shop["b1"], shop["zoo"], schedule=s["zoo"])
        make.give_product(product, shop["b1"], shop["vip"], schedule=s["vip"])

        assert applied(shop["alice"], product) == ["vip"]

    def test_an_assignment_without_a_schedule_leaves_the_default(self, marketplace, shop):
        s = shop["schedules"]
        with_default = make.product(
            marketplace, "d", shop["catalog"], default_schedule=s["default"]
        )
        without = make.product(marketplace, "n", shop["catalog"])
        for product in (with_default, without):
            make.give_product(product, shop["b1"], shop["vip"])

        assert applied(shop["alice"], with_default, without) == ["default", None]

    def test_another_buyers_assignment_does_not_apply(self, marketplace, shop):
        b2 = make.buyer(marketplace, "b2")
        product = make.product(marketplace, "p", shop["catalog"])
        make.give_product(product, b2, schedule=shop["schedules"]["buyer"])

        assert applied(shop["alice"], product) == [None]

    def test_one_query_for_assignments_and_one_for_defaults(
        self, marketplace, shop, django_assert_num_queries
    ):
        s = shop["schedules"]
        products = [
            make.product(marketplace, f"p{n}", shop["catalog"], default_schedule=s["default"])
            for n in range(10)
        ]
        make.give_product(products[0], shop["b1"], schedule=s["buyer"])

        with django_assert_num_queries(2):
            found = applied(shop["alice"], *products)

        assert found == ["buyer"] + ["default"] * 9


@pytest.fixture
def tiered(marketplace):
    return make.schedule(marketplace, "tiered", (1, 10, 9), (10, 8), (50, 6.5, 5))


class TestPrices:
    def test_the_break_with_the_greatest_quantity_not_above(self, tiered):
        assert [pricing.price_break(tiered, q)["Quantity"] for q in (1, 9, 10, 49, 50, 900)] == [
            1,
            1,
            10,
            10,
            50,
            50,
        ]

    def test_below_every_break_there_is_no_price(self, marketplace):
        from_five = make.schedule(marketplace, "five", (5, 3))

        assert pricing.price_break(from_five, 4) is None
        assert pricing.unit_price(from_five, 4, NOW) is None
        assert pricing.unit_price(from_five, 5, NOW) == Decimal("3")

    def test_sale_prices_apply_between_sale_start_and_sale_end(self, tiered):
        tiered.sale_start, tiered.sale_end = NOW - HOUR, NOW + HOUR

        assert pricing.is_on_sale(tiered, NOW)
        assert [pricing.unit_price(tiered, q, NOW) for q in (1, 10, 50)] == [
            Decimal("9"),
            Decimal("8"),  # no SalePrice on this break
            Decimal("5"),
        ]
        assert pricing.unit_price(tiered, 1, NOW - 2 * HOUR) == Decimal("10")
        assert pricing.unit_price(tiered, 1, NOW + HOUR) == Decimal("10")  # SaleEnd: over

    def test_open_ended_sales(self, tiered):
        tiered.sale_start = NOW
        assert pricing.is_on_sale(tiered, NOW + timedelta(days=3650))
        tiered.sale_start, tiered.sale_end = None, NOW
        assert pricing.is_on_sale(tiered, NOW - timedelta(days=3650))
        tiered.sale_end = None
        assert pricing.is_on_sale(tiered, NOW)

    def test_no_sale_price_no_sale(self, marketplace):
        plain = make.schedule(marketplace, "plain", (1, 10), sale_start=NOW - HOUR)

        assert not pricing.is_on_sale(plain, NOW)

    def test_prices_are_exact_decimals(self, marketplace):
        cents = make.schedule(marketplace, "cents", (1, 0.1))

        assert pricing.unit_price(cents, 3, NOW) * 3 == Decimal("0.3")


class TestQuantities:
    def test_min_and_max_quantity(self, marketplace):
        schedule = make.schedule(marketplace, "s", (1, 10), min_quantity=2, max_quantity=5)

        assert pricing.quantity_problem(schedule, 1).code == "MinQuantity"
        assert pricing.quantity_problem(schedule, 2) is None
        assert pricing.quantity_problem(schedule, 5) is None
        assert pricing.quantity_problem(schedule, 6).code == "MaxQuantity"

    def test_restricted_quantity_only_the_breaks(self, marketplace):
        schedule = make.schedule(marketplace, "s", (1, 10), (12, 9), restricted_quantity=True)

        assert [q for q in range(1, 14) if pricing.quantity_problem(schedule, q) is None] == [1, 12]
        assert pricing.quantity_problem(schedule, 5).message == "Quantity must be one of: 1, 12."


def test_a_schedule_read_back_keeps_its_breaks(marketplace, tiered):
    assert PriceSchedule.objects.get(pk=tiered.pk).price_breaks == tiered.price_breaks
