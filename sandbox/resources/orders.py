"""Orders in a direction (/orders/{direction}): the cart a buyer user fills and submits,
and what the marketplace (or a supplier it forwards to) receives, ships and completes.

Who sees which order and what each status allows is `sandbox.domain.orders`; line item
prices `sandbox.domain.pricing` (through `sandbox.resources.line_items`); stock
`sandbox.domain.inventory`.
"""

from decimal import Decimal
from http import HTTPStatus

from django.db import transaction
from django.utils import timezone

from sandbox import models
from sandbox.api import crud, listing, validation
from sandbox.api.errors import insufficient_roles, not_found, validation_failure
from sandbox.api.spec import (
    Enumeration,
    Field,
    Hooks,
    IdScope,
    Operation,
    Param,
    Resource,
    Schema,
    crud_operations,
)
from sandbox.api.wire import timestamp
from sandbox.domain import orders as workflow
from sandbox.models import Address, LineItem, Order, Supplier, User
from sandbox.resources.addresses import ADDRESSES
from sandbox.resources.common import XP, crud_summaries, full_access_or, id_field
from sandbox.resources.users import USERS

ORDER_STATUS = Enumeration("OrderStatus", tuple(Order.Status.values))
DIRECTION = Param("direction", description="Incoming, Outgoing or All.")


def money(attr: str, **kw) -> Field:
    """A money field: an exact decimal column, a float on the wire."""

    def wire(obj):
        value = getattr(obj, attr)
        return None if value is None else float(Decimal(str(value)))

    return Field(kw.pop("name"), "number", attr=attr, format="float", compute=wire, **kw)


def user_wire(order):
    return None if order.from_user is None else crud.to_wire(USERS, order.from_user)


# Amounts of OrderCloud versions newer than the reference document, which the SDKs send
# (their default, 0) in every order they write: read-only, always 0 here (the sandbox has
# no gratuities, fees or base discounts).
NEWER_AMOUNTS = tuple(
    Field(name, "number", format="float", read_only=True, compute=lambda obj: 0.0)
    for name in ("Gratuity", "Fees", "BaseDiscount")
)

ORDER_FIELDS = (
    id_field(),
    Field("FromUser", "object", read_only=True, ref=USERS.schema, compute=user_wire),
    Field("FromCompanyID", attr="from_company_id", default=""),
    Field("ToCompanyID", attr="to_company_id", default=""),
    Field("FromUserID", attr="from_user_oc_id", default=""),
    Field("BillingAddressID", attr="billing_address_id"),
    Field("BillingAddress", "object", attr="billing_address", read_only=True, ref=ADDRESSES.schema),
    Field("ShippingAddressID", attr="shipping_address_id"),
    Field("Comments", attr="comments", max_length=2000),
    Field("LineItemCount", "integer", attr="line_item_count", format="int32", read_only=True),
    Field("Status", attr="status", read_only=True, enum=ORDER_STATUS),
    Field("DateCreated", "datetime", attr="date_created", read_only=True),
    Field("DateSubmitted", "datetime", attr="date_submitted", read_only=True),
    Field("DateApproved", "datetime", attr="date_approved", read_only=True),
    Field("DateDeclined", "datetime", attr="date_declined", read_only=True),
    Field("DateCanceled", "datetime", attr="date_canceled", read_only=True),
    Field("DateCompleted", "datetime", attr="date_completed", read_only=True),
    Field("LastUpdated", "datetime", attr="last_updated", read_only=True),
    money("subtotal", name="Subtotal", read_only=True),
    money("shipping_cost", name="ShippingCost", default=0),
    money("tax_cost", name="TaxCost", default=0),
    money("promotion_discount", name="PromotionDiscount", read_only=True),
    Field("Currency", attr="currency", read_only=True),
    money("total", name="Total", read_only=True),
    Field("IsSubmitted", "boolean", attr="is_submitted", read_only=True),
    XP,
    *NEWER_AMOUNTS,
)
ORDER_SEARCH = ("ID", "FromCompanyID", "ToCompanyID", "Comments")
ORDER_SORT = (
    "DateSubmitted",
    "DateCreated",
    "ID",
    "FromCompanyID",
    "ToCompanyID",
    "FromUserID",
    "Status",
    "DateApproved",
    "DateDeclined",
    "DateCanceled",
    "DateCompleted",
    "LastUpdated",
    "Subtotal",
    "ShippingCost",
    "TaxCost",
    "PromotionDiscount",
    "Total",
    "IsSubmitted",
)
# Who may set ShippingCost and TaxCost by hand (else shipping and tax integrations would).
OVERRIDES = {"shipping_cost": "OverrideShipping", "tax_cost": "OverrideTax"}


def direction_of(call) -> str:
    direction = call.params["direction"]
    for known in workflow.DIRECTIONS:
        if direction.lower() == known.lower():
            return known
    raise validation_failure("direction must be Incoming, Outgoing or All.", "direction")


def may_manage(call) -> bool:
    """Whether the caller manages orders (beyond its own carts): OrderAdmin."""
    return call.token.has_role(["OrderAdmin"])


def order_address(order: Order, address_id: str) -> dict:
    """An address the order may use (of the order's buyer, or the ordering user's own),
    copied in the Address shape; 404 when there is none."""
    found = Address.objects.filter(
        marketplace=order.marketplace,
        owner_type=User.Type.BUYER,
        company_id=order.from_company_id,
        oc_id=address_id,
    )
    address = found.filter(owner_user=None).first() or (
        found.filter(owner_user=order.from_user).first() if order.from_user else None
    )
    if address is None:
        raise not_found("Address", address_id)
    return crud.to_wire(ADDRESSES, address)


class OrderHooks(Hooks):
    def queryset(self, call, queryset):
        visible = workflow.orders_for(call.token, direction_of(call))
        return visible.select_related("from_user")

    def before_write(self, call, obj, values, given):
        if obj.pk is None:
            self.place(call, obj)
        else:
            stored = Order.objects.get(pk=obj.pk)
            if stored.status != Order.Status.UNSUBMITTED and not may_manage(call):
                raise workflow.refuse_status("Modify", stored)
            if obj.oc_id != stored.oc_id and stored.status != Order.Status.UNSUBMITTED:
                raise validation_failure("A submitted order's ID cannot change.", "ID")
            for attr in ("from_user_id", "from_user_oc_id", "from_company_id", "to_company_id"):
                setattr(obj, attr, getattr(stored, attr))
            obj.billing_address = stored.billing_address
            for attr, role in OVERRIDES.items():
                if Decimal(str(getattr(obj, attr) or 0)) != getattr(stored, attr):
                    call.token.require_roles(full_access_or(role))
        if obj.pk is None:
            for attr, role in OVERRIDES.items():
                if getattr(obj, attr):
                    call.token.require_roles(full_access_or(role))
        obj.xp = obj.xp if obj.xp is not None else {}
        if obj.billing_address_id and ("BillingAddressID" in given or obj.billing_address is None):
            obj.billing_address = order_address(obj, obj.billing_address_id)
        elif not obj.billing_address_id:
            obj.billing_address = None
        if obj.shipping_address_id and "ShippingAddressID" in given:
            order_address(obj, obj.shipping_address_id)  # 404 before anything changes
        workflow.recalculate(obj)

    def after_write(self, call, obj, created):
        if obj.shipping_address_id and not created:
            shipping = order_address(obj, obj.shipping_address_id)
            LineItem.objects.filter(order=obj).update(
                shipping_address_id=obj.shipping_address_id, shipping_address=shipping
            )

    def place(self, call, obj) -> None:
        """A new order's parties: from the caller (or, for the marketplace creating one
        Incoming, from the buyer user FromUserID names) to the marketplace or a supplier."""
        user, direction = call.token.user, direction_of(call)
        marketplace_id = call.marketplace.oc_id
        obj.currency = obj.currency or "USD"
        if direction == "Incoming" and user.user_type == User.Type.ADMIN:
            if not obj.from_user_oc_id:
                raise validation_failure(
                    "FromUserID is required to create an Incoming order.", "FromUserID"
                )
            buyer = User.objects.filter(
                marketplace=call.marketplace, oc_id=obj.from_user_oc_id, user_type=User.Type.BUYER
            ).first()
            if buyer is None:
                raise not_found("User", obj.from_user_oc_id)
            obj.from_user, obj.from_company_id = buyer, buyer.company_id
            obj.to_company_id = marketplace_id
            return
        if direction != "Outgoing":
            raise validation_failure(
                f"An order is created Outgoing (or Incoming by the marketplace), not {direction}.",
                "direction",
            )
        obj.from_user, obj.from_user_oc_id = user, user.oc_id
        obj.from_company_id = workflow.company_of(user)
        obj.anonymous_id = call.token.claims.get("orderid") or ""
        to = obj.to_company_id or marketplace_id
        if user.user_type != User.Type.BUYER and to == marketplace_id:
            raise validation_failure("ToCompanyID must name a supplier.", "ToCompanyID")
        if to != marketplace_id and not (
            Supplier.objects.filter(marketplace=call.marketplace, oc_id=to).exists()
        ):
            raise not_found("Supplier", to)
        obj.to_company_id = to

    def before_delete(self, call, obj):
        if obj.status != Order.Status.UNSUBMITTED and not may_manage(call):
            raise workflow.refuse_status("Delete", obj)


ORDERS = Resource(
    name="Order",
    prefix="Orders",
    tag="Orders",
    path="/orders/{direction}",
    id_param="orderID",
    model=models.Order,
    fields=ORDER_FIELDS,
    required=(),
    searchable=ORDER_SEARCH,
    sortable=ORDER_SORT,
    read_roles=full_access_or("OrderAdmin", "Shopper", "OrderReader"),
    write_roles=full_access_or("OrderAdmin", "Shopper"),
    summaries=crud_summaries("order", "orders", "an"),
    id_scope=IdScope.MARKETPLACE,
    checks_references=True,
    hooks=OrderHooks(),
)
ORDER_COLUMNS = crud.list_columns(ORDERS)

# --- lists -----------------------------------------------------------------------------------

LIST_PARAMS = (
    Param("buyerID", description="ID of the buyer."),
    Param("supplierID", description="ID of the supplier."),
    Param(
        "from", description="Lower bound of the date the order was created (submitted, Incoming)."
    ),
    Param("to", description="Upper bound of the date the order was created (submitted, Incoming)."),
)


def date_param(call, name: str):
    raw = call.query.get(name)
    return None if not raw else validation.parse_datetime(raw, name)


def order_page(call, orders, extra=("from", "to"), dated="date_created"):
    """A ListPage of `orders`, narrowed by from / to (on the `dated` column) and the list
    params."""
    low, high = date_param(call, "from"), date_param(call, "to")
    if low is not None:
        orders = orders.filter(**{f"{dated}__gte": low})
    if high is not None:
        orders = orders.filter(**{f"{dated}__lte": high})
    return HTTPStatus.OK, listing.list_page(
        orders.select_related("from_user"),
        call.query,
        fields=ORDER_COLUMNS,
        searchable=ORDER_SEARCH,
        sortable=ORDER_SORT,
        serialize=lambda order: crud.to_wire(ORDERS, order),
        ignore=extra,
    )


def list_orders(call):
    orders = crud.scoped(ORDERS, call)
    if call.query.get("buyerID"):
        orders = orders.filter(from_company_id=call.query["buyerID"])
    if call.query.get("supplierID"):
        orders = orders.filter(to_company_id=call.query["supplierID"])
    # from / to: when an order was submitted to the caller (Incoming), else created.
    dated = "date_submitted" if direction_of(call) == "Incoming" else "date_created"
    return order_page(call, orders, ("buyerID", "supplierID", "from", "to"), dated)


# --- the workflow ------------------------------------------------------------------------------


def the_order(call) -> Order:
    return crud.get_object(ORDERS, call)


def answer(order: Order, status=HTTPStatus.CREATED):
    order = Order.objects.select_related("from_user").get(pk=order.pk)
    return status, crud.to_wire(ORDERS, order)


def submit(call):
    return answer(workflow.submit(the_order(call)))


def validate_order(call):
    """204 when the order could be submitted, else the refusal Submit would answer."""
    workflow.check_submittable(the_order(call))
    return HTTPStatus.NO_CONTENT, None


def cancel(call):
    order = the_order(call)
    if not workflow.may_cancel(call.token, order):
        raise insufficient_roles(["OrderAdmin"])
    return answer(workflow.cancel(order))


def complete(call):
    return answer(workflow.complete(the_order(call)))


def set_billing_address(call, *, partial=False):
    """Give the order a one-off billing address (BillingAddressID: none)."""
    order = the_order(call)
    with transaction.atomic():
        order = workflow.locked(order)
        workflow.check_editable(order)
        address = address_body(call, order.billing_address, partial=partial)
        order.billing_address, order.billing_address_id = address, address.get("ID")
        workflow.save_totals(order)
    return answer(order, HTTPStatus.OK)


def address_body(call, current: dict | None, *, partial: bool) -> dict:
    """An address given in a body (PUT: whole; PATCH: over `current`), in the Address
    shape, as stored on an order, line item or shipment."""
    fields = ADDRESSES.fields
    required = ADDRESSES.required
    values, given = validation.validate(fields, call.body, required=required, partial=partial)
    base = dict(current or {}) if partial else {}
    if not base:
        base = {field.name: None for field in fields}
        base["DateCreated"] = timestamp(timezone.now())
    by_attr = {field.attr: field.name for field in fields}
    for attr, value in values.items():
        base[by_attr.get(attr, attr)] = value
    base["xp"] = base.get("xp") or {}
    if partial:
        for attr in required:
            if not base.get(attr):
                raise validation_failure(f"{attr} is required.", attr)
    return base


def set_shipping_address(call, *, partial=False):
    """A one-off shipping address for the order: every line item ships to it."""
    order = the_order(call)
    with transaction.atomic():
        order = workflow.locked(order)
        workflow.check_editable(order)
        current = (
            LineItem.objects.filter(order=order).values_list("shipping_address", flat=True).first()
        )
        address = address_body(call, current, partial=partial)
        order.shipping_address_id = address.get("ID")
        LineItem.objects.filter(order=order).update(
            shipping_address=address, shipping_address_id=address.get("ID")
        )
        workflow.save_totals(order)
    return answer(order, HTTPStatus.OK)


def split(call, *, forward=False):
    orders, remaining = workflow.split(the_order(call), call.token.user, forward=forward)
    rows = Order.objects.filter(pk__in=[o.pk for o in orders]).select_related("from_user")
    return HTTPStatus.OK, {
        "OutgoingOrders": [crud.to_wire(ORDERS, row) for row in rows.order_by("oc_id")],
        "RemainingLineItemIDs": remaining,
    }


def patch_from_user(call):
    """Change the ordering user's own fields (Users.Patch on the order's FromUser)."""
    order = the_order(call)
    if order.from_user is None:
        raise not_found("User", order.from_user_oc_id)
    fields = [f for f in USERS.fields if f.name not in ("ID", "Username", "Password")]
    values, _ = validation.validate(fields, call.body, partial=True)
    user = order.from_user
    if "xp" in values and values["xp"] is not None:
        values["xp"] = validation.merge_xp(user.xp or {}, values["xp"])
    crud.apply_fields(user, fields, values, replace=False)
    user.save()
    return answer(order, HTTPStatus.OK)


# --- operations -------------------------------------------------------------------------------

ITEM = "/orders/{direction}/{orderID}"
SHOPPER_WRITE = ORDERS.write_roles
ADMIN_ONLY = full_access_or("OrderAdmin")


def action(operation_id, method, suffix, summary, roles, status, handler, **kw):
    return Operation(
        operation_id,
        method,
        f"{ITEM}/{suffix}" if suffix else ITEM,
        "Orders",
        summary,
        roles,
        "Custom",
        status,
        resource=ORDERS,
        handler=handler,
        **kw,
    )


def generic(kind: str) -> Operation:
    found = next(op for op in crud_operations(ORDERS) if op.kind == kind)
    return found


def list_operation() -> Operation:
    base = generic("List")
    return Operation(
        base.operation_id,
        base.method,
        base.path,
        base.tag,
        base.summary,
        full_access_or("OrderAdmin", "OrderReader"),
        "Custom",
        200,
        resource=ORDERS,
        handler=list_orders,
        response=ORDERS.schema,
        is_list=True,
        query=LIST_PARAMS,
        searchable=ORDER_SEARCH,
        sortable=ORDER_SORT,
    )


ADDRESS_SCHEMA = ADDRESSES.schema
ORDER = ORDERS.schema
ORDER_SPLIT_RESULT = Schema(
    "OrderSplitResult",
    (
        Field("OutgoingOrders", "array", ref=ORDER),
        Field("RemainingLineItemIDs", "array", items="string"),
    ),
)


def addressing(operation_id, method, suffix, summary, handler, partial):
    return action(
        operation_id,
        method,
        suffix,
        summary,
        SHOPPER_WRITE,
        200,
        handler,
        request=ADDRESS_SCHEMA,
        request_required=() if partial else ADDRESSES.required,
        response=ORDER,
        errors=(404,),
    )


def operations() -> list[Operation]:
    """In the reference document's order."""
    return [
        list_operation(),
        generic("Create"),
        generic("Get"),
        generic("Save"),
        generic("Delete"),
        generic("Patch"),
        addressing(
            "Orders.SetBillingAddress",
            "PUT",
            "billto",
            "Set a billing address.",
            set_billing_address,
            partial=False,
        ),
        addressing(
            "Orders.PatchBillingAddress",
            "PATCH",
            "billto",
            "Partially update an order billing address.",
            lambda call: set_billing_address(call, partial=True),
            partial=True,
        ),
        action(
            "Orders.Cancel",
            "POST",
            "cancel",
            "Cancel an order.",
            SHOPPER_WRITE,
            201,
            cancel,
            response=ORDER,
        ),
        action(
            "Orders.Complete",
            "POST",
            "complete",
            "Complete an order.",
            ADMIN_ONLY,
            201,
            complete,
            response=ORDER,
        ),
        action(
            "Orders.Forward",
            "POST",
            "forward",
            "Forward an order.",
            ADMIN_ONLY,
            200,
            lambda call: split(call, forward=True),
            response=ORDER_SPLIT_RESULT,
        ),
        action(
            "Orders.PatchFromUser",
            "PATCH",
            "fromuser",
            "Partially update an order from user.",
            SHOPPER_WRITE,
            200,
            patch_from_user,
            request=USERS.schema,
            response=ORDER,
        ),
        addressing(
            "Orders.SetShippingAddress",
            "PUT",
            "shipto",
            "Set a shipping address.",
            set_shipping_address,
            partial=False,
        ),
        addressing(
            "Orders.PatchShippingAddress",
            "PATCH",
            "shipto",
            "Partially update an order shipping address.",
            lambda call: set_shipping_address(call, partial=True),
            partial=True,
        ),
        action(
            "Orders.Split",
            "POST",
            "split",
            "Split an order.",
            ADMIN_ONLY,
            200,
            split,
            response=ORDER_SPLIT_RESULT,
        ),
        action(
            "Orders.Submit",
            "POST",
            "submit",
            "Submit an order.",
            SHOPPER_WRITE,
            201,
            submit,
            response=ORDER,
        ),
        action(
            "Orders.Validate",
            "POST",
            "validate",
            "Validate an order in its current state.",
            ORDERS.read_roles,
            204,
            validate_order,
        ),
    ]


OPERATIONS = operations()
