"""A buyer user's orders: /me/orders, the ones awaiting its approval, and taking over the
cart it filled as an anonymous shopper (Me.TransferAnonUserOrder)."""

from http import HTTPStatus

from sandbox.api.errors import ApiError, validation_failure
from sandbox.api.spec import Operation, Param
from sandbox.auth import access
from sandbox.domain import orders as workflow
from sandbox.models import User
from sandbox.resources.common import full_access_or
from sandbox.resources.orders import ORDER_SEARCH, ORDER_SORT, ORDERS, order_page

SHOPPER = full_access_or("Shopper")
BUYERS_ONLY = (User.Type.BUYER,)
DATES = (
    Param("from", description="Lower bound of date range that the order was created."),
    Param("to", description="Upper bound of date range that the order was created."),
)


def list_orders(call):
    return order_page(call, workflow.own_orders(call.token))


def list_approvable_orders(call):
    return order_page(call, workflow.approvable_orders(call.token))


def transfer_anonymous_order(call):
    raw = call.query.get("anonUserToken", "")
    if not raw:
        raise validation_failure("anonUserToken is required.", "anonUserToken")
    try:
        anonymous = access.verify(raw)
    except ApiError:
        anonymous = None
    if (
        anonymous is None
        or not anonymous.claims.get("orderid")
        or anonymous.marketplace.pk != call.marketplace.pk
    ):
        raise validation_failure(
            "anonUserToken must be an anonymous shopper's token of this marketplace.",
            "anonUserToken",
        )
    workflow.transfer_anonymous(anonymous, call.token.user)
    return HTTPStatus.NO_CONTENT, None


def me_operation(operation_id, method, summary, handler, status=200, path="/me/orders", **kw):
    return Operation(
        operation_id,
        method,
        path,
        "Me",
        summary,
        SHOPPER,
        "Custom",
        status,
        resource=ORDERS,
        handler=handler,
        user_types=BUYERS_ONLY,
        **kw,
    )


LIST = {"response": ORDERS.schema, "is_list": True, "sortable": ORDER_SORT}
OPERATIONS = [
    me_operation(
        "Me.ListOrders",
        "GET",
        "Get a list of orders visible to this user.",
        list_orders,
        query=DATES,
        searchable=ORDER_SEARCH,
        **LIST,
    ),
    me_operation(
        "Me.TransferAnonUserOrder",
        "PUT",
        "Transfer an anonymous user order.",
        transfer_anonymous_order,
        status=204,
        query=(Param("anonUserToken", required=True, description="Anon user token of the me."),),
    ),
    me_operation(
        "Me.ListApprovableOrders",
        "GET",
        "Get a list of orders that this user can approve.",
        list_approvable_orders,
        path="/me/orders/approvable",
        query=DATES,
        searchable=ORDER_SEARCH,
        **LIST,
    ),
]
