"""What a buyer user sees of the catalog (/me/catalogs, /me/categories, /me/products), as
OrderCloud's visibility rules have it. Every rule is a queryset filter that runs in the
database (EXISTS and IN subqueries): nothing here loops over products.

A user sees a product when the product is Active and assigned to an Active catalog that
is assigned to the user's buyer, and one of:
- that catalog assignment has ViewAllProducts;
- the product is in a category of the catalog whose products the user sees (below);
- a product assignment gives it to the buyer or to one of the user's groups (with or
  without a price schedule).

Categories: a category is active in effect when it and every category above it are
Active (an inactive category hides everything under it). Its Visible and ViewAllProducts
settings for a user come from the category assignments that apply to the user (to the
buyer, or to one of the user's groups): the nearest non-null value up the tree, the
category itself first, and at the top the catalog assignment's ViewAllCategories /
ViewAllProducts. Where two assignments at the same category disagree, true wins (a user
sees what any of its groups sees). A user sees the categories active in effect and
Visible to them; sees the products of the categories active in effect and
ViewAllProducts to them.

Lists of /me/products read these rules through `sandbox.domain.visible_sets`, which keeps
what they give materialized per buyer and group set.

Category assignments name a buyer or one of its groups: OrderCloud's CategoryAssignment
has no UserID (neither in its 2022 reference document nor in today's SDKs).
"""

from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Subquery,
    TextField,
)
from django.db.models.functions import Coalesce
from django.db.models.lookups import StartsWith

from sandbox.models import (
    Buyer,
    Catalog,
    CatalogAssignment,
    Category,
    CategoryAssignment,
    CategoryProductAssignment,
    Product,
    ProductAssignment,
    ProductCatalogAssignment,
    User,
    UserGroupAssignment,
)


def buyer_of(user: User):
    """The user's buyer row (None when it is gone)."""
    return Buyer.objects.filter(marketplace=user.marketplace, oc_id=user.company_id).first()


def groups_of(user: User):
    """The user's groups, as a subquery of UserGroup keys."""
    return UserGroupAssignment.objects.filter(user=user).values("user_group")


def applies_to(user: User) -> Q:
    """An assignment row (with `buyer` and an optional `user_group`) given to the user."""
    return Q(buyer__marketplace=user.marketplace, buyer__oc_id=user.company_id) & (
        Q(user_group__isnull=True) | Q(user_group__in=groups_of(user))
    )


# --- catalogs -----------------------------------------------------------------------------


def catalog_assignments(user: User):
    """The assignments of Active catalogs to the user's buyer."""
    return CatalogAssignment.objects.filter(
        buyer__marketplace=user.marketplace, buyer__oc_id=user.company_id, catalog__active=True
    )


def visible_catalogs(user: User):
    """The Active catalogs assigned to the user's buyer."""
    return Catalog.objects.filter(
        marketplace=user.marketplace, pk__in=catalog_assignments(user).values("catalog")
    )


# --- categories ---------------------------------------------------------------------------


def _at_or_under(path):
    """The outer query's category is at or under the category whose `path` this is."""
    return StartsWith(ExpressionWrapper(OuterRef("path"), output_field=TextField()), F(path))


def active_in_effect():
    """A filter: the category and every category above it are Active."""
    inactive = Category.objects.filter(
        _at_or_under("path"), active=False, catalog_id=OuterRef("catalog_id")
    )
    return ~Exists(inactive)


def setting(user: User, name: str, catalog_default: str):
    """The category's `name` setting (visible | view_all_products) for the user: the
    nearest non-null one among the assignments up the tree, true winning at a tie; else
    the catalog assignment's `catalog_default`."""
    nearest = (
        CategoryAssignment.objects.filter(
            applies_to(user),
            _at_or_under("category__path"),
            category__catalog_id=OuterRef("catalog_id"),
            **{f"{name}__isnull": False},
        )
        .order_by("-category__level", F(name).desc())
        .values(name)[:1]
    )
    fallback = catalog_assignments(user).filter(catalog_id=OuterRef("catalog_id"))
    return Coalesce(
        Subquery(nearest),
        Subquery(fallback.values(catalog_default)[:1]),
        False,
        output_field=BooleanField(),
    )


def _in_visible_catalogs(user: User):
    return Category.objects.filter(catalog__in=visible_catalogs(user)).filter(active_in_effect())


def visible_categories(user: User):
    """The categories the user sees (Me.ListCategories / Me.GetCategory)."""
    return (
        _in_visible_catalogs(user)
        .annotate(seen=setting(user, "visible", "view_all_categories"))
        .filter(seen=True)
    )


def product_categories(user: User):
    """The categories whose products the user sees."""
    return (
        _in_visible_catalogs(user)
        .annotate(all_products=setting(user, "view_all_products", "view_all_products"))
        .filter(all_products=True)
    )


# --- products -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Reach:
    """The few rows a user's product visibility starts from, read once: its catalogs,
    those it sees every product of, the categories whose products it sees."""

    user: User
    catalog_ids: tuple[int, ...]
    viewing_all_ids: tuple[int, ...]
    category_ids: tuple[int, ...]


def reach_of(user: User, catalogs=None) -> Reach:
    """The user's Reach in `catalogs` (a Catalog queryset), or in every catalog it sees."""
    catalogs = visible_catalogs(user) if catalogs is None else catalogs
    catalog_ids = tuple(catalogs.values_list("pk", flat=True))
    viewing_all = catalog_assignments(user).filter(
        view_all_products=True, catalog_id__in=catalog_ids
    )
    categories = product_categories(user).filter(catalog_id__in=catalog_ids)
    return Reach(
        user,
        catalog_ids,
        tuple(viewing_all.values_list("catalog_id", flat=True)),
        tuple(categories.values_list("pk", flat=True)),
    )


def visible_products(user: User, catalogs=None, among=None, *, per_row=False, reach=None):
    """The products the user sees, in `catalogs` (a Catalog queryset) or in any; of
    `among` (a queryset of product keys) when given. `reach`: the user's `reach_of`, when
    already read.

    The few rows the rules start from are read first (`reach_of`: one small query each).
    Each way to see a product is then a set of product keys from an assignment table: an
    IN subquery the database computes once per query, so counting costs one pass over the
    products whatever their number; `among` narrows each set before it is computed (for
    one product: sets of one). With `per_row`, the same rules are EXISTS subqueries, run
    for each product the query reaches: cheaper for a page read in an index's order,
    which stops after a few rows.
    """
    reach = reach or reach_of(user, catalogs)
    in_catalogs = ProductCatalogAssignment.objects.filter(catalog_id__in=reach.catalog_ids)
    everything = ProductCatalogAssignment.objects.filter(catalog_id__in=reach.viewing_all_ids)
    assigned = ProductAssignment.objects.filter(applies_to(user)).filter(
        Exists(in_catalogs.filter(product=OuterRef("product")))
    )
    # A category product assignment implies the catalog's (saving one makes it, and
    # deleting the catalog's removes the product from the catalog's categories).
    through_category = CategoryProductAssignment.objects.filter(category_id__in=reach.category_ids)
    ways = [everything, assigned, through_category]
    if among is not None:
        ways = [way.filter(product__in=among) for way in ways]
    seen = Q()
    for way in ways:
        if per_row:
            seen |= Q(Exists(way.filter(product=OuterRef("pk"))))
        else:
            seen |= Q(pk__in=way.values("product"))
    return Product.objects.filter(seen, marketplace=user.marketplace, active=True)
