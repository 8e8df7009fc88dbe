"""/me: the promotions, cost centers, spending accounts and credit cards a buyer user is
given (`sandbox.domain.assigned`), and its own credit cards (BuyerCreditCard: Editable
when the user created it through /me/creditcards; only those can be changed here).

Buyer users only, like /me/addresses (others get a 403 Auth.BuyerUsersOnly).
"""

from http import HTTPStatus
from operator import attrgetter

from sandbox.api import crud, listing, validation
from sandbox.api.errors import not_found
from sandbox.api.spec import Field, Operation, Resource, Schema
from sandbox.api.wire import generate_id
from sandbox.domain import assigned
from sandbox.models import CreditCard, User
from sandbox.resources.common import full_access_or
from sandbox.resources.cost_centers import COST_CENTERS
from sandbox.resources.credit_cards import CARD_FIELDS, CREDIT_CARDS
from sandbox.resources.promotions import PROMOTIONS
from sandbox.resources.spending_accounts import SPENDING_ACCOUNTS

SHOPPER = full_access_or("Shopper")
CARD_READ = full_access_or("MeCreditCardAdmin", "Shopper")
CARD_WRITE = full_access_or("MeCreditCardAdmin")
BUYERS_ONLY = (User.Type.BUYER,)

BUYER_CREDIT_CARD = Schema(
    "BuyerCreditCard",
    (
        Field("ID", attr="oc_id", max_length=100, read_only=True, example="ID-1"),
        Field("Editable", "boolean", read_only=True, compute=attrgetter("editable")),
        *CARD_FIELDS,
    ),
)


def columns(fields) -> dict[str, listing.Column]:
    return {
        f.name: listing.Column(f.attr, "object" if f.type == "object" else f.type)
        for f in fields
        if f.attr is not None
    }


def lister(resource: Resource, rows, *, schema: Schema | None = None):
    """A list handler of `rows(user)` shown as `resource`'s objects (or `schema`)."""
    schema = schema or resource.schema

    def handler(call):
        return HTTPStatus.OK, listing.list_page(
            rows(call.token.user),
            call.query,
            fields=columns(schema.fields),
            searchable=resource.searchable,
            sortable=resource.sortable,
            serialize=lambda obj: crud.to_wire(schema, obj),
        )

    return handler


def getter(resource: Resource, rows, param: str, *, schema: Schema | None = None):
    schema = schema or resource.schema

    def handler(call):
        obj = rows(call.token.user).filter(oc_id=call.params[param]).first()
        if obj is None:
            raise not_found(resource.name, call.params[param])
        return HTTPStatus.OK, crud.to_wire(schema, obj)

    return handler


# --- the user's own credit cards --------------------------------------------------------------


def own_card(call) -> CreditCard:
    card_id = call.params["creditcardID"]
    card = assigned.credit_cards(call.token.user).filter(oc_id=card_id, owner_user=call.token.user)
    found = card.first()
    if found is None:
        raise not_found("CreditCard", card_id)
    return found


def card_wire(user, card_id) -> dict:
    card = assigned.credit_cards(user).get(oc_id=card_id)
    return crud.to_wire(BUYER_CREDIT_CARD, card)


def create_card(call):
    user = call.token.user
    values, _ = validation.validate(BUYER_CREDIT_CARD.fields, call.body)
    card = CreditCard(
        marketplace=user.marketplace,
        company_id=user.company_id,
        owner_user=user,
        oc_id=generate_id(),
    )
    crud.apply_fields(card, BUYER_CREDIT_CARD.fields, values, replace=True)
    card.save()
    return HTTPStatus.CREATED, card_wire(user, card.oc_id)


def save_card(call):
    card = own_card(call)
    values, _ = validation.validate(BUYER_CREDIT_CARD.fields, call.body)
    crud.apply_fields(card, BUYER_CREDIT_CARD.fields, values, replace=True)
    card.save()
    return HTTPStatus.OK, card_wire(call.token.user, card.oc_id)


def patch_card(call):
    card = own_card(call)
    values, _ = validation.validate(BUYER_CREDIT_CARD.fields, call.body, partial=True)
    if values.get("xp") is not None:
        values["xp"] = validation.merge_xp(card.xp or {}, values["xp"])
    crud.apply_fields(card, BUYER_CREDIT_CARD.fields, values, replace=False)
    card.save()
    return HTTPStatus.NO_CONTENT, None  # as OrderCloud's document says


def delete_card(call):
    own_card(call).delete()
    return HTTPStatus.NO_CONTENT, None


def me_operation(operation_id, method, path, summary, roles, status, handler, **kw) -> Operation:
    return Operation(
        operation_id,
        method,
        path,
        "Me",
        summary,
        roles,
        "Custom",
        status,
        handler=handler,
        user_types=BUYERS_ONLY,
        **kw,
    )


def listed(resource: Resource) -> dict:
    return {
        "response": resource.schema,
        "is_list": True,
        "searchable": resource.searchable,
        "sortable": resource.sortable,
    }


CARDS = assigned.credit_cards
CARD = "/me/creditcards/{creditcardID}"
CARD_LISTING = {**listed(CREDIT_CARDS), "response": BUYER_CREDIT_CARD}
OPERATIONS = [
    me_operation(
        "Me.ListCostCenters",
        "GET",
        "/me/costcenters",
        "Get a list of cost centers visible to this user.",
        SHOPPER,
        200,
        lister(COST_CENTERS, assigned.cost_centers),
        **listed(COST_CENTERS),
    ),
    me_operation(
        "Me.ListCreditCards",
        "GET",
        "/me/creditcards",
        "Get a list of credit cards visible to this user.",
        CARD_READ,
        200,
        lister(CREDIT_CARDS, CARDS, schema=BUYER_CREDIT_CARD),
        **CARD_LISTING,
    ),
    me_operation(
        "Me.CreateCreditCard",
        "POST",
        "/me/creditcards",
        "Create a new credit card.",
        CARD_WRITE,
        201,
        create_card,
        request=BUYER_CREDIT_CARD,
        response=BUYER_CREDIT_CARD,
    ),
    me_operation(
        "Me.GetCreditCard",
        "GET",
        CARD,
        "Get a single credit card.",
        CARD_READ,
        200,
        getter(CREDIT_CARDS, CARDS, "creditcardID", schema=BUYER_CREDIT_CARD),
        response=BUYER_CREDIT_CARD,
    ),
    me_operation(
        "Me.SaveCreditCard",
        "PUT",
        CARD,
        "Update a credit card.",
        CARD_WRITE,
        200,
        save_card,
        request=BUYER_CREDIT_CARD,
        response=BUYER_CREDIT_CARD,
    ),
    me_operation(
        "Me.DeleteCreditCard",
        "DELETE",
        CARD,
        "Delete a credit card.",
        CARD_WRITE,
        204,
        delete_card,
    ),
    me_operation(
        "Me.PatchCreditCard",
        "PATCH",
        CARD,
        "Partially update a credit card.",
        CARD_WRITE,
        204,
        patch_card,
        request=BUYER_CREDIT_CARD,
    ),
    me_operation(
        "Me.ListPromotions",
        "GET",
        "/me/promotions",
        "Get a list of promotions available to this user.",
        SHOPPER,
        200,
        lister(PROMOTIONS, assigned.promotions),
        **listed(PROMOTIONS),
    ),
    me_operation(
        "Me.GetPromotion",
        "GET",
        "/me/promotions/{promotionID}",
        "Get a single promotion.",
        SHOPPER,
        200,
        getter(PROMOTIONS, assigned.promotions, "promotionID"),
        response=PROMOTIONS.schema,
    ),
    me_operation(
        "Me.ListSpendingAccounts",
        "GET",
        "/me/spendingAccounts",
        "Get a list of spending accounts visible to this user.",
        SHOPPER,
        200,
        lister(SPENDING_ACCOUNTS, assigned.spending_accounts),
        **listed(SPENDING_ACCOUNTS),
    ),
    me_operation(
        "Me.GetSpendingAccount",
        "GET",
        "/me/spendingaccounts/{spendingAccountID}",
        "Get a single spending account.",
        SHOPPER,
        200,
        getter(SPENDING_ACCOUNTS, assigned.spending_accounts, "spendingAccountID"),
        response=SPENDING_ACCOUNTS.schema,
    ),
]
