"""Suppliers: the organizations that sell through the marketplace."""

from sandbox import models
from sandbox.api.spec import Field, Reference, Resource, crud_operations
from sandbox.resources.common import DATE_CREATED, XP, crud_summaries, full_access_or, id_field

SUPPLIERS = Resource(
    name="Supplier",
    prefix="Suppliers",
    tag="Suppliers",
    path="/suppliers",
    id_param="supplierID",
    model=models.Supplier,
    fields=(
        id_field(),
        Field("Name", attr="name", max_length=100, example="Supplier"),
        Field("Active", "boolean", attr="active", default=False, example=True),
        DATE_CREATED,
        Field("AllBuyersCanOrder", "boolean", attr="all_buyers_can_order", default=False),
        XP,
    ),
    required=("Name",),
    searchable=("Name", "ID"),
    sortable=("ID", "Name", "DateCreated"),
    read_roles=full_access_or("SupplierAdmin", "SupplierReader"),
    write_roles=full_access_or("SupplierAdmin"),
    summaries=crud_summaries("supplier", "suppliers"),
    references=(
        Reference(models.User, "company_id", {"user_type": "supplier"}),
        Reference(models.UserGroup, "company_id", {"group_type": "supplier"}),
        Reference(models.Address, "company_id", {"owner_type": "supplier"}),
        Reference(models.SecurityProfileAssignment, "supplier_id"),
        Reference(models.ApiClientAssignment, "supplier_id"),
        # What the supplier owns and sells goes with it.
        Reference(models.Catalog, "owner_id"),
        Reference(models.Product, "owner_id"),
        Reference(models.PriceSchedule, "owner_id"),
        Reference(models.Spec, "owner_id"),
        Reference(models.ProductAssignment, "seller_id"),
        Reference(models.Product, "default_supplier_id", on_delete="null"),
    ),
)

OPERATIONS = crud_operations(SUPPLIERS)
