"""Catalogs: the containers of products and category trees, given to buyers (catalog
assignments) and filled with products (product assignments)."""

from http import HTTPStatus

from django.db import transaction

from sandbox import models
from sandbox.api import crud, validation
from sandbox.api.errors import validation_failure
from sandbox.api.spec import Field, Operation, Param, Reference, Resource, Schema, crud_operations
from sandbox.models import (
    Buyer,
    Catalog,
    CatalogAssignment,
    CategoryProductAssignment,
    Product,
    ProductCatalogAssignment,
)
from sandbox.resources.common import (
    OWNER_ID,
    XP,
    OwnedHooks,
    assignment_page,
    crud_summaries,
    filter_by,
    full_access_or,
    id_field,
)

CATALOGS = Resource(
    name="Catalog",
    prefix="Catalogs",
    tag="Catalogs",
    path="/catalogs",
    id_param="catalogID",
    model=models.Catalog,
    fields=(
        id_field(),
        OWNER_ID,
        Field("Name", attr="name", max_length=100, example="Catalog"),
        Field("Description", attr="description", max_length=2000),
        Field("Active", "boolean", attr="active", default=False, example=True),
        Field("CategoryCount", "integer", attr="category_count", format="int32", read_only=True),
        XP,
    ),
    required=("Name",),
    searchable=("ID", "Name", "Description"),
    sortable=("OwnerID", "Name", "ID"),
    read_roles=full_access_or("CatalogAdmin", "CatalogReader"),
    write_roles=full_access_or("CatalogAdmin"),
    summaries=crud_summaries("catalog", "catalogs"),
    references=(Reference(models.Buyer, "default_catalog_id", on_delete="null"),),
    hooks=OwnedHooks(),
)

# --- assignments to buyers ----------------------------------------------------------------

CATALOG_ASSIGNMENT = Schema(
    "CatalogAssignment",
    (
        Field("CatalogID", example="catalog-1"),
        Field("BuyerID", example="buyer-1"),
        Field("ViewAllCategories", "boolean", default=False),
        Field("ViewAllProducts", "boolean", default=False),
    ),
)
ASSIGNMENT_PARAMS = (
    Param("catalogID", description="ID of the catalog."),
    Param("buyerID", description="ID of the buyer."),
)


def catalog_assignment_wire(row) -> dict:
    return {
        "CatalogID": row.catalog.oc_id,
        "BuyerID": row.buyer.oc_id,
        "ViewAllCategories": row.view_all_categories,
        "ViewAllProducts": row.view_all_products,
    }


def list_assignments(call):
    queryset = CatalogAssignment.objects.filter(marketplace=call.marketplace)
    queryset = filter_by(
        call, queryset, {"catalogID": "catalog__oc_id", "buyerID": "buyer__oc_id"}
    ).select_related("catalog", "buyer")
    return assignment_page(
        call,
        queryset,
        {
            "CatalogID": "catalog__oc_id",
            "BuyerID": "buyer__oc_id",
            "ViewAllCategories": "view_all_categories",
            "ViewAllProducts": "view_all_products",
        },
        catalog_assignment_wire,
        ASSIGNMENT_PARAMS,
    )


def save_assignment(call):
    values, _ = validation.validate(
        CATALOG_ASSIGNMENT.fields, call.body, required=("CatalogID", "BuyerID")
    )
    catalog = crud.find_object(call, Catalog, "Catalog", values["CatalogID"])
    buyer = crud.find_object(call, Buyer, "Buyer", values["BuyerID"])
    CatalogAssignment.objects.update_or_create(
        marketplace=call.marketplace,
        catalog=catalog,
        buyer=buyer,
        defaults={
            "view_all_categories": bool(values.get("ViewAllCategories")),
            "view_all_products": bool(values.get("ViewAllProducts")),
        },
    )
    return HTTPStatus.NO_CONTENT, None


def delete_assignment(call):
    catalog = crud.find_object(call, Catalog, "Catalog", call.params["catalogID"])
    buyer_id = call.query.get("buyerID")
    if not buyer_id:
        raise validation_failure("buyerID is required.", "buyerID")
    buyer = crud.find_object(call, Buyer, "Buyer", buyer_id)
    CatalogAssignment.objects.filter(catalog=catalog, buyer=buyer).delete()
    return HTTPStatus.NO_CONTENT, None


# --- products in catalogs -----------------------------------------------------------------

PRODUCT_CATALOG_ASSIGNMENT = Schema(
    "ProductCatalogAssignment",
    (Field("CatalogID", example="catalog-1"), Field("ProductID", example="product-1")),
)
PRODUCT_ASSIGNMENT_PARAMS = (
    Param("catalogID", description="ID of the catalog."),
    Param("productID", description="ID of the product."),
)


def list_product_assignments(call):
    queryset = ProductCatalogAssignment.objects.filter(marketplace=call.marketplace)
    queryset = filter_by(
        call, queryset, {"catalogID": "catalog__oc_id", "productID": "product__oc_id"}
    ).select_related("catalog", "product")
    return assignment_page(
        call,
        queryset,
        {"CatalogID": "catalog__oc_id", "ProductID": "product__oc_id"},
        lambda row: {"CatalogID": row.catalog.oc_id, "ProductID": row.product.oc_id},
        PRODUCT_ASSIGNMENT_PARAMS,
    )


def add_to_catalog(call, catalog, product) -> None:
    """The product in the catalog (once, however many save it at once)."""
    ProductCatalogAssignment.objects.get_or_create(
        marketplace=call.marketplace, catalog=catalog, product=product
    )


def save_product_assignment(call):
    values, _ = validation.validate(
        PRODUCT_CATALOG_ASSIGNMENT.fields, call.body, required=("CatalogID", "ProductID")
    )
    catalog = crud.find_object(call, Catalog, "Catalog", values["CatalogID"])
    product = crud.find_object(call, Product, "Product", values["ProductID"])
    add_to_catalog(call, catalog, product)
    return HTTPStatus.NO_CONTENT, None


def delete_product_assignment(call):
    """The product leaves the catalog, and so the catalog's categories."""
    catalog = crud.find_object(call, Catalog, "Catalog", call.params["catalogID"])
    product = crud.find_object(call, Product, "Product", call.params["productID"])
    with transaction.atomic():
        CategoryProductAssignment.objects.filter(
            category__catalog=catalog, product=product
        ).delete()
        ProductCatalogAssignment.objects.filter(catalog=catalog, product=product).delete()
    return HTTPStatus.NO_CONTENT, None


WRITE = CATALOGS.write_roles
OPERATIONS = [
    *crud_operations(CATALOGS),
    Operation(
        "Catalogs.DeleteAssignment",
        "DELETE",
        "/catalogs/{catalogID}/assignments",
        "Catalogs",
        "Delete a catalog assignment.",
        WRITE,
        "DeleteAssignment",
        204,
        handler=delete_assignment,
        query=(Param("buyerID", required=True, description="ID of the buyer."),),
    ),
    Operation(
        "Catalogs.DeleteProductAssignment",
        "DELETE",
        "/catalogs/{catalogID}/productassignments/{productID}",
        "Catalogs",
        "Delete a catalog product assignment.",
        WRITE,
        "DeleteAssignment",
        204,
        handler=delete_product_assignment,
    ),
    Operation(
        "Catalogs.ListAssignments",
        "GET",
        "/catalogs/assignments",
        "Catalogs",
        "Get a list of catalog assignments.",
        CATALOGS.read_roles,
        "ListAssignments",
        200,
        handler=list_assignments,
        response=CATALOG_ASSIGNMENT,
        is_list=True,
        query=ASSIGNMENT_PARAMS,
    ),
    Operation(
        "Catalogs.SaveAssignment",
        "POST",
        "/catalogs/assignments",
        "Catalogs",
        "Create or update a catalog assignment.",
        WRITE,
        "SaveAssignment",
        204,
        handler=save_assignment,
        request=CATALOG_ASSIGNMENT,
        request_required=("CatalogID", "BuyerID"),
        errors=(404,),  # the body names the catalog and the buyer
    ),
    Operation(
        "Catalogs.ListProductAssignments",
        "GET",
        "/catalogs/productassignments",
        "Catalogs",
        "Get a list of catalog product assignments.",
        CATALOGS.read_roles,
        "ListAssignments",
        200,
        handler=list_product_assignments,
        response=PRODUCT_CATALOG_ASSIGNMENT,
        is_list=True,
        query=PRODUCT_ASSIGNMENT_PARAMS,
    ),
    Operation(
        "Catalogs.SaveProductAssignment",
        "POST",
        "/catalogs/productassignments",
        "Catalogs",
        "Create a catalog product assignment.",
        WRITE,
        "SaveAssignment",
        204,
        handler=save_product_assignment,
        request=PRODUCT_CATALOG_ASSIGNMENT,
        request_required=("CatalogID", "ProductID"),
        errors=(404,),  # the body names the catalog and the product
    ),
]
