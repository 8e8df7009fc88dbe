"""Payments of an order (/orders/{direction}/{orderID}/payments) and their transactions.

A payment names how the order is paid: a purchase order, one of the credit cards the
order's user may use (its own or assigned), or one of its spending accounts (assigned,
allowed as a payment method, within its dates, and with the balance for the amount
unless its assignment AllowExceed). A shopper adds and changes payments while the order
is Unsubmitted; an order admin at any time, and only an order admin records
transactions (what a payment processor answered).
"""

from decimal import Decimal
from http import HTTPStatus

from django.db import IntegrityError, transaction

from sandbox.api import crud, validation
from sandbox.api.errors import not_found
from sandbox.api.spec import (
    Enumeration,
    Field,
    Hooks,
    Operation,
    Parent,
    Resource,
    Schema,
    crud_operations,
)
from sandbox.api.wire import generate_id
from sandbox.domain import orders as workflow
from sandbox.domain import payments
from sandbox.models import Order, Payment, PaymentTransaction
from sandbox.resources.common import XP, crud_summaries, full_access_or
from sandbox.resources.orders import ORDERS


def as_float(attr: str):
    def wire(obj):
        value = getattr(obj, attr)
        return None if value is None else float(Decimal(str(value)))

    return wire


TRANSACTION = Schema(
    "PaymentTransaction",
    (
        Field("ID", attr="oc_id", max_length=100, example="ID-1"),
        Field("Type", attr="type", example="Authorization"),
        Field("DateExecuted", "datetime", attr="date_executed"),
        Field("Currency", attr="currency", max_length=100),
        Field("Amount", "number", attr="amount", format="float", compute=as_float("amount")),
        Field("Succeeded", "boolean", attr="succeeded", default=False),
        Field("ResultCode", attr="result_code"),
        Field("ResultMessage", attr="result_message"),
        XP,
    ),
)
PAYMENT_TYPE = Enumeration("PaymentType", ("PurchaseOrder", "CreditCard", "SpendingAccount"))


def transactions_of(payment) -> list[dict]:
    rows = PaymentTransaction.objects.filter(payment=payment).order_by("pk")
    return [crud.to_wire(TRANSACTION, row) for row in rows]


class PaymentHooks(Hooks):
    def queryset(self, call, queryset):
        """The payments of the order, when the caller reaches the order (else 404)."""
        return queryset.filter(order=crud.get_object(ORDERS, call, call.params["orderID"]))

    def before_write(self, call, obj, values, given):
        order = Order.objects.select_related("from_user").get(pk=obj.order_id)
        if order.status != Order.Status.UNSUBMITTED and not call.token.has_role(["OrderAdmin"]):
            raise workflow.refuse_status("Modify", order)
        obj.xp = obj.xp if obj.xp is not None else {}
        if obj.amount is not None:
            obj.amount = workflow.check_amount(obj.amount, "Amount")
        payments.check_method(order, obj)

    def before_delete(self, call, obj):
        if obj.order.status != Order.Status.UNSUBMITTED and not call.token.has_role(["OrderAdmin"]):
            raise workflow.refuse_status("Modify", obj.order)


ORDER_PARENT = Parent("orderID", Order, "Order", "order", foreign_key=True)

PAYMENTS = Resource(
    name="Payment",
    prefix="Payments",
    tag="Payments",
    path="/orders/{direction}/{orderID}/payments",
    id_param="paymentID",
    model=Payment,
    fields=(
        Field("ID", attr="oc_id", max_length=100, example="ID-1"),
        Field("Type", attr="type", enum=PAYMENT_TYPE, example="PurchaseOrder"),
        Field("DateCreated", "datetime", attr="date_created", read_only=True),
        Field("CreditCardID", attr="credit_card_id"),
        Field("SpendingAccountID", attr="spending_account_id"),
        Field("Description", attr="description", max_length=2000),
        Field("Currency", read_only=True, compute=lambda payment: payment.order.currency),
        Field("Amount", "number", attr="amount", format="float", compute=as_float("amount")),
        Field("Accepted", "boolean", attr="accepted", default=False),
        Field("OrderReturnID", attr="order_return_id"),
        XP,
        Field(
            "Transactions",
            "array",
            read_only=True,
            ref=TRANSACTION,
            compute=transactions_of,
        ),
    ),
    required=(),
    searchable=("ID", "Description"),
    sortable=("DateCreated", "ID", "Type", "CreditCardID", "SpendingAccountID"),
    read_roles=full_access_or("OrderAdmin", "Shopper", "OrderReader"),
    write_roles=full_access_or("OrderAdmin", "Shopper"),
    summaries=crud_summaries("payment", "payments"),
    parents=(ORDER_PARENT,),
    kinds=("List", "Create", "Get", "Delete", "Patch"),
    checks_references=True,
    hooks=PaymentHooks(),
)

# --- transactions ------------------------------------------------------------------------------


def create_transaction(call):
    values, _ = validation.validate(
        TRANSACTION.fields, call.body, required=("Type", "DateExecuted")
    )
    payment = crud.get_object(PAYMENTS, call)
    row = PaymentTransaction(marketplace=call.marketplace, payment=payment)
    crud.apply_fields(row, TRANSACTION.fields, values, replace=True)
    row.oc_id = values.get("oc_id") or generate_id()
    if row.amount is not None:
        row.amount = workflow.check_amount(row.amount, "Amount")
    row.xp = row.xp if row.xp is not None else {}
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:
        raise crud.id_exists("PaymentTransaction", row.oc_id) from None
    return HTTPStatus.CREATED, crud.to_wire(PAYMENTS, payment)


def delete_transaction(call):
    payment = crud.get_object(PAYMENTS, call)
    row = PaymentTransaction.objects.filter(
        payment=payment, oc_id=call.params["transactionID"]
    ).first()
    if row is None:
        raise not_found("PaymentTransaction", call.params["transactionID"])
    row.delete()
    return HTTPStatus.NO_CONTENT, None


ADMIN = full_access_or("OrderAdmin")
TRANSACTIONS = "/orders/{direction}/{orderID}/payments/{paymentID}/transactions"
OPERATIONS = [
    *crud_operations(PAYMENTS),
    Operation(
        "Payments.CreateTransaction",
        "POST",
        TRANSACTIONS,
        "Payments",
        "Create a new payment transaction.",
        ADMIN,
        "Custom",
        201,
        resource=PAYMENTS,
        handler=create_transaction,
        request=TRANSACTION,
        request_required=("Type", "DateExecuted"),
        response=PAYMENTS.schema,
        errors=(409,),  # the transaction's ID is taken
    ),
    Operation(
        "Payments.DeleteTransaction",
        "DELETE",
        f"{TRANSACTIONS}/{{transactionID}}",
        "Payments",
        "Delete a payment transaction.",
        ADMIN,
        "Custom",
        204,
        resource=PAYMENTS,
        handler=delete_transaction,
    ),
]
