"""Orders over the API: directions, line items and their prices, totals after every kind of
change, the status workflow with its refusals, shipping, forwarding, and /me."""

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.utils import timezone

from sandbox.models import Order, PriceSchedule, Product
from tests.sandbox.api import error
from tests.sandbox.orders_setup import shop as make_shop

ADDRESS = {"Street1": "2 Oak St", "City": "Austin", "State": "TX", "Zip": "78701", "Country": "US"}


@pytest.fixture
def shop(db, client):
    return make_shop(client)


def ok(response, status=HTTPStatus.OK):
    assert response.status_code == status, response.content
    return response.json() if response.content else None


def cart(shop, *lines, order_id="o1", api=None):
    """An order of alice's with (product, quantity) line items l1, l2, ..."""
    api = api or shop.alice
    ok(api.post("/orders/Outgoing", {"ID": order_id}), HTTPStatus.CREATED)
    for n, (product, quantity) in enumerate(lines, 1):
        body = {"ID": f"l{n}", "ProductID": product, "Quantity": quantity}
        ok(api.post(f"/orders/Outgoing/{order_id}/lineitems", body), HTTPStatus.CREATED)
    return order_id


def submitted(shop, *lines, order_id="o1"):
    cart(shop, *lines, order_id=order_id)
    return ok(shop.alice.post(f"/orders/Outgoing/{order_id}/submit"), HTTPStatus.CREATED)


def refusal(response, code):
    assert response.status_code == HTTPStatus.BAD_REQUEST, response.content
    assert response.json()["Errors"][0]["ErrorCode"] == code, response.content
    return response.json()["Errors"][0]


class TestCreate:
    def test_a_buyer_user_creates_an_outgoing_order_to_the_marketplace(self, shop):
        order = ok(shop.alice.post("/orders/Outgoing", {"ID": "o1", "Comments": "hi"}), 201)

        assert {k: order[k] for k in ("ID", "FromCompanyID", "ToCompanyID", "FromUserID")} == {
            "ID": "o1",
            "FromCompanyID": "b1",
            "ToCompanyID": "mkt",
            "FromUserID": "alice",
        }
        assert order["FromUser"]["Username"] == "alice"
        assert (order["Status"], order["IsSubmitted"], order["LineItemCount"]) == (
            "Unsubmitted",
            False,
            0,
        )
        assert (order["Subtotal"], order["Total"], order["PromotionDiscount"]) == (0, 0, 0)
        assert order["Currency"] == "USD"
        assert order["Comments"] == "hi"

    def test_the_marketplace_creates_an_incoming_order_for_a_buyer_user(self, shop):
        order = ok(shop.admin.post("/orders/Incoming", {"ID": "o1", "FromUserID": "bob"}), 201)

        assert (order["FromUserID"], order["FromCompanyID"], order["ToCompanyID"]) == (
            "bob",
            "b1",
            "mkt",
        )

    def test_refusals(self, shop):
        refusal(shop.alice.post("/orders/Incoming", {}), "ValidationFailure")
        refusal(shop.alice.post("/orders/All", {}), "ValidationFailure")
        refusal(shop.alice.post("/orders/Sideways", {}), "ValidationFailure")
        refusal(shop.admin.post("/orders/Incoming", {}), "ValidationFailure")
        refusal(shop.admin.post("/orders/Outgoing", {}), "ValidationFailure")
        missing = shop.alice.post("/orders/Outgoing", {"ToCompanyID": "nobody"})
        assert missing.status_code == HTTPStatus.NOT_FOUND
        assert shop.admin.post("/orders/Incoming", {"FromUserID": "x"}).status_code == 404

    def test_an_order_id_is_unique_in_the_marketplace(self, shop):
        cart(shop)

        response = shop.carol.post("/orders/Outgoing", {"ID": "o1"})

        assert response.status_code == HTTPStatus.CONFLICT
        assert response.json()["Errors"][0]["ErrorCode"] == "IdExists"

    def test_shipping_and_tax_need_their_override_roles(self, shop):
        response = shop.alice.post("/orders/Outgoing", {"ShippingCost": 5})

        assert response.status_code == HTTPStatus.FORBIDDEN
        assert response.json()["Errors"][0]["Data"] == {
            "SufficientRoles": ["FullAccess", "OverrideShipping"]
        }


class TestDirections:
    def test_who_sees_which_order(self, shop):
        cart(shop, ("tee", 1))
        cart(shop, ("tee", 1), order_id="o2", api=shop.bob)
        ok(shop.alice.post("/orders/Outgoing/o1/submit"), 201)

        assert shop.alice.get("/orders/Outgoing/o1").status_code == 200
        assert shop.bob.get("/orders/Outgoing/o1").status_code == 404  # not his
        assert shop.carol.get("/orders/Outgoing/o1").status_code == 404
        assert shop.alice.get("/orders/Incoming/o1").status_code == 404  # a buyer receives none
        assert shop.admin.get("/orders/Incoming/o1").status_code == 200
        assert shop.admin.get("/orders/Outgoing/o1").status_code == 404
        assert shop.admin.get("/orders/All/o1").status_code == 200
        incoming = ok(shop.admin.get("/orders/Incoming", sortBy="ID"))
        assert [o["ID"] for o in incoming["Items"]] == ["o1", "o2"]  # FullAccess reads carts

    def test_incoming_carts_need_unsubmitted_order_reader(self, shop, client):
        from tests.sandbox.api import api_for

        cart(shop, ("tee", 1))
        cart(shop, ("tee", 1), order_id="o2")
        ok(shop.alice.post("/orders/Outgoing/o1/submit"), 201)
        reader = api_for(client, shop.marketplace, ("OrderReader",))

        listed = ok(reader.get("/orders/Incoming"))

        assert [o["ID"] for o in listed["Items"]] == ["o1"]
        assert reader.get("/orders/Incoming/o2").status_code == 404

    def test_list_filters_sorts_and_pages(self, shop):
        for n in range(3):
            submitted(shop, ("tee", n + 1), order_id=f"o{n}")
        Order.objects.filter(oc_id="o0").update(date_submitted=timezone.now() - timedelta(days=5))
        since = (timezone.now() - timedelta(days=1)).isoformat()

        page = ok(
            shop.admin.get(
                "/orders/Incoming",
                Status="Open",
                sortBy="!Total",
                pageSize=1,
                page=2,
                buyerID="b1",
                **{"from": since},
            )
        )

        assert page["Meta"]["TotalCount"] == 2
        assert [o["ID"] for o in page["Items"]] == ["o1"]
        assert ok(shop.admin.get("/orders/Incoming", buyerID="b2"))["Meta"]["TotalCount"] == 0
        assert ok(shop.admin.get("/orders/Incoming", Total=">15"))["Meta"]["TotalCount"] == 2

    def test_orders_list_is_not_for_shoppers(self, shop):
        assert shop.alice.get("/orders/Outgoing").status_code == HTTPStatus.FORBIDDEN
        cart(shop)
        assert [o["ID"] for o in ok(shop.alice.get("/me/orders"))["Items"]] == ["o1"]
        assert ok(shop.bob.get("/me/orders"))["Meta"]["TotalCount"] == 0


class TestLineItems:
    def test_priced_from_the_schedule_and_its_breaks(self, shop):
        cart(shop, ("tee", 9), ("tee", 10))

        lines = ok(shop.alice.get("/orders/Outgoing/o1/lineitems", sortBy="ID"))["Items"]

        assert [(li["UnitPrice"], li["LineSubtotal"], li["LineTotal"]) for li in lines] == [
            (10, 90, 90),
            (8, 80, 80),
        ]
        assert lines[0]["PriceScheduleID"] == "tee-price"
        assert lines[0]["Product"]["ID"] == "tee"
        assert lines[0]["PriceOverridden"] is False

    def test_the_sale_price_applies_between_its_dates(self, shop):
        now = timezone.now()
        schedule = PriceSchedule.objects.get(oc_id="tee-price")
        schedule.price_breaks = [
            {"Quantity": 1, "Price": 10, "SalePrice": 9},
            {"Quantity": 10, "Price": 8, "SalePrice": 7},
        ]
        schedule.sale_start, schedule.sale_end = now - timedelta(days=1), now + timedelta(days=1)
        schedule.save()
        cart(shop, ("tee", 1), ("tee", 10))
        schedule.sale_end = now - timedelta(hours=1)
        schedule.save()
        ok(
            shop.alice.post(
                "/orders/Outgoing/o1/lineitems", {"ID": "l3", "ProductID": "tee", "Quantity": 1}
            ),
            201,
        )

        lines = ok(shop.alice.get("/orders/Outgoing/o1/lineitems", sortBy="ID"))["Items"]

        assert [li["UnitPrice"] for li in lines] == [9, 7, 10]

    def test_cumulative_quantity_prices_the_products_lines_together(self, shop):
        PriceSchedule.objects.filter(oc_id="tee-price").update(use_cumulative_quantity=True)
        cart(shop, ("tee", 5))
        assert ok(shop.alice.get("/orders/Outgoing/o1/lineitems/l1"))["UnitPrice"] == 10

        body = {"ID": "l2", "ProductID": "tee", "Quantity": 5}
        ok(shop.alice.post("/orders/Outgoing/o1/lineitems", body), 201)

        lines = ok(shop.alice.get("/orders/Outgoing/o1/lineitems", sortBy="ID"))["Items"]
        assert [li["UnitPrice"] for li in lines] == [8, 8]
        assert ok(shop.alice.get("/orders/Outgoing/o1"))["Subtotal"] == 80
        ok(shop.alice.delete("/orders/Outgoing/o1/lineitems/l2"), 204)
        assert ok(shop.alice.get("/orders/Outgoing/o1/lineitems/l1"))["UnitPrice"] == 10

    def test_quantity_rules(self, shop):
        PriceSchedule.objects.filter(oc_id="tee-price").update(min_quantity=2, max_quantity=20)
        cart(shop)
        path = "/orders/Outgoing/o1/lineitems"

        low = refusal(shop.alice.post(path, {"ProductID": "tee", "Quantity": 1}), "InvalidQuantity")
        high = refusal(
            shop.alice.post(path, {"ProductID": "tee", "Quantity": 21}), "InvalidQuantity"
        )
        PriceSchedule.objects.filter(oc_id="tee-price").update(restricted_quantity=True)
        odd = refusal(shop.alice.post(path, {"ProductID": "tee", "Quantity": 5}), "InvalidQuantity")

        assert low == {
            "ErrorCode": "InvalidQuantity",
            "Message": "Quantity must be at least 2.",
            "Data": {"ProductID": "tee", "Quantity": 1, "Rule": "MinQuantity"},
        }
        assert high["Data"]["Rule"] == "MaxQuantity"
        assert (odd["Data"]["Rule"], odd["Message"]) == (
            "RestrictedQuantity",
            "Quantity must be one of: 1, 10.",
        )
        assert ok(shop.alice.post(path, {"ProductID": "tee", "Quantity": 10}), 201)
        body = {"ProductID": "tee", "Quantity": 0}
        assert refusal(shop.alice.post(path, body), "ValidationFailure")["Data"] == {
            "Field": "Quantity"
        }

    def test_inventory(self, shop):
        cart(shop)
        path = "/orders/Outgoing/o1/lineitems"

        refused = refusal(
            shop.alice.post(path, {"ProductID": "mug", "Quantity": 4}), "Inventory.Insufficient"
        )

        assert refused["Data"] == {
            "ProductID": "mug",
            "QuantityAvailable": 3,
            "QuantityRequested": 4,
        }
        ok(shop.alice.post(path, {"ID": "l1", "ProductID": "mug", "Quantity": 3}), 201)
        ok(shop.alice.post("/orders/Outgoing/o1/submit"), 201)
        assert Product.objects.get(oc_id="mug").inventory["QuantityAvailable"] == 0
        cart(shop, order_id="o2", api=shop.bob)
        refusal(
            shop.bob.post("/orders/Outgoing/o2/lineitems", {"ProductID": "mug", "Quantity": 1}),
            "Inventory.Insufficient",
        )
        ok(shop.alice.post("/orders/Outgoing/o1/cancel"), 201)
        assert Product.objects.get(oc_id="mug").inventory["QuantityAvailable"] == 3

    def test_order_can_exceed(self, shop):
        mug = Product.objects.get(oc_id="mug")
        mug.inventory = {**mug.inventory, "OrderCanExceed": True}
        mug.save()

        submitted(shop, ("mug", 5))

        assert Product.objects.get(oc_id="mug").inventory["QuantityAvailable"] == -2

    def test_submit_rechecks_inventory_taken_meanwhile(self, shop):
        cart(shop, ("mug", 2))
        cart(shop, ("mug", 2), order_id="o2", api=shop.bob)
        ok(shop.alice.post("/orders/Outgoing/o1/submit"), 201)

        refusal(shop.bob.post("/orders/Outgoing/o2/submit"), "Inventory.Insufficient")

        assert ok(shop.bob.get("/orders/Outgoing/o2"))["Status"] == "Unsubmitted"

    def test_a_product_the_user_cannot_see_cannot_be_ordered(self, shop):
        cart(shop)

        response = shop.alice.post(
            "/orders/Outgoing/o1/lineitems", {"ProductID": "hidden", "Quantity": 1}
        )

        assert response.status_code == HTTPStatus.NOT_FOUND
        assert response.json() == error(
            "NotFound", "Product not found: hidden", {"ObjectType": "Product", "ObjectID": "hidden"}
        )

    def test_unit_price_is_the_callers_only_with_override_unit_price(self, shop, client):
        from tests.sandbox.api import api_for

        cart(shop)
        body = {"ID": "l1", "ProductID": "tee", "Quantity": 2, "UnitPrice": 1}
        ignored = ok(shop.alice.post("/orders/Outgoing/o1/lineitems", body), 201)
        assert (ignored["UnitPrice"], ignored["PriceOverridden"]) == (10, False)
        body["ID"] = "l2"
        admin = api_for(
            client, shop.marketplace, ("OrderAdmin", "OverrideUnitPrice", "UnsubmittedOrderReader")
        )

        line = ok(admin.post("/orders/Incoming/o1/lineitems", body), 201)

        assert (line["UnitPrice"], line["LineSubtotal"], line["PriceOverridden"]) == (1, 2, True)

    def test_line_items_across_orders(self, shop):
        submitted(shop, ("tee", 1), ("widget", 2))
        cart(shop, ("tee", 3), order_id="o2", api=shop.carol)
        ok(shop.carol.post("/orders/Outgoing/o2/submit"), 201)

        page = ok(shop.admin.get("/lineitems/Incoming", buyerID="b1", sortBy="ID"))

        assert [(li["OrderID"], li["ID"]) for li in page["Items"]] == [("o1", "l1"), ("o1", "l2")]
        assert page["Items"][0]["Order"]["FromUserID"] == "alice"

    def test_shipping_addresses(self, shop):
        cart(shop, ("tee", 1), ("tee", 2))

        line = ok(shop.alice.put("/orders/Outgoing/o1/lineitems/l1/shipto", ADDRESS))
        patched = ok(shop.alice.patch("/orders/Outgoing/o1/lineitems/l1/shipto", {"Zip": "1"}))
        by_id = ok(
            shop.alice.patch("/orders/Outgoing/o1/lineitems/l2", {"ShippingAddressID": "hq"})
        )

        assert line["ShippingAddress"]["City"] == "Austin"
        assert (patched["ShippingAddress"]["City"], patched["ShippingAddress"]["Zip"]) == (
            "Austin",
            "1",
        )
        assert by_id["ShippingAddress"]["Street1"] == "1 Main St"
        missing = shop.alice.patch("/orders/Outgoing/o1/lineitems/l2", {"ShippingAddressID": "x"})
        assert missing.status_code == HTTPStatus.NOT_FOUND


class TestTotals:
    def test_after_each_kind_of_change(self, shop, client):
        from tests.sandbox.api import api_for

        def totals():
            order = ok(shop.alice.get("/orders/Outgoing/o1"))
            keys = ("LineItemCount", "Subtotal", "ShippingCost", "TaxCost", "Total")
            return tuple(order[k] for k in keys)

        cart(shop, ("tee", 2))
        assert totals() == (1, 20, 0, 0, 20)
        ok(
            shop.alice.post(
                "/orders/Outgoing/o1/lineitems", {"ID": "l2", "ProductID": "widget", "Quantity": 1}
            ),
            201,
        )
        assert totals() == (2, 22, 0, 0, 22)
        ok(shop.alice.patch("/orders/Outgoing/o1/lineitems/l1", {"Quantity": 10}))
        assert totals() == (2, 82, 0, 0, 82)
        ok(shop.alice.put("/orders/Outgoing/o1/lineitems/l2", {"ProductID": "tee", "Quantity": 1}))
        assert totals() == (2, 90, 0, 0, 90)
        admin = api_for(
            client,
            shop.marketplace,
            ("OrderAdmin", "OverrideShipping", "OverrideTax", "UnsubmittedOrderReader"),
        )
        ok(admin.patch("/orders/Incoming/o1", {"ShippingCost": 5.5, "TaxCost": 1.25}))
        assert totals() == (2, 90, 5.5, 1.25, 96.75)
        ok(shop.alice.delete("/orders/Outgoing/o1/lineitems/l1"), 204)
        assert totals() == (1, 10, 5.5, 1.25, 16.75)

    def test_amounts_beyond_what_is_stored_are_refused(self, shop):
        cart(shop, ("tee", 1))
        admin = shop.admin

        big = admin.patch("/orders/Incoming/o1", {"ShippingCost": 1e300})
        line = {"ProductID": "tee", "Quantity": 2**31 - 1, "UnitPrice": 1e9}
        huge = admin.post("/orders/Incoming/o1/lineitems", line)
        cost = admin.post("/shipments", {"Cost": -1e20})

        assert refusal(big, "ValidationFailure")["Data"] == {"Field": "ShippingCost"}
        assert refusal(huge, "ValidationFailure")["Data"] == {"Field": "Quantity"}
        assert refusal(cost, "ValidationFailure")["Data"] == {"Field": "Cost"}

    def test_promotion_discount_comes_off_the_total(self, shop):
        cart(shop, ("tee", 2))
        promotion = {"Code": "THREE", "EligibleExpression": "true", "ValueExpression": "3"}
        ok(shop.admin.post("/promotions", {**promotion, "AllowAllBuyers": True}), 201)
        ok(shop.alice.post("/orders/Outgoing/o1/promotions/THREE"), 201)
        ok(shop.alice.patch("/orders/Outgoing/o1/lineitems/l1", {"Quantity": 3}))

        order = ok(shop.alice.get("/orders/Outgoing/o1"))

        assert (order["Subtotal"], order["PromotionDiscount"], order["Total"]) == (30, 3, 27)


class TestWorkflow:
    def test_submit(self, shop):
        order = submitted(shop, ("tee", 1))

        assert (order["Status"], order["IsSubmitted"]) == ("Open", True)
        assert order["DateSubmitted"] is not None

    def test_submit_refusals(self, shop):
        cart(shop)
        empty = refusal(
            shop.alice.post("/orders/Outgoing/o1/submit"), "Order.CannotSubmitWithNoLineItems"
        )
        assert empty == {
            "ErrorCode": "Order.CannotSubmitWithNoLineItems",
            "Message": "Cannot submit an order with no line items.",
            "Data": {"OrderID": "o1"},
        }
        ok(
            shop.alice.post("/orders/Outgoing/o1/lineitems", {"ProductID": "tee", "Quantity": 1}),
            201,
        )
        ok(shop.alice.post("/orders/Outgoing/o1/submit"), 201)

        again = refusal(
            shop.alice.post("/orders/Outgoing/o1/submit"), "Order.CannotSubmitBadStatus"
        )

        assert again["Message"] == "Cannot submit an order with status Open."

    def test_validate(self, shop):
        cart(shop)
        refusal(
            shop.alice.post("/orders/Outgoing/o1/validate"), "Order.CannotSubmitWithNoLineItems"
        )
        ok(
            shop.alice.post("/orders/Outgoing/o1/lineitems", {"ProductID": "tee", "Quantity": 1}),
            201,
        )

        response = shop.alice.post("/orders/Outgoing/o1/validate")

        assert (response.status_code, response.content) == (204, b"")

    @pytest.mark.parametrize(
        ("setup", "action", "allowed"),
        [
            # (how far the order goes first, the action, whether it is allowed there)
            ("Unsubmitted", "cancel", False),
            ("Open", "cancel", True),
            ("Canceled", "cancel", False),
            ("Completed", "cancel", False),
            ("Unsubmitted", "complete", False),
            ("Open", "complete", True),
            ("Canceled", "complete", False),
            ("Completed", "complete", False),
            ("Unsubmitted", "ship", False),
            ("Open", "ship", True),
            ("Canceled", "ship", False),
            ("Completed", "ship", False),
            ("Canceled", "submit", False),
            ("Completed", "submit", False),
            ("Unsubmitted", "forward", False),
            ("Open", "forward", True),
            ("Unsubmitted", "split", False),
            ("Completed", "split", False),
        ],
    )
    def test_transitions(self, shop, setup, action, allowed):
        cart(shop, ("tee", 1), ("widget", 1))
        if setup != "Unsubmitted":
            ok(shop.alice.post("/orders/Outgoing/o1/submit"), 201)
        if setup in ("Canceled", "Completed"):
            verb = {"Canceled": "cancel", "Completed": "complete"}[setup]
            ok(shop.admin.post(f"/orders/Incoming/o1/{verb}"), 201)

        response = shop.admin.post(
            f"/orders/Incoming/o1/{action}", {} if action == "ship" else None
        )

        if allowed:
            assert response.status_code in (200, 201), response.content
        else:
            verb = action.title()
            refused = refusal(response, f"Order.Cannot{verb}BadStatus")
            assert refused["Message"] == f"Cannot {action} an order with status {setup}."

    def test_cancel_and_complete_stamp_their_dates(self, shop):
        submitted(shop, ("tee", 1))
        submitted(shop, ("tee", 1), order_id="o2")

        canceled = ok(shop.alice.post("/orders/Outgoing/o1/cancel"), 201)
        completed = ok(shop.admin.post("/orders/Incoming/o2/complete"), 201)

        assert (canceled["Status"], canceled["DateCanceled"] is not None) == ("Canceled", True)
        assert (completed["Status"], completed["DateCompleted"] is not None) == ("Completed", True)
        assert shop.alice.post("/orders/Outgoing/o2/complete").status_code == 403

    def test_a_submitted_order_is_not_changed_by_its_shopper(self, shop):
        submitted(shop, ("tee", 1))

        for response in (
            shop.alice.patch("/orders/Outgoing/o1", {"Comments": "late"}),
            shop.alice.post("/orders/Outgoing/o1/lineitems", {"ProductID": "tee", "Quantity": 1}),
            shop.alice.patch("/orders/Outgoing/o1/lineitems/l1", {"Quantity": 2}),
            shop.alice.delete("/orders/Outgoing/o1/lineitems/l1"),
            shop.alice.put("/orders/Outgoing/o1/billto", ADDRESS),
            shop.alice.put("/orders/Outgoing/o1/shipto", ADDRESS),
            shop.alice.delete("/orders/Outgoing/o1"),
        ):
            assert response.json()["Errors"][0]["ErrorCode"].endswith("BadStatus"), response.content
        assert ok(shop.admin.patch("/orders/Incoming/o1", {"Comments": "noted"}))["Comments"] == (
            "noted"
        )

    def test_delete_an_unsubmitted_order(self, shop):
        cart(shop, ("tee", 1))

        ok(shop.alice.delete("/orders/Outgoing/o1"), 204)

        assert shop.alice.get("/orders/Outgoing/o1").status_code == 404


class TestAddresses:
    def test_billing_address(self, shop):
        cart(shop)

        order = ok(shop.alice.put("/orders/Outgoing/o1/billto", ADDRESS))
        patched = ok(shop.alice.patch("/orders/Outgoing/o1/billto", {"City": "Dallas"}))
        by_id = ok(shop.alice.patch("/orders/Outgoing/o1", {"BillingAddressID": "hq"}))

        assert order["BillingAddress"]["Street1"] == "2 Oak St"
        assert (patched["BillingAddress"]["Street1"], patched["BillingAddress"]["City"]) == (
            "2 Oak St",
            "Dallas",
        )
        assert (by_id["BillingAddressID"], by_id["BillingAddress"]["City"]) == ("hq", "Minneapolis")
        refusal(shop.alice.put("/orders/Outgoing/o1/billto", {"City": "x"}), "ValidationFailure")

    def test_shipping_address_goes_to_every_line_item(self, shop):
        cart(shop, ("tee", 1), ("widget", 1))

        ok(shop.alice.put("/orders/Outgoing/o1/shipto", ADDRESS))
        ok(shop.alice.patch("/orders/Outgoing/o1/shipto", {"Zip": "78702"}))

        lines = ok(shop.alice.get("/orders/Outgoing/o1/lineitems"))["Items"]
        assert [li["ShippingAddress"]["Zip"] for li in lines] == ["78702", "78702"]
        ok(shop.alice.patch("/orders/Outgoing/o1", {"ShippingAddressID": "hq"}))
        lines = ok(shop.alice.get("/orders/Outgoing/o1/lineitems"))["Items"]
        assert [li["ShippingAddressID"] for li in lines] == ["hq", "hq"]

    def test_patch_from_user(self, shop):
        cart(shop)

        order = ok(shop.admin.patch("/orders/Incoming/o1/fromuser", {"FirstName": "Alicia"}))

        assert order["FromUser"]["FirstName"] == "Alicia"
        shop.alice_user.refresh_from_db()
        assert shop.alice_user.first_name == "Alicia"


class TestShipping:
    def test_ship_items_then_complete(self, shop):
        submitted(shop, ("tee", 3), ("widget", 1))
        ok(shop.admin.post("/shipments", {"ID": "s1", "Shipper": "UPS"}), 201)

        item = ok(
            shop.admin.post(
                "/shipments/s1/items", {"OrderID": "o1", "LineItemID": "l1", "QuantityShipped": 2}
            )
        )

        assert (
            item["OrderID"],
            item["LineItemID"],
            item["QuantityShipped"],
            item["UnitPrice"],
        ) == (
            "o1",
            "l1",
            2,
            10,
        )
        assert ok(shop.admin.get("/orders/Incoming/o1/lineitems/l1"))["QuantityShipped"] == 2
        assert ok(shop.admin.get("/shipments/s1"))["BuyerID"] == "b1"
        too_many = {"OrderID": "o1", "LineItemID": "l1", "QuantityShipped": 4}
        refusal(
            shop.admin.post("/shipments/s1/items", too_many),
            "ShipmentItem.QuantityExceedsUnshipped",
        )
        assert ok(shop.admin.get("/orders/Incoming/o1"))["Status"] == "Open"
        ok(shop.admin.post("/orders/Incoming/o1/complete"), 201)

    def test_ship_the_whole_order_completes_it(self, shop):
        submitted(shop, ("tee", 3), ("widget", 1))

        order = ok(
            shop.admin.post("/orders/Incoming/o1/ship", {"ID": "s1", "Shipper": "FedEx"}), 201
        )

        assert order["Status"] == "Completed"
        items = ok(shop.admin.get("/shipments/s1/items"))["Items"]
        assert [(i["LineItemID"], i["QuantityShipped"]) for i in items] == [("l1", 3), ("l2", 1)]
        shipments = ok(shop.admin.get("/orders/Incoming/o1/shipments"))["Items"]
        assert [s["ID"] for s in shipments] == ["s1"]
        assert [s["ID"] for s in ok(shop.admin.get("/shipments", orderID="o1"))["Items"]] == ["s1"]

    def test_delete_item_and_shipment_unship(self, shop):
        submitted(shop, ("tee", 3))
        ok(shop.admin.post("/shipments", {"ID": "s1"}), 201)
        ok(
            shop.admin.post(
                "/shipments/s1/items", {"OrderID": "o1", "LineItemID": "l1", "QuantityShipped": 1}
            )
        )
        ok(shop.admin.post("/shipments", {"ID": "s2"}), 201)
        ok(
            shop.admin.post(
                "/shipments/s2/items", {"OrderID": "o1", "LineItemID": "l1", "QuantityShipped": 1}
            )
        )

        ok(shop.admin.delete("/shipments/s1/items/o1/l1"), 204)
        assert ok(shop.admin.get("/orders/Incoming/o1/lineitems/l1"))["QuantityShipped"] == 1
        ok(shop.admin.delete("/shipments/s2"), 204)
        assert ok(shop.admin.get("/orders/Incoming/o1/lineitems/l1"))["QuantityShipped"] == 0
        assert shop.admin.get("/shipments/s1/items/o1/l1").status_code == 404

    def test_addresses(self, shop):
        ok(shop.admin.post("/shipments", {"ID": "s1", "ToAddressID": "hq", "BuyerID": "b1"}), 201)

        shipment = ok(shop.admin.put("/shipments/s1/shipfrom", ADDRESS))

        assert shipment["FromAddress"]["City"] == "Austin"
        assert shipment["ToAddress"]["Street1"] == "1 Main St"
        assert ok(shop.admin.put("/shipments/s1/shipto", ADDRESS))["ToAddress"]["City"] == "Austin"
        assert shop.admin.post("/shipments", {"BuyerID": "nobody"}).status_code == 404

    def test_the_buyer_sees_its_shipments(self, shop):
        submitted(shop, ("tee", 1))
        cart(shop, ("tee", 1), order_id="o2", api=shop.carol)
        ok(shop.carol.post("/orders/Outgoing/o2/submit"), 201)
        ok(shop.admin.post("/orders/Incoming/o1/ship", {"ID": "s1"}), 201)
        ok(shop.admin.post("/orders/Incoming/o2/ship", {"ID": "s2"}), 201)

        mine = ok(shop.alice.get("/me/shipments"))

        assert [s["ID"] for s in mine["Items"]] == ["s1"]
        assert ok(shop.alice.get("/me/shipments/s1"))["ID"] == "s1"
        assert shop.alice.get("/me/shipments/s2").status_code == 404
        items = ok(shop.alice.get("/me/shipments/s1/items"))["Items"]
        assert [(i["OrderID"], i["LineItemID"]) for i in items] == [("o1", "l1")]
        assert ok(shop.alice.get("/me/shipments", orderID="o2"))["Meta"]["TotalCount"] == 0


class TestForwarding:
    def test_split_and_forward_to_suppliers(self, shop):
        submitted(shop, ("tee", 1), ("widget", 2))

        split = ok(shop.admin.post("/orders/Incoming/o1/split"))

        assert split["RemainingLineItemIDs"] == ["l1"]
        [outgoing] = split["OutgoingOrders"]
        assert (outgoing["ID"], outgoing["FromCompanyID"], outgoing["ToCompanyID"]) == (
            "o1-s1",
            "mkt",
            "s1",
        )
        assert (outgoing["Status"], outgoing["Subtotal"], outgoing["LineItemCount"]) == (
            "Unsubmitted",
            4,
            1,
        )
        forwarded = ok(shop.admin.post("/orders/Incoming/o1/forward"))
        assert forwarded["OutgoingOrders"][0]["Status"] == "Open"
        assert ok(shop.admin.get("/orders/Outgoing/o1-s1"))["Status"] == "Open"


class TestSuppliers:
    def test_a_supplier_receives_a_forwarded_order_and_ships_it(self, shop, client):
        from sandbox.models import User
        from tests.sandbox import factories
        from tests.sandbox.api import api_for

        submitted(shop, ("tee", 1), ("widget", 2))
        ok(shop.admin.post("/orders/Incoming/o1/forward"))
        seller = factories.user(
            shop.marketplace, "sam", user_type=User.Type.SUPPLIER, company_id="s1"
        )
        supplier = api_for(client, shop.marketplace, ("OrderAdmin", "ShipmentAdmin"), user=seller)

        incoming = ok(supplier.get("/orders/Incoming"))
        assert [o["ID"] for o in incoming["Items"]] == ["o1-s1"]
        assert supplier.get("/orders/Incoming/o1").status_code == 404
        shipped = ok(supplier.post("/orders/Incoming/o1-s1/ship", {"ID": "s1-ship"}), 201)
        assert shipped["Status"] == "Completed"
        assert ok(supplier.get("/shipments/s1-ship"))["OwnerID"] == "s1"
        assert ok(shop.admin.get("/orders/Incoming/o1"))["Status"] == "Open"


class TestMovingAUser:
    @pytest.mark.parametrize(
        ("which", "moved"), [("None", []), ("Unsubmitted", ["o2"]), ("All", ["o1", "o2"])]
    )
    def test_its_orders_follow_as_asked(self, shop, which, moved):
        submitted(shop, ("tee", 1))
        cart(shop, ("tee", 1), order_id="o2")

        response = shop.admin.post(f"/buyers/b1/users/alice/moveto/b2?orders={which}")

        assert response.status_code == HTTPStatus.CREATED, response.content
        at_b2 = Order.objects.filter(from_company_id="b2").order_by("oc_id")
        assert [o.oc_id for o in at_b2] == moved


class TestAnonymous:
    def test_transfer_an_anonymous_shoppers_order(self, shop, client):
        from sandbox.auth import tokens
        from tests.sandbox import factories
        from tests.sandbox.api import Api

        anon_client = factories.api_client(shop.marketplace, "anon-client", is_anon_buyer=True)
        identity = tokens.Identity("alice", anon_client.oc_id, "alice", "buyer", ("Shopper",), "a1")
        anonymous = Api(client, tokens.encode(identity, 600))
        ok(anonymous.post("/orders/Outgoing", {"ID": "cart"}), 201)
        assert ok(shop.alice.get("/me/orders"))["Meta"]["TotalCount"] == 0
        assert [o["ID"] for o in ok(anonymous.get("/me/orders"))["Items"]] == ["cart"]

        response = shop.bob.put(f"/me/orders?anonUserToken={anonymous.token}")

        assert response.status_code == HTTPStatus.NO_CONTENT
        assert [o["ID"] for o in ok(shop.bob.get("/me/orders"))["Items"]] == ["cart"]
        assert ok(shop.bob.get("/orders/Outgoing/cart"))["FromUserID"] == "bob"
        assert ok(anonymous.get("/me/orders"))["Meta"]["TotalCount"] == 0
        refusal(shop.bob.put("/me/orders?anonUserToken=nonsense"), "ValidationFailure")
        refusal(shop.bob.put(f"/me/orders?anonUserToken={shop.alice.token}"), "ValidationFailure")

    def test_approvable_orders_is_empty_without_approval_rules(self, shop):
        submitted(shop, ("tee", 1))

        assert ok(shop.alice.get("/me/orders/approvable"))["Items"] == []
