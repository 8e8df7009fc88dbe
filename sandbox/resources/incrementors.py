"""Incrementors: named counters (e.g. for order numbers)."""

from sandbox import models
from sandbox.api.spec import Field, Resource, crud_operations
from sandbox.resources.common import crud_summaries, full_access_or, id_field

INCREMENTORS = Resource(
    name="Incrementor",
    prefix="Incrementors",
    tag="Incrementors",
    path="/incrementors",
    id_param="incrementorID",
    model=models.Incrementor,
    fields=(
        id_field(),
        Field("Name", attr="name", max_length=100, example="Order numbers"),
        Field("LastNumber", "integer", attr="last_number", format="int32", default=0, example=0),
        Field(
            "LeftPaddingCount",
            "integer",
            attr="left_padding_count",
            format="int32",
            default=0,
            example=6,
        ),
    ),
    required=("LastNumber", "LeftPaddingCount"),
    searchable=("ID", "Name"),
    sortable=("ID", "Name"),
    read_roles=full_access_or("IncrementorAdmin", "IncrementorReader"),
    write_roles=full_access_or("IncrementorAdmin"),
    summaries=crud_summaries("incrementor", "incrementors", "an"),
)

OPERATIONS = crud_operations(INCREMENTORS)
