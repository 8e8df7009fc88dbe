"""Specs (a product's configurable attributes: a size, an engraving) and their options,
and which products have them (spec product assignments). Options of the specs that
DefinesVariant make a product's variants (`sandbox.resources.products`)."""

from dataclasses import replace
from http import HTTPStatus

from django.db import transaction
from django.db.models import F

from sandbox import models
from sandbox.api import crud, validation
from sandbox.api.errors import not_found
from sandbox.api.spec import (
    Enumeration,
    Field,
    Hooks,
    Operation,
    Parent,
    Reference,
    Resource,
    Schema,
    crud_operations,
)
from sandbox.models import Product, Spec, SpecOption, SpecProductAssignment
from sandbox.resources.common import (
    OWNER_ID,
    XP,
    OwnedHooks,
    assignment_page,
    crud_summaries,
    full_access_or,
    id_field,
)

PRICE_MARKUP_TYPE = Enumeration(
    "PriceMarkupType", ("NoMarkup", "AmountPerQuantity", "AmountTotal", "Percentage")
)
LIST_ORDER = F("list_order").asc(nulls_first=True)


def spec_of(call) -> Spec:
    return crud.parent_value(SPEC_PARENT, call)


class OptionHooks(Hooks):
    """A spec's OptionCount follows its options, recounted with the spec's row locked."""

    def before_write(self, call, obj, values, given):
        lock(obj.spec)
        obj.price_markup_type = obj.price_markup_type or "NoMarkup"

    def after_write(self, call, obj, created):
        recount_options(obj.spec)

    def before_delete(self, call, obj):
        lock(obj.spec)

    def after_delete(self, call, obj):
        recount_options(obj.spec)


def lock(row) -> None:
    list(type(row).objects.select_for_update().filter(pk=row.pk).values("pk"))


def recount_options(spec: Spec) -> None:
    spec.option_count = SpecOption.objects.filter(spec=spec).count()
    Spec.objects.filter(pk=spec.pk).update(option_count=spec.option_count)


SPEC_OPTION = Schema(
    "SpecOption",
    (
        id_field(),
        Field("Value", attr="value", max_length=2000, example="Large"),
        Field("ListOrder", "integer", attr="list_order", format="int32"),
        Field("IsOpenText", "boolean", attr="is_open_text", default=False),
        Field("PriceMarkupType", attr="price_markup_type", enum=PRICE_MARKUP_TYPE),
        Field("PriceMarkup", "number", attr="price_markup", format="float"),
        XP,
    ),
)
SPEC_PARENT = Parent("specID", models.Spec, "Spec", "spec", foreign_key=True)
SPEC_OPTIONS = Resource(
    name="SpecOption",
    prefix="Specs",
    tag="Specs",
    path="/specs/{specID}/options",
    id_param="optionID",
    model=models.SpecOption,
    fields=SPEC_OPTION.fields,
    required=("Value",),
    searchable=("Value", "ID"),
    sortable=("ListOrder", "ID"),
    read_roles=full_access_or("ProductAdmin", "ProductReader"),
    write_roles=full_access_or("ProductAdmin"),
    summaries=crud_summaries("spec option", "spec options"),
    parents=(SPEC_PARENT,),
    references=(
        Reference(models.Spec, "default_option_id", {"oc_id": "{specID}"}, on_delete="null"),
        Reference(
            models.SpecProductAssignment,
            "default_option_id",
            {"spec__oc_id": "{specID}"},
            on_delete="null",
        ),
    ),
    default_order=(LIST_ORDER,),
    hooks=OptionHooks(),
)


def option_wire(option) -> dict:
    return crud.to_wire(SPEC_OPTIONS, option)


class SpecHooks(OwnedHooks):
    """DefaultOptionID names one of the spec's options (so it can only be set once they
    exist); reads carry the options; deleting a spec takes it off its products, whose
    SpecCount follows."""

    def queryset(self, call, queryset):
        return super().queryset(call, queryset).prefetch_related("options")

    def before_write(self, call, obj, values, given):
        super().before_write(call, obj, values, given)
        if obj.default_option_id and not (
            obj.pk and SpecOption.objects.filter(spec=obj, oc_id=obj.default_option_id).exists()
        ):
            raise not_found("SpecOption", obj.default_option_id)

    def before_delete(self, call, obj):
        products = Product.objects.filter(
            pk__in=SpecProductAssignment.objects.filter(spec=obj).values("product")
        )
        obj.products_before = list(products.select_for_update())

    def after_delete(self, call, obj):
        for product in obj.products_before:
            recount_specs(product)


SPECS = Resource(
    name="Spec",
    prefix="Specs",
    tag="Specs",
    path="/specs",
    id_param="specID",
    model=models.Spec,
    fields=(
        OWNER_ID,
        id_field(),
        Field("ListOrder", "integer", attr="list_order", format="int32"),
        Field("Name", attr="name", example="Size"),
        Field("DefaultValue", attr="default_value", max_length=2000),
        Field("Required", "boolean", attr="required", default=False),
        Field("AllowOpenText", "boolean", attr="allow_open_text", default=False),
        Field("DefaultOptionID", attr="default_option_id"),
        Field("DefinesVariant", "boolean", attr="defines_variant", default=False),
        XP,
        Field("OptionCount", "integer", attr="option_count", format="int32", read_only=True),
        Field(
            "Options",
            "array",
            ref=SPEC_OPTION,
            read_only=True,
            compute=lambda spec: [option_wire(o) for o in spec.options.all()],
        ),
    ),
    required=("Name",),
    searchable=("Name", "ID"),
    sortable=("ListOrder", "Name", "ID"),
    read_roles=full_access_or("ProductAdmin", "ProductReader"),
    write_roles=full_access_or("ProductAdmin"),
    summaries=crud_summaries("spec", "specs"),
    checks_references=True,  # DefaultOptionID
    default_order=(LIST_ORDER,),
    hooks=SpecHooks(),
)

# --- specs of products ---------------------------------------------------------------------

SPEC_PRODUCT_ASSIGNMENT = Schema(
    "SpecProductAssignment",
    (
        Field("SpecID", example="spec-1"),
        Field("ProductID", example="product-1"),
        Field("DefaultValue", max_length=2000),
        Field("DefaultOptionID"),
    ),
)
ASSIGNMENT_COLUMNS = {
    "SpecID": "spec__oc_id",
    "ProductID": "product__oc_id",
    "DefaultValue": "default_value",
    "DefaultOptionID": "default_option_id",
}


def recount_specs(product: Product) -> None:
    product.spec_count = SpecProductAssignment.objects.filter(product=product).count()
    Product.objects.filter(pk=product.pk).update(spec_count=product.spec_count)


def list_product_assignments(call):
    queryset = SpecProductAssignment.objects.filter(marketplace=call.marketplace).select_related(
        "spec", "product"
    )
    return assignment_page(
        call,
        queryset,
        ASSIGNMENT_COLUMNS,
        lambda row: {
            "SpecID": row.spec.oc_id,
            "ProductID": row.product.oc_id,
            "DefaultValue": row.default_value,
            "DefaultOptionID": row.default_option_id,
        },
        (),
        searchable=("SpecID", "ProductID"),
        sortable=("SpecID", "ProductID", "DefaultOptionID", "DefaultValue"),
    )


def save_product_assignment(call):
    """The spec on the product (SpecID and ProductID are needed though the reference marks
    no field required); its DefaultOptionID one of the spec's options."""
    values, _ = validation.validate(
        SPEC_PRODUCT_ASSIGNMENT.fields, call.body, required=("SpecID", "ProductID")
    )
    spec = crud.find_object(call, Spec, "Spec", values["SpecID"])
    product = crud.find_object(call, Product, "Product", values["ProductID"])
    option_id = values.get("DefaultOptionID")
    if option_id and not SpecOption.objects.filter(spec=spec, oc_id=option_id).exists():
        raise not_found("SpecOption", option_id)
    with transaction.atomic():
        lock(product)
        SpecProductAssignment.objects.update_or_create(
            marketplace=call.marketplace,
            spec=spec,
            product=product,
            defaults={"default_value": values.get("DefaultValue"), "default_option_id": option_id},
        )
        recount_specs(product)
    return HTTPStatus.NO_CONTENT, None


def delete_product_assignment(call):
    spec = crud.get_object(SPECS, call)
    product = crud.find_object(call, Product, "Product", call.params["productID"])
    with transaction.atomic():
        lock(product)
        SpecProductAssignment.objects.filter(spec=spec, product=product).delete()
        recount_specs(product)
    return HTTPStatus.NO_CONTENT, None


OPTION_KINDS = {"List": "ListOptions", "Create": "CreateOption", "Get": "GetOption"}
OPTION_KINDS |= {"Save": "SaveOption", "Delete": "DeleteOption", "Patch": "PatchOption"}


def operations() -> list[Operation]:
    options = [
        replace(op, operation_id=f"Specs.{OPTION_KINDS[op.kind]}")
        for op in crud_operations(SPEC_OPTIONS)
    ]
    read, write = SPECS.read_roles, SPECS.write_roles
    return [
        *crud_operations(SPECS),
        *options,
        Operation(
            "Specs.DeleteProductAssignment",
            "DELETE",
            "/specs/{specID}/productassignments/{productID}",
            "Specs",
            "Delete a spec product assignment.",
            write,
            "DeleteAssignment",
            204,
            resource=SPECS,
            handler=delete_product_assignment,
        ),
        Operation(
            "Specs.ListProductAssignments",
            "GET",
            "/specs/productassignments",
            "Specs",
            "Get a list of spec product assignments.",
            read,
            "ListAssignments",
            200,
            handler=list_product_assignments,
            response=SPEC_PRODUCT_ASSIGNMENT,
            is_list=True,
            searchable=("SpecID", "ProductID"),
            sortable=("SpecID", "ProductID", "DefaultOptionID", "DefaultValue"),
        ),
        Operation(
            "Specs.SaveProductAssignment",
            "POST",
            "/specs/productassignments",
            "Specs",
            "Create or update a spec product assignment.",
            write,
            "SaveAssignment",
            204,
            handler=save_product_assignment,
            request=SPEC_PRODUCT_ASSIGNMENT,
            errors=(404,),  # the body names the spec, the product and the option
        ),
    ]


OPERATIONS = operations()
