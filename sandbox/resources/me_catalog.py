"""What a buyer user shops from: /me/catalogs, /me/categories, /me/products (with their
specs and variants), and the user's own groups and sellers.

What the user sees is `sandbox.domain.visibility`; what it pays (BuyerProduct's
PriceSchedule) is `sandbox.domain.pricing`. An object the user cannot see answers 404, as
one that does not exist. Only buyer users have these (others get a 403
Auth.BuyerUsersOnly), but for /me/usergroups, which every user has.
"""

from http import HTTPStatus

from django.db.models import Q

from sandbox.api import crud, listing
from sandbox.api.errors import not_found, validation_failure
from sandbox.api.spec import Field, Operation, Param, Schema
from sandbox.domain import categories as tree
from sandbox.domain import pricing, visibility, visible_sets
from sandbox.models import (
    Buyer,
    CategoryProductAssignment,
    Product,
    SpecProductAssignment,
    Supplier,
    SupplierBuyer,
    User,
    UserGroup,
    UserGroupAssignment,
    Variant,
)
from sandbox.resources import supplier_buyers
from sandbox.resources.catalogs import CATALOGS
from sandbox.resources.categories import CATEGORIES, DEPTH, category_page
from sandbox.resources.common import full_access_or
from sandbox.resources.price_schedules import PRICE_SCHEDULES
from sandbox.resources.products import (
    META_WITH_FACETS,
    PRODUCTS,
    VARIANTS,
    page_with_facets,
)
from sandbox.resources.specs import SPECS
from sandbox.resources.user_groups import USER_GROUPS

SHOPPER = full_access_or("Shopper")
BUYERS_ONLY = (User.Type.BUYER,)
CATALOG_ID = Param("catalogID", description="ID of the catalog.")
SELLER_ID = Param("sellerID", description="ID of the seller.")


def _schedule_wire(product):
    schedule = product.applied_schedule
    return None if schedule is None else crud.to_wire(PRICE_SCHEDULES, schedule)


BUYER_PRODUCT = Schema(
    "BuyerProduct",
    (
        Field(
            "PriceSchedule",
            "object",
            read_only=True,
            ref=PRICE_SCHEDULES.schema,
            compute=_schedule_wire,
        ),
        *(
            field
            for field in PRODUCTS.fields
            if field.name not in ("OwnerID", "DefaultPriceScheduleID", "AutoForward")
        ),
    ),
)
# What lists of BuyerProducts filter and sort on: their fields, and the product's owner
# (sortBy=OwnerID).
PRODUCT_COLUMNS = {
    name: column
    for name, column in crud.list_columns(PRODUCTS).items()
    if name not in ("DefaultPriceScheduleID", "AutoForward")
}


def buyer_products(user, rows) -> list[dict]:
    """BuyerProducts of `rows`, each with the price schedule that applies to `user`."""
    schedules = pricing.schedules_for(user, rows)
    for row in rows:
        row.applied_schedule = schedules[row.pk]
    return [crud.to_wire(BUYER_PRODUCT, row) for row in rows]


def catalogs_of(call):
    """The catalogs the user sees, narrowed to the catalogID parameter when given."""
    catalogs = visibility.visible_catalogs(call.token.user)
    if call.query.get("catalogID"):
        catalogs = catalogs.filter(oc_id=call.query["catalogID"])
    return catalogs


# --- catalogs ---------------------------------------------------------------------------


def list_catalogs(call):
    catalogs = visibility.visible_catalogs(call.token.user)
    if call.query.get("sellerID"):
        catalogs = catalogs.filter(owner_id=call.query["sellerID"])
    return HTTPStatus.OK, listing.list_page(
        catalogs,
        call.query,
        fields=crud.list_columns(CATALOGS),
        searchable=CATALOGS.searchable,
        sortable=CATALOGS.sortable,
        serialize=lambda catalog: crud.to_wire(CATALOGS, catalog),
        ignore=["sellerID"],
    )


def get_catalog(call):
    catalog_id = call.params["catalogID"]
    catalog = visibility.visible_catalogs(call.token.user).filter(oc_id=catalog_id).first()
    if catalog is None:
        raise not_found("Catalog", catalog_id)
    return HTTPStatus.OK, crud.to_wire(CATALOGS, catalog)


# --- categories -------------------------------------------------------------------------


def list_categories(call):
    """The categories of one catalog (catalogID, else the buyer's DefaultCatalogID) the
    user sees; of those a product is in (productID: every depth unless one is given)."""
    user = call.token.user
    catalog_id = call.query.get("catalogID")
    if not catalog_id:
        buyer = Buyer.objects.filter(marketplace=user.marketplace, oc_id=user.company_id)
        catalog_id = buyer.values_list("default_catalog_id", flat=True).first()
    if not catalog_id:
        raise validation_failure(
            "catalogID is required: the user's buyer has no DefaultCatalogID.", "catalogID"
        )
    categories = visibility.visible_categories(user).filter(catalog__oc_id=catalog_id)
    if call.query.get("productID"):
        holding = CategoryProductAssignment.objects.filter(
            product__marketplace=user.marketplace, product__oc_id=call.query["productID"]
        ).values("category")
        categories = categories.filter(pk__in=holding)
    return category_page(
        call,
        categories,
        extra_params=("catalogID", "productID"),
        default_depth=tree.ALL if call.query.get("productID") else 1,
    )


def get_category(call):
    category_id, catalog_id = call.params["categoryID"], call.query.get("catalogID")
    if not catalog_id:
        raise validation_failure("catalogID is required.", "catalogID")
    category = (
        visibility.visible_categories(call.token.user)
        .filter(catalog__oc_id=catalog_id, oc_id=category_id)
        .first()
    )
    if category is None:
        raise not_found("Category", category_id)
    return HTTPStatus.OK, crud.to_wire(CATEGORIES, category)


# --- products ---------------------------------------------------------------------------


def in_categories(call, catalogs):
    """A filter of products by the categories the user sees: `categoryID` and the
    categories `depth` levels down from it (depth 1: the category itself), or without it
    the categories of the top `depth` levels; None when neither is asked for."""
    depth = tree.parse_depth(call.query.get("depth", ""), default=tree.ALL)
    category_id = call.query.get("categoryID")
    if not category_id and depth is tree.ALL:
        return None
    seen = visibility.visible_categories(call.token.user).filter(catalog__in=catalogs)
    if category_id:
        reach = Q(pk=None)
        for base in seen.filter(oc_id=category_id):
            below = Q(catalog_id=base.catalog_id, path__startswith=base.path)
            if depth is not tree.ALL:
                below &= Q(level__lt=base.level + depth)
            reach |= below
        seen = seen.filter(reach)
    elif depth is not tree.ALL:
        seen = seen.filter(level__lte=depth)
    assigned = CategoryProductAssignment.objects.filter(category__in=seen)
    return Q(pk__in=assigned.values("product"))


def list_products(call):
    """The products the user sees: a join with its materialized set (see
    visible_sets), so that the page and its count are index ranges."""
    user = call.token.user
    catalogs = catalogs_of(call)
    categories = in_categories(call, catalogs)
    if not call.query.get("catalogID"):
        products, counted = visible_sets.listed_products(user)
    elif (catalog := catalogs.first()) is not None:
        products, counted = visible_sets.listed_products(user, catalog)
    else:
        products = counted = Product.objects.none()

    def narrowed(rows):
        if categories is not None:
            rows = rows.filter(categories)
        if call.query.get("sellerID"):
            rows = rows.filter(owner_id=call.query["sellerID"])
        return rows

    return HTTPStatus.OK, page_with_facets(
        call,
        narrowed(products),
        fields=PRODUCT_COLUMNS,
        searchable=PRODUCTS.searchable,
        sortable=PRODUCTS.sortable,
        serialize_page=lambda rows: buyer_products(user, rows),
        ignore=["catalogID", "categoryID", "depth", "sellerID"],
        counted=narrowed(counted),
    )


def visible_product(call):
    """The path's product if the user sees it (in catalogID when given), else 404."""
    product_id = call.params["productID"]
    user = call.token.user
    named = Product.objects.filter(marketplace=user.marketplace, oc_id=product_id)
    products = visibility.visible_products(user, catalogs_of(call), among=named.values("pk"))
    if call.query.get("sellerID"):
        products = products.filter(owner_id=call.query["sellerID"])
    product = products.filter(oc_id=product_id).first()
    if product is None:
        raise not_found("Product", product_id)
    return product


def get_product(call):
    return HTTPStatus.OK, buyer_products(call.token.user, [visible_product(call)])[0]


def specs_of(call):
    product = visible_product(call)
    assigned = SpecProductAssignment.objects.filter(product=product).values("spec")
    return SPECS.model.objects.filter(pk__in=assigned).prefetch_related("options")


def list_specs(call):
    return HTTPStatus.OK, listing.list_page(
        specs_of(call),
        call.query,
        fields=crud.list_columns(SPECS),
        searchable=("ID", "Name", "Description"),
        sortable=("OwnerID", "Name", "ID"),
        serialize=lambda spec: crud.to_wire(SPECS, spec),
        ignore=["catalogID"],
        default_order=SPECS.default_order,
    )


def get_spec(call):
    spec = specs_of(call).filter(oc_id=call.params["specID"]).first()
    if spec is None:
        raise not_found("Spec", call.params["specID"])
    return HTTPStatus.OK, crud.to_wire(SPECS, spec)


def variants_of(call):
    """The product's Active variants (an inactive one is not a buyer's)."""
    return Variant.objects.filter(product=visible_product(call), active=True)


def list_variants(call):
    return HTTPStatus.OK, listing.list_page(
        variants_of(call),
        call.query,
        fields=crud.list_columns(VARIANTS),
        searchable=("ID", "Name", "Description"),
        sortable=("OwnerID", "Name", "ID"),
        serialize=lambda variant: crud.to_wire(VARIANTS, variant),
    )


def get_variant(call):
    variant = variants_of(call).filter(oc_id=call.params["variantID"]).first()
    if variant is None:
        raise not_found("Variant", call.params["variantID"])
    return HTTPStatus.OK, crud.to_wire(VARIANTS, variant)


# --- the user's groups and sellers --------------------------------------------------------


def list_user_groups(call):
    mine = UserGroupAssignment.objects.filter(user=call.token.user).values("user_group")
    return HTTPStatus.OK, listing.list_page(
        UserGroup.objects.filter(pk__in=mine),
        call.query,
        fields=crud.list_columns(USER_GROUPS),
        searchable=("ID", "Name", "Description"),
        sortable=("Name", "ID"),
        serialize=lambda group: crud.to_wire(USER_GROUPS, group),
    )


def list_buyer_sellers(call):
    """The suppliers the user's buyer buys from (as Buyers.ListBuyerSellers)."""
    user = call.token.user
    linked = SupplierBuyer.objects.filter(
        buyer__marketplace=user.marketplace, buyer__oc_id=user.company_id
    ).values("supplier")
    suppliers = Supplier.objects.filter(marketplace=user.marketplace).filter(
        Q(pk__in=linked) | Q(all_buyers_can_order=True)
    )
    return supplier_buyers.page(call, suppliers)


def me_list(operation_id, path, summary, handler, response, **kw) -> Operation:
    return Operation(
        operation_id,
        "GET",
        path,
        "Me",
        summary,
        kw.pop("roles", SHOPPER),
        "Custom",
        200,
        handler=handler,
        response=response,
        user_types=kw.pop("user_types", BUYERS_ONLY),
        **kw,
    )


PRODUCT = "/me/products/{productID}"
OPERATIONS = [
    me_list(
        "Me.ListCatalogs",
        "/me/catalogs",
        "Get a list of catalogs visible to this user.",
        list_catalogs,
        CATALOGS.schema,
        is_list=True,
        searchable=CATALOGS.searchable,
        sortable=CATALOGS.sortable,
        query=(SELLER_ID,),
    ),
    me_list(
        "Me.GetCatalog",
        "/me/catalogs/{catalogID}",
        "Get a single catalog.",
        get_catalog,
        CATALOGS.schema,
    ),
    me_list(
        "Me.ListCategories",
        "/me/categories",
        "Get a list of categories visible to this user.",
        list_categories,
        CATEGORIES.schema,
        is_list=True,
        searchable=CATEGORIES.searchable,
        sortable=CATEGORIES.sortable,
        query=(DEPTH, CATALOG_ID, Param("productID", description="ID of the product.")),
    ),
    me_list(
        "Me.GetCategory",
        "/me/categories/{categoryID}",
        "Get a single category.",
        get_category,
        CATEGORIES.schema,
        query=(Param("catalogID", required=True, description="ID of the catalog."),),
    ),
    me_list(
        "Me.ListProducts",
        "/me/products",
        "Get a list of products visible to this user.",
        list_products,
        BUYER_PRODUCT,
        is_list=True,
        meta=META_WITH_FACETS,
        searchable=PRODUCTS.searchable,
        sortable=PRODUCTS.sortable,
        query=(
            CATALOG_ID,
            Param("categoryID", description="ID of the category."),
            Param(
                "depth",
                description="How deep down the category tree to list products: a number of"
                " 1 or greater, or 'all'. Relative to categoryID when given, else to the"
                " catalog's top. Default: all.",
            ),
            SELLER_ID,
        ),
    ),
    me_list(
        "Me.GetProduct",
        PRODUCT,
        "Get a single product.",
        get_product,
        BUYER_PRODUCT,
        query=(SELLER_ID,),
    ),
    me_list(
        "Me.ListSpecs",
        f"{PRODUCT}/specs",
        "Get a list of specs visible to this user.",
        list_specs,
        SPECS.schema,
        is_list=True,
        searchable=("ID", "Name", "Description"),
        sortable=("OwnerID", "Name", "ID"),
        query=(CATALOG_ID,),
    ),
    me_list(
        "Me.GetSpec",
        f"{PRODUCT}/specs/{{specID}}",
        "Get a single spec.",
        get_spec,
        SPECS.schema,
        query=(CATALOG_ID,),
    ),
    me_list(
        "Me.ListVariants",
        f"{PRODUCT}/variants",
        "Get a list of variants visible to this user.",
        list_variants,
        VARIANTS.schema,
        is_list=True,
        searchable=("ID", "Name", "Description"),
        sortable=("OwnerID", "Name", "ID"),
    ),
    me_list(
        "Me.GetVariant",
        f"{PRODUCT}/variants/{{variantID}}",
        "Get a single variant.",
        get_variant,
        VARIANTS.schema,
    ),
    me_list(
        "Me.ListBuyerSellers",
        "/me/sellers",
        "Get a list of the sellers this user's buyer buys from.",
        list_buyer_sellers,
        supplier_buyers.BUYER_SUPPLIER,
        is_list=True,
        searchable=supplier_buyers.SEARCHABLE,
        sortable=supplier_buyers.SORTABLE,
    ),
    me_list(
        "Me.ListUserGroups",
        "/me/usergroups",
        "Get a list of user groups visible to this user.",
        list_user_groups,
        USER_GROUPS.schema,
        roles=(),
        user_types=(),
        is_list=True,
        searchable=("ID", "Name", "Description"),
        sortable=("Name", "ID"),
    ),
]
