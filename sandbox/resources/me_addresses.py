"""`/me/addresses`: what a buyer user sees of addresses, as OrderCloud's BuyerAddress.

Which addresses those are is `sandbox.domain.addresses.visible`. Put, Patch and Delete
reach the user's private addresses only; a private address's Shipping / Billing are kept
on its assignment to its user.

Only buyer users have these sub-resources ("Only available to Buyer Users"): the
operations serve buyer users only, others get a 403 `Auth.BuyerUsersOnly`.
"""

from http import HTTPStatus
from operator import attrgetter

from django.db import IntegrityError, transaction

from sandbox.api import crud, listing, validation
from sandbox.api.errors import not_found
from sandbox.api.spec import Field, Operation, Schema
from sandbox.api.wire import generate_id
from sandbox.domain import addresses
from sandbox.models import Address, AddressAssignment, User
from sandbox.resources.common import (
    ADDRESS_FIELDS,
    ADDRESS_REQUIRED,
    ADDRESS_SEARCH,
    ADDRESS_SORT,
    full_access_or,
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


def to_wire(address) -> dict:
    return crud.to_wire(BUYER_ADDRESS, address)


def found(user, address_id, *, own=False):
    queryset = addresses.visible(user).filter(oc_id=address_id)
    if own:
        queryset = queryset.filter(owner_user=user)
    address = queryset.first()
    if address is None:
        raise not_found("Address", address_id)
    return address


def keep_flags(user, address, values, *, replace):
    """Keep a private address's Shipping / Billing on its assignment to its user."""
    flags = {}
    for name, column in (("Shipping", "is_shipping"), ("Billing", "is_billing")):
        if name in values:
            flags[column] = bool(values[name])
        elif replace:
            flags[column] = False
    crud.assign(
        AddressAssignment,
        {"marketplace": user.marketplace, "address": address, "user": user, "user_group": None},
        flags,
    )


def validate(call, *, partial):
    return validation.validate(
        BUYER_ADDRESS.fields, call.body, required=ADDRESS_REQUIRED, partial=partial
    )


def list_addresses(call):
    return HTTPStatus.OK, listing.list_page(
        addresses.visible(call.token.user),
        call.query,
        fields=COLUMNS,
        searchable=ADDRESS_SEARCH,
        sortable=ADDRESS_SORT,
        serialize=to_wire,
    )


def get_address(call):
    return HTTPStatus.OK, to_wire(found(call.token.user, call.params["addressID"]))


def create_address(call):
    user = call.token.user
    values, _ = validate(call, partial=False)
    address = Address(
        marketplace=user.marketplace,
        owner_type=User.Type.BUYER,
        company_id=user.company_id,
        owner_user=user,
        oc_id=generate_id(),
    )
    crud.apply_fields(address, BUYER_ADDRESS.fields, values, replace=True)
    try:
        with transaction.atomic():
            address.save()
            keep_flags(user, address, values, replace=True)
    except IntegrityError:  # pragma: no cover - a generated ID is never taken
        raise crud.id_exists("Address", address.oc_id) from None
    return HTTPStatus.CREATED, to_wire(found(user, address.oc_id))


def save_address(call):
    user = call.token.user
    address = found(user, call.params["addressID"], own=True)
    values, _ = validate(call, partial=False)
    crud.apply_fields(address, BUYER_ADDRESS.fields, values, replace=True)
    with transaction.atomic():
        address.save()
        keep_flags(user, address, values, replace=True)
    return HTTPStatus.OK, to_wire(found(user, address.oc_id))


def patch_address(call):
    user = call.token.user
    address = found(user, call.params["addressID"], own=True)
    values, _ = validate(call, partial=True)
    if values.get("xp") is not None:
        values["xp"] = validation.merge_xp(address.xp or {}, values["xp"])
    crud.apply_fields(address, BUYER_ADDRESS.fields, values, replace=False)
    with transaction.atomic():
        address.save()
        keep_flags(user, address, values, replace=False)
    return HTTPStatus.NO_CONTENT, None  # as OrderCloud's document says


def delete_address(call):
    found(call.token.user, call.params["addressID"], own=True).delete()
    return HTTPStatus.NO_CONTENT, None


READ = full_access_or("MeAddressAdmin", "Shopper")
WRITE = full_access_or("MeAddressAdmin")
BASE, ITEM = "/me/addresses", "/me/addresses/{addressID}"
BUYERS_ONLY = (User.Type.BUYER,)
LISTING = {"searchable": ADDRESS_SEARCH, "sortable": ADDRESS_SORT, "is_list": True}
REQUEST = {"request": BUYER_ADDRESS, "request_required": ADDRESS_REQUIRED}

OPERATIONS = [
    Operation(
        "Me.ListAddresses",
        "GET",
        BASE,
        "Me",
        "Get a list of addresses visible to this user.",
        READ,
        "Custom",
        200,
        handler=list_addresses,
        response=BUYER_ADDRESS,
        user_types=BUYERS_ONLY,
        **LISTING,
    ),
    Operation(
        "Me.CreateAddress",
        "POST",
        BASE,
        "Me",
        "Create a new address.",
        WRITE,
        "Custom",
        201,
        handler=create_address,
        response=BUYER_ADDRESS,
        user_types=BUYERS_ONLY,
        **REQUEST,
    ),
    Operation(
        "Me.GetAddress",
        "GET",
        ITEM,
        "Me",
        "Get a single address.",
        READ,
        "Custom",
        200,
        handler=get_address,
        response=BUYER_ADDRESS,
        user_types=BUYERS_ONLY,
    ),
    Operation(
        "Me.SaveAddress",
        "PUT",
        ITEM,
        "Me",
        "Update an address.",
        WRITE,
        "Custom",
        200,
        handler=save_address,
        response=BUYER_ADDRESS,
        user_types=BUYERS_ONLY,
        **REQUEST,
    ),
    Operation(
        "Me.DeleteAddress",
        "DELETE",
        ITEM,
        "Me",
        "Delete an address.",
        WRITE,
        "Custom",
        204,
        handler=delete_address,
        user_types=BUYERS_ONLY,
    ),
    Operation(
        "Me.PatchAddress",
        "PATCH",
        ITEM,
        "Me",
        "Partially update an address.",
        WRITE,
        "Custom",
        204,
        handler=patch_address,
        request=BUYER_ADDRESS,
        user_types=BUYERS_ONLY,
    ),
]
