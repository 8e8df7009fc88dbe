"""The products a buyer user sees, materialized: lists of /me/products count, filter and
sort by joining one index range instead of evaluating the visibility rules over every
product.

`sandbox.domain.visibility` stays the one statement of the rules: a VisibleSet is what
`visible_products` gave, inserted in one INSERT ... SELECT, for every user of one buyer
with the same groups (the rules read nothing else of a user), in one catalog or in all.

It is exact because every write to a table the rules read (and a product's Active flag)
bumps the marketplace's VisibilityGeneration in the writing transaction (database
triggers, migration 0011_visibility: no write path can forget it), and a set is used only
while its stamp equals the generation. A rebuild locks its set, then reads the
generation, then builds: the build sees at least every write that generation counts, so
a write racing it leaves a stamp that is already behind (rebuilt on the next read), never
a stale set marked fresh.
"""

import hashlib

from django.db import connection, transaction
from django.db.models import Value

from sandbox.domain import visibility
from sandbox.models import (
    Catalog,
    Product,
    User,
    UserGroupAssignment,
    VisibilityGeneration,
    VisibleProduct,
    VisibleSet,
)


def generation(marketplace_id: int) -> int:
    current = VisibilityGeneration.objects.filter(marketplace_id=marketplace_id)
    return current.values_list("generation", flat=True).first() or 0


def listed_products(user: User, catalog: Catalog | None = None):
    """The products the user sees (in `catalog` when given), for lists, as two querysets
    of the same rows: one to read a page from, one to count and facet.

    Both join the user's fresh VisibleSet (rebuilt first when stale). The page's also
    names the marketplace and Active, which the set implies, so that SQLite reads a sorted
    page in the order of the product indexes and stops early; the count's does not, so
    that it starts from the set's index range rather than from every product."""
    buyer = visibility.buyer_of(user)
    if buyer is None:
        return Product.objects.none(), Product.objects.none()
    groups = UserGroupAssignment.objects.filter(user=user).order_by("user_group_id")
    group_ids = list(groups.values_list("user_group_id", flat=True))
    scope = f"groups={','.join(map(str, group_ids))};catalog={catalog.pk if catalog else '*'}"
    key = hashlib.sha256(scope.encode()).hexdigest()  # any number of groups fits
    counted = Product.objects.filter(
        visible_in__visible_set_id=_fresh_set(user, buyer, key, catalog)
    )
    return counted.filter(marketplace=user.marketplace, active=True), counted


def _fresh_set(user, buyer, key, catalog) -> int:
    found = VisibleSet.objects.filter(buyer=buyer, key=key).values_list("pk", "generation")
    found = found.first()
    if found is not None and found[1] == generation(user.marketplace_id):
        return found[0]
    with transaction.atomic():
        visible_set, _ = VisibleSet.objects.get_or_create(
            buyer=buyer, key=key, defaults={"marketplace_id": user.marketplace_id}
        )
        # Locked, so that two rebuilds of one set take turns (the second finds it fresh).
        visible_set = VisibleSet.objects.select_for_update().get(pk=visible_set.pk)
        current = generation(user.marketplace_id)  # before the build: see the docstring
        if visible_set.generation != current:
            _build(user, visible_set, catalog)
            visible_set.generation = current
            visible_set.save(update_fields=["generation"])
    return visible_set.pk


def _build(user, visible_set, catalog):
    VisibleProduct.objects.filter(visible_set=visible_set).delete()
    catalogs = None if catalog is None else Catalog.objects.filter(pk=catalog.pk)
    seen = visibility.visible_products(user, catalogs)
    rows = seen.annotate(set_id=Value(visible_set.pk)).values_list("set_id", "pk")
    sql, params = rows.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {VisibleProduct._meta.db_table} (visible_set_id, product_id) {sql}",
            params,
        )
