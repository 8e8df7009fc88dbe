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

from sandbox.domain import expressions
from sandbox.domain.expressions import ExpressionError, Scope


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
