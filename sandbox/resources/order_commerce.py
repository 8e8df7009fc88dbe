"""On an order (/orders/{direction}/{orderID}/...): its approvals (ListApprovals,
ListEligibleApprovers, Approve, Decline) and its promotions (ListPromotions,
AddPromotion, RemovePromotion). The rules are `sandbox.domain.approvals` and
`sandbox.domain.promotions`; which orders a caller reaches is the Orders resource's."""

from decimal import Decimal
from http import HTTPStatus

from django.db import transaction
from django.utils import timezone

from sandbox.api import crud, listing, validation
from sandbox.api.spec import Enumeration, Field, Operation, Schema
from sandbox.domain import approvals, promotions
from sandbox.domain import orders as workflow
from sandbox.models import Order, OrderApproval, OrderPromotion
from sandbox.resources.common import full_access_or
from sandbox.resources.orders import ORDERS, answer, the_order
from sandbox.resources.promotions import PROMOTIONS
from sandbox.resources.users import USERS

ITEM = "/orders/{direction}/{orderID}"
READ = full_access_or("OrderAdmin", "Shopper", "OrderReader")
WRITE = full_access_or("OrderAdmin", "Shopper")

# --- approvals ---------------------------------------------------------------------------------

APPROVAL_STATUS = Enumeration("ApprovalStatus", tuple(OrderApproval.Status.values))
ORDER_APPROVAL = Schema(
    "OrderApproval",
    (
        Field("AllowResubmit", "boolean", attr="allow_resubmit", read_only=True),
        Field("ApprovalRuleID", attr="approval_rule_id", read_only=True),
        Field("ApprovingGroupID", attr="approving_group_id", read_only=True),
        Field("Status", attr="status", read_only=True, enum=APPROVAL_STATUS),
        Field("DateCreated", "datetime", attr="date_created", read_only=True),
        Field("DateCompleted", "datetime", attr="date_completed", read_only=True),
        Field(
            "Approver",
            "object",
            read_only=True,
            ref=USERS.schema,
            compute=lambda row: None if row.approver is None else crud.to_wire(USERS, row.approver),
        ),
        Field("Comments", attr="comments", read_only=True),
    ),
)
APPROVAL_COLUMNS = {
    **{f.name: listing.Column(f.attr, "string") for f in ORDER_APPROVAL.fields if f.attr},
    "AllowResubmit": listing.Column("allow_resubmit", "boolean"),
    "DateCreated": listing.Column("date_created", "datetime"),
    "DateCompleted": listing.Column("date_completed", "datetime"),
    "Approver": listing.Column("approver__oc_id", "string"),
}
APPROVAL_INFO = Schema(
    "OrderApprovalInfo",
    (Field("AllowResubmit", "boolean"), Field("Comments", max_length=2000)),
)


def list_approvals(call):
    order = the_order(call)
    return HTTPStatus.OK, listing.list_page(
        OrderApproval.objects.filter(order=order).select_related("approver"),
        call.query,
        fields=APPROVAL_COLUMNS,
        searchable=("ApprovalRuleID", "ApprovingGroupID", "Approver", "Comments"),
        sortable=(
            "DateCreated",
            "AllowResubmit",
            "ApprovalRuleID",
            "ApprovingGroupID",
            "Status",
            "DateCompleted",
            "Approver",
        ),
        serialize=lambda row: crud.to_wire(ORDER_APPROVAL, row),
        default_order=("date_created",),
    )


def list_eligible_approvers(call):
    order = the_order(call)
    return HTTPStatus.OK, listing.list_page(
        approvals.eligible_approvers(order),
        call.query,
        fields=crud.list_columns(USERS),
        searchable=USERS.searchable,
        sortable=USERS.sortable,
        serialize=lambda user: crud.to_wire(USERS, user),
    )


def decide(call, *, approve: bool):
    order = the_order(call)
    values, _ = validation.validate(APPROVAL_INFO.fields, call.body or {})
    order = approvals.decide(
        order,
        call.token,
        approve=approve,
        comments=values.get("Comments"),
        allow_resubmit=values.get("AllowResubmit"),
    )
    return answer(order)


# --- promotions --------------------------------------------------------------------------------


def amount_of(row) -> float:
    return float(Decimal(str(row.amount)))


ORDER_PROMOTION = Schema(
    "OrderPromotion",
    (
        Field("Amount", "number", format="float", read_only=True, compute=amount_of),
        Field("LineItemID", attr="line_item_id", read_only=True),
        *(
            Field(
                f.name,
                f.type,
                format=f.format,
                max_length=f.max_length,
                read_only=f.read_only,
                enum=f.enum,
                compute=lambda row, attr=f.attr: getattr(row.promotion, attr),
            )
            for f in PROMOTIONS.fields
        ),
    ),
)
PROMOTION_COLUMNS = {
    "Amount": listing.Column("amount", "number"),
    "LineItemID": listing.Column("line_item_id", "string"),
    **{
        f.name: listing.Column(f"promotion__{f.attr}", "object" if f.type == "object" else f.type)
        for f in PROMOTIONS.fields
    },
}


def list_promotions(call):
    order = the_order(call)
    return HTTPStatus.OK, listing.list_page(
        OrderPromotion.objects.filter(order=order).select_related("promotion"),
        call.query,
        fields=PROMOTION_COLUMNS,
        searchable=PROMOTIONS.searchable,
        sortable=PROMOTIONS.sortable,
        serialize=lambda row: crud.to_wire(ORDER_PROMOTION, row),
        default_order=("date_applied",),
    )


def locked_unsubmitted(call) -> Order:
    """The path's order, locked; promotions change only on an Unsubmitted one."""
    order = workflow.locked(the_order(call))
    workflow.check_editable(order)
    return order


def add_promotion(call):
    code = call.params["promoCode"]
    with transaction.atomic():
        order = locked_unsubmitted(call)
        promotions.add(order, code, now=timezone.now())
        workflow.save_totals(order)
    row = (
        OrderPromotion.objects.filter(order=order, promotion__code__iexact=code)
        .select_related("promotion")
        .order_by("pk")
        .first()
    )
    return HTTPStatus.CREATED, crud.to_wire(ORDER_PROMOTION, row)


def remove_promotion(call):
    with transaction.atomic():
        order = locked_unsubmitted(call)
        promotions.remove(order, call.params["promoCode"])
        workflow.save_totals(order)
    return answer(order, HTTPStatus.OK)


def order_operation(operation_id, method, suffix, summary, roles, status, handler, **kw):
    return Operation(
        operation_id,
        method,
        f"{ITEM}/{suffix}",
        "Orders",
        summary,
        roles,
        "Custom",
        status,
        resource=ORDERS,
        handler=handler,
        **kw,
    )


OPERATIONS = [
    order_operation(
        "Orders.Approve",
        "POST",
        "approve",
        "Approve an order.",
        WRITE,
        201,
        lambda call: decide(call, approve=True),
        request=APPROVAL_INFO,
        response=ORDERS.schema,
    ),
    order_operation(
        "Orders.ListApprovals",
        "GET",
        "approvals",
        "Get a list of order approvals.",
        READ,
        200,
        list_approvals,
        response=ORDER_APPROVAL,
        is_list=True,
        searchable=("ApprovalRuleID", "ApprovingGroupID", "Approver", "Comments"),
        sortable=(
            "DateCreated",
            "AllowResubmit",
            "ApprovalRuleID",
            "ApprovingGroupID",
            "Status",
            "DateCompleted",
            "Approver",
        ),
    ),
    order_operation(
        "Orders.Decline",
        "POST",
        "decline",
        "Decline an order.",
        WRITE,
        201,
        lambda call: decide(call, approve=False),
        request=APPROVAL_INFO,
        response=ORDERS.schema,
    ),
    order_operation(
        "Orders.ListEligibleApprovers",
        "GET",
        "eligibleapprovers",
        "Get a list of order eligible approvers.",
        READ,
        200,
        list_eligible_approvers,
        response=USERS.schema,
        is_list=True,
        searchable=USERS.searchable,
        sortable=USERS.sortable,
    ),
    order_operation(
        "Orders.ListPromotions",
        "GET",
        "promotions",
        "Get a list of order promotions.",
        READ,
        200,
        list_promotions,
        response=ORDER_PROMOTION,
        is_list=True,
        searchable=PROMOTIONS.searchable,
        sortable=PROMOTIONS.sortable,
    ),
    order_operation(
        "Orders.AddPromotion",
        "POST",
        "promotions/{promoCode}",
        "Add a promotion to an order.",
        WRITE,
        201,
        add_promotion,
        response=ORDER_PROMOTION,
    ),
    order_operation(
        "Orders.RemovePromotion",
        "DELETE",
        "promotions/{promoCode}",
        "Remove a promotion from an order.",
        WRITE,
        200,
        remove_promotion,
        response=ORDERS.schema,
    ),
]
