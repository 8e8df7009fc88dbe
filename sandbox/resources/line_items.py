"""Line items of an order (/orders/{direction}/{orderID}/lineitems) and across orders
(/lineitems/{direction}).

A line item is priced when it is written (`sandbox.domain.line_items`): the price
schedule that applies to the order's user, its price break for the quantity (the
product's quantity over the whole order with UseCumulativeQuantity), the sale price while
the sale runs, the markups of the chosen spec options. The order's totals follow in the
same transaction (`sandbox.domain.orders.recalculate`).
"""

from http import HTTPStatus

from django.db import transaction

from sandbox import models
from sandbox.api import crud, listing, validation
from sandbox.api.errors import not_found
from sandbox.api.spec import (
    Field,
    Hooks,
    Operation,
    Param,
    Parent,
    Resource,
    Schema,
    crud_operations,
)
from sandbox.domain import line_items as pricing_rules
from sandbox.domain import orders as workflow
from sandbox.models import Address, LineItem, Order, User
from sandbox.resources.addresses import ADDRESSES
from sandbox.resources.common import XP, crud_summaries, full_access_or, id_field
from sandbox.resources.orders import (
    ORDERS,
    address_body,
    direction_of,
    money,
    order_address,
)
from sandbox.resources.specs import PRICE_MARKUP_TYPE

LINE_ITEM_PRODUCT = Schema(
    "LineItemProduct",
    (
        Field("ID", max_length=100),
        Field("Name"),
        Field("Description"),
        Field("Returnable", "boolean"),
        Field("QuantityMultiplier", "integer", format="int32"),
        Field("ShipWeight", "number", format="float"),
        Field("ShipHeight", "number", format="float"),
        Field("ShipWidth", "number", format="float"),
        Field("ShipLength", "number", format="float"),
        Field("DefaultSupplierID"),
        Field("xp", "object"),
    ),
)
LINE_ITEM_VARIANT = Schema(
    "LineItemVariant",
    (
        Field("ID", max_length=100),
        Field("Name"),
        Field("Description"),
        Field("ShipWeight", "number", format="float"),
        Field("ShipHeight", "number", format="float"),
        Field("ShipWidth", "number", format="float"),
        Field("ShipLength", "number", format="float"),
        Field("xp", "object"),
    ),
)
LINE_ITEM_SPEC = Schema(
    "LineItemSpec",
    (
        Field("SpecID"),
        Field("Name", read_only=True),
        Field("OptionID"),
        Field("Value", max_length=2000),
        Field("PriceMarkupType", enum=PRICE_MARKUP_TYPE),
        Field("PriceMarkup", "number", format="float"),
    ),
)

LINE_ITEM_FIELDS = (
    id_field(),
    Field("ProductID", attr="product_id", example="product-1"),
    Field("Quantity", "integer", attr="quantity", format="int32", minimum=1, default=1, example=1),
    Field("DateAdded", "datetime", attr="date_added", read_only=True),
    Field("QuantityShipped", "integer", attr="quantity_shipped", format="int32", read_only=True),
    money("unit_price", name="UnitPrice"),
    money("promotion_discount", name="PromotionDiscount", read_only=True),
    money("line_total", name="LineTotal", read_only=True),
    money("line_subtotal", name="LineSubtotal", read_only=True),
    Field("CostCenter", attr="cost_center"),
    Field("DateNeeded", "datetime", attr="date_needed"),
    Field("ShippingAccount", attr="shipping_account"),
    Field("ShippingAddressID", attr="shipping_address_id"),
    Field("ShipFromAddressID", attr="ship_from_address_id"),
    Field("Product", "object", attr="product", read_only=True, ref=LINE_ITEM_PRODUCT),
    Field("Variant", "object", attr="variant", read_only=True, ref=LINE_ITEM_VARIANT),
    Field(
        "ShippingAddress", "object", attr="shipping_address", read_only=True, ref=ADDRESSES.schema
    ),
    Field(
        "ShipFromAddress", "object", attr="ship_from_address", read_only=True, ref=ADDRESSES.schema
    ),
    Field("SupplierID", attr="supplier_id", read_only=True),
    Field("InventoryRecordID", attr="inventory_record_id"),
    Field("PriceScheduleID", attr="price_schedule_id", read_only=True),
    Field("PriceOverridden", "boolean", attr="price_overridden", read_only=True),
    Field("Specs", "array", attr="specs", ref=LINE_ITEM_SPEC, default=[]),
    XP,
    # Newer than the reference document; the SDKs send it (0): always 0 here.
    Field("BaseDiscount", "number", format="float", read_only=True, compute=lambda obj: 0.0),
)
ORDER_PARENT = Parent("orderID", Order, "Order", "order", foreign_key=True)


def the_order(call) -> Order:
    """The path's order, as the caller reaches it in the path's direction (else 404)."""
    order_id = call.params["orderID"]
    order = workflow.orders_for(call.token, direction_of(call)).filter(oc_id=order_id).first()
    if order is None:
        raise not_found("Order", order_id)
    return order


class LineItemHooks(Hooks):
    def queryset(self, call, queryset):
        return queryset.filter(order=the_order(call))

    def before_write(self, call, obj, values, given):
        order = workflow.locked(obj.order)
        workflow.check_editable(order)
        obj.order = order
        # UnitPrice is the caller's only with OverrideUnitPrice; for others it is computed
        # (SDKs send their default, 0, in every line item they write).
        overrides = call.token.has_role(["OverrideUnitPrice"])
        overridden = values.get("unit_price") if overrides and "UnitPrice" in given else None
        if overridden is None and obj.pk is not None and "UnitPrice" not in given:
            stored = LineItem.objects.get(pk=obj.pk)
            overridden = stored.unit_price if stored.price_overridden else None
        obj.xp = obj.xp if obj.xp is not None else {}
        pricing_rules.price(obj, order, overridden=overridden)
        if obj.shipping_address_id:
            if obj.pk is None or "ShippingAddressID" in given or obj.shipping_address is None:
                obj.shipping_address = order_address(order, obj.shipping_address_id)
        elif order.shipping_address_id and obj.pk is None:
            obj.shipping_address_id = order.shipping_address_id
            obj.shipping_address = order_address(order, order.shipping_address_id)
        elif obj.pk is not None and "ShippingAddressID" in given:
            obj.shipping_address = None
        if obj.ship_from_address_id:
            obj.ship_from_address = ship_from(order, obj.ship_from_address_id)
        else:
            obj.ship_from_address = None

    def after_write(self, call, obj, created):
        pricing_rules.reprice_cumulative(obj.order, obj.product_id, but=obj)
        workflow.save_totals(obj.order)

    def before_delete(self, call, obj):
        obj.order = workflow.locked(obj.order)
        workflow.check_editable(obj.order)

    def after_delete(self, call, obj):
        pricing_rules.reprice_cumulative(obj.order, obj.product_id)
        workflow.save_totals(obj.order)


def ship_from(order: Order, address_id: str) -> dict:
    """An address of the seller's (admin or supplier) a line item ships from."""
    address = Address.objects.filter(
        marketplace=order.marketplace,
        owner_type__in=(User.Type.ADMIN, User.Type.SUPPLIER),
        owner_user=None,
        oc_id=address_id,
    ).first()
    if address is None:
        raise not_found("Address", address_id)
    return crud.to_wire(ADDRESSES, address)


LINE_ITEMS = Resource(
    name="LineItem",
    prefix="LineItems",
    tag="Line Items",
    path="/orders/{direction}/{orderID}/lineitems",
    id_param="lineItemID",
    model=models.LineItem,
    fields=LINE_ITEM_FIELDS,
    required=("ProductID", "Quantity"),
    searchable=("ID", "ProductID"),
    sortable=("DateAdded", "ID", "ProductID"),
    read_roles=full_access_or("OrderAdmin", "Shopper", "OrderReader"),
    write_roles=full_access_or("OrderAdmin", "Shopper"),
    summaries=crud_summaries("line item", "line items"),
    parents=(ORDER_PARENT,),
    checks_references=True,
    default_order=("date_added",),
    hooks=LineItemHooks(),
)


# --- across orders -------------------------------------------------------------------------


def _order_wire(line):
    return crud.to_wire(ORDERS, line.order)


EXTENDED_LINE_ITEM = Schema(
    "ExtendedLineItem",
    (
        Field("OrderID", compute=lambda line: line.order.oc_id),
        Field("Order", "object", ref=ORDERS.schema, compute=_order_wire),
        *LINE_ITEM_FIELDS,
    ),
)
LINE_ITEM_COLUMNS = crud.list_columns(LINE_ITEMS)


def list_across_orders(call):
    """The line items of the orders the caller reaches in the direction."""
    orders = workflow.orders_for(call.token, direction_of(call))
    if call.query.get("buyerID"):
        orders = orders.filter(from_company_id=call.query["buyerID"])
    if call.query.get("supplierID"):
        orders = orders.filter(to_company_id=call.query["supplierID"])
    for name, lookup in (("from", "date_created__gte"), ("to", "date_created__lte")):
        if call.query.get(name):
            orders = orders.filter(**{lookup: validation.parse_datetime(call.query[name], name)})
    lines = LineItem.objects.filter(order__in=orders).select_related("order__from_user")
    return HTTPStatus.OK, listing.list_page(
        lines,
        call.query,
        fields=LINE_ITEM_COLUMNS,
        searchable=LINE_ITEMS.searchable,
        sortable=LINE_ITEMS.sortable,
        serialize=lambda line: crud.to_wire(EXTENDED_LINE_ITEM, line),
        ignore=("buyerID", "supplierID", "from", "to"),
        default_order=("date_added",),
    )


# --- shipping address ----------------------------------------------------------------------


def set_shipping_address(call, *, partial=False):
    line = crud.get_object(LINE_ITEMS, call)
    with transaction.atomic():
        order = workflow.locked(line.order)
        workflow.check_editable(order)
        line.shipping_address = address_body(call, line.shipping_address, partial=partial)
        line.shipping_address_id = line.shipping_address.get("ID")
        line.save(update_fields=["shipping_address", "shipping_address_id"])
        workflow.save_totals(order)
    return HTTPStatus.OK, crud.to_wire(LINE_ITEMS, line)


def operations() -> list[Operation]:
    generic = {op.kind: op for op in crud_operations(LINE_ITEMS)}
    item = LINE_ITEMS.item_path
    shipto = {
        "tag": "Line Items",
        "roles": LINE_ITEMS.write_roles,
        "kind": "Custom",
        "status": 200,
        "resource": LINE_ITEMS,
        "request": ADDRESSES.schema,
        "response": LINE_ITEMS.schema,
        "errors": (404,),
    }
    return [
        Operation(
            "LineItems.ListAcrossOrders",
            "GET",
            "/lineitems/{direction}",
            "Line Items",
            "Get a list of line items across orders.",
            full_access_or("OrderAdmin", "OrderReader"),
            "Custom",
            200,
            resource=LINE_ITEMS,
            handler=list_across_orders,
            response=EXTENDED_LINE_ITEM,
            is_list=True,
            query=(
                Param("buyerID", description="ID of the buyer."),
                Param("supplierID", description="ID of the supplier."),
                Param("from", description="Lower bound of date range that the order was created."),
                Param("to", description="Upper bound of date range that the order was created."),
            ),
            searchable=LINE_ITEMS.searchable,
            sortable=LINE_ITEMS.sortable,
        ),
        generic["List"],
        generic["Create"],
        generic["Get"],
        generic["Save"],
        generic["Delete"],
        generic["Patch"],
        Operation(
            "LineItems.SetShippingAddress",
            "PUT",
            f"{item}/shipto",
            summary="Set a shipping address.",
            handler=set_shipping_address,
            request_required=ADDRESSES.required,
            **shipto,
        ),
        Operation(
            "LineItems.PatchShippingAddress",
            "PATCH",
            f"{item}/shipto",
            summary="Partially update a line item shipping address.",
            handler=lambda call: set_shipping_address(call, partial=True),
            **shipto,
        ),
    ]


OPERATIONS = operations()
