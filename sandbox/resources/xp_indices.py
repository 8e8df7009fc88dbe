"""Xp indices: the xp paths a marketplace's list filters use, each backed by an index on
that path in the database (`sandbox.models.xp_indexes`)."""

from http import HTTPStatus

from django.db import transaction

from sandbox.api import listing, validation
from sandbox.api.errors import not_found, validation_failure
from sandbox.api.spec import Enumeration, Field, Operation, Schema
from sandbox.models import XpIndex, xp_indexes
from sandbox.resources.common import check_xp_path, full_access_or

XP_THING_TYPE = Enumeration(
    "XpThingType",
    (
        *("Address", "Variant", "Order", "OrderReturn", "LineItem", "CostCenter"),
        *("CreditCard", "Payment", "Spec", "SpecOption", "UserGroup", "Company"),
        *("Category", "PriceSchedule", "Shipment", "SpendingAccount", "User", "Promotion"),
        *("ApprovalRule", "SellerApprovalRule", "Catalog", "ProductFacet", "MessageSender"),
        "InventoryRecord",
    ),
)
XP_INDEX = Schema(
    "XpIndex",
    (
        Field("ThingType", attr="thing_type", enum=XP_THING_TYPE, example="User"),
        Field("Key", attr="key", example="tier"),
    ),
)
ROLES = full_access_or("XpIndexAdmin")
# Each index is a real one, kept on every write of its table: a marketplace gets a few.
MAX_PER_THING_TYPE = 10
MAX_KEY_LENGTH = 200  # the reference sets none; a path is a few keys


def wire(index) -> dict:
    return {"ThingType": index.thing_type, "Key": index.key}


def list_indices(call):
    return HTTPStatus.OK, listing.list_page(
        XpIndex.objects.filter(marketplace=call.marketplace),
        call.query,
        fields={"ThingType": listing.Column("thing_type"), "Key": listing.Column("key")},
        searchable=("ThingType", "Key"),
        sortable=("ThingType", "Key"),
        serialize=wire,
    )


def put_index(call):
    """Index a path (once, however many put it): the database index is made in the same
    transaction. Thing types the sandbox has no objects of are kept, with no index."""
    values, _ = validation.validate(XP_INDEX.fields, call.body, required=("ThingType", "Key"))
    check_xp_path(values["key"], "Key")
    if len(values["key"]) > MAX_KEY_LENGTH:
        raise validation_failure(f"Key cannot be longer than {MAX_KEY_LENGTH} characters.", "Key")
    indices = XpIndex.objects.filter(marketplace=call.marketplace)
    with transaction.atomic():
        _, created = indices.get_or_create(
            marketplace=call.marketplace, thing_type=values["thing_type"], key=values["key"]
        )
        if created and indices.filter(thing_type=values["thing_type"]).count() > (
            MAX_PER_THING_TYPE
        ):
            raise validation_failure(
                f"A marketplace can index at most {MAX_PER_THING_TYPE} xp paths of a"
                f" {values['thing_type']}.",
                "Key",
            )
        xp_indexes.create_indexes(values["thing_type"], values["key"])
    return HTTPStatus.NO_CONTENT, None


def delete_index(call):
    thing_type, key = call.params["thingType"], call.params["key"]
    with transaction.atomic():
        deleted, _ = XpIndex.objects.filter(
            marketplace=call.marketplace, thing_type=thing_type, key=key
        ).delete()
        if not deleted:
            raise not_found("XpIndex", f"{thing_type}/{key}")
        xp_indexes.drop_indexes(thing_type, key)
    return HTTPStatus.NO_CONTENT, None


OPERATIONS = [
    Operation(
        "XpIndices.List",
        "GET",
        "/xpindices",
        "Xp Indices",
        "Get a list of xp indices.",
        ROLES,
        "Custom",
        200,
        handler=list_indices,
        response=XP_INDEX,
        is_list=True,
        searchable=("ThingType", "Key"),
        sortable=("ThingType", "Key"),
    ),
    Operation(
        "XpIndices.Put",
        "PUT",
        "/xpindices",
        "Xp Indices",
        "Create or update an xp index.",
        ROLES,
        "Custom",
        204,
        handler=put_index,
        request=XP_INDEX,
    ),
    Operation(
        "XpIndices.Delete",
        "DELETE",
        "/xpindices/{thingType}/{key}",
        "Xp Indices",
        "Delete an xp index.",
        ROLES,
        "Custom",
        204,
        handler=delete_index,
    ),
]
