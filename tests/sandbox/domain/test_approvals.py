"""Which approval rules an order must pass, and who may decide."""

from sandbox.domain import approvals
from sandbox.domain.approvals import Rule
from sandbox.domain.expressions import Scope

RULES = [
    Rule("big", "managers", "order.Total > 100"),
    Rule("huge", "directors", "order.Total > 1000 and order.approved('big')"),
    Rule("broken", "auditors", "order.Total > 'x'"),
]


def ids(rules):
    return [rule.id for rule in rules]


def test_rules_whose_expression_holds():
    scope = Scope(order={"Total": 2000})

    assert ids(approvals.required(RULES[:2], scope, decided=set())) == ["big"]


def test_a_rule_that_names_another_comes_in_once_that_one_approved():
    scope = Scope(order={"Total": 2000}, approved=frozenset({"big"}))

    assert ids(approvals.required(RULES[:2], scope, decided={"big"})) == ["huge"]


def test_nothing_required_under_the_limits():
    assert approvals.required(RULES[:2], Scope(order={"Total": 50}), decided=set()) == []


def test_a_rule_that_cannot_be_evaluated_requires_approval():
    assert ids(approvals.required(RULES[2:], Scope(order={"Total": 5}), decided=set())) == [
        "broken"
    ]


def test_who_may_decide():
    assert approvals.may_decide(is_seller_admin=True, user_groups=set(), pending_groups={"g"})
    assert approvals.may_decide(is_seller_admin=False, user_groups={"g", "h"}, pending_groups={"g"})
    assert not approvals.may_decide(is_seller_admin=False, user_groups={"h"}, pending_groups={"g"})
