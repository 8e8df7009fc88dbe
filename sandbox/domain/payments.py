"""Payments: what an order's user may pay with, and spending accounts charged when the
order is submitted (given back when it is canceled or declined).

A credit card payment names one of the cards the order's user may use (its own or
assigned); a spending account payment one of its assigned accounts that is allowed as a
payment method, within its dates, with the balance for the amount (the order's Total
when the payment has none) unless the assignment that gives it AllowExceed.
"""

from http import HTTPStatus

from django.utils import timezone

from sandbox.api.errors import ApiError, not_found, validation_failure
from sandbox.domain import assigned
from sandbox.models import Order, Payment, SpendingAccount


def insufficient_funds(account) -> ApiError:
    return ApiError(
        HTTPStatus.BAD_REQUEST,
        "SpendingAccount.InsufficientFunds",
        f"Spending account {account.oc_id} has a balance of {account.balance:g}.",
        {"SpendingAccountID": account.oc_id, "Balance": account.balance},
    )


def refused(code: str, message: str, **data) -> ApiError:
    return ApiError(HTTPStatus.BAD_REQUEST, code, message, data or None)


def amount_of(payment: Payment, order: Order) -> float:
    return float(payment.amount if payment.amount is not None else order.total or 0)


def check_method(order: Order, payment: Payment) -> None:
    """The card or account a payment names is one the order's user may pay with."""
    user = order.from_user
    card, account = payment.credit_card_id, payment.spending_account_id
    if payment.type == "CreditCard":
        if not card:
            raise validation_failure("A CreditCard payment needs a CreditCardID.", "CreditCardID")
        if user is None or not assigned.credit_cards(user).filter(oc_id=card).exists():
            raise not_found("CreditCard", card)
    elif card:
        raise validation_failure("CreditCardID is only for a CreditCard payment.", "CreditCardID")
    if payment.type == "SpendingAccount":
        if not account:
            raise validation_failure(
                "A SpendingAccount payment needs a SpendingAccountID.", "SpendingAccountID"
            )
        check_account(order, payment, account)
    elif account:
        raise validation_failure(
            "SpendingAccountID is only for a SpendingAccount payment.", "SpendingAccountID"
        )


def check_account(order: Order, payment: Payment, account_id: str) -> SpendingAccount:
    user = order.from_user
    account = (
        None if user is None else assigned.spending_accounts(user).filter(oc_id=account_id).first()
    )
    if account is None:
        raise not_found("SpendingAccount", account_id)
    if not account.allow_as_payment_method:
        raise refused(
            "SpendingAccount.NotAllowedAsPaymentMethod",
            f"Spending account {account_id} cannot be used as a payment method.",
            SpendingAccountID=account_id,
        )
    now = timezone.now()
    if (account.start_date and now < account.start_date) or (
        account.end_date and now >= account.end_date
    ):
        raise refused(
            "SpendingAccount.NotActive",
            f"Spending account {account_id} is outside its StartDate and EndDate.",
            SpendingAccountID=account_id,
        )
    check_funds(order, payment, account)
    return account


def check_funds(order: Order, payment: Payment, account: SpendingAccount) -> None:
    assignment = assigned.spending_account_assignment(order.from_user, account)
    if amount_of(payment, order) > account.balance and not (assignment and assignment.allow_exceed):
        raise insufficient_funds(account)


def spending(order: Order):
    return Payment.objects.filter(order=order, type="SpendingAccount").order_by("pk")


def charge(order: Order) -> None:
    """Take the order's spending account payments off their balances (in the submitting
    transaction, the order locked): 400 when one no longer has the funds."""
    for payment in spending(order):
        account = (
            SpendingAccount.objects.select_for_update()
            .filter(marketplace=order.marketplace, company_id=order.from_company_id)
            .filter(oc_id=payment.spending_account_id)
            .first()
        )
        if account is None:
            raise not_found("SpendingAccount", payment.spending_account_id)
        check_funds(order, payment, account)
        account.balance = round(account.balance - amount_of(payment, order), 2)
        account.save(update_fields=["balance"])
        payment.accepted = True
        payment.save(update_fields=["accepted"])


def give_back(order: Order) -> None:
    """Return what `charge` took (an order canceled or declined)."""
    for payment in spending(order).filter(accepted=True):
        account = (
            SpendingAccount.objects.select_for_update()
            .filter(marketplace=order.marketplace, company_id=order.from_company_id)
            .filter(oc_id=payment.spending_account_id)
            .first()
        )
        if account is not None:
            account.balance = round(account.balance + amount_of(payment, order), 2)
            account.save(update_fields=["balance"])
        payment.accepted = False
        payment.save(update_fields=["accepted"])
