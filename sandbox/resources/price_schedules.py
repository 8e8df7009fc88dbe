"""Price schedules: price breaks by quantity, sale prices between SaleStart and SaleEnd,
quantity rules (MinQuantity, MaxQuantity, RestrictedQuantity). Which one a buyer user pays
and how much is `sandbox.domain.pricing`."""

from http import HTTPStatus

from django.db import transaction
from django.utils import timezone

from sandbox import models
from sandbox.api import crud, validation
from sandbox.api.errors import validation_failure
from sandbox.api.spec import Field, Operation, Param, Reference, Resource, Schema, crud_operations
from sandbox.domain import pricing
from sandbox.models import PriceSchedule
from sandbox.resources.common import (
    OWNER_ID,
    XP,
    OwnedHooks,
    crud_summaries,
    full_access_or,
    id_field,
)

PRICE_BREAK = Schema(
    "PriceBreak",
    (
        Field("Quantity", "integer", format="int32", minimum=0, example=1),
        Field("Price", "number", format="float", example=10),
        Field("SalePrice", "number", format="float"),
    ),
    required=("Quantity", "Price"),
)


def breaks_in_order(breaks: list[dict]) -> list[dict]:
    """Price breaks by Quantity, each with every field; 400 when two share a Quantity."""
    quantities = [b["Quantity"] for b in breaks]
    for quantity in quantities:
        if quantities.count(quantity) > 1:
            raise validation_failure(
                f"PriceBreaks has two breaks for Quantity {quantity}.", "PriceBreaks"
            )
    return sorted(
        ({f.name: b.get(f.name) for f in PRICE_BREAK.fields} for b in breaks),
        key=lambda b: b["Quantity"],
    )


class PriceScheduleHooks(OwnedHooks):
    def before_write(self, call, obj, values, given):
        super().before_write(call, obj, values, given)
        obj.price_breaks = breaks_in_order(obj.price_breaks or [])
        obj.min_quantity = 1 if obj.min_quantity is None else obj.min_quantity
        if obj.max_quantity is not None and obj.max_quantity < obj.min_quantity:
            raise validation_failure("MaxQuantity cannot be less than MinQuantity.", "MaxQuantity")
        if obj.sale_start and obj.sale_end and obj.sale_end < obj.sale_start:
            raise validation_failure("SaleEnd cannot be before SaleStart.", "SaleEnd")


def on_sale(schedule) -> bool:
    return pricing.is_on_sale(schedule, timezone.now())


PRICE_SCHEDULES = Resource(
    name="PriceSchedule",
    prefix="PriceSchedules",
    tag="Price Schedules",
    path="/priceschedules",
    id_param="priceScheduleID",
    model=models.PriceSchedule,
    fields=(
        OWNER_ID,
        id_field(),
        Field("Name", attr="name", max_length=100, example="Price schedule"),
        Field("ApplyTax", "boolean", attr="apply_tax", default=False),
        Field("ApplyShipping", "boolean", attr="apply_shipping", default=False),
        Field("MinQuantity", "integer", attr="min_quantity", format="int32", minimum=1, default=1),
        Field("MaxQuantity", "integer", attr="max_quantity", format="int32"),
        Field("UseCumulativeQuantity", "boolean", attr="use_cumulative_quantity", default=False),
        Field("RestrictedQuantity", "boolean", attr="restricted_quantity", default=False),
        Field("PriceBreaks", "array", attr="price_breaks", ref=PRICE_BREAK, default=[]),
        Field("Currency", attr="currency", max_length=100, example="USD"),
        Field("SaleStart", "datetime", attr="sale_start"),
        Field("SaleEnd", "datetime", attr="sale_end"),
        Field("IsOnSale", "boolean", read_only=True, compute=on_sale),
        XP,
    ),
    required=("Name",),
    searchable=("ID", "Name", "ApplyTax", "Currency"),
    sortable=("Name", "ID", "OwnerID"),
    read_roles=full_access_or("PriceScheduleAdmin", "PriceScheduleReader"),
    write_roles=full_access_or("PriceScheduleAdmin"),
    summaries=crud_summaries("price schedule", "price schedules"),
    references=(
        Reference(models.Product, "default_price_schedule_id", on_delete="null"),
        Reference(models.ProductSupplier, "default_price_schedule_id", on_delete="null"),
    ),
    hooks=PriceScheduleHooks(),
)

# --- price breaks ----------------------------------------------------------------------------


def locked_schedule(call) -> PriceSchedule:
    """The path's schedule, its row held until the transaction ends."""
    schedule = crud.get_object(PRICE_SCHEDULES, call)
    return PriceSchedule.objects.select_for_update().get(pk=schedule.pk)


def save_price_break(call):
    """Add a break, or replace the one for its Quantity; answers the schedule."""
    values, _ = validation.validate(PRICE_BREAK.fields, call.body, required=PRICE_BREAK.required)
    with transaction.atomic():
        schedule = locked_schedule(call)
        kept = [b for b in schedule.price_breaks if b["Quantity"] != values["Quantity"]]
        schedule.price_breaks = breaks_in_order([*kept, values])
        schedule.save(update_fields=["price_breaks"])
    return HTTPStatus.CREATED, crud.to_wire(PRICE_SCHEDULES, schedule)


def delete_price_break(call):
    raw = call.query.get("quantity", "")
    if not raw.lstrip("-").isdigit() or len(raw) > 11:
        raise validation_failure("quantity is required: the Quantity of a price break.", "quantity")
    with transaction.atomic():
        schedule = locked_schedule(call)
        schedule.price_breaks = [b for b in schedule.price_breaks if b["Quantity"] != int(raw)]
        schedule.save(update_fields=["price_breaks"])
    return HTTPStatus.NO_CONTENT, None


BREAKS = "/priceschedules/{priceScheduleID}/PriceBreaks"
OPERATIONS = [
    *crud_operations(PRICE_SCHEDULES),
    Operation(
        "PriceSchedules.SavePriceBreak",
        "POST",
        BREAKS,
        "Price Schedules",
        "Create or update a price schedule price break.",
        PRICE_SCHEDULES.write_roles,
        "Custom",
        201,
        resource=PRICE_SCHEDULES,
        handler=save_price_break,
        request=PRICE_BREAK,
        request_required=PRICE_BREAK.required,
        response=PRICE_SCHEDULES.schema,
    ),
    Operation(
        "PriceSchedules.DeletePriceBreak",
        "DELETE",
        BREAKS,
        "Price Schedules",
        "Delete a price schedule price break.",
        PRICE_SCHEDULES.write_roles,
        "Custom",
        204,
        resource=PRICE_SCHEDULES,
        handler=delete_price_break,
        query=(
            Param(
                "quantity",
                "integer",
                required=True,
                description="Quantity of the price break to delete.",
            ),
        ),
    ),
]
