"""Products: CRUD with facets on the list, their assignments to buyers and user groups
(with a price schedule), the suppliers that sell them, their specs, and their variants
(generated from the variant-defining specs' options)."""

import itertools
from dataclasses import replace
from http import HTTPStatus

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from sandbox import models
from sandbox.api import crud, listing, validation
from sandbox.api.errors import not_found, validation_failure
from sandbox.api.spec import (
    Field,
    Hooks,
    Operation,
    Param,
    Parent,
    Resource,
    Schema,
    crud_operations,
)
from sandbox.api.wire import timestamp
from sandbox.domain import facets
from sandbox.models import (
    Buyer,
    PriceSchedule,
    Product,
    ProductAssignment,
    ProductCatalogAssignment,
    ProductSupplier,
    Spec,
    SpecOption,
    SpecProductAssignment,
    Supplier,
    User,
    UserGroup,
    Variant,
)
from sandbox.resources.common import (
    DATE_CREATED,
    LEVELS,
    OWNER_ID,
    XP,
    OwnedHooks,
    assignment_page,
    boolean_param,
    crud_summaries,
    filter_by,
    full_access_or,
    id_field,
)
from sandbox.resources.specs import PRICE_MARKUP_TYPE, SPECS

INVENTORY = Schema(
    "Inventory",
    (
        Field("Enabled", "boolean"),
        Field("NotificationPoint", "integer", format="int32"),
        Field("VariantLevelTracking", "boolean"),
        Field("OrderCanExceed", "boolean"),
        Field("QuantityAvailable", "integer", format="int32"),
        Field("LastUpdated", "datetime", read_only=True),
    ),
)
VARIANT_INVENTORY = Schema(
    "VariantInventory",
    (
        Field("QuantityAvailable", "integer", format="int32"),
        Field("LastUpdated", "datetime", read_only=True),
    ),
)


def stamped(schema: Schema, given: dict | None, stored: dict | None, *, merge: bool):
    """An inventory as stored: every field of `schema` (PATCH keeps the stored ones it
    leaves out), LastUpdated now."""
    if given is None:
        return None
    base = dict(stored or {}) if merge else {}
    base.update(given)
    out = {field.name: base.get(field.name) for field in schema.fields}
    out["LastUpdated"] = timestamp(timezone.now())
    return out


def stored_column(obj, column: str):
    if obj.pk is None:
        return None
    return type(obj).objects.filter(pk=obj.pk).values_list(column, flat=True)[0]


class ProductHooks(OwnedHooks):
    """DefaultPriceScheduleID and DefaultSupplierID name existing objects (404)."""

    def before_write(self, call, obj, values, given):
        super().before_write(call, obj, values, given)
        if (
            obj.default_price_schedule_id
            and not PriceSchedule.objects.filter(
                marketplace=call.marketplace, oc_id=obj.default_price_schedule_id
            ).exists()
        ):
            raise not_found("PriceSchedule", obj.default_price_schedule_id)
        if (
            obj.default_supplier_id
            and not Supplier.objects.filter(
                marketplace=call.marketplace, oc_id=obj.default_supplier_id
            ).exists()
        ):
            raise not_found("Supplier", obj.default_supplier_id)
        obj.quantity_multiplier = obj.quantity_multiplier or 1
        if "Inventory" in given:
            merge = call.operation.kind == "Patch"
            obj.inventory = stamped(
                INVENTORY, values.get("inventory"), stored_column(obj, "inventory"), merge=merge
            )


PRODUCTS = Resource(
    name="Product",
    prefix="Products",
    tag="Products",
    path="/products",
    id_param="productID",
    model=models.Product,
    fields=(
        OWNER_ID,
        Field("DefaultPriceScheduleID", attr="default_price_schedule_id"),
        Field("AutoForward", "boolean", attr="auto_forward", default=False),
        id_field(),
        Field("Name", attr="name", max_length=100, example="Product"),
        Field("Description", attr="description", max_length=2000),
        Field(
            "QuantityMultiplier",
            "integer",
            attr="quantity_multiplier",
            format="int32",
            minimum=1,
            default=1,
        ),
        Field("ShipWeight", "number", attr="ship_weight", format="float"),
        Field("ShipHeight", "number", attr="ship_height", format="float"),
        Field("ShipWidth", "number", attr="ship_width", format="float"),
        Field("ShipLength", "number", attr="ship_length", format="float"),
        Field("Active", "boolean", attr="active", default=False, example=True),
        Field("SpecCount", "integer", attr="spec_count", format="int32", read_only=True),
        Field("VariantCount", "integer", attr="variant_count", format="int32", read_only=True),
        Field("ShipFromAddressID", attr="ship_from_address_id"),
        Field("Inventory", "object", attr="inventory", ref=INVENTORY),
        Field("DefaultSupplierID", attr="default_supplier_id"),
        Field("AllSuppliersCanSell", "boolean", attr="all_suppliers_can_sell", default=False),
        Field("Returnable", "boolean", attr="returnable", default=False),
        XP,
    ),
    required=("Name",),
    searchable=("ID", "Name", "Description"),
    sortable=("OwnerID", "Name", "ID"),
    read_roles=full_access_or("ProductAdmin", "ProductReader"),
    write_roles=full_access_or("ProductAdmin"),
    summaries=crud_summaries("product", "products"),
    checks_references=True,  # DefaultPriceScheduleID, DefaultSupplierID
    hooks=ProductHooks(),
)

# --- the list, with facets ------------------------------------------------------------------

FACET_VALUE = Schema("ListFacetValue", (Field("Value"), Field("Count", "integer", format="int32")))
FACET = Schema(
    "ListFacet",
    (
        Field("Name"),
        Field("XpPath"),
        Field("Values", "array", ref=FACET_VALUE),
        Field("xp", "object"),
    ),
)
META_WITH_FACETS = Schema(
    "MetaWithFacets",
    (
        Field("Facets", "array", ref=FACET),
        Field("Page", "integer", format="int32"),
        Field("PageSize", "integer", format="int32"),
        Field("TotalCount", "integer", format="int32"),
        Field("TotalPages", "integer", format="int32"),
        Field("ItemRange", "array", items="integer"),
    ),
)
LIST_PARAMS = (
    Param("catalogID", description="ID of the catalog."),
    Param("categoryID", description="ID of the category."),
    Param("supplierID", description="ID of the supplier."),
)


def page_with_facets(
    call, products, *, fields, searchable, sortable, serialize_page, ignore, counted=None
):
    """A ListPageWithFacets of `products` (before the list's filters); `counted`: the
    same products in a form cheaper to count."""
    page = listing.list_page(
        products,
        call.query,
        fields=fields,
        searchable=searchable,
        sortable=sortable,
        serialize_page=serialize_page,
        ignore=ignore,
        counted=counted,
    )
    found = facets.list_facets(
        call.marketplace,
        products if counted is None else counted,
        call.query,
        fields=fields,
        searchable=searchable,
        ignore=ignore,
    )
    return {"Meta": {"Facets": found, **page["Meta"]}, "Items": page["Items"]}


def list_products(call):
    """Every product (a supplier user: its own), by catalog, category (in any catalog)
    and supplier (the owner, or one that sells it)."""
    products = crud.scoped(PRODUCTS, call)
    if call.query.get("catalogID"):
        products = products.filter(
            pk__in=ProductCatalogAssignment.objects.filter(
                catalog__marketplace=call.marketplace, catalog__oc_id=call.query["catalogID"]
            ).values("product")
        )
    if call.query.get("categoryID"):
        products = products.filter(
            pk__in=models.CategoryProductAssignment.objects.filter(
                category__marketplace=call.marketplace, category__oc_id=call.query["categoryID"]
            ).values("product")
        )
    if call.query.get("supplierID"):
        supplier_id = call.query["supplierID"]
        sold = ProductSupplier.objects.filter(
            supplier__marketplace=call.marketplace, supplier__oc_id=supplier_id
        ).values("product")
        products = products.filter(Q(owner_id=supplier_id) | Q(pk__in=sold))
    return HTTPStatus.OK, page_with_facets(
        call,
        products,
        fields=crud.list_columns(PRODUCTS),
        searchable=PRODUCTS.searchable,
        sortable=PRODUCTS.sortable,
        serialize_page=lambda rows: [crud.to_wire(PRODUCTS, row) for row in rows],
        ignore=[param.name for param in LIST_PARAMS],
    )


# --- assignments to buyers and groups ---------------------------------------------------------

PRODUCT_ASSIGNMENT = Schema(
    "ProductAssignment",
    (
        Field("SellerID"),
        Field("ProductID", example="product-1"),
        Field("BuyerID", example="buyer-1"),
        Field("UserGroupID"),
        Field("PriceScheduleID"),
    ),
)
ASSIGNMENT_PARAMS = (
    Param("productID", description="ID of the product."),
    Param("priceScheduleID", description="ID of the price schedule."),
    Param("buyerID", description="ID of the buyer."),
    Param("userID", description="ID of the user."),
    Param("userGroupID", description="ID of the user group."),
    Param("level", description="Level of the product assignment.", enum=LEVELS),
)


def assignment_wire(row) -> dict:
    return {
        "SellerID": row.seller_id,
        "ProductID": row.product.oc_id,
        "BuyerID": row.buyer.oc_id,
        "UserGroupID": row.user_group.oc_id if row.user_group else None,
        "PriceScheduleID": row.price_schedule.oc_id if row.price_schedule else None,
    }


def list_assignments(call):
    """A product assignment names a buyer or one of its groups, never a user: userID
    matches the assignments that apply to that user (its buyer's and its groups')."""
    queryset = ProductAssignment.objects.filter(marketplace=call.marketplace)
    queryset = filter_by(
        call,
        queryset,
        {
            "productID": "product__oc_id",
            "priceScheduleID": "price_schedule__oc_id",
            "buyerID": "buyer__oc_id",
            "userGroupID": "user_group__oc_id",
        },
    ).select_related("product", "buyer", "user_group", "price_schedule")
    if call.query.get("userID"):
        user = User.objects.filter(
            marketplace=call.marketplace, oc_id=call.query["userID"], user_type=User.Type.BUYER
        ).first()
        groups = models.UserGroupAssignment.objects.filter(user=user).values("user_group")
        queryset = queryset.filter(
            Q(user_group__isnull=True) | Q(user_group__in=groups),
            buyer__oc_id=user.company_id if user else None,
        )
    level = call.query.get("level") or ""
    if level and level not in LEVELS:
        raise validation_failure(f"level must be one of {', '.join(LEVELS)}.", "level")
    if level == "User":
        queryset = queryset.none()
    elif level == "Group":
        queryset = queryset.filter(user_group__isnull=False)
    elif level == "Company":
        queryset = queryset.filter(user_group__isnull=True)
    return assignment_page(
        call,
        queryset,
        {
            "SellerID": "seller_id",
            "ProductID": "product__oc_id",
            "BuyerID": "buyer__oc_id",
            "UserGroupID": "user_group__oc_id",
            "PriceScheduleID": "price_schedule__oc_id",
        },
        assignment_wire,
        ASSIGNMENT_PARAMS,
    )


def save_assignment(call):
    """A product for a buyer or one of its groups, at a price schedule or none. The buyer
    must have a catalog the product is in (400 otherwise, as OrderCloud)."""
    values, _ = validation.validate(
        PRODUCT_ASSIGNMENT.fields, call.body, required=("ProductID", "BuyerID")
    )
    product = crud.find_object(call, Product, "Product", values["ProductID"])
    buyer = crud.find_object(call, Buyer, "Buyer", values["BuyerID"])
    group = schedule = None
    if values.get("UserGroupID"):
        group = crud.find_object(
            call,
            UserGroup,
            "UserGroup",
            values["UserGroupID"],
            group_type=User.Type.BUYER,
            company_id=buyer.oc_id,
        )
    if values.get("PriceScheduleID"):
        schedule = crud.find_object(call, PriceSchedule, "PriceSchedule", values["PriceScheduleID"])
    seller_id = values.get("SellerID") or call.marketplace.oc_id
    if seller_id != call.marketplace.oc_id:
        crud.find_object(call, Supplier, "Supplier", seller_id)
    shared = ProductCatalogAssignment.objects.filter(
        product=product, catalog__assignments__buyer=buyer
    )
    if not shared.exists():
        raise validation_failure(
            f"Product {product.oc_id} is in no catalog assigned to buyer {buyer.oc_id}:"
            " assign both to a common catalog first.",
            "ProductID",
        )
    ProductAssignment.objects.update_or_create(
        marketplace=call.marketplace,
        product=product,
        buyer=buyer,
        user_group=group,
        defaults={"price_schedule": schedule, "seller_id": seller_id},
    )
    return HTTPStatus.NO_CONTENT, None


def delete_assignment(call):
    """The buyer's (no group) or a group's assignment; userID names none."""
    product = crud.find_object(call, Product, "Product", call.params["productID"])
    buyer = crud.find_object(call, Buyer, "Buyer", call.params["buyerID"])
    group = None
    if call.query.get("userGroupID"):
        group = crud.find_object(
            call,
            UserGroup,
            "UserGroup",
            call.query["userGroupID"],
            group_type=User.Type.BUYER,
            company_id=buyer.oc_id,
        )
    rows = ProductAssignment.objects.filter(product=product, buyer=buyer, user_group=group)
    if call.query.get("sellerID"):
        rows = rows.filter(seller_id=call.query["sellerID"])
    if not call.query.get("userID"):
        rows.delete()
    return HTTPStatus.NO_CONTENT, None


# --- suppliers ------------------------------------------------------------------------------

PRODUCT_SUPPLIER = Schema(
    "ProductSupplier",
    (
        Field("DefaultPriceScheduleID"),
        id_field(),
        Field("Name", max_length=100),
        Field("Active", "boolean"),
        DATE_CREATED,
        Field("AllBuyersCanOrder", "boolean"),
        Field("xp", "object"),
    ),
)


def list_suppliers(call):
    product = crud.get_object(PRODUCTS, call)
    links = ProductSupplier.objects.filter(product=product).select_related("supplier")
    columns = {
        "ID": listing.Column("supplier__oc_id"),
        "Name": listing.Column("supplier__name"),
        "Active": listing.Column("supplier__active", "boolean"),
        "DateCreated": listing.Column("supplier__date_created", "datetime"),
        "AllBuyersCanOrder": listing.Column("supplier__all_buyers_can_order", "boolean"),
        "DefaultPriceScheduleID": listing.Column("default_price_schedule_id"),
        "xp": listing.Column("supplier__xp", "object"),
    }
    return assignment_page(
        call,
        links,
        columns,
        lambda link: {
            "DefaultPriceScheduleID": link.default_price_schedule_id,
            "ID": link.supplier.oc_id,
            "Name": link.supplier.name,
            "Active": link.supplier.active,
            "DateCreated": timestamp(link.supplier.date_created),
            "AllBuyersCanOrder": link.supplier.all_buyers_can_order,
            "xp": link.supplier.xp,
        },
        (),
        searchable=("Name", "ID"),
        sortable=("ID", "Name", "DateCreated"),
    )


def save_supplier(call):
    product = crud.get_object(PRODUCTS, call)
    supplier = crud.find_object(call, Supplier, "Supplier", call.params["supplierID"])
    schedule_id = call.query.get("defaultPriceScheduleID") or None
    if schedule_id:
        crud.find_object(call, PriceSchedule, "PriceSchedule", schedule_id)
    ProductSupplier.objects.update_or_create(
        marketplace=call.marketplace,
        product=product,
        supplier=supplier,
        defaults={"default_price_schedule_id": schedule_id},
    )
    return HTTPStatus.NO_CONTENT, None


def remove_supplier(call):
    product = crud.get_object(PRODUCTS, call)
    supplier = crud.find_object(call, Supplier, "Supplier", call.params["supplierID"])
    ProductSupplier.objects.filter(product=product, supplier=supplier).delete()
    return HTTPStatus.NO_CONTENT, None


# --- specs ----------------------------------------------------------------------------------


def list_specs(call):
    product = crud.get_object(PRODUCTS, call)
    assigned = SpecProductAssignment.objects.filter(product=product).values("spec")
    specs = Spec.objects.filter(marketplace=call.marketplace, pk__in=assigned)
    return HTTPStatus.OK, listing.list_page(
        SPECS.hooks.queryset(call, specs),
        call.query,
        fields=crud.list_columns(SPECS),
        searchable=("Name", "ID"),
        sortable=("ListOrder", "Name", "ID"),
        serialize=lambda spec: crud.to_wire(SPECS, spec),
        default_order=SPECS.default_order,
    )


# --- variants -------------------------------------------------------------------------------

VARIANT_SPEC = Schema(
    "VariantSpec",
    (
        Field("SpecID"),
        Field("Name", read_only=True),
        Field("OptionID"),
        Field("Value", max_length=2000),
        Field("PriceMarkupType", enum=PRICE_MARKUP_TYPE),
        Field("PriceMarkup", "number", format="float"),
    ),
)


class VariantHooks(Hooks):
    """A supplier user reaches the variants of its own products only; an Inventory given
    is stamped."""

    def queryset(self, call, queryset):
        return queryset.filter(product__in=PRODUCTS.hooks.queryset(call, Product.objects.all()))

    def before_write(self, call, obj, values, given):
        if "Inventory" in given:
            obj.inventory = stamped(
                VARIANT_INVENTORY,
                values.get("inventory"),
                stored_column(obj, "inventory"),
                merge=call.operation.kind == "Patch",
            )


VARIANTS = Resource(
    name="Variant",
    prefix="Products",
    tag="Products",
    path="/products/{productID}/variants",
    id_param="variantID",
    model=models.Variant,
    fields=(
        id_field(),
        Field("Name", attr="name", example="Variant"),
        Field("Description", attr="description", max_length=2000),
        Field("Active", "boolean", attr="active", default=False, example=True),
        Field("ShipWeight", "number", attr="ship_weight", format="float"),
        Field("ShipHeight", "number", attr="ship_height", format="float"),
        Field("ShipWidth", "number", attr="ship_width", format="float"),
        Field("ShipLength", "number", attr="ship_length", format="float"),
        Field("Inventory", "object", attr="inventory", ref=VARIANT_INVENTORY),
        Field("Specs", "array", attr="specs", ref=VARIANT_SPEC, read_only=True),
        XP,
    ),
    required=(),
    searchable=("ID", "Name", "Description"),
    sortable=("ID", "Name"),
    read_roles=PRODUCTS.read_roles,
    write_roles=PRODUCTS.write_roles,
    summaries={
        "List": "Get a list of product variants.",
        "Get": "Get a single product variant.",
        "Save": "Update a product variant.",
        "Patch": "Partially update a product variant.",
    },
    parents=(Parent("productID", models.Product, "Product", "product", foreign_key=True),),
    kinds=("List", "Get", "Save", "Patch"),
    save_creates=False,  # variants are generated
    hooks=VariantHooks(),
)
VARIANT_KINDS = {"List": "ListVariants", "Get": "GetVariant", "Save": "SaveVariant"}
VARIANT_KINDS["Patch"] = "PatchVariant"
MAX_VARIANTS = 1000  # combinations a product can have (a guard against runaway products)


def variant_specs(product) -> list[list[dict]]:
    """For each variant-defining spec of the product (by ListOrder, then ID), the
    VariantSpec of each of its options (by ListOrder, then ID)."""
    in_order = (F("list_order").asc(nulls_first=True), "oc_id")
    specs = Spec.objects.filter(
        pk__in=SpecProductAssignment.objects.filter(product=product).values("spec"),
        defines_variant=True,
    ).order_by(*in_order)
    options = SpecOption.objects.filter(spec__in=specs).select_related("spec").order_by(*in_order)
    by_spec: dict[int, list[dict]] = {spec.pk: [] for spec in specs}
    for option in options:
        by_spec[option.spec_id].append(
            {
                "SpecID": option.spec.oc_id,
                "Name": option.spec.name,
                "OptionID": option.oc_id,
                "Value": option.value,
                "PriceMarkupType": option.price_markup_type,
                "PriceMarkup": option.price_markup,
            }
        )
    return [by_spec[spec.pk] for spec in specs]


def combination(specs: list[dict]) -> frozenset:
    return frozenset((spec["SpecID"], spec["OptionID"]) for spec in specs)


def generate_variants(call):
    """A variant per combination of the variant-defining specs' options: the missing ones
    added, or (overwriteExisting) every variant replaced. Its ID is the product's and the
    options' IDs joined by '-', its Name the same; it is Active when the product is."""
    overwrite = boolean_param(call, "overwriteExisting") or False
    with transaction.atomic():
        product = Product.objects.select_for_update().get(pk=crud.get_object(PRODUCTS, call).pk)
        axes = variant_specs(product)
        count = 1
        for axis in axes:
            count *= len(axis)
        if axes and count > MAX_VARIANTS:
            raise validation_failure(
                f"These specs make {count} variants; a product can have {MAX_VARIANTS}.",
                "productID",
            )
        existing = Variant.objects.filter(product=product)
        if overwrite:
            existing.delete()
        have = {combination(variant.specs) for variant in existing}
        taken = set(existing.values_list("oc_id", flat=True))
        for specs in itertools.product(*axes) if axes else ():
            if combination(specs) in have:
                continue
            variant_id = "-".join([product.oc_id, *(spec["OptionID"] for spec in specs)])
            if len(variant_id) > 100 or variant_id in taken:
                raise validation_failure(
                    f"Variant ID {variant_id[:120]} is too long or taken: shorten or rename"
                    " the product's or options' IDs.",
                    "productID",
                )
            Variant.objects.create(
                marketplace=call.marketplace,
                product=product,
                oc_id=variant_id,
                name=variant_id,
                active=product.active,
                specs=list(specs),
            )
            taken.add(variant_id)
        product.variant_count = Variant.objects.filter(product=product).count()
        product.save(update_fields=["variant_count"])
    return HTTPStatus.CREATED, crud.to_wire(PRODUCTS, product)


def variant_operations() -> list[Operation]:
    return [
        replace(op, operation_id=f"Products.{VARIANT_KINDS[op.kind]}")
        for op in crud_operations(VARIANTS)
    ]


def operations() -> list[Operation]:
    base, item = PRODUCTS.path, PRODUCTS.item_path
    read, write = PRODUCTS.read_roles, PRODUCTS.write_roles
    assigners = full_access_or("ProductAdmin", "ProductAssignmentAdmin")
    found = []
    for operation in crud_operations(PRODUCTS):
        if operation.kind == "List":
            operation = replace(
                operation, handler=list_products, query=LIST_PARAMS, meta=META_WITH_FACETS
            )
        found.append(operation)
    variants = {op.kind: op for op in variant_operations()}
    supplier = f"{item}/suppliers/{{supplierID}}"
    return [
        *found,
        Operation(
            "Products.DeleteAssignment",
            "DELETE",
            f"{item}/assignments/{{buyerID}}",
            "Products",
            "Delete a product assignment.",
            assigners,
            "DeleteAssignment",
            204,
            handler=delete_assignment,
            query=(
                Param("userID", description="ID of the user."),
                Param("userGroupID", description="ID of the user group."),
                Param("sellerID", description="ID of the seller."),
            ),
        ),
        Operation(
            "Products.ListSpecs",
            "GET",
            f"{item}/specs",
            "Products",
            "Get a list of product specs.",
            read,
            "Custom",
            200,
            resource=PRODUCTS,
            handler=list_specs,
            response=SPECS.schema,
            is_list=True,
            searchable=("Name", "ID"),
            sortable=("ListOrder", "Name", "ID"),
        ),
        Operation(
            "Products.ListSuppliers",
            "GET",
            f"{item}/suppliers",
            "Products",
            "Get a list of product suppliers.",
            read,
            "Custom",
            200,
            resource=PRODUCTS,
            handler=list_suppliers,
            response=PRODUCT_SUPPLIER,
            is_list=True,
            searchable=("Name", "ID"),
            sortable=("ID", "Name", "DateCreated"),
        ),
        Operation(
            "Products.SaveSupplier",
            "PUT",
            supplier,
            "Products",
            "Create or update a product supplier.",
            write,
            "Custom",
            204,
            resource=PRODUCTS,
            handler=save_supplier,
            query=(
                Param("defaultPriceScheduleID", description="ID of the default price schedule."),
            ),
        ),
        Operation(
            "Products.RemoveSupplier",
            "DELETE",
            supplier,
            "Products",
            "Remove a supplier from a product.",
            write,
            "Custom",
            204,
            resource=PRODUCTS,
            handler=remove_supplier,
        ),
        variants["List"],
        variants["Get"],
        variants["Save"],
        variants["Patch"],
        Operation(
            "Products.GenerateVariants",
            "POST",
            f"{item}/variants/generate",
            "Products",
            "Generate the variants of a product from its variant-defining specs.",
            write,
            "Custom",
            201,
            resource=PRODUCTS,
            handler=generate_variants,
            response=PRODUCTS.schema,
            query=(
                Param(
                    "overwriteExisting",
                    "boolean",
                    description="Delete every variant and generate them anew.",
                ),
            ),
        ),
        Operation(
            "Products.ListAssignments",
            "GET",
            f"{base}/assignments",
            "Products",
            "Get a list of product assignments.",
            full_access_or("ProductAdmin", "ProductAssignmentAdmin", "ProductReader"),
            "ListAssignments",
            200,
            handler=list_assignments,
            response=PRODUCT_ASSIGNMENT,
            is_list=True,
            query=ASSIGNMENT_PARAMS,
        ),
        Operation(
            "Products.SaveAssignment",
            "POST",
            f"{base}/assignments",
            "Products",
            "Create or update a product assignment.",
            assigners,
            "SaveAssignment",
            204,
            handler=save_assignment,
            request=PRODUCT_ASSIGNMENT,
            request_required=("ProductID", "BuyerID"),
            errors=(404,),  # the body names the product, buyer, group and price schedule
        ),
    ]


OPERATIONS = operations()
