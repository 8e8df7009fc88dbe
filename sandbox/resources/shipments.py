"""Shipments (/shipments): what the seller ships, with the line items in each
(/shipments/{shipmentID}/items) and where it goes from and to; Orders.Ship and
Orders.ListShipments; and a buyer user's view of its shipments (/me/shipments).

What shipping does to line items and orders is `sandbox.domain.shipments`.
"""

from http import HTTPStatus

from django.db import transaction
from django.db.models import Q

from sandbox import models
from sandbox.api import crud, listing, validation
from sandbox.api.errors import not_found, validation_failure
from sandbox.api.spec import (
    Field,
    Hooks,
    Operation,
    Param,
    Resource,
    Schema,
    crud_operations,
)
from sandbox.api.wire import timestamp
from sandbox.domain import orders as workflow
from sandbox.domain import shipments as shipping
from sandbox.models import Address, Buyer, LineItem, Order, Shipment, ShipmentItem, Supplier, User
from sandbox.resources.addresses import ADDRESSES
from sandbox.resources.common import XP, crud_summaries, full_access_or, id_field, owner_of
from sandbox.resources.line_items import LINE_ITEM_PRODUCT, LINE_ITEM_SPEC, LINE_ITEM_VARIANT
from sandbox.resources.orders import ORDERS, address_body, answer, money

SHIPMENT_FIELDS = (
    id_field(),
    Field("BuyerID", attr="buyer_id"),
    Field("Shipper", attr="shipper"),
    Field("DateShipped", "datetime", attr="date_shipped"),
    Field("DateDelivered", "datetime", attr="date_delivered"),
    Field("TrackingNumber", attr="tracking_number", max_length=3000),
    money("cost", name="Cost"),
    Field("OwnerID", attr="owner_id", default=""),
    XP,
    Field("Account", attr="account"),
    Field("FromAddressID", attr="from_address_id"),
    Field("ToAddressID", attr="to_address_id"),
    Field("FromAddress", "object", attr="from_address", read_only=True, ref=ADDRESSES.schema),
    Field("ToAddress", "object", attr="to_address", read_only=True, ref=ADDRESSES.schema),
)
SHIPMENT_SEARCH = ("ID", "BuyerID", "Shipper", "DateShipped", "DateDelivered", "TrackingNumber")
SHIPMENT_SORT = ("DateShipped", "OwnerID", "ID", "BuyerID", "Shipper", "DateDelivered", "Cost")
# Shipper and Account have no limit in OrderCloud's document; the columns hold this much.
LONG_TEXT = 3000


def address_copy(marketplace, owner_types, address_id: str, company_id=None) -> dict:
    addresses = Address.objects.filter(
        marketplace=marketplace, owner_type__in=owner_types, owner_user=None, oc_id=address_id
    )
    if company_id is not None:
        addresses = addresses.filter(company_id=company_id)
    address = addresses.first()
    if address is None:
        raise not_found("Address", address_id)
    return crud.to_wire(ADDRESSES, address)


class ShipmentHooks(Hooks):
    """A supplier user reaches its own supplier's shipments; OwnerID is the caller's
    organization unless the marketplace names one of its suppliers."""

    def queryset(self, call, queryset):
        user = call.token.user
        if user.user_type == User.Type.SUPPLIER:
            return queryset.filter(owner_id=user.company_id)
        return queryset

    def before_write(self, call, obj, values, given):
        for attr in ("shipper", "account"):
            if len(getattr(obj, attr) or "") > LONG_TEXT:
                name = attr.title()
                raise validation_failure(
                    f"{name} cannot be longer than {LONG_TEXT} characters.", name
                )
        if obj.cost is not None:
            workflow.check_amount(obj.cost, "Cost")
        marketplace = call.marketplace
        if call.token.user.user_type == User.Type.SUPPLIER or not obj.owner_id:
            stored = Shipment.objects.filter(pk=obj.pk).values_list("owner_id", flat=True).first()
            obj.owner_id = stored or owner_of(call)
        elif obj.owner_id != marketplace.oc_id and not (
            Supplier.objects.filter(marketplace=marketplace, oc_id=obj.owner_id).exists()
        ):
            raise not_found("Supplier", obj.owner_id)
        if (
            obj.buyer_id
            and not Buyer.objects.filter(marketplace=marketplace, oc_id=obj.buyer_id).exists()
        ):
            raise not_found("Buyer", obj.buyer_id)
        obj.xp = obj.xp if obj.xp is not None else {}
        stored = Shipment.objects.filter(pk=obj.pk).first() if obj.pk else None
        if obj.from_address_id:
            if "FromAddressID" in given or stored is None:
                obj.from_address = address_copy(
                    marketplace, (User.Type.ADMIN, User.Type.SUPPLIER), obj.from_address_id
                )
        elif "FromAddressID" in given:
            obj.from_address = None
        if obj.to_address_id:
            if "ToAddressID" in given or stored is None:
                obj.to_address = address_copy(
                    marketplace, (User.Type.BUYER,), obj.to_address_id, obj.buyer_id or None
                )
        elif "ToAddressID" in given:
            obj.to_address = None

    def before_delete(self, call, obj):
        obj.shipped_lines = list(
            ShipmentItem.objects.filter(shipment=obj).values_list("line_item", flat=True)
        )

    def after_delete(self, call, obj):
        for line in LineItem.objects.filter(pk__in=obj.shipped_lines):
            shipping.recount(line)


SHIPMENTS = Resource(
    name="Shipment",
    prefix="Shipments",
    tag="Shipments",
    path="/shipments",
    id_param="shipmentID",
    model=models.Shipment,
    fields=SHIPMENT_FIELDS,
    required=(),
    searchable=SHIPMENT_SEARCH,
    sortable=SHIPMENT_SORT,
    read_roles=full_access_or("ShipmentAdmin", "ShipmentReader"),
    write_roles=full_access_or("ShipmentAdmin"),
    summaries=crud_summaries("shipment", "shipments"),
    list_params=((Param("orderID", description="ID of the order."), "items__order__oc_id"),),
    checks_references=True,
    default_order=("date_created",),
    hooks=ShipmentHooks(),
)

# --- shipment items ---------------------------------------------------------------------------


def _line(attr):
    return lambda item: getattr(item.line_item, attr)


SHIPMENT_ITEM = Schema(
    "ShipmentItem",
    (
        Field("OrderID", attr="order__oc_id", compute=lambda item: item.order.oc_id),
        Field("LineItemID", attr="line_item__oc_id", compute=lambda item: item.line_item.oc_id),
        Field("QuantityShipped", "integer", attr="quantity_shipped", format="int32"),
        Field(
            "UnitPrice",
            "number",
            format="float",
            read_only=True,
            compute=lambda item: (
                None if item.line_item.unit_price is None else float(item.line_item.unit_price)
            ),
        ),
        Field("CostCenter", read_only=True, compute=_line("cost_center")),
        Field(
            "DateNeeded",
            "datetime",
            read_only=True,
            compute=lambda item: validation_stamp(item.line_item.date_needed),
        ),
        Field("Product", "object", read_only=True, ref=LINE_ITEM_PRODUCT, compute=_line("product")),
        Field("Variant", "object", read_only=True, ref=LINE_ITEM_VARIANT, compute=_line("variant")),
        Field("Specs", "array", read_only=True, ref=LINE_ITEM_SPEC, compute=_line("specs")),
        Field("xp", "object", read_only=True, compute=_line("xp")),
    ),
    required=("OrderID", "LineItemID", "QuantityShipped"),
)
ITEM_COLUMNS = {
    "OrderID": listing.Column("order__oc_id"),
    "LineItemID": listing.Column("line_item__oc_id"),
    "QuantityShipped": listing.Column("quantity_shipped", "integer"),
}


def validation_stamp(value):
    return None if value is None else timestamp(value)


def item_page(call, items):
    items = items.select_related("order", "line_item")
    if call.query.get("orderID"):
        items = items.filter(order__oc_id=call.query["orderID"])
    return HTTPStatus.OK, listing.list_page(
        items,
        call.query,
        fields=ITEM_COLUMNS,
        searchable=(),
        sortable=(),
        serialize=lambda item: crud.to_wire(SHIPMENT_ITEM, item),
        ignore=("orderID",),
    )


def the_shipment(call) -> Shipment:
    return crud.get_object(SHIPMENTS, call)


def list_items(call):
    return item_page(call, ShipmentItem.objects.filter(shipment=the_shipment(call)))


def the_item(call) -> ShipmentItem:
    item = (
        ShipmentItem.objects.filter(
            shipment=the_shipment(call),
            order__oc_id=call.params["orderID"],
            line_item__oc_id=call.params["lineItemID"],
        )
        .select_related("order", "line_item")
        .first()
    )
    if item is None:
        raise not_found("ShipmentItem", call.params["lineItemID"])
    return item


def get_item(call):
    return HTTPStatus.OK, crud.to_wire(SHIPMENT_ITEM, the_item(call))


def shippable_order(call, order_id: str) -> Order:
    """An order the caller receives (Incoming), else 404."""
    order = workflow.orders_for(call.token, "Incoming").filter(oc_id=order_id).first()
    if order is None:
        raise not_found("Order", order_id)
    return order


def save_item(call):
    shipment = the_shipment(call)
    values, _ = validation.validate(
        SHIPMENT_ITEM.fields, call.body, required=SHIPMENT_ITEM.required
    )
    order = shippable_order(call, values["order__oc_id"])
    line = LineItem.objects.filter(order=order, oc_id=values["line_item__oc_id"]).first()
    if line is None:
        raise not_found("LineItem", values["line_item__oc_id"])
    item = shipping.ship_item(shipment, order, line, values["quantity_shipped"])
    item = ShipmentItem.objects.select_related("order", "line_item").get(pk=item.pk)
    return HTTPStatus.OK, crud.to_wire(SHIPMENT_ITEM, item)


def delete_item(call):
    shipping.unship([the_item(call)])
    return HTTPStatus.NO_CONTENT, None


def set_address(attr: str):
    def handler(call):
        shipment = the_shipment(call)
        address = address_body(call, None, partial=False)
        setattr(shipment, attr, address)
        setattr(shipment, f"{attr}_id", address.get("ID"))
        shipment.save(update_fields=[attr, f"{attr}_id"])
        return HTTPStatus.OK, crud.to_wire(SHIPMENTS, shipment)

    return handler


# --- on orders ----------------------------------------------------------------------------------


def ship_order(call):
    """Orders.Ship: a new shipment with what is left to ship of every line item."""
    order = crud.get_object(ORDERS, call)
    if order.status != Order.Status.OPEN:
        raise workflow.refuse_status("Ship", order)
    with transaction.atomic():  # no shipment is left behind when shipping is refused
        call_create = crud.Call(SHIP_AS_CREATE, call.token, {}, call.query, call.body)
        _, created = crud.create(call_create)
        shipment = Shipment.objects.get(marketplace=call.marketplace, oc_id=created["ID"])
        shipping.ship_order(shipment, order)
    return answer(order)


def order_shipments(call):
    order = crud.get_object(ORDERS, call)
    shipments = Shipment.objects.filter(items__order=order).distinct()
    return shipment_page(call, shipments)


def shipment_page(call, shipments, ignore=()):
    return HTTPStatus.OK, listing.list_page(
        shipments,
        call.query,
        fields=crud.list_columns(SHIPMENTS),
        searchable=SHIPMENT_SEARCH,
        sortable=SHIPMENT_SORT,
        serialize=lambda shipment: crud.to_wire(SHIPMENTS, shipment),
        ignore=ignore,
        default_order=("date_created",),
    )


# --- a buyer user's ---------------------------------------------------------------------------


def my_shipments(call):
    """Shipments carrying line items of the user's own orders."""
    orders = workflow.orders_for(call.token, "Outgoing")
    if call.query.get("orderID"):
        orders = orders.filter(oc_id=call.query["orderID"])
    return Shipment.objects.filter(
        Q(items__order__in=orders), marketplace=call.marketplace
    ).distinct()


def me_list_shipments(call):
    return shipment_page(call, my_shipments(call), ignore=("orderID",))


def my_shipment(call) -> Shipment:
    shipment_id = call.params["shipmentID"]
    shipment = my_shipments(call).filter(oc_id=shipment_id).first()
    if shipment is None:
        raise not_found("Shipment", shipment_id)
    return shipment


def me_get_shipment(call):
    return HTTPStatus.OK, crud.to_wire(SHIPMENTS, my_shipment(call))


def me_list_items(call):
    shipment = my_shipment(call)
    orders = workflow.orders_for(call.token, "Outgoing")
    return item_page(call, ShipmentItem.objects.filter(shipment=shipment, order__in=orders))


# --- operations -------------------------------------------------------------------------------

SHIP_AS_CREATE = next(op for op in crud_operations(SHIPMENTS) if op.kind == "Create")
READ, WRITE = SHIPMENTS.read_roles, SHIPMENTS.write_roles
ITEMS = "/shipments/{shipmentID}/items"
ITEM = f"{ITEMS}/{{orderID}}/{{lineItemID}}"


def custom(operation_id, method, path, summary, roles, status, handler, **kw):
    return Operation(
        operation_id,
        method,
        path,
        kw.pop("tag", "Shipments"),
        summary,
        roles,
        "Custom",
        status,
        resource=kw.pop("resource", SHIPMENTS),
        handler=handler,
        **kw,
    )


def address_setter(operation_id, suffix, summary, attr):
    return custom(
        operation_id,
        "PUT",
        f"/shipments/{{shipmentID}}/{suffix}",
        summary,
        WRITE,
        200,
        set_address(attr),
        request=ADDRESSES.schema,
        request_required=ADDRESSES.required,
        response=SHIPMENTS.schema,
    )


def operations() -> list[Operation]:
    generic = {op.kind: op for op in crud_operations(SHIPMENTS)}
    return [
        generic["List"],
        generic["Create"],
        generic["Get"],
        generic["Save"],
        generic["Delete"],
        generic["Patch"],
        custom(
            "Shipments.ListItems",
            "GET",
            ITEMS,
            "Get a list of shipment items.",
            READ,
            200,
            list_items,
            response=SHIPMENT_ITEM,
            is_list=True,
        ),
        custom(
            "Shipments.SaveItem",
            "POST",
            ITEMS,
            "Create or update a shipment item.",
            WRITE,
            200,
            save_item,
            request=SHIPMENT_ITEM,
            request_required=SHIPMENT_ITEM.required,
            response=SHIPMENT_ITEM,
        ),
        custom(
            "Shipments.GetItem",
            "GET",
            ITEM,
            "Get a single shipment item.",
            READ,
            200,
            get_item,
            response=SHIPMENT_ITEM,
        ),
        custom(
            "Shipments.DeleteItem",
            "DELETE",
            ITEM,
            "Delete a shipment item.",
            WRITE,
            204,
            delete_item,
        ),
        address_setter(
            "Shipments.SetShipFromAddress", "shipfrom", "Set a ship from address.", "from_address"
        ),
        address_setter(
            "Shipments.SetShipToAddress", "shipto", "Set a ship to address.", "to_address"
        ),
    ]


def order_operations() -> list[Operation]:
    """Orders.ListShipments and Orders.Ship (listed with the orders' operations)."""
    item = "/orders/{direction}/{orderID}"
    return [
        custom(
            "Orders.ListShipments",
            "GET",
            f"{item}/shipments",
            "Get a list of order shipments.",
            full_access_or("OrderAdmin", "ShipmentReader"),
            200,
            order_shipments,
            tag="Orders",
            resource=ORDERS,
            response=SHIPMENTS.schema,
            is_list=True,
            searchable=SHIPMENT_SEARCH,
            sortable=SHIPMENT_SORT,
        ),
        custom(
            "Orders.Ship",
            "POST",
            f"{item}/ship",
            "Create a new shipment containing all items on an order.",
            full_access_or("OrderAdmin", "ShipmentAdmin"),
            201,
            ship_order,
            tag="Orders",
            resource=ORDERS,
            request=SHIPMENTS.schema,
            response=ORDERS.schema,
            errors=(404, 409),
        ),
    ]


def me_operations() -> list[Operation]:
    shopper = full_access_or("Shopper")
    order_id = Param("orderID", description="ID of the order.")
    buyers = (User.Type.BUYER,)
    return [
        custom(
            "Me.ListShipments",
            "GET",
            "/me/shipments",
            "Get a list of shipments visible to this user.",
            shopper,
            200,
            me_list_shipments,
            tag="Me",
            response=SHIPMENTS.schema,
            is_list=True,
            query=(order_id,),
            searchable=SHIPMENT_SEARCH,
            sortable=SHIPMENT_SORT,
            user_types=buyers,
        ),
        custom(
            "Me.GetShipment",
            "GET",
            "/me/shipments/{shipmentID}",
            "Get a single shipment.",
            shopper,
            200,
            me_get_shipment,
            tag="Me",
            response=SHIPMENTS.schema,
            user_types=buyers,
        ),
        custom(
            "Me.ListShipmentItems",
            "GET",
            "/me/shipments/{shipmentID}/items",
            "Get a list of shipment items.",
            shopper,
            200,
            me_list_items,
            tag="Me",
            response=SHIPMENT_ITEM,
            is_list=True,
            query=(order_id,),
            searchable=SHIPMENT_SEARCH,
            sortable=SHIPMENT_SORT,
            user_types=buyers,
        ),
    ]


OPERATIONS = operations() + order_operations() + me_operations()
