"""Buyers: the organizations that buy from the marketplace."""

from sandbox import models
from sandbox.api.spec import Field, Reference, Resource, crud_operations
from sandbox.resources.common import DATE_CREATED, XP, crud_summaries, full_access_or, id_field

BUYERS = Resource(
    name="Buyer",
    prefix="Buyers",
    tag="Buyers",
    path="/buyers",
    id_param="buyerID",
    model=models.Buyer,
    fields=(
        id_field(),
        Field("Name", attr="name", max_length=100, example="Buyer"),
        Field("DefaultCatalogID", attr="default_catalog_id"),
        Field("Active", "boolean", attr="active", default=False, example=True),
        DATE_CREATED,
        XP,
    ),
    required=("Name",),
    searchable=("Name", "ID"),
    sortable=("ID", "Name", "DateCreated"),
    read_roles=full_access_or("BuyerAdmin", "BuyerReader"),
    write_roles=full_access_or("BuyerAdmin"),
    summaries=crud_summaries("buyer", "buyers"),
    references=(
        Reference(models.User, "company_id", {"user_type": "buyer"}),
        Reference(models.UserGroup, "company_id", {"group_type": "buyer"}),
        Reference(models.Address, "company_id", {"owner_type": "buyer"}),
        Reference(models.SecurityProfileAssignment, "buyer_id"),
        Reference(models.ApiClientAssignment, "buyer_id"),
        Reference(models.ImpersonationConfig, "buyer_id"),
        Reference(models.ImpersonationConfig, "impersonation_buyer_id"),
    ),
)

OPERATIONS = crud_operations(BUYERS)
