"""Promotions: whether one applies to an order, and how much it takes off.

Plain data in, plain data out: a promotion is its wire dict (Code, StartDate,
ExpirationDate, EligibleExpression, ValueExpression, LineItemLevel, CanCombine,
RedemptionLimit, RedemptionLimitPerUser, RedemptionCount), the order and its line items
are theirs. The checks run in OrderCloud's order: dates, redemption limits, combination
with the promotions already on the order, then the EligibleExpression; the first that
fails is the refusal (an error code and a message).
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from http import HTTPStatus

from django.db.models import Exists, F, OuterRef, Q

from sandbox.api.errors import ApiError, not_found
from sandbox.domain import approvals, expressions
from sandbox.domain.expressions import ExpressionError, Scope
from sandbox.models import (
    LineItem,
    Order,
    OrderPromotion,
    Promotion,
    PromotionAssignment,
    User,
    UserGroupAssignment,
)


@dataclass(frozen=True)
class Refusal:
    code: str
    message: str


def check_expressions(eligible: str | None, value: str | None) -> dict[str, str]:
    """What is wrong with a promotion's expressions: {field: message}; empty when fine."""
    problems = {}
    for field, text in (("EligibleExpression", eligible), ("ValueExpression", value)):
        if text is None:
            continue
        try:
            expressions.parse(text)
        except ExpressionError as error:
            problems[field] = str(error)
    return problems


def as_datetime(value):
    if isinstance(value, str):
        return expressions.as_date(value)
    return value


def refusal(
    promotion: dict,
    *,
    now: datetime,
    order: dict,
    items: list[dict],
    user: dict | None,
    applied: list[dict],
    user_redemptions: int,
) -> Refusal | None:
    """Why `promotion` cannot be added to the order now (None: it can).

    `applied` are the promotions already on the order; `user_redemptions` how many of
    the user's other submitted orders used it."""
    code = promotion["Code"]
    if promotion.get("Active") is False:
        return Refusal("Promotion.NotActive", f"Promotion {code} is not active.")
    if any(p["Code"].lower() == code.lower() for p in applied):
        return Refusal("Promotion.AlreadyApplied", f"Promotion {code} is already on this order.")
    start, end = (
        as_datetime(promotion.get("StartDate")),
        as_datetime(promotion.get("ExpirationDate")),
    )
    if start is not None and now < start:
        return Refusal("Promotion.NotStarted", f"Promotion {code} has not started yet.")
    if end is not None and now >= end:
        return Refusal("Promotion.Expired", f"Promotion {code} has expired.")
    limit = promotion.get("RedemptionLimit")
    if limit is not None and (promotion.get("RedemptionCount") or 0) >= limit:
        return Refusal(
            "Promotion.RedemptionLimitReached",
            f"Promotion {code} has reached its redemption limit ({limit}).",
        )
    per_user = promotion.get("RedemptionLimitPerUser")
    if per_user is not None and user_redemptions >= per_user:
        return Refusal(
            "Promotion.RedemptionLimitPerUserReached",
            f"Promotion {code} can be redeemed {per_user} time(s) per user.",
        )
    if applied and (
        not promotion.get("CanCombine") or not all(p.get("CanCombine") for p in applied)
    ):
        return Refusal(
            "Promotion.CannotCombine",
            f"Promotion {code} cannot be combined with the promotions on this order.",
        )
    if not eligible_items(promotion, order, items, user) and not is_eligible(
        promotion, Scope(order=order, items=items, user=user)
    ):
        return Refusal("Promotion.NotEligible", f"The order is not eligible for promotion {code}.")
    return None


def is_eligible(promotion: dict, scope: Scope) -> bool:
    """The EligibleExpression holds (an expression that cannot be evaluated does not)."""
    try:
        return expressions.is_true(promotion["EligibleExpression"], scope)
    except ExpressionError:
        return False


def eligible_items(promotion: dict, order: dict, items: list[dict], user) -> list[dict]:
    """For a line-item-level promotion, the line items its EligibleExpression holds for
    (`item` in scope); [] for an order-level one."""
    if not promotion.get("LineItemLevel"):
        return []
    return [
        item
        for item in items
        if is_eligible(promotion, Scope(order=order, items=items, user=user, item=item))
    ]


def amount(promotion: dict, scope: Scope) -> float:
    """What the ValueExpression takes off, rounded to cents, never below 0; 0 when it
    cannot be evaluated or is not a number."""
    try:
        value = expressions.evaluate(promotion["ValueExpression"], scope)
    except ExpressionError:
        return 0.0
    if not expressions.is_number(value) or value <= 0:
        return 0.0
    return round(float(value), 2)


def discounts(
    promotion: dict, order: dict, items: list[dict], user
) -> list[tuple[str | None, float]]:
    """(LineItemID or None, amount) for each discount the promotion gives the order: one
    for an order-level promotion (at most the order's Subtotal), one per eligible line
    item for a line-item-level one (each at most its LineSubtotal)."""
    if not promotion.get("LineItemLevel"):
        value = amount(promotion, Scope(order=order, items=items, user=user))
        return [(None, min(value, float(order.get("Subtotal") or 0)))]
    found = []
    for item in eligible_items(promotion, order, items, user):
        value = amount(promotion, Scope(order=order, items=items, user=user, item=item))
        cap = float(item.get("LineSubtotal") or item.get("LineTotal") or 0)
        found.append((item.get("ID"), min(value, cap)))
    return found


def total_discount(
    applied: list[tuple[dict, list[tuple[str | None, float]]]], subtotal: float
) -> float:
    """The order's PromotionDiscount: the sum of its promotions' amounts, at most its
    Subtotal."""
    total = sum(value for _, found in applied for _, value in found)
    return round(min(total, float(subtotal or 0)), 2)


# --- on orders (Orders.AddPromotion / RemovePromotion, and the order's totals) --------------


def available(user: User | None, order: Order):
    """The promotions the order's user may use: for every buyer, or assigned to the
    order's buyer or one of the user's groups there."""
    groups = (
        UserGroupAssignment.objects.filter(user=user).values("user_group")
        if user is not None
        else []
    )
    assigned = PromotionAssignment.objects.filter(
        Q(user_group=None) | Q(user_group__in=groups),
        promotion=OuterRef("pk"),
        buyer__oc_id=order.from_company_id,
    )
    return Promotion.objects.filter(marketplace=order.marketplace).filter(
        Q(allow_all_buyers=True) | Exists(assigned)
    )


def promotion_data(promotion: Promotion) -> dict:
    return {
        "ID": promotion.oc_id,
        "Code": promotion.code,
        "LineItemLevel": promotion.line_item_level,
        "StartDate": promotion.start_date,
        "ExpirationDate": promotion.expiration_date,
        "EligibleExpression": promotion.eligible_expression,
        "ValueExpression": promotion.value_expression,
        "CanCombine": promotion.can_combine,
        "Active": promotion.active,
        "RedemptionLimit": promotion.redemption_limit,
        "RedemptionLimitPerUser": promotion.redemption_limit_per_user,
        "RedemptionCount": promotion.redemption_count,
    }


def on_order(order: Order) -> list[Promotion]:
    """The promotions added to the order, in the order they were added."""
    ids = (
        OrderPromotion.objects.filter(order=order)
        .order_by("date_applied", "pk")
        .values_list("promotion", flat=True)
    )
    seen, found = set(), []
    for promotion_id in ids:
        if promotion_id not in seen:
            seen.add(promotion_id)
            found.append(Promotion.objects.get(pk=promotion_id))
    return found


def redemptions_by(user: User | None, promotion: Promotion, order: Order) -> int:
    """How many of the user's other submitted orders used the promotion."""
    if user is None:
        return 0
    return (
        OrderPromotion.objects.filter(
            promotion=promotion, order__from_user=user, order__is_submitted=True
        )
        .exclude(order=order)
        .values("order")
        .distinct()
        .count()
    )


def add(order: Order, code: str, *, now) -> None:
    """Add the promotion with that code to the (locked, Unsubmitted) order: 404 when the
    order's user may not use it, 400 with the refusal when it cannot apply. The caller
    then saves the order's totals (`apply` runs in them)."""
    promotion = available(order.from_user, order).filter(code__iexact=code).first()
    if promotion is None:
        raise not_found("Promotion", code)
    scope = approvals.order_scope(order)
    applied = [promotion_data(p) for p in on_order(order)]
    refused = refusal(
        promotion_data(promotion),
        now=now,
        order=scope.order,
        items=scope.items,
        user=scope.user,
        applied=applied,
        user_redemptions=redemptions_by(order.from_user, promotion, order),
    )
    if refused is not None:
        raise ApiError(HTTPStatus.BAD_REQUEST, refused.code, refused.message, {"Code": code})
    OrderPromotion.objects.create(marketplace=order.marketplace, order=order, promotion=promotion)


def remove(order: Order, code: str) -> None:
    rows = OrderPromotion.objects.filter(order=order, promotion__code__iexact=code)
    if not rows.exists():
        raise not_found("OrderPromotion", code)
    rows.delete()
    LineItem.objects.filter(order=order).exclude(promotion_discount=0).update(
        promotion_discount=0, line_total=F("line_subtotal")
    )


def order_discount(order: Order) -> Decimal:
    """The order's PromotionDiscount, its promotions' amounts computed again from the
    order as it stands (in the caller's transaction: the totals being recalculated).
    Line-item-level amounts also go on their line items (PromotionDiscount, LineTotal)."""
    if order.pk is None:
        return Decimal(0)
    promotions = on_order(order)
    if not promotions:
        return Decimal(0)
    scope = approvals.order_scope(order)
    scope.order["Subtotal"] = float(order.subtotal or 0)
    applied = []
    rows = OrderPromotion.objects.filter(order=order)
    dates = {row.promotion_id: row.date_applied for row in rows.order_by("-date_applied")}
    rows.delete()
    per_line: dict[str, Decimal] = {}
    for promotion in promotions:
        found = discounts(promotion_data(promotion), scope.order, scope.items, scope.user)
        applied.append((promotion, found))
        for line_id, value in found or [(None, 0.0)]:
            OrderPromotion.objects.create(
                marketplace=order.marketplace,
                order=order,
                promotion=promotion,
                line_item_id=line_id,
                amount=Decimal(str(value)),
                date_applied=dates[promotion.pk],
            )
            if line_id is not None:
                per_line[line_id] = per_line.get(line_id, Decimal(0)) + Decimal(str(value))
    for line in LineItem.objects.filter(order=order):
        discount = per_line.get(line.oc_id, Decimal(0))
        if line.promotion_discount != discount:
            line.promotion_discount = discount
            line.line_total = Decimal(str(line.line_subtotal)) - discount
            line.save(update_fields=["promotion_discount", "line_total"])
    return Decimal(str(total_discount(applied, float(order.subtotal or 0))))


def redeem(order: Order) -> None:
    """Count a submitted order's promotions as redeemed (RedemptionCount)."""
    ids = OrderPromotion.objects.filter(order=order).values("promotion")
    Promotion.objects.filter(pk__in=ids).update(redemption_count=F("redemption_count") + 1)
