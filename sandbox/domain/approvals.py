"""Order approvals: which approval rules an order must pass, and who may approve it.

A buyer's approval rule requires approval when its RuleExpression holds for the order
being submitted (or, after an approval, for the order as it then stands: a rule may
name another's outcome, `order.approved('rule-1')`, and so come into play only once
that one has approved). A rule whose expression cannot be evaluated requires approval:
a sandbox that cannot tell lets no order through unchecked. Each required rule gives the
order one approval, Pending until a member of the rule's approving group (or a seller
user with OrderAdmin) approves or declines it.
"""

from dataclasses import dataclass

from sandbox.domain import expressions
from sandbox.domain.expressions import ExpressionError, Scope


@dataclass(frozen=True)
class Rule:
    id: str
    approving_group_id: str
    expression: str


def required(rules: list[Rule], scope: Scope, *, decided: set[str]) -> list[Rule]:
    """The rules that now require approval of the order and have none yet (`decided`:
    the IDs of the rules it already has an approval for)."""
    found = []
    for rule in rules:
        if rule.id in decided:
            continue
        try:
            holds = expressions.is_true(rule.expression, scope)
        except ExpressionError:
            holds = True
        if holds:
            found.append(rule)
    return found


def may_decide(*, is_seller_admin: bool, user_groups: set[str], pending_groups: set[str]) -> bool:
    """Whether a user may approve or decline an order with approvals pending for
    `pending_groups`: a member of one of them, or the seller's order admin."""
    return is_seller_admin or bool(user_groups & pending_groups)
