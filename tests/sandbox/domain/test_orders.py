"""Orders on models alone: line amounts and totals (`sandbox.domain.orders`), a line's price
(`sandbox.domain.line_items`), stock (`sandbox.domain.inventory`), shipping
(`sandbox.domain.shipments`)."""

from decimal import Decimal

import pytest

from sandbox.api.errors import ApiError
from sandbox.domain import inventory, orders, shipments
from sandbox.domain import line_items as lines
from sandbox.models import LineItem, Order, Product, Shipment, Spec, SpecOption
from tests.sandbox import catalog_factories as make
from tests.sandbox import factories


@pytest.fixture
def shop(db):
    marketplace = factories.marketplace("mkt")
    buyer = make.buyer(marketplace, "b1")
    alice = make.buyer_user(marketplace, "alice")
    catalog = make.catalog(marketplace)
    make.give_catalog(catalog, buyer, products=True)
    tee = make.schedule(marketplace, "tee-price", (1, 10), (5, 8))
    make.product(marketplace, "tee", catalog, default_schedule=tee)
    order = Order.objects.create(
        marketplace=marketplace,
        oc_id="o1",
        from_user=alice,
        from_user_oc_id="alice",
        from_company_id="b1",
        to_company_id="mkt",
    )
    return order


def line(order, quantity, **fields):
    return LineItem(
        marketplace=order.marketplace,
        order=order,
        oc_id=f"l{quantity}",
        product_id="tee",
        quantity=quantity,
        specs=fields.pop("specs", []),
        **fields,
    )


class TestAmounts:
    def test_line_subtotal_and_total(self):
        item = LineItem(unit_price=Decimal("2.50"), quantity=3, promotion_discount=1, specs=[])

        orders.line_amounts(item)

        assert (item.line_subtotal, item.line_total) == (Decimal("7.50"), Decimal("6.50"))

    def test_an_amount_total_markup_is_added_once(self):
        specs = [{"PriceMarkupType": "AmountTotal", "PriceMarkup": 4}]
        item = LineItem(unit_price=Decimal(2), quantity=3, promotion_discount=0, specs=specs)

        orders.line_amounts(item)

        assert item.line_subtotal == Decimal(10)

    def test_order_totals(self, shop):
        for quantity in (1, 5):
            priced = line(shop, quantity)
            lines.price(priced, shop)
            priced.save()
        shop.shipping_cost, shop.tax_cost = 3, Decimal("1.5")

        orders.recalculate(shop)

        assert (shop.line_item_count, shop.subtotal, shop.total) == (2, 50, Decimal("54.5"))


class TestPricing:
    def test_the_break_for_the_quantity(self, shop):
        small, large = line(shop, 4), line(shop, 5)

        lines.price(small, shop)
        lines.price(large, shop)

        assert (small.unit_price, large.unit_price) == (10, 8)
        assert (small.price_schedule_id, small.product["ID"]) == ("tee-price", "tee")

    def test_spec_markups(self, shop):
        spec = Spec.objects.create(marketplace=shop.marketplace, oc_id="gift", name="Gift wrap")
        SpecOption.objects.create(
            marketplace=shop.marketplace,
            spec=spec,
            oc_id="yes",
            value="Yes",
            price_markup_type="Percentage",
            price_markup=10,
        )
        item = line(shop, 2, specs=[{"SpecID": "gift", "OptionID": "yes"}])

        lines.price(item, shop)

        assert item.unit_price == 11
        assert item.specs[0] == {
            "SpecID": "gift",
            "Name": "Gift wrap",
            "OptionID": "yes",
            "Value": "Yes",
            "PriceMarkupType": "Percentage",
            "PriceMarkup": 10.0,
        }

    def test_an_override(self, shop):
        item = line(shop, 2)

        lines.price(item, shop, overridden=Decimal("1.25"))

        assert (item.unit_price, item.price_overridden, item.line_subtotal) == (
            Decimal("1.25"),
            True,
            Decimal("2.50"),
        )


class TestInventory:
    def test_check_take_and_give_back(self, shop):
        product = Product.objects.get(oc_id="tee")
        product.inventory = {"Enabled": True, "QuantityAvailable": 5}
        product.save()
        item = line(shop, 6)

        with pytest.raises(ApiError) as refused:
            inventory.check(product, None, 6)
        item.quantity = 5
        inventory.take(shop.marketplace, [item])
        after_take = Product.objects.get(oc_id="tee").inventory["QuantityAvailable"]
        inventory.give_back(shop.marketplace, [item])

        assert refused.value.code == "Inventory.Insufficient"
        assert after_take == 0
        assert Product.objects.get(oc_id="tee").inventory["QuantityAvailable"] == 5

    def test_untracked_products_are_not_counted(self, shop):
        product = Product.objects.get(oc_id="tee")

        inventory.check(product, None, 10**6)

        assert inventory.tracked(product, None) is None


class TestWorkflow:
    def test_submit_then_ship_everything_completes(self, shop):
        item = line(shop, 2)
        lines.price(item, shop)
        item.save()

        submitted = orders.submit(shop)
        shipment = Shipment.objects.create(marketplace=shop.marketplace, oc_id="s1")
        shipments.ship_order(shipment, submitted)

        shop.refresh_from_db()
        assert (shop.status, shop.is_submitted) == ("Completed", True)
        assert LineItem.objects.get(pk=item.pk).quantity_shipped == 2

    def test_refusals(self, shop):
        with pytest.raises(ApiError) as empty:
            orders.submit(shop)
        with pytest.raises(ApiError) as not_open:
            orders.complete(shop)

        assert empty.value.code == "Order.CannotSubmitWithNoLineItems"
        assert (not_open.value.code, not_open.value.message) == (
            "Order.CannotCompleteBadStatus",
            "Cannot complete an order with status Unsubmitted.",
        )
