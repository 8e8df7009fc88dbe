"""Promotions on plain data: refusals in OrderCloud's order, amounts, line-item level."""

from datetime import UTC, datetime

import pytest

from sandbox.domain import promotions
from sandbox.domain.expressions import Scope

NOW = datetime(2025, 6, 1, 12, tzinfo=UTC)
ORDER = {"ID": "o1", "Subtotal": 200.0, "Total": 200.0}
ITEMS = [
    {"ID": "li1", "ProductID": "X", "Quantity": 2, "LineSubtotal": 150.0, "LineTotal": 150.0},
    {"ID": "li2", "ProductID": "Y", "Quantity": 1, "LineSubtotal": 50.0, "LineTotal": 50.0},
]


def promotion(**fields) -> dict:
    return {
        "Code": "SAVE",
        "EligibleExpression": "order.Subtotal > 100",
        "ValueExpression": "order.Subtotal * .1",
        "LineItemLevel": False,
        "CanCombine": False,
        "RedemptionCount": 0,
        **fields,
    }


def refusal(promo, *, applied=(), user_redemptions=0, order=ORDER, items=ITEMS):
    found = promotions.refusal(
        promo,
        now=NOW,
        order=order,
        items=list(items),
        user={"ID": "u1"},
        applied=list(applied),
        user_redemptions=user_redemptions,
    )
    return found and found.code


def test_an_eligible_promotion_is_not_refused():
    assert refusal(promotion()) is None


@pytest.mark.parametrize(
    ("fields", "kw", "code"),
    [
        ({"Active": False}, {}, "Promotion.NotActive"),
        ({}, {"applied": [promotion(Code="save")]}, "Promotion.AlreadyApplied"),
        ({"StartDate": "2025-06-02T00:00:00+00:00"}, {}, "Promotion.NotStarted"),
        ({"ExpirationDate": "2025-06-01T12:00:00+00:00"}, {}, "Promotion.Expired"),
        ({"RedemptionLimit": 5, "RedemptionCount": 5}, {}, "Promotion.RedemptionLimitReached"),
        (
            {"RedemptionLimitPerUser": 1},
            {"user_redemptions": 1},
            "Promotion.RedemptionLimitPerUserReached",
        ),
        ({}, {"applied": [promotion(Code="OTHER", CanCombine=True)]}, "Promotion.CannotCombine"),
        ({"CanCombine": True}, {"applied": [promotion(Code="OTHER")]}, "Promotion.CannotCombine"),
        ({"EligibleExpression": "order.Subtotal > 500"}, {}, "Promotion.NotEligible"),
        ({"EligibleExpression": "order.Subtotal > 'a'"}, {}, "Promotion.NotEligible"),
    ],
)
def test_refusals(fields, kw, code):
    assert refusal(promotion(**fields), **kw) == code


def test_promotions_that_both_can_combine_combine():
    assert (
        refusal(promotion(CanCombine=True), applied=[promotion(Code="B", CanCombine=True)]) is None
    )


def test_limits_not_reached_pass():
    promo = promotion(RedemptionLimit=5, RedemptionCount=4, RedemptionLimitPerUser=2)

    assert refusal(promo, user_redemptions=1) is None


def test_order_level_amount_is_capped_by_the_subtotal():
    assert promotions.discounts(promotion(), ORDER, ITEMS, None) == [(None, 20.0)]
    assert promotions.discounts(promotion(ValueExpression="500"), ORDER, ITEMS, None) == [
        (None, 200.0)
    ]


@pytest.mark.parametrize("value", ["-5", "'ten'", "1 / 0", "order.Missing"])
def test_amounts_that_are_not_positive_numbers_are_zero(value):
    assert promotions.amount(promotion(ValueExpression=value), Scope(order=ORDER)) == 0.0


def test_line_item_level_gives_one_discount_per_eligible_item():
    promo = promotion(
        LineItemLevel=True,
        EligibleExpression="item.ProductID = 'X'",
        ValueExpression="item.LineSubtotal * .2",
    )

    assert promotions.discounts(promo, ORDER, ITEMS, None) == [("li1", 30.0)]
    assert refusal(promo) is None
    assert (
        refusal({**promo, "EligibleExpression": "item.ProductID = 'Z'"}) == "Promotion.NotEligible"
    )


def test_total_discount_sums_and_caps():
    applied = [({}, [(None, 20.0)]), ({}, [("li1", 30.0), ("li2", 5.25)])]

    assert promotions.total_discount(applied, 200) == 55.25
    assert promotions.total_discount(applied, 40) == 40


def test_check_expressions_names_each_bad_field():
    assert promotions.check_expressions("order.Total > 1", "5") == {}
    wanted = "expected a value, a name or '('."
    assert promotions.check_expressions("order.Total >", "min(") == {
        "EligibleExpression": f"Unexpected end of expression at 14: {wanted}",
        "ValueExpression": f"Unexpected end of expression at 5: {wanted}",
    }
