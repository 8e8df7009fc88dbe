"""`/me/addresses`: what a buyer user sees of addresses, as OrderCloud's BuyerAddress.

The list holds the user's private addresses (created here, `Address.owner_user`, Editable)
and the buyer's addresses assigned to the user, to one of the user's groups or to the
whole buyer (read-only: Editable false). Shipping / Billing come from those assignments;
a private address keeps its own flags in an assignment to its user, so one query answers
both. Put, Patch and Delete reach the user's private addresses only.

Only buyer users have these sub-resources ("Only available to Buyer Users"); others get
a 403 `Auth.BuyerUsersOnly`, a code of the sandbox's own.
"""

from http import HTTPStatus
from operator import attrgetter

from django.db import IntegrityError, transaction
from django.db.models import BooleanField, Case, Exists, OuterRef, Q, Value, When

from sandbox.api import crud, listing, validation
from sandbox.api.errors import ApiError, not_found
from sandbox.models import Address, AddressAssignment, User, UserGroupAssignment
from sandbox.registry import (
    ADDRESS_FIELDS,
    ADDRESS_REQUIRED,
    ADDRESS_SEARCH,
    ADDRESS_SORT,
    Field,
    Operation,
    Schema,
    _roles,
)

BUYER_ADDRESS = Schema(
    "BuyerAddress",
    (
        Field("ID", attr="oc_id", max_length=100, read_only=True, example="ID-1"),
        Field("Shipping", "boolean", compute=attrgetter("shipping"), default=False),
        Field("Billing", "boolean", compute=attrgetter("billing"), default=False),
        Field("Editable", "boolean", read_only=True, compute=attrgetter("editable")),
        *(f for f in ADDRESS_FIELDS if f.name != "ID"),
    ),
)
COLUMNS = {
    **{f.name: listing.Column(f.attr, f.type) for f in BUYER_ADDRESS.fields if f.attr is not None},
    "Shipping": listing.Column("shipping", "boolean"),
    "Billing": listing.Column("billing", "boolean"),
    "Editable": listing.Column("editable", "boolean"),
}


def buyer_user(call) -> User:
    user = call.token.user
    if user.user_type != User.Type.BUYER:
        raise ApiError(
            HTTPStatus.FORBIDDEN,
            "Auth.BuyerUsersOnly",
            "Only buyer users have /me/addresses.",
            {"UserType": user.user_type},
        )
    return user


def visible(user: User):
    """The addresses the user sees, annotated with shipping, billing and editable."""
    groups = UserGroupAssignment.objects.filter(user=user).values("user_group")
    applies = Q(user=user) | Q(user_group__in=groups) | Q(user=None, user_group=None)
    assigned = AddressAssignment.objects.filter(applies, address=OuterRef("pk"))
    return (
        Address.objects.filter(
            marketplace=user.marketplace, owner_type=User.Type.BUYER, company_id=user.company_id
        )
        .filter(Q(owner_user=user) | (Q(owner_user=None) & Exists(assigned)))
        .annotate(
            shipping=Exists(assigned.filter(is_shipping=True)),
            billing=Exists(assigned.filter(is_billing=True)),
            editable=Case(
                When(owner_user=user, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
        )
    )


def to_wire(address) -> dict:
    return crud.to_wire(BUYER_ADDRESS, address)


def _found(user, address_id, *, own=False):
    queryset = visible(user).filter(oc_id=address_id)
    if own:
        queryset = queryset.filter(owner_user=user)
    address = queryset.first()
    if address is None:
        raise not_found("Address", address_id)
    return address


def _flags(user, address, values, *, replace):
    """Keep a private address's Shipping / Billing on its assignment to its user."""
    row, _ = AddressAssignment.objects.get_or_create(
        marketplace=user.marketplace, address=address, user=user, user_group=None
    )
    for name, column in (("Shipping", "is_shipping"), ("Billing", "is_billing")):
        if name in values:
            setattr(row, column, bool(values[name]))
        elif replace:
            setattr(row, column, False)
    row.save()


def _validate(call, *, partial):
    return validation.validate(
        BUYER_ADDRESS.fields,
        call.body,
        required=ADDRESS_REQUIRED,
        partial=partial,
        schemas=crud.schema_index(),
    )


def list_addresses(call):
    user = buyer_user(call)
    return HTTPStatus.OK, listing.list_page(
        visible(user),
        call.query,
        fields=COLUMNS,
        searchable=ADDRESS_SEARCH,
        sortable=ADDRESS_SORT,
        serialize=to_wire,
    )


def get_address(call):
    return HTTPStatus.OK, to_wire(_found(buyer_user(call), call.params["addressID"]))


def create_address(call):
    user = buyer_user(call)
    values, _ = _validate(call, partial=False)
    address = Address(
        marketplace=user.marketplace,
        owner_type=User.Type.BUYER,
        company_id=user.company_id,
        owner_user=user,
        oc_id=crud.generate_id(),
    )
    crud.apply_fields(address, BUYER_ADDRESS.fields, values, replace=True)
    try:
        with transaction.atomic():
            address.save()
            _flags(user, address, values, replace=True)
    except IntegrityError:  # pragma: no cover - a generated ID is never taken
        raise crud.id_exists("Address", address.oc_id) from None
    return HTTPStatus.CREATED, to_wire(_found(user, address.oc_id))


def save_address(call):
    user = buyer_user(call)
    address = _found(user, call.params["addressID"], own=True)
    values, _ = _validate(call, partial=False)
    crud.apply_fields(address, BUYER_ADDRESS.fields, values, replace=True)
    with transaction.atomic():
        address.save()
        _flags(user, address, values, replace=True)
    return HTTPStatus.OK, to_wire(_found(user, address.oc_id))


def patch_address(call):
    user = buyer_user(call)
    address = _found(user, call.params["addressID"], own=True)
    values, _ = _validate(call, partial=True)
    if values.get("xp") is not None:
        values["xp"] = validation.merge_xp(address.xp or {}, values["xp"])
    crud.apply_fields(address, BUYER_ADDRESS.fields, values, replace=False)
    with transaction.atomic():
        address.save()
        _flags(user, address, values, replace=False)
    return HTTPStatus.NO_CONTENT, None  # as OrderCloud's document says


def delete_address(call):
    user = buyer_user(call)
    _found(user, call.params["addressID"], own=True).delete()
    return HTTPStatus.NO_CONTENT, None


def operations() -> list[Operation]:
    read, write = _roles("MeAddressAdmin", "Shopper"), _roles("MeAddressAdmin")
    base, item = "/me/addresses", "/me/addresses/{addressID}"
    listing = {"searchable": ADDRESS_SEARCH, "sortable": ADDRESS_SORT, "is_list": True}
    request = {"request": BUYER_ADDRESS, "request_required": ADDRESS_REQUIRED}
    return [
        Operation(
            "Me.ListAddresses",
            "GET",
            base,
            "Me",
            "Get a list of addresses visible to this user.",
            read,
            "Custom",
            200,
            handler=list_addresses,
            response=BUYER_ADDRESS,
            **listing,
        ),
        Operation(
            "Me.CreateAddress",
            "POST",
            base,
            "Me",
            "Create a new address.",
            write,
            "Custom",
            201,
            handler=create_address,
            response=BUYER_ADDRESS,
            **request,
        ),
        Operation(
            "Me.GetAddress",
            "GET",
            item,
            "Me",
            "Get a single address.",
            read,
            "Custom",
            200,
            handler=get_address,
            response=BUYER_ADDRESS,
        ),
        Operation(
            "Me.SaveAddress",
            "PUT",
            item,
            "Me",
            "Update an address.",
            write,
            "Custom",
            200,
            handler=save_address,
            response=BUYER_ADDRESS,
            **request,
        ),
        Operation(
            "Me.DeleteAddress",
            "DELETE",
            item,
            "Me",
            "Delete an address.",
            write,
            "Custom",
            204,
            handler=delete_address,
        ),
        Operation(
            "Me.PatchAddress",
            "PATCH",
            item,
            "Me",
            "Partially update an address.",
            write,
            "Custom",
            204,
            handler=patch_address,
            request=BUYER_ADDRESS,
        ),
    ]
