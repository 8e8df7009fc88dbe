"""Cost centers of a buyer, and their assignments to user groups or the whole buyer."""

from sandbox import models
from sandbox.api.spec import Field, Resource, Schema, crud_operations
from sandbox.resources.common import BUYER_PARENT, XP, crud_summaries, full_access_or, id_field
from sandbox.resources.party_assignments import Assigned, assignment_operations

COST_CENTERS = Resource(
    name="CostCenter",
    prefix="CostCenters",
    tag="Cost Centers",
    path="/buyers/{buyerID}/costcenters",
    id_param="costCenterID",
    model=models.CostCenter,
    fields=(
        id_field(),
        Field("Name", attr="name", max_length=100, example="Marketing"),
        Field("Description", attr="description", max_length=2000),
        XP,
    ),
    required=("Name",),
    searchable=("ID", "Name", "Description"),
    sortable=("Name", "ID"),
    read_roles=full_access_or("CostCenterAdmin", "CostCenterReader"),
    write_roles=full_access_or("CostCenterAdmin"),
    summaries=crud_summaries("cost center", "cost centers"),
    parents=(BUYER_PARENT,),
)

# OrderCloud's CostCenterAssignment names a user group (or, without one, the whole buyer).
ASSIGNMENTS = Assigned(
    COST_CENTERS,
    models.CostCenterAssignment,
    "cost_center",
    "CostCenterID",
    Schema(
        "CostCenterAssignment",
        (Field("CostCenterID", example="costcenter-1"), Field("UserGroupID")),
    ),
    kind="cost center",
)

OPERATIONS = [*crud_operations(COST_CENTERS), *assignment_operations(ASSIGNMENTS)]
