"""Order approvals: which approval rules an order must pass, and who may approve it.

A buyer's approval rule requires approval when its RuleExpression holds for the order
being submitted (or, after an approval, for the order as it then stands: a rule may
name another's outcome, `order.approved('rule-1')`, and so come into play only once
that one has approved). A rule whose expression cannot be evaluated requires approval:
a sandbox that cannot tell lets no order through unchecked. Each required rule gives the
order one approval, Pending until a member of the rule's approving group (or a seller
user with OrderAdmin) approves or declines it.

`required` and `may_decide` work on plain data; the rest applies them to stored orders
for the workflow in `sandbox.domain.orders` (Submit, Approve, Decline). A decline ends a
round of approvals: an order resubmitted after one needs every rule that holds again.
"""

from dataclasses import dataclass
from http import HTTPStatus

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from sandbox.api.errors import ApiError
from sandbox.domain import expressions, inventory, payments
from sandbox.domain.expressions import ExpressionError, Scope
from sandbox.models import (
    ApprovalRule,
    LineItem,
    Order,
    OrderApproval,
    User,
    UserGroupAssignment,
)


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


# --- on orders (the approval step of the workflow in `sandbox.domain.orders`) ----------------

Status = OrderApproval.Status


def bad_status(action: str, order: Order) -> ApiError:
    """The refusal the workflow answers for a transition the status does not allow."""
    return ApiError(
        HTTPStatus.BAD_REQUEST,
        f"Order.Cannot{action}BadStatus",
        f"Cannot {action.lower()} an order with status {order.status}.",
        {"OrderID": order.oc_id},
    )


def not_an_approver(order: Order) -> ApiError:
    return ApiError(
        HTTPStatus.FORBIDDEN,
        "Order.NotEligibleApprover",
        f"The user is not an eligible approver of order {order.oc_id}.",
        {"OrderID": order.oc_id},
    )


def money(value) -> float:
    return None if value is None else float(value)


def order_scope(order: Order, approved: frozenset[str] = frozenset()) -> Scope:
    """What a rule expression sees of an order: its fields, its line items, its user."""
    user = order.from_user
    user_data = None
    if user is not None:
        user_data = {
            "ID": user.oc_id,
            "Username": user.username,
            "FirstName": user.first_name,
            "LastName": user.last_name,
            "Email": user.email,
            "xp": user.xp or {},
        }
    data = {
        "ID": order.oc_id,
        "FromUser": user_data,
        "FromCompanyID": order.from_company_id,
        "ToCompanyID": order.to_company_id,
        "FromUserID": order.from_user_oc_id,
        "BillingAddressID": order.billing_address_id,
        "BillingAddress": order.billing_address,
        "ShippingAddressID": order.shipping_address_id,
        "Comments": order.comments,
        "LineItemCount": order.line_item_count,
        "Status": order.status,
        "DateCreated": order.date_created.isoformat() if order.date_created else None,
        "Subtotal": money(order.subtotal),
        "ShippingCost": money(order.shipping_cost),
        "TaxCost": money(order.tax_cost),
        "PromotionDiscount": money(order.promotion_discount),
        "Currency": order.currency,
        "Total": money(order.total),
        "xp": order.xp or {},
    }
    items = [
        {
            "ID": line.oc_id,
            "ProductID": line.product_id,
            "Quantity": line.quantity,
            "UnitPrice": money(line.unit_price),
            "PromotionDiscount": money(line.promotion_discount),
            "LineTotal": money(line.line_total),
            "LineSubtotal": money(line.line_subtotal),
            "CostCenter": line.cost_center,
            "Product": line.product or {},
            "Variant": line.variant,
            "ShippingAddress": line.shipping_address,
            "SupplierID": line.supplier_id,
            "xp": line.xp or {},
        }
        for line in LineItem.objects.filter(order=order).order_by("pk")
    ]
    return Scope(order=data, items=items, user=user_data, approved=approved)


def current(order: Order):
    """The approvals of the order's latest submission (a decline ends a round)."""
    approvals = OrderApproval.objects.filter(order=order)
    last_decline = approvals.filter(status=Status.DECLINED).order_by("-date_completed").first()
    if last_decline is not None:
        approvals = approvals.filter(date_created__gt=last_decline.date_completed)
    return approvals


def buyer_rules(order: Order) -> list[Rule]:
    return [
        Rule(rule.oc_id, rule.approving_group_id or "", rule.rule_expression or "")
        for rule in ApprovalRule.objects.filter(
            marketplace=order.marketplace, company_id=order.from_company_id
        ).order_by("oc_id")
    ]


def hold(order: Order) -> bool:
    """Create the approvals the order now needs (in the caller's transaction, the order
    locked); whether it must wait for any."""
    round_ = current(order)
    decided = set(round_.values_list("approval_rule_id", flat=True))
    approved = frozenset(
        round_.filter(status=Status.APPROVED).values_list("approval_rule_id", flat=True)
    )
    for rule in required(buyer_rules(order), order_scope(order, approved), decided=decided):
        OrderApproval.objects.create(
            marketplace=order.marketplace,
            order=order,
            approval_rule_id=rule.id,
            approving_group_id=rule.approving_group_id,
        )
    return OrderApproval.objects.filter(order=order, status=Status.PENDING).exists()


def status_after_submit(order: Order) -> str:
    """AwaitingApproval when an approval rule of the order's buyer requires approval,
    else Open."""
    return Order.Status.AWAITING_APPROVAL if hold(order) else Order.Status.OPEN


def may_resubmit(order: Order) -> bool:
    """A declined order may be submitted again when its decline allowed it."""
    last = (
        OrderApproval.objects.filter(order=order, status=Status.DECLINED)
        .order_by("-date_completed")
        .first()
    )
    return order.status == Order.Status.DECLINED and last is not None and last.allow_resubmit


def user_group_ids(user: User) -> set[str]:
    return set(
        UserGroupAssignment.objects.filter(user=user).values_list("user_group__oc_id", flat=True)
    )


def is_seller_admin(token) -> bool:
    return token.user.user_type == User.Type.ADMIN and token.has_role(["OrderAdmin"])


def pending_for(order: Order, token):
    """The order's pending approvals the token's user may decide (403 when none)."""
    pending = OrderApproval.objects.filter(order=order, status=Status.PENDING)
    groups = set(pending.values_list("approving_group_id", flat=True))
    user = token.user
    mine = set()
    if user.user_type == User.Type.BUYER and user.company_id == order.from_company_id:
        mine = user_group_ids(user)
    if not may_decide(
        is_seller_admin=is_seller_admin(token), user_groups=mine, pending_groups=groups
    ):
        raise not_an_approver(order)
    return pending if is_seller_admin(token) else pending.filter(approving_group_id__in=mine)


def decide(order: Order, token, *, approve: bool, comments=None, allow_resubmit=False) -> Order:
    """Approve or decline the order's pending approvals the user may decide. Approved: the
    rules are evaluated again (a rule may wait on another's approval), and the order is
    Open once none is pending. Declined: the order is Declined, its inventory back."""
    action = "Approve" if approve else "Decline"
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        if order.status != Order.Status.AWAITING_APPROVAL:
            raise bad_status(action, order)
        now = timezone.now()
        pending_for(order, token).update(
            status=Status.APPROVED if approve else Status.DECLINED,
            approver=token.user,
            comments=comments,
            allow_resubmit=bool(allow_resubmit),
            date_completed=now,
        )
        if not approve:
            OrderApproval.objects.filter(order=order, status=Status.PENDING).update(
                status=Status.DECLINED, date_completed=now
            )
            inventory.give_back(order.marketplace, list(LineItem.objects.filter(order=order)))
            payments.give_back(order)
            order.status, order.date_declined = Order.Status.DECLINED, now
        elif not hold(order):
            order.status, order.date_approved = Order.Status.OPEN, now
        order.last_updated = now
        order.save()
    return order


def approvable_orders(user: User):
    """Orders awaiting an approval of one of the user's groups (Me.ListApprovableOrders)."""
    if user.user_type != User.Type.BUYER:
        return Order.objects.none()
    pending = OrderApproval.objects.filter(
        status=Status.PENDING, approving_group_id__in=user_group_ids(user)
    ).values("order")
    return Order.objects.filter(
        marketplace=user.marketplace,
        from_company_id=user.company_id,
        status=Order.Status.AWAITING_APPROVAL,
        pk__in=pending,
    )


def seen_by_approver(user: User) -> Q:
    """Orders a buyer user reaches as an approver: any with an approval of its groups."""
    held = OrderApproval.objects.filter(approving_group_id__in=user_group_ids(user)).values("order")
    return Q(from_company_id=user.company_id, pk__in=held)


def eligible_approvers(order: Order):
    """The buyer users in the groups of the order's pending approvals."""
    groups = OrderApproval.objects.filter(order=order, status=Status.PENDING).values(
        "approving_group_id"
    )
    members = UserGroupAssignment.objects.filter(
        user_group__marketplace=order.marketplace,
        user_group__group_type=User.Type.BUYER,
        user_group__company_id=order.from_company_id,
        user_group__oc_id__in=groups,
    ).values("user")
    return User.objects.filter(pk__in=members)
