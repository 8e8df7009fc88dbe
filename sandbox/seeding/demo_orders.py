"""The demo marketplace's order history: orders of the demo's shoppers in every status,
with shipments, so that a demo shows a real order history.

Each order is built as the API would build it (`sandbox.domain`: products the shopper
sees, priced by the schedule that applies to it, inventory taken on submit, shipped
through shipments), then given fixed dates in the spring of 2025. The products are
picked by a seeded generator from what each shopper sees, so the history is the same on
every machine. An order already there (by ID) is kept as it is.

An order the demo's approval rules hold (Acme's orders over 5,000) is approved, or for a
Declined one declined, by the marketplace's admin, as a seller would; AwaitingApproval
and Declined are set directly on orders no rule holds, so every status is there whatever
the prices come to.
"""

import random
from datetime import UTC, datetime, timedelta

from django.db import transaction

from sandbox.api.errors import ApiError
from sandbox.auth.access import AccessToken
from sandbox.auth.roles import FULL_ACCESS
from sandbox.domain import approvals, payments, pricing, shipments, visibility
from sandbox.domain import line_items as pricing_rules
from sandbox.domain import orders as workflow
from sandbox.models import (
    ApiClient,
    LineItem,
    Marketplace,
    Order,
    Payment,
    PaymentTransaction,
    Product,
    Shipment,
    User,
)
from sandbox.seeding import generator

SEED = generator.SEED
START = datetime(2025, 4, 1, 9, 0, tzinfo=UTC)
Status = Order.Status
# ID, shopper, what happens to it, line items.
ORDERS = (
    ("DEMO-1001", "alice", Status.COMPLETED, 3),
    ("DEMO-1002", "adam", Status.OPEN, 2),
    ("DEMO-1003", "bella", "PartlyShipped", 4),
    ("DEMO-1004", "ben", Status.CANCELED, 2),
    ("DEMO-1005", "cora", Status.AWAITING_APPROVAL, 2),
    ("DEMO-1006", "caleb", Status.DECLINED, 1),
    ("DEMO-1007", "chloe", Status.COMPLETED, 2),
    ("DEMO-1008", "alice", Status.UNSUBMITTED, 2),
)


# How each demo buyer pays: a purchase order, its budget (a spending account charged on
# submit), or its corporate card (authorized by a payment transaction).
PAYMENT_METHODS = {
    "acme-outfitters": ("PurchaseOrder", None),
    "bright-office": ("SpendingAccount", "bright-budget"),
    "coastal-living": ("CreditCard", "coastal-card"),
}


def add_payments(order: Order) -> None:
    """A payment of the whole Total for a submitted order, as its buyer pays; accepted
    unless the order was canceled or declined."""
    order = Order.objects.get(pk=order.pk)
    kind, method = PAYMENT_METHODS.get(order.from_company_id, ("PurchaseOrder", None))
    if order.status == Status.UNSUBMITTED:
        return
    payment = Payment.objects.create(
        marketplace=order.marketplace,
        order=order,
        oc_id=f"{order.oc_id}-P1",
        type=kind,
        date_created=order.date_submitted,
        credit_card_id=method if kind == "CreditCard" else None,
        spending_account_id=method if kind == "SpendingAccount" else None,
        description=f"PO {order.oc_id}" if kind == "PurchaseOrder" else None,
        amount=order.total,
        xp={},
    )
    settled = order.status not in (Status.CANCELED, Status.DECLINED)
    if kind == "SpendingAccount" and settled:
        payments.charge(order)
    elif settled:
        Payment.objects.filter(pk=payment.pk).update(accepted=True)
    if kind == "CreditCard" and settled:
        PaymentTransaction.objects.create(
            marketplace=order.marketplace,
            payment=payment,
            oc_id=f"{payment.oc_id}-T1",
            type="Authorization",
            date_executed=order.date_submitted,
            currency=order.currency,
            amount=order.total,
            succeeded=True,
            result_code="Approved",
            xp={},
        )


def seed_demo_orders(marketplace: Marketplace) -> list[str]:
    """Create the demo orders that are missing; their IDs."""
    made = []
    for n, (order_id, username, outcome, lines) in enumerate(ORDERS):
        if Order.objects.filter(marketplace=marketplace, oc_id=order_id).exists():
            continue
        user = User.objects.filter(marketplace=marketplace, oc_id=username).first()
        if user is None:  # a demo without its buyers (seed_demo alone)
            continue
        with transaction.atomic():
            if build(marketplace, user, order_id, outcome, lines, START + timedelta(days=4 * n)):
                made.append(order_id)
    return made


def build(marketplace, user, order_id, outcome, count, day) -> bool:
    """Make the order; False (and no order) when the user can buy nothing."""
    order = Order.objects.create(
        marketplace=marketplace,
        oc_id=order_id,
        from_user=user,
        from_user_oc_id=user.oc_id,
        from_company_id=user.company_id,
        to_company_id=marketplace.oc_id,
        currency="USD",
        comments=f"Demo order {order_id}",
        xp={"channel": "demo"},
    )
    if not add_lines(order, user, count, random.Random(f"{SEED}-{order_id}")):
        order.delete()
        return False
    workflow.save_totals(order)
    if outcome != Status.UNSUBMITTED:
        order = workflow.submit(order)
    if order.status == Status.AWAITING_APPROVAL and outcome != Status.AWAITING_APPROVAL:
        approve = outcome != Status.DECLINED
        order = approvals.decide(order, seller(marketplace), approve=approve, comments="Demo")
    if outcome == Status.CANCELED:
        workflow.cancel(order)
    if outcome in (Status.COMPLETED, "PartlyShipped"):
        shipment = Shipment.objects.create(
            marketplace=marketplace,
            oc_id=f"{order_id}-1",
            owner_id=marketplace.oc_id,
            buyer_id=user.company_id,
            shipper="UPS",
            tracking_number=f"1Z{order_id[-4:]}0001",
            date_shipped=day + timedelta(days=2),
            xp={},
        )
        if outcome == Status.COMPLETED:
            shipments.ship_order(shipment, order)
        else:
            first = LineItem.objects.filter(order=order).order_by("pk").first()
            shipments.ship_item(shipment, order, first, first.quantity)
        Shipment.objects.filter(pk=shipment.pk).update(date_created=day + timedelta(days=2))
    if outcome in (Status.AWAITING_APPROVAL, Status.DECLINED) and order.status != outcome:
        Order.objects.filter(pk=order.pk).update(
            status=outcome, date_declined=day + timedelta(days=1) if outcome == "Declined" else None
        )
    stamp(order, outcome, day)
    add_payments(order)
    return True


def seller(marketplace: Marketplace) -> AccessToken:
    """The marketplace's default admin user, with FullAccess: who decides held orders."""
    admin = marketplace.default_admin_user
    claims = {"role": FULL_ACCESS, "usr": admin.username, "cid": "", "u": admin.oc_id}
    client = ApiClient(marketplace=marketplace, oc_id="", app_name="")
    return AccessToken(claims={**claims, "usrtype": "admin"}, client=client, user=admin)


def add_lines(order: Order, user: User, count: int, rng: random.Random) -> int:
    """Up to `count` line items of products the user sees and can buy, in stock; how many."""
    seen = list(visibility.visible_products(user).order_by("oc_id").values_list("oc_id", flat=True))
    rng.shuffle(seen)
    added = 0
    for product_id in seen:
        if added == count:
            break
        line = LineItem(
            marketplace=order.marketplace,
            order=order,
            oc_id=f"{order.oc_id}-{added + 1}",
            product_id=product_id,
            quantity=1,
            specs=[],
            xp={},
        )
        try:
            line.quantity = first_quantity(order, product_id, rng)
            pricing_rules.price(line, order)
        except (ApiError, LookupError):
            continue  # no schedule, a spec to choose, out of stock: try another product
        line.save()
        added += 1
    return added


def first_quantity(order, product_id, rng) -> int:
    """A quantity the product's schedule allows: its smallest break (a small pack)."""
    product = Product.objects.get(marketplace=order.marketplace, oc_id=product_id)
    schedule = pricing.schedules_for(order.from_user, [product])[product.pk]
    if schedule is None:
        raise LookupError(product_id)
    quantities = sorted(b["Quantity"] for b in schedule.price_breaks or [])
    low = max(schedule.min_quantity or 1, quantities[0] if quantities else 1)
    return low if schedule.restricted_quantity else low + rng.randrange(3)


def stamp(order: Order, outcome: str, day: datetime) -> None:
    """Fixed dates: created on `day`, submitted an hour later, then the outcome's."""
    dates = {"date_created": day, "last_updated": day + timedelta(days=3)}
    if outcome != Status.UNSUBMITTED:
        dates["date_submitted"] = day + timedelta(hours=1)
    if outcome == Status.CANCELED:
        dates["date_canceled"] = day + timedelta(days=1)
    if outcome == Status.COMPLETED:
        dates["date_completed"] = day + timedelta(days=2)
    if outcome == Status.DECLINED:
        dates["date_declined"] = day + timedelta(days=1)
    Order.objects.filter(pk=order.pk).update(**dates)
    LineItem.objects.filter(order=order).update(date_added=day + timedelta(minutes=5))
