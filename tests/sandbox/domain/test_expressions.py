"""OrderCloud's rule expressions: parsing, evaluation, refusals, and nothing Python runs."""

from datetime import UTC, datetime

import pytest

from sandbox.domain import expressions
from sandbox.domain.expressions import ExpressionError, Scope, evaluate, parse

ORDER = {
    "ID": "o1",
    "Total": 150.0,
    "Subtotal": 140,
    "DateSubmitted": "2024-06-20T10:00:00.000+00:00",
    "FromUser": {"ID": "u1", "xp": {"Level": 3}},
    "xp": {"Region": "West", "Tags": ["a"], "Nothing": None},
}
ITEMS = [
    {"ID": "li1", "ProductID": "X", "Quantity": 3, "LineTotal": 30.5, "xp": {"Color": "red"}},
    {"ID": "li2", "ProductID": "Y", "Quantity": 2, "LineTotal": 10, "CostCenter": "ABC"},
]
SCOPE = Scope(
    order=ORDER,
    items=ITEMS,
    user={"ID": "u1", "xp": {"Budget": 100}},
    item=ITEMS[0],
    approved=frozenset({"rule-1"}),
)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("order.Total > 100", True),
        ("order.Total >= 150 and order.Total <= 150", True),
        ("order.Total < 100 or order.Total = 150", True),
        ("order.Total <> 150", False),
        ("order.Total != 149", True),
        ("not order.Total > 100", False),
        ("order.xp.Region = 'West'", True),
        ("order.xp.region = 'West'", True),  # property names ignore case
        ("order.xp.Region = 'west'", False),  # string values do not
        ("order.xp.Missing = null", True),
        ("order.xp.Missing > 1", False),
        ("order.FromUser.xp.Level * 2", 6),
        ("user.xp.Budget - order.Total", -50.0),
        ("order.Total * .1", 15.0),
        ("min(order.Total * 0.1, 20)", 15.0),
        ("max(order.Total * 0.1, 20)", 20),
        ("(1 + 2) * 3", 9),
        ("1 + 2 * 3", 7),
        ("7 % 4", 3),
        ("-order.Total", -150.0),
        ("10 / 4", 2.5),
        ("'O''Brien' + '!'", "O'Brien!"),
        ("items.any(ProductID = 'X')", True),
        ("items.any(ProductID = 'Z')", False),
        ("items.all(Quantity > 1)", True),
        ("items.all(ProductID = 'X')", False),
        ("items.count()", 2),
        ("items.count(xp.Color = 'red')", 1),
        ("items.quantity(ProductID = 'X' or ProductID = 'Y') > 4", True),
        ("items.quantity()", 5),
        ("items.total(CostCenter = 'ABC')", 10),
        ("items.total()", 40.5),
        ("order.Total > 200 and items.any(CostCenter = 'ABC')", False),
        ("item.ProductID = 'X' and item.Quantity >= 3", True),
        ("order.approved('rule-1')", True),
        ("order.approved('rule-2')", False),
        ("order.DateSubmitted > #6/15/2024#", True),
        ("order.DateSubmitted < #6/15/2024 09:30#", False),
        ("contains(order.xp.Region, 'es')", True),
        ("startswith(order.xp.Region, 'we')", True),
        ("endswith(order.xp.Region, 'x')", False),
        ("lower(order.xp.Region) + upper('a')", "westA"),
        ("length(order.xp.Region)", 4),
        ("abs(-2)", 2),
        ("round(10 / 3, 2)", 3.33),
        ("true and not false", True),
        ("order.Total > 1 AND Not false", True),
    ],
)
def test_evaluates(text, value):
    assert evaluate(text, SCOPE) == value


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "The expression is empty."),
        ("   ", "The expression is empty."),
        ("order.Total >", "Unexpected end of expression at 14: expected a value, a name or '('."),
        ("order.Total > > 1", "Unexpected '>' at 15: expected a value, a name or '('."),
        ("order.Total 100", "Unexpected '100' at 13: expected an operator or the end."),
        ("order.xp.Region = 'West", "Unterminated quote at 19."),
        ("order.DateSubmitted > #6/15/2024", "Unterminated # at 23."),
        ("order.DateSubmitted > #2024/99/1#", "Invalid date #2024/99/1# at 23: write #M/D/YYYY#."),
        ("order.Total = 1 = 1", "Unexpected '=' at 17: comparisons do not chain; use and."),
        ("(order.Total > 1", "Unexpected end of expression at 17: expected ')'."),
        ("order.Total > 1)", "Unexpected ')' at 16: expected an operator or the end."),
        ("order.", "Unexpected end of expression at 7: expected a property name after '.'."),
        (
            "items > 1",
            "items at 1 is a list: use one of items.any(), items.all(), "
            "items.count(), items.quantity(), items.total().",
        ),
        ("Total > 1", "Unknown name 'Total' at 1: paths start with order, user, item or items."),
        ("min()", "min() at 1 takes 1 or more argument(s), not 0."),
        ("abs(1, 2)", "abs() at 1 takes 1 argument(s), not 2."),
        ("round(1, 2, 3)", "round() at 1 takes 1 to 2 argument(s), not 3."),
        ("items.sum(Quantity)", "Unknown function items.sum() at 1."),
        ("order.Total ; 1", "Unexpected character ';' at 13."),
        ("order.Total > 1" + " " * 390, "The expression is longer than 400 characters."),
        ("(" * 41 + "1" + ")" * 41, "The expression nests deeper than 40 levels."),
        ("not " * 41 + "true", "The expression nests deeper than 40 levels."),
    ],
)
def test_refuses_what_is_not_an_expression(text, message):
    with pytest.raises(ExpressionError) as refused:
        parse(text)

    assert str(refused.value) == message


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1 / 0", "Division by zero."),
        ("1 % 0", "Division by zero."),
        ("order.Total + 'a'", "Cannot compute a number + a string."),
        ("order.Total > 'a'", "Cannot compare a number with a string using >."),
        ("-order.xp.Region", "Cannot negate a string."),
        ("min('a', 1)", "min() takes numbers."),
        ("contains(1, 'a')", "contains() takes strings."),
        ("round(1, 99)", "round() takes 0 to 10 digits."),
        ("9" * 200 + " * " + "9" * 190 + " / 3", "The result is too large."),
    ],
)
def test_evaluation_errors_are_expression_errors(text, message):
    with pytest.raises(ExpressionError) as refused:
        evaluate(text, SCOPE)

    assert str(refused.value) == message


@pytest.mark.parametrize(
    "text",
    [
        "__import__('os').system('echo hacked')",
        "eval('1')",
        "exec('x = 1')",
        "order.__class__",
        "order.__class__.__mro__",
        "order.Total.__class__",
        "open('/etc/passwd')",
        "getattr(order, 'Total')",
        "order.items()",
        "lambda: 1",
        "[x for x in order]",
        "order['Total']",
        "1 if true else 2",
        "`id`",
    ],
)
def test_python_never_runs(text):
    """Unknown functions and syntax are refused; dunder names are plain missing keys."""
    try:
        value = evaluate(text, SCOPE)
    except ExpressionError:
        return
    assert value is None  # a path into the order's dict that finds nothing


def test_missing_objects_are_null():
    empty = Scope()

    assert evaluate("order.Total", empty) is None
    assert evaluate("order.Total > 1", empty) is False
    assert evaluate("items.any()", empty) is False
    assert evaluate("items.all(Quantity > 1)", empty) is True
    assert evaluate("items.quantity()", empty) == 0


def test_dates_compare_with_iso_strings_and_each_other():
    assert evaluate("#1/2/2024# > #1/1/2024#", Scope()) is True
    assert evaluate("#2024-01-01# = #1/1/2024#", Scope()) is True
    assert expressions.parse_date("6/15/2016", 1) == datetime(2016, 6, 15, tzinfo=UTC)


def test_parse_once_evaluate_many():
    parsed = parse("order.Total > 100")

    assert expressions.is_true(parsed, Scope(order={"Total": 101})) is True
    assert expressions.is_true(parsed, Scope(order={"Total": 99})) is False
    assert parsed.text == "order.Total > 100"


@pytest.mark.parametrize(
    ("value", "truth"),
    [(None, False), (0, False), (2, True), ("", False), ("a", True), ([], False), ({"a": 1}, True)],
)
def test_truthiness(value, truth):
    assert expressions.truthy(value) is truth
