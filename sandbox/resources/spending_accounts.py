"""Spending accounts of a buyer (budgets and gift cards: a Balance, optionally a payment
method), and their assignments to users, user groups or the whole buyer."""

from sandbox import models
from sandbox.api.spec import Field, Resource, crud_operations
from sandbox.resources.common import BUYER_PARENT, XP, crud_summaries, full_access_or, id_field
from sandbox.resources.party_assignments import Assigned, assignment_operations, id_field_of

SPENDING_ACCOUNTS = Resource(
    name="SpendingAccount",
    prefix="SpendingAccounts",
    tag="Spending Accounts",
    path="/buyers/{buyerID}/spendingaccounts",
    id_param="spendingAccountID",
    model=models.SpendingAccount,
    fields=(
        id_field(),
        Field("Name", attr="name", max_length=100, example="Budget"),
        Field("Balance", "number", attr="balance", format="float", default=0, example=500),
        Field("AllowAsPaymentMethod", "boolean", attr="allow_as_payment_method", default=False),
        Field("RedemptionCode", attr="redemption_code"),
        Field("StartDate", "datetime", attr="start_date"),
        Field("EndDate", "datetime", attr="end_date"),
        XP,
    ),
    required=("Name", "Balance"),
    searchable=("ID", "Name", "RedemptionCode"),
    sortable=("Name", "ID"),
    read_roles=full_access_or("SpendingAccountAdmin", "SpendingAccountReader"),
    write_roles=full_access_or("SpendingAccountAdmin"),
    summaries=crud_summaries("spending account", "spending accounts"),
    parents=(BUYER_PARENT,),
)

ASSIGNMENTS = Assigned(
    SPENDING_ACCOUNTS,
    models.SpendingAccountAssignment,
    "spending_account",
    "SpendingAccountID",
    id_field_of("SpendingAccountAssignment", "SpendingAccountID", Field("AllowExceed", "boolean")),
    extra=(("AllowExceed", "allow_exceed"),),
    kind="spending account",
)

OPERATIONS = [*crud_operations(SPENDING_ACCOUNTS), *assignment_operations(ASSIGNMENTS)]
