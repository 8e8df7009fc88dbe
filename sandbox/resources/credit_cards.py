"""Credit cards of a buyer (tokens of a payment processor: never a card number), and their
assignments to users, user groups or the whole buyer. A user's own cards
(/me/creditcards) are `sandbox.resources.me_commerce`'s; the buyer's list shows them too."""

from sandbox import models
from sandbox.api.spec import Field, Resource, Schema, crud_operations
from sandbox.resources.common import (
    BUYER_PARENT,
    DATE_CREATED,
    XP,
    crud_summaries,
    full_access_or,
    id_field,
)
from sandbox.resources.party_assignments import Assigned, assignment_operations

CARD_FIELDS = (
    Field("Token", attr="token", max_length=100),
    DATE_CREATED,
    Field("CardType", attr="card_type", example="Visa"),
    Field("PartialAccountNumber", attr="partial_account_number", max_length=5, example="1111"),
    Field("CardholderName", attr="cardholder_name", example="Jane Doe"),
    Field("ExpirationDate", "datetime", attr="expiration_date"),
    XP,
)

CREDIT_CARDS = Resource(
    name="CreditCard",
    prefix="CreditCards",
    tag="Credit Cards",
    path="/buyers/{buyerID}/creditcards",
    id_param="creditCardID",
    model=models.CreditCard,
    fields=(id_field(), *CARD_FIELDS),
    required=(),
    searchable=("ID", "CardholderName", "CardType", "ExpirationDate"),
    sortable=("ID", "CardholderName", "CardType", "ExpirationDate", "DateCreated"),
    read_roles=full_access_or("CreditCardAdmin", "CreditCardReader"),
    write_roles=full_access_or("CreditCardAdmin"),
    summaries=crud_summaries("credit card", "credit cards"),
    parents=(BUYER_PARENT,),
)

ASSIGNMENTS = Assigned(
    CREDIT_CARDS,
    models.CreditCardAssignment,
    "credit_card",
    "CreditCardID",
    Schema(
        "CreditCardAssignment",
        (Field("CreditCardID", example="creditcard-1"), Field("UserID"), Field("UserGroupID")),
    ),
    kind="credit card",
)

OPERATIONS = [*crud_operations(CREDIT_CARDS), *assignment_operations(ASSIGNMENTS)]
