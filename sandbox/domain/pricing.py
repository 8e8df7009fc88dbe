"""What a buyer user pays: which price schedule applies to them, which price break and
whether the sale price is on.

Which schedule: OrderCloud lets a product assignment carry a price schedule, which "takes
precedence over" the product's DefaultPriceScheduleID. An assignment can be to the
buyer or to one of its user groups; the more specific one wins: the user's group's
assignment (the group with the lowest ID when several of the user's groups have one),
then the buyer's, then the product's default. An assignment without a price schedule
sets no price. A product visible with no schedule at all is visible but not purchasable
(BuyerProduct.PriceSchedule null).

Prices: the price break that applies to a quantity is the one with the greatest Quantity
not above it. A break's SalePrice replaces its Price while the schedule is on sale: at
least one break has a SalePrice, and now is at or after SaleStart and before SaleEnd
(either may be open).
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db.models import Q

from sandbox.domain.visibility import groups_of
from sandbox.models import PriceSchedule, Product, ProductAssignment, User


def schedules_for(user: User, products: list[Product]) -> dict[int, PriceSchedule | None]:
    """The price schedule that applies to `user` for each product (by product key)."""
    found: dict[int, PriceSchedule | None] = {product.pk: None for product in products}
    ranks: dict[int, tuple] = {}
    assignments = (
        ProductAssignment.objects.filter(
            Q(user_group__isnull=True) | Q(user_group__in=groups_of(user)),
            product__in=[product.pk for product in products],
            buyer__marketplace=user.marketplace,
            buyer__oc_id=user.company_id,
            price_schedule__isnull=False,
        )
        .select_related("price_schedule", "user_group")
        .order_by("pk")
    )
    for assignment in assignments:
        group = assignment.user_group
        rank = (0, group.oc_id) if group else (1, "")  # a group's before the buyer's
        if assignment.product_id not in ranks or rank < ranks[assignment.product_id]:
            ranks[assignment.product_id] = rank
            found[assignment.product_id] = assignment.price_schedule
    defaults = {p.default_price_schedule_id for p in products if p.pk not in ranks}
    by_id = {
        schedule.oc_id: schedule
        for schedule in PriceSchedule.objects.filter(
            marketplace=user.marketplace, oc_id__in=defaults - {None, ""}
        )
    }
    for product in products:
        if product.pk not in ranks:
            found[product.pk] = by_id.get(product.default_price_schedule_id)
    return found


def is_on_sale(schedule: PriceSchedule, now: datetime) -> bool:
    """Whether the schedule's sale prices apply at `now`."""
    if not any(b.get("SalePrice") is not None for b in schedule.price_breaks or []):
        return False
    if schedule.sale_start is not None and now < schedule.sale_start:
        return False
    return schedule.sale_end is None or now < schedule.sale_end


def price_break(schedule: PriceSchedule, quantity: int) -> dict | None:
    """The break that applies to `quantity` (None when the quantity is below them all)."""
    applicable = [b for b in schedule.price_breaks or [] if b["Quantity"] <= quantity]
    return max(applicable, key=lambda b: b["Quantity"], default=None)


def unit_price(schedule: PriceSchedule, quantity: int, now: datetime) -> Decimal | None:
    """The price of one unit when buying `quantity` at `now` (None: no break applies)."""
    found = price_break(schedule, quantity)
    if found is None:
        return None
    price = found["Price"]
    if found.get("SalePrice") is not None and is_on_sale(schedule, now):
        price = found["SalePrice"]
    return None if price is None else Decimal(str(price))


@dataclass(frozen=True)
class QuantityProblem:
    code: str  # e.g. "MinQuantity"
    message: str


def quantity_problem(schedule: PriceSchedule, quantity: int) -> QuantityProblem | None:
    """Why `quantity` cannot be ordered on the schedule, or None when it can: below
    MinQuantity, above MaxQuantity, or (RestrictedQuantity) not one of the breaks'."""
    if quantity < (schedule.min_quantity or 1):
        return QuantityProblem("MinQuantity", f"Quantity must be at least {schedule.min_quantity}.")
    if schedule.max_quantity is not None and quantity > schedule.max_quantity:
        return QuantityProblem("MaxQuantity", f"Quantity cannot exceed {schedule.max_quantity}.")
    allowed = sorted(b["Quantity"] for b in schedule.price_breaks or [])
    if schedule.restricted_quantity and quantity not in allowed:
        listed = ", ".join(str(q) for q in allowed)
        return QuantityProblem("RestrictedQuantity", f"Quantity must be one of: {listed}.")
    return None
