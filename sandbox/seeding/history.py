"""Orders and shipments in the seeding format: history, not configuration.

OrderCloud's seeding tool has no orders; the sandbox writes them so that a snapshot taken
before a demo restores after it. An order is written as the API shows it (`Orders.List`
in direction All, to a FullAccess admin) with its line items inline (`LineItems`, as
`LineItems.List` shows them), a shipment with its items inline (`Items`: OrderID,
LineItemID, QuantityShipped). Loading restores them as they were, status, dates, prices
and copies of products and addresses included, instead of replaying the workflow (which
would price them today and stamp today's dates). The organization's own ID in
FromCompanyID / ToCompanyID / OwnerID is the placeholder, as elsewhere in the format.

The rows are written directly, each order (or shipment) in a savepoint of its own: one
that names a user or order the file does not have is reported and the others load.
"""

from decimal import Decimal

from django.db import transaction

from sandbox.api import validation
from sandbox.models import LineItem, Marketplace, Order, Shipment, ShipmentItem, User
from sandbox.seeding import seedfile
from sandbox.seeding.calls import Caller, operation

ORDER_COMPANIES = ("FromCompanyID", "ToCompanyID", "OwnerID")
# Derived on the way out (FromUser: the user FromUserID names): not restored.
DERIVED = ("FromUser",)


# --- writing -------------------------------------------------------------------------------


def export_orders(caller: Caller) -> list[dict]:
    lines = operation("LineItems.List")
    records = []
    for item in caller.list_all(operation("Orders.List"), {"direction": "All"}):
        params = {"direction": "All", "orderID": item["ID"]}
        record = placeheld({k: v for k, v in item.items() if k not in DERIVED}, caller)
        record["LineItems"] = caller.list_all(lines, params, {"sortBy": "DateAdded"})
        records.append(record)
    return records


def export_shipments(caller: Caller) -> list[dict]:
    items = operation("Shipments.ListItems")
    records = []
    for item in caller.list_all(operation("Shipments.List"), {}):
        record = placeheld(item, caller)
        record["Items"] = [
            {k: shipped[k] for k in ("OrderID", "LineItemID", "QuantityShipped")}
            for shipped in caller.list_all(items, {"shipmentID": item["ID"]})
        ]
        records.append(record)
    return records


def placeheld(record: dict, caller: Caller) -> dict:
    out = dict(record)
    for name in ORDER_COMPANIES:
        if out.get(name) == caller.marketplace.oc_id:
            out[name] = seedfile.MARKETPLACE_PLACEHOLDER
    return out


EXPORTERS = {"Orders": export_orders, "Shipments": export_shipments}


# --- loading -------------------------------------------------------------------------------


class HistoryError(Exception):
    """A record that names what the organization does not have."""


def columns(resource, record: dict, marketplace: Marketplace) -> dict:
    """The model's columns from a record in the API's shape: every stored field, read-only
    ones included (they are history)."""
    out = {}
    for field in resource.fields:
        if field.attr is None or "__" in field.attr or field.name not in record:
            continue
        value = record[field.name]
        if field.name in ORDER_COMPANIES and value == seedfile.MARKETPLACE_PLACEHOLDER:
            value = marketplace.oc_id
        if value is not None and field.type == "datetime":
            value = validation.parse_datetime(value, field.name)
        elif value is not None and field.type == "number":
            value = Decimal(str(value))
        out[field.attr] = value
    return out


def load_order(record: dict, marketplace: Marketplace) -> None:
    resource = operation("Orders.Get").resource
    values = columns(resource, record, marketplace)
    user = User.objects.filter(marketplace=marketplace, oc_id=values.get("from_user_oc_id")).first()
    if user is None:
        raise HistoryError(f"NotFound: User {values.get('from_user_oc_id')}")
    order = Order.objects.create(marketplace=marketplace, from_user=user, **values)
    line_resource = operation("LineItems.Get").resource
    for line in record.get("LineItems") or []:
        LineItem.objects.create(
            marketplace=marketplace, order=order, **columns(line_resource, line, marketplace)
        )


def load_shipment(record: dict, marketplace: Marketplace) -> None:
    resource = operation("Shipments.Get").resource
    shipment = Shipment.objects.create(
        marketplace=marketplace, **columns(resource, record, marketplace)
    )
    for item in record.get("Items") or []:
        line = LineItem.objects.filter(
            order__marketplace=marketplace,
            order__oc_id=item.get("OrderID"),
            oc_id=item.get("LineItemID"),
        ).first()
        if line is None:
            raise HistoryError(f"NotFound: LineItem {item.get('OrderID')}/{item.get('LineItemID')}")
        ShipmentItem.objects.create(
            marketplace=marketplace,
            shipment=shipment,
            order_id=line.order_id,
            line_item=line,
            quantity_shipped=item.get("QuantityShipped") or 0,
        )


LOADERS = {"Orders": (Order, load_order), "Shipments": (Shipment, load_shipment)}


def load(name: str, record, marketplace: Marketplace, *, only_missing: bool) -> bool:
    """Restore one record of `name` (Orders, Shipments); False when `only_missing` finds
    it there. Raises HistoryError (or the validation's ApiError) for a bad record."""
    if not isinstance(record, dict) or not record.get("ID"):
        raise HistoryError("a record needs an ID")
    model, loader = LOADERS[name]
    if model.objects.filter(marketplace=marketplace, oc_id=record["ID"]).exists():
        if only_missing:
            return False
        raise HistoryError(f"IdExists: {record['ID']}")
    with transaction.atomic():
        loader(record, marketplace)
    return True
