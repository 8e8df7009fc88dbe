"""Categories: a tree per catalog (ParentID, ListOrder, ChildCount, `depth` on lists),
given to buyers and user groups (category assignments) and filled with products (product
assignments). The tree's rules are `sandbox.domain.categories`."""

from dataclasses import replace
from http import HTTPStatus

from django.db import transaction
from django.db.models import F

from sandbox import models
from sandbox.api import crud, listing, validation
from sandbox.api.errors import validation_failure
from sandbox.api.spec import (
    Field,
    Hooks,
    Operation,
    Param,
    Parent,
    Reference,
    Resource,
    Schema,
    crud_operations,
)
from sandbox.domain import categories as tree
from sandbox.models import (
    Buyer,
    Category,
    CategoryAssignment,
    CategoryProductAssignment,
    Product,
    User,
    UserGroup,
)
from sandbox.resources.catalogs import add_to_catalog
from sandbox.resources.common import (
    LEVELS,
    XP,
    assignment_page,
    crud_summaries,
    filter_by,
    full_access_or,
    id_field,
)

CATALOG_PARENT = Parent("catalogID", models.Catalog, "Catalog", "catalog", foreign_key=True)


class CategoryHooks(Hooks):
    """A category's parent is in its catalog and not under it; paths, ChildCount and the
    catalog's CategoryCount follow every write, with the catalog's row locked."""

    def before_write(self, call, obj, values, given):
        tree.lock_catalog(obj.catalog)
        tree.parent_of(obj)  # 404 / 400 before anything is written
        stored = Category.objects.filter(pk=obj.pk).values_list("parent_id", flat=True)
        obj.parent_before = stored[0] if obj.pk is not None else None

    def after_write(self, call, obj, created):
        tree.place(obj, tree.parent_of(obj))
        tree.recount(obj.catalog, obj.parent_id, obj.parent_before)

    def before_delete(self, call, obj):
        tree.lock_catalog(obj.catalog)
        tree.subtree(obj).exclude(pk=obj.pk).delete()

    def after_delete(self, call, obj):
        tree.recount(obj.catalog, obj.parent_id)


CATEGORIES = Resource(
    name="Category",
    prefix="Categories",
    tag="Categories",
    path="/catalogs/{catalogID}/categories",
    id_param="categoryID",
    model=models.Category,
    fields=(
        id_field(),
        Field("Name", attr="name", max_length=100, example="Category"),
        Field("Description", attr="description", max_length=2000),
        Field("ListOrder", "integer", attr="list_order", format="int32", minimum=0),
        Field("Active", "boolean", attr="active", default=False, example=True),
        Field("ParentID", attr="parent_id"),
        Field("ChildCount", "integer", attr="child_count", format="int32", read_only=True),
        XP,
    ),
    required=("Name",),
    searchable=("ID", "Name", "Description"),
    sortable=("ID", "Name"),
    read_roles=full_access_or("CategoryAdmin", "CategoryReader"),
    write_roles=full_access_or("CategoryAdmin"),
    summaries=crud_summaries("category", "categories"),
    parents=(CATALOG_PARENT,),
    # Children name their parent by ID: they follow its renames (a delete takes the
    # whole subtree, CategoryHooks.before_delete).
    references=(Reference(models.Category, "parent_id", {"catalog__oc_id": "{catalogID}"}),),
    checks_references=True,  # ParentID
    default_order=(F("list_order").asc(nulls_first=True),),
    hooks=CategoryHooks(),
)
DEPTH = Param(
    "depth",
    description="How deep down the tree to list: a number of 1 or greater, or 'all'."
    " Relative to the ParentID filter when one is given. Default: 1.",
)
OPERATORS = set("*|!<>")


def in_depth(call, categories, default_depth):
    """The categories `depth` levels below the catalog's top, or below the category a
    plain ParentID filter names (then that filter is answered here, not by the list)."""
    depth = tree.parse_depth(call.query.get("depth", ""), default=default_depth)
    parent_id = call.query.getlist("ParentID")
    if len(parent_id) != 1 or not parent_id[0] or OPERATORS & set(parent_id[0]):
        return tree.within_depth(categories, depth), ()
    base = categories.model.objects.filter(
        pk__in=categories.values("pk"), oc_id=parent_id[0]
    ).first()
    if base is None:
        return categories.none(), ("ParentID",)
    return tree.within_depth(categories, depth, base), ("ParentID",)


def category_page(call, categories, extra_params=(), default_depth=1):
    """A ListPage of categories with `depth` (and the operation's `extra_params`)."""
    categories, answered = in_depth(call, categories, default_depth)
    return HTTPStatus.OK, listing.list_page(
        categories,
        call.query,
        fields=crud.list_columns(CATEGORIES),
        searchable=CATEGORIES.searchable,
        sortable=CATEGORIES.sortable,
        serialize=lambda obj: crud.to_wire(CATEGORIES, obj),
        ignore=["depth", *answered, *extra_params],
        default_order=CATEGORIES.default_order,
    )


def list_categories(call):
    return category_page(call, crud.scoped(CATEGORIES, call))


# --- assignments to buyers and groups -----------------------------------------------------

CATEGORY_ASSIGNMENT = Schema(
    "CategoryAssignment",
    (
        Field("CategoryID", example="category-1"),
        Field("BuyerID", example="buyer-1"),
        Field("UserGroupID"),
        Field("Visible", "boolean"),
        Field("ViewAllProducts", "boolean"),
    ),
)
ASSIGNMENT_PARAMS = (
    Param("categoryID", description="ID of the category."),
    Param("buyerID", description="ID of the buyer."),
    Param("userID", description="ID of the user."),
    Param("userGroupID", description="ID of the user group."),
    Param("level", description="Level of the category assignment.", enum=LEVELS),
)


def catalog_of(call):
    return crud.parent_value(CATALOG_PARENT, call)


def assignment_wire(row) -> dict:
    return {
        "CategoryID": row.category.oc_id,
        "BuyerID": row.buyer.oc_id,
        "UserGroupID": row.user_group.oc_id if row.user_group else None,
        "Visible": row.visible,
        "ViewAllProducts": row.view_all_products,
    }


def list_assignments(call):
    """A category assignment names a buyer or one of its groups, never a user: a userID
    filter or level=User matches none."""
    catalog = catalog_of(call)
    queryset = CategoryAssignment.objects.filter(category__catalog=catalog)
    queryset = filter_by(
        call,
        queryset,
        {
            "categoryID": "category__oc_id",
            "buyerID": "buyer__oc_id",
            "userGroupID": "user_group__oc_id",
        },
    ).select_related("category", "buyer", "user_group")
    level = call.query.get("level") or ""
    if level and level not in LEVELS:
        raise validation_failure(f"level must be one of {', '.join(LEVELS)}.", "level")
    if call.query.get("userID") or level == "User":
        queryset = queryset.none()
    elif level == "Group":
        queryset = queryset.filter(user_group__isnull=False)
    elif level == "Company":
        queryset = queryset.filter(user_group__isnull=True)
    return assignment_page(
        call,
        queryset,
        {
            "CategoryID": "category__oc_id",
            "BuyerID": "buyer__oc_id",
            "UserGroupID": "user_group__oc_id",
            "Visible": listing.Column("visible", "boolean"),
            "ViewAllProducts": listing.Column("view_all_products", "boolean"),
        },
        assignment_wire,
        ASSIGNMENT_PARAMS,
    )


def parties(call, category_id, buyer_id, group_id):
    """The catalog's category, the buyer and the buyer's group (404 when missing)."""
    category = crud.find_object(call, Category, "Category", category_id, catalog=catalog_of(call))
    buyer = crud.find_object(call, Buyer, "Buyer", buyer_id)
    group = None
    if group_id:
        group = crud.find_object(
            call, UserGroup, "UserGroup", group_id, group_type=User.Type.BUYER, company_id=buyer_id
        )
    return category, buyer, group


def save_assignment(call):
    values, _ = validation.validate(
        CATEGORY_ASSIGNMENT.fields, call.body, required=("CategoryID", "BuyerID")
    )
    category, buyer, group = parties(
        call, values["CategoryID"], values["BuyerID"], values.get("UserGroupID")
    )
    CategoryAssignment.objects.update_or_create(
        marketplace=call.marketplace,
        category=category,
        buyer=buyer,
        user_group=group,
        defaults={
            "visible": values.get("Visible"),
            "view_all_products": values.get("ViewAllProducts"),
        },
    )
    return HTTPStatus.NO_CONTENT, None


def delete_assignment(call):
    buyer_id = call.query.get("buyerID")
    if not buyer_id:
        raise validation_failure("buyerID is required.", "buyerID")
    category, buyer, group = parties(
        call, call.params["categoryID"], buyer_id, call.query.get("userGroupID")
    )
    if not call.query.get("userID"):  # no assignment names a user
        CategoryAssignment.objects.filter(category=category, buyer=buyer, user_group=group).delete()
    return HTTPStatus.NO_CONTENT, None


# --- products in categories ---------------------------------------------------------------

CATEGORY_PRODUCT_ASSIGNMENT = Schema(
    "CategoryProductAssignment",
    (
        Field("CategoryID", example="category-1"),
        Field("ProductID", example="product-1"),
        Field("ListOrder", "integer", format="int32"),
    ),
)
PRODUCT_ASSIGNMENT_PARAMS = (
    Param("categoryID", description="ID of the category."),
    Param("productID", description="ID of the product."),
)


def list_product_assignments(call):
    catalog = catalog_of(call)
    queryset = CategoryProductAssignment.objects.filter(category__catalog=catalog)
    queryset = filter_by(
        call, queryset, {"categoryID": "category__oc_id", "productID": "product__oc_id"}
    ).select_related("category", "product")
    return assignment_page(
        call,
        queryset,
        {
            "CategoryID": "category__oc_id",
            "ProductID": "product__oc_id",
            "ListOrder": listing.Column("list_order", "integer"),
        },
        lambda row: {
            "CategoryID": row.category.oc_id,
            "ProductID": row.product.oc_id,
            "ListOrder": row.list_order,
        },
        PRODUCT_ASSIGNMENT_PARAMS,
    )


def save_product_assignment(call):
    """The product in the category, and so in its catalog (OrderCloud makes that
    catalog product assignment when it is missing)."""
    values, _ = validation.validate(
        CATEGORY_PRODUCT_ASSIGNMENT.fields, call.body, required=("CategoryID", "ProductID")
    )
    catalog = catalog_of(call)
    category = crud.find_object(call, Category, "Category", values["CategoryID"], catalog=catalog)
    product = crud.find_object(call, models.Product, "Product", values["ProductID"])
    with transaction.atomic():
        add_to_catalog(call, catalog, product)
        CategoryProductAssignment.objects.update_or_create(
            marketplace=call.marketplace,
            category=category,
            product=product,
            defaults={"list_order": values.get("ListOrder")},
        )
    return HTTPStatus.NO_CONTENT, None


def delete_product_assignment(call):
    category = crud.find_object(
        call, Category, "Category", call.params["categoryID"], catalog=catalog_of(call)
    )
    product = crud.find_object(call, Product, "Product", call.params["productID"])
    CategoryProductAssignment.objects.filter(category=category, product=product).delete()
    return HTTPStatus.NO_CONTENT, None


def operations() -> list[Operation]:
    read, write = CATEGORIES.read_roles, CATEGORIES.write_roles
    base = CATEGORIES.path
    found = []
    for operation in crud_operations(CATEGORIES):
        if operation.kind == "List":
            operation = replace(operation, handler=list_categories, query=(DEPTH,))
        found.append(operation)
    return [
        *found,
        Operation(
            "Categories.DeleteAssignment",
            "DELETE",
            f"{base}/{{categoryID}}/assignments",
            "Categories",
            "Delete a category assignment.",
            write,
            "DeleteAssignment",
            204,
            handler=delete_assignment,
            query=(
                Param("buyerID", required=True, description="ID of the buyer."),
                Param("userID", description="ID of the user."),
                Param("userGroupID", description="ID of the user group."),
            ),
        ),
        Operation(
            "Categories.DeleteProductAssignment",
            "DELETE",
            f"{base}/{{categoryID}}/productassignments/{{productID}}",
            "Categories",
            "Delete a category product assignment.",
            write,
            "DeleteAssignment",
            204,
            handler=delete_product_assignment,
        ),
        Operation(
            "Categories.ListAssignments",
            "GET",
            f"{base}/assignments",
            "Categories",
            "Get a list of category assignments.",
            read,
            "ListAssignments",
            200,
            handler=list_assignments,
            response=CATEGORY_ASSIGNMENT,
            is_list=True,
            query=ASSIGNMENT_PARAMS,
        ),
        Operation(
            "Categories.SaveAssignment",
            "POST",
            f"{base}/assignments",
            "Categories",
            "Create or update a category assignment.",
            write,
            "SaveAssignment",
            204,
            handler=save_assignment,
            request=CATEGORY_ASSIGNMENT,
            request_required=("CategoryID", "BuyerID"),
            errors=(404,),  # the body names the category, the buyer and the group
        ),
        Operation(
            "Categories.ListProductAssignments",
            "GET",
            f"{base}/productassignments",
            "Categories",
            "Get a list of category product assignments.",
            read,
            "ListAssignments",
            200,
            handler=list_product_assignments,
            response=CATEGORY_PRODUCT_ASSIGNMENT,
            is_list=True,
            query=PRODUCT_ASSIGNMENT_PARAMS,
        ),
        Operation(
            "Categories.SaveProductAssignment",
            "POST",
            f"{base}/productassignments",
            "Categories",
            "Create or update a category product assignment.",
            write,
            "SaveAssignment",
            204,
            handler=save_product_assignment,
            request=CATEGORY_PRODUCT_ASSIGNMENT,
            request_required=("CategoryID", "ProductID"),
            errors=(404,),  # the body names the category and the product
        ),
    ]


OPERATIONS = operations()
