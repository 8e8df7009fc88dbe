"""Orders as OrderCloud keeps them: who sees which (directions), what each status allows,
totals, and the status workflow. No HTTP here: the resources call these functions and
raise what they raise.

Directions: an order goes from a company to a company. For a caller, Outgoing orders are
its company's (a buyer user's own orders only, unless it may read or manage every order:
OrderReader / OrderAdmin; an anonymous shopper's only those of its token), Incoming
orders are the ones its company receives (a marketplace admin: the orders sent to the
marketplace; a supplier user: those forwarded to its supplier). Incoming orders exclude
carts (Unsubmitted) unless the caller holds UnsubmittedOrderReader. All: either.

Workflow: Unsubmitted -> Open (via `submit`; the approval step adds AwaitingApproval in
`status_after_submit`) -> Completed (`complete`, or once every line item has shipped), or
Canceled (`cancel`). Every transition locks the order's row first (SELECT ... FOR UPDATE
on PostgreSQL; SQLite's immediate transactions lock the database), then checks the
status it found: of two concurrent submits exactly one finds the order Unsubmitted.
"""

from decimal import Decimal
from http import HTTPStatus

from django.db import transaction
from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from sandbox.api.errors import ApiError, validation_failure
from sandbox.domain import approvals, inventory, payments, promotions
from sandbox.models import LineItem, Order, User

DIRECTIONS = ("Incoming", "Outgoing", "All")
Status = Order.Status
ZERO = Decimal(0)
# Amounts are stored with 19 digits, 4 of them decimals: anything beyond is refused.
MAX_AMOUNT = Decimal(10**14)


def check_amount(value, name: str) -> Decimal:
    """An amount the database can hold (else 400 naming `name`)."""
    amount = Decimal(str(value or 0))
    if abs(amount) >= MAX_AMOUNT:
        raise validation_failure(f"{name} is out of range.", name)
    return amount


class OrderRefused(ApiError):
    """A request the order's status (or content) does not allow: 400 with OrderCloud's code."""

    def __init__(self, code: str, message: str, order: Order):
        super().__init__(HTTPStatus.BAD_REQUEST, code, message, {"OrderID": order.oc_id})


def refuse_status(action: str, order: Order) -> OrderRefused:
    return OrderRefused(
        f"Order.Cannot{action}BadStatus",
        f"Cannot {action.lower()} an order with status {order.status}.",
        order,
    )


# --- who sees which -----------------------------------------------------------------------


def company_of(user: User) -> str:
    """The ID of the company a user acts for: its buyer or supplier, else the marketplace."""
    return user.company_id if user.user_type != User.Type.ADMIN else user.marketplace.oc_id


def orders_for(token, direction: str):
    """The orders the token's user reaches in `direction` (one of DIRECTIONS)."""
    user = token.user
    company = company_of(user)
    outgoing = Q(from_company_id=company)
    if user.user_type == User.Type.BUYER:
        anonymous_id = token.claims.get("orderid") or ""
        if anonymous_id or not token.has_role(["OrderAdmin", "OrderReader"]):
            outgoing &= Q(from_user=user, anonymous_id=anonymous_id) | (
                approvals.seen_by_approver(user)
            )
        incoming = Q(pk__in=[])  # nobody sends orders to a buyer
    else:
        incoming = Q(to_company_id=company)
        if not token.has_role(["UnsubmittedOrderReader"]):
            incoming &= ~Q(status=Status.UNSUBMITTED)
    chosen = {"Incoming": incoming, "Outgoing": outgoing, "All": incoming | outgoing}
    return Order.objects.filter(chosen[direction], marketplace=user.marketplace)


def may_cancel(token, order: Order) -> bool:
    """A buyer user reaches other users' orders as their approver (`orders_for`): that
    lets it read, approve and decline them, not cancel them; OrderAdmin may."""
    if token.user.user_type != User.Type.BUYER or token.has_role(["OrderAdmin"]):
        return True
    return own_orders(token).filter(pk=order.pk).exists()


def own_orders(token):
    """The orders the token's user placed (an anonymous shopper: those of its token)."""
    anonymous_id = token.claims.get("orderid") or ""
    return Order.objects.filter(
        marketplace=token.user.marketplace, from_user=token.user, anonymous_id=anonymous_id
    )


def transfer_anonymous(anonymous, user: User) -> int:
    """Give the orders of an anonymous shopper's token to `user` (Me.TransferAnonUserOrder);
    how many moved."""
    anonymous_id = anonymous.claims.get("orderid") or ""
    return (
        own_orders(anonymous).update(
            from_user=user,
            from_user_oc_id=user.oc_id,
            from_company_id=user.company_id,
            anonymous_id="",
            last_updated=timezone.now(),
        )
        if anonymous_id
        else 0
    )


def move_orders(user: User, old_buyer_id: str, new_buyer_id: str, which: str) -> None:
    """Users.Move: the user's orders at its old buyer go with it (`which`: None, the
    Unsubmitted ones, or All)."""
    if which == "None":
        return
    moved = Order.objects.filter(from_user=user, from_company_id=old_buyer_id)
    if which == "Unsubmitted":
        moved = moved.filter(status=Status.UNSUBMITTED)
    moved.update(from_company_id=new_buyer_id, last_updated=timezone.now())


def approvable_orders(token):
    """The orders awaiting the user's approval (Me.ListApprovableOrders)."""
    return approvals.approvable_orders(token.user)


# --- what each status allows ---------------------------------------------------------------


def check_editable(order: Order, action: str = "Modify") -> None:
    """Line items and addresses change only on an Unsubmitted order."""
    if order.status != Status.UNSUBMITTED:
        raise refuse_status(action, order)


def locked(order: Order) -> Order:
    """The order's row again, locked until the transaction ends."""
    return Order.objects.select_for_update().get(pk=order.pk)


# --- totals -------------------------------------------------------------------------------


def line_amounts(line: LineItem) -> None:
    """LineSubtotal (unit price times quantity, plus markups the specs add per line) and
    LineTotal (less the line's promotion discount)."""
    unit = check_amount(line.unit_price, "UnitPrice")
    line.line_subtotal = check_amount(unit * line.quantity + spec_total_markup(line), "Quantity")
    line.line_total = line.line_subtotal - Decimal(str(line.promotion_discount or 0))


def spec_total_markup(line: LineItem) -> Decimal:
    """Markups of PriceMarkupType AmountTotal: once per line, whatever the quantity."""
    return sum(
        (
            Decimal(str(spec.get("PriceMarkup") or 0))
            for spec in line.specs or []
            if spec.get("PriceMarkupType") == "AmountTotal"
        ),
        ZERO,
    )


def promotion_discount(order: Order) -> Decimal:
    """The order's PromotionDiscount: what its promotions take off (`promotions`)."""
    return promotions.order_discount(order)


def recalculate(order: Order) -> None:
    """Set the order's Subtotal, LineItemCount, PromotionDiscount and Total from its line
    items, ShippingCost and TaxCost (in the caller's transaction; the caller saves)."""
    if order.pk is None:  # a new order has no line items yet
        order.line_item_count, order.subtotal = 0, ZERO
    else:
        sums = LineItem.objects.filter(order=order).aggregate(
            count=Count("pk"), subtotal=Sum("line_subtotal")
        )
        order.line_item_count, order.subtotal = sums["count"], sums["subtotal"] or ZERO
    order.promotion_discount = promotion_discount(order)
    order.total = check_amount(
        Decimal(str(order.subtotal))
        + check_amount(order.shipping_cost, "ShippingCost")
        + check_amount(order.tax_cost, "TaxCost")
        - order.promotion_discount,
        "Total",
    )
    order.last_updated = timezone.now()


def save_totals(order: Order) -> Order:
    """Recalculate and store the totals of the (locked) order."""
    recalculate(order)
    order.save()
    return order


# --- the workflow -------------------------------------------------------------------------

SUBMITTABLE = (Status.UNSUBMITTED,)


def status_after_submit(order: Order) -> str:
    """Where a submitted order goes: Open, or AwaitingApproval when an approval rule
    requires approval (`approvals`)."""
    return approvals.status_after_submit(order)


def check_submittable(order: Order) -> None:
    """Refuse as Submit would for the order's status or its lack of line items (Orders.
    Validate answers the same): an unsubmitted order, or a declined one whose decline
    allowed resubmitting."""
    if order.status not in SUBMITTABLE and not approvals.may_resubmit(order):
        raise refuse_status("Submit", order)
    if not LineItem.objects.filter(order=order).exists():
        raise OrderRefused(
            "Order.CannotSubmitWithNoLineItems",
            "Cannot submit an order with no line items.",
            order,
        )


def submit(order: Order) -> Order:
    """Submit the order: its status checked under lock, its inventory taken, then Open
    (or what `status_after_submit` says)."""
    with transaction.atomic():
        order = locked(order)
        check_submittable(order)
        lines = list(LineItem.objects.filter(order=order).order_by("pk"))
        inventory.take(order.marketplace, lines)
        payments.charge(order)
        now = timezone.now()
        order.status = status_after_submit(order)
        order.is_submitted = True
        order.date_submitted = now
        save_totals(order)
        promotions.redeem(order)
    return order


def cancel(order: Order) -> Order:
    """Cancel a submitted order that is still open or awaiting approval; its inventory
    comes back."""
    with transaction.atomic():
        order = locked(order)
        if order.status not in (Status.OPEN, Status.AWAITING_APPROVAL):
            raise refuse_status("Cancel", order)
        inventory.give_back(order.marketplace, list(LineItem.objects.filter(order=order)))
        payments.give_back(order)
        order.status = Status.CANCELED
        order.date_canceled = timezone.now()
        save_totals(order)
    return order


def complete(order: Order) -> Order:
    with transaction.atomic():
        order = locked(order)
        if order.status != Status.OPEN:
            raise refuse_status("Complete", order)
        order.status = Status.COMPLETED
        order.date_completed = timezone.now()
        save_totals(order)
    return order


def complete_when_shipped(order: Order) -> None:
    """An Open order whose line items have all shipped is Completed (in the caller's
    transaction, the order locked)."""
    unshipped = LineItem.objects.filter(order=order, quantity_shipped__lt=F("quantity"))
    if order.status == Status.OPEN and not unshipped.exists():
        order.status = Status.COMPLETED
        order.date_completed = timezone.now()
    order.last_updated = timezone.now()
    order.save()


# --- forwarding to suppliers ------------------------------------------------------------------


def split(order: Order, user: User, *, forward: bool) -> tuple[list[Order], list[str]]:
    """Orders.Split / Orders.Forward: an Outgoing order from the marketplace to each supplier
    whose products the (submitted, Open) order has, holding copies of those line items;
    forwarded ones are submitted (Open) at once. Returns the orders and the IDs of the line
    items no supplier sells (they stay with the marketplace). Splitting again replaces the
    unsubmitted orders of an earlier split and leaves submitted ones as they are."""
    action = "Forward" if forward else "Split"
    with transaction.atomic():
        order = locked(order)
        if order.status != Status.OPEN:
            raise refuse_status(action, order)
        lines = list(LineItem.objects.filter(order=order).order_by("date_added", "pk"))
        by_supplier: dict[str, list[LineItem]] = {}
        remaining = []
        for line in lines:
            if line.supplier_id:
                by_supplier.setdefault(line.supplier_id, []).append(line)
            else:
                remaining.append(line.oc_id)
        made = []
        now = timezone.now()
        for supplier_id, supplier_lines in by_supplier.items():
            oc_id = f"{order.oc_id}-{supplier_id}"[:100]
            existing = Order.objects.filter(marketplace=order.marketplace, oc_id=oc_id).first()
            if existing is not None and existing.status != Status.UNSUBMITTED:
                made.append(existing)
                continue
            if existing is not None:
                existing.delete()
            outgoing = Order.objects.create(
                marketplace=order.marketplace,
                oc_id=oc_id,
                from_user=user,
                from_user_oc_id=user.oc_id,
                from_company_id=order.to_company_id,
                to_company_id=supplier_id,
                source_order_id=order.oc_id,
                billing_address_id=order.billing_address_id,
                billing_address=order.billing_address,
                shipping_address_id=order.shipping_address_id,
                currency=order.currency,
                xp={},
            )
            for line in supplier_lines:
                line.pk, line.order, line.quantity_shipped = None, outgoing, 0
                line.date_added = now
                line.save()
            if forward:
                outgoing.status = Status.OPEN
                outgoing.is_submitted = True
                outgoing.date_submitted = now
            save_totals(outgoing)
            made.append(outgoing)
    return made, remaining
