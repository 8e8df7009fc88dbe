"""Shipping line items: how much of each a shipment carries, and what that does to the
line items and their order.

Only an Open order ships (Order.CannotShipBadStatus otherwise). A line item cannot ship
more than its quantity over all shipments (ShipmentItem.QuantityExceedsUnshipped); its
QuantityShipped is the sum of its shipment items, recounted whenever one changes, and an
Open order whose line items have all shipped becomes Completed
(`orders.complete_when_shipped`). Everything happens with the order's row locked.
"""

from http import HTTPStatus

from django.db import transaction
from django.db.models import Sum

from sandbox.api.errors import ApiError
from sandbox.domain import orders as workflow
from sandbox.models import LineItem, Order, Shipment, ShipmentItem


def recount(line: LineItem) -> None:
    """The line's QuantityShipped from its shipment items."""
    shipped = ShipmentItem.objects.filter(line_item=line).aggregate(n=Sum("quantity_shipped"))
    line.quantity_shipped = shipped["n"] or 0
    line.save(update_fields=["quantity_shipped"])


def ship_item(shipment: Shipment, order: Order, line: LineItem, quantity: int) -> ShipmentItem:
    """Put `quantity` of the line in the shipment (replacing what it carried of it)."""
    with transaction.atomic():
        order = workflow.locked(order)
        if order.status != Order.Status.OPEN:
            raise workflow.refuse_status("Ship", order)
        elsewhere = (
            ShipmentItem.objects.filter(line_item=line)
            .exclude(shipment=shipment)
            .aggregate(n=Sum("quantity_shipped"))["n"]
            or 0
        )
        if quantity < 1 or elsewhere + quantity > line.quantity:
            raise ApiError(
                HTTPStatus.BAD_REQUEST,
                "ShipmentItem.QuantityExceedsUnshipped",
                f"Line item {line.oc_id} has {line.quantity - elsewhere} left to ship;"
                f" cannot ship {quantity}.",
                {
                    "OrderID": order.oc_id,
                    "LineItemID": line.oc_id,
                    "QuantityUnshipped": line.quantity - elsewhere,
                },
            )
        item, _ = ShipmentItem.objects.update_or_create(
            shipment=shipment,
            line_item=line,
            defaults={
                "marketplace": shipment.marketplace,
                "order": order,
                "quantity_shipped": quantity,
            },
        )
        recount(line)
        if not shipment.buyer_id:
            shipment.buyer_id = order.from_company_id
            shipment.save(update_fields=["buyer_id"])
        if shipment.to_address is None and line.shipping_address:
            shipment.to_address = line.shipping_address
            shipment.to_address_id = line.shipping_address_id
            shipment.save(update_fields=["to_address", "to_address_id"])
        workflow.complete_when_shipped(order)
    return item


def ship_order(shipment: Shipment, order: Order) -> None:
    """Ship what is left of every line item of the order in the shipment."""
    with transaction.atomic():
        order = workflow.locked(order)
        if order.status != Order.Status.OPEN:
            raise workflow.refuse_status("Ship", order)
        for line in LineItem.objects.filter(order=order).order_by("date_added", "pk"):
            left = line.quantity - line.quantity_shipped
            if left > 0:
                ship_item(shipment, order, line, left)


def unship(items) -> None:
    """Remove shipment items (a deleted item or shipment): their lines ship less."""
    with transaction.atomic():
        lines = {item.line_item_id for item in items}
        for item in items:
            item.delete()
        for line in LineItem.objects.filter(pk__in=lines):
            recount(line)
