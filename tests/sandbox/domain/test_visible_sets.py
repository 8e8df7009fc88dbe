"""The materialized visible sets (`sandbox.domain.visible_sets`): what makes them stale.
Every write to a table the visibility rules read bumps the marketplace's generation in
the database itself, so bulk inserts, queryset updates and cascades count as API writes
do; of a product's writes only a change of Active does."""

import pytest

from sandbox.domain import visible_sets
from sandbox.models import (
    Catalog,
    Category,
    CategoryProductAssignment,
    Product,
    ProductCatalogAssignment,
    VisibleProduct,
    VisibleSet,
)
from tests.sandbox import catalog_factories as make
from tests.sandbox import factories


@pytest.fixture
def marketplace(db):
    return factories.marketplace("mkt")


@pytest.fixture
def shop(marketplace):
    buyer = make.buyer(marketplace, "b1")
    alice = make.buyer_user(marketplace, "alice")
    catalog = make.catalog(marketplace, "cat")
    make.give_catalog(catalog, buyer, products=True)
    return {"buyer": buyer, "alice": alice, "catalog": catalog}


def generation(marketplace):
    return visible_sets.generation(marketplace.pk)


def listed(user, catalog=None):
    """The products listed to the user: the same for the page and for the count."""
    page, counted = (
        sorted(rows.values_list("oc_id", flat=True))
        for rows in visible_sets.listed_products(user, catalog)
    )
    assert page == counted
    return page


def bumps(marketplace, write):
    before = generation(marketplace)
    write()
    return generation(marketplace) > before


def test_every_kind_of_write_to_the_rules_tables_bumps_the_generation(marketplace, shop):
    catalog = shop["catalog"]
    shoes = make.category(catalog, "shoes")
    boot = make.product(marketplace, "boot")
    other = factories.marketplace("other")

    assert bumps(marketplace, lambda: make.product(marketplace, "hat", catalog))
    assert bumps(
        marketplace,
        lambda: CategoryProductAssignment.objects.bulk_create(
            [CategoryProductAssignment(marketplace=marketplace, category=shoes, product=boot)]
        ),
    )
    assert bumps(marketplace, lambda: Category.objects.filter(pk=shoes.pk).update(active=False))
    assert bumps(marketplace, lambda: Catalog.objects.filter(pk=catalog.pk).update(name="x"))
    assert bumps(marketplace, lambda: ProductCatalogAssignment.objects.all().delete())
    assert bumps(marketplace, lambda: make.give_product(boot, shop["buyer"]))
    assert bumps(marketplace, lambda: make.give_category(shoes, shop["buyer"], products=True))
    assert bumps(marketplace, lambda: Product.objects.filter(pk=boot.pk).update(active=False))
    assert not bumps(marketplace, lambda: Product.objects.update(name="y", inventory={}))
    assert not bumps(marketplace, lambda: Product.objects.filter(pk=boot.pk).update(active=False))
    assert not bumps(other, lambda: make.catalog(marketplace, "second"))


def test_a_set_is_built_once_per_generation(marketplace, shop):
    make.product(marketplace, "hat", shop["catalog"])

    assert listed(shop["alice"]) == ["hat"]
    stamp = VisibleSet.objects.get().generation
    assert stamp == generation(marketplace)
    assert listed(shop["alice"]) == ["hat"]
    assert VisibleSet.objects.get().generation == stamp

    # Bulk inserts write no Python hook, and still count.
    boot = Product.objects.create(marketplace=marketplace, oc_id="boot", active=True)
    ProductCatalogAssignment.objects.bulk_create(
        [ProductCatalogAssignment(marketplace=marketplace, catalog=shop["catalog"], product=boot)]
    )

    assert listed(shop["alice"]) == ["boot", "hat"]
    assert VisibleSet.objects.get().generation == generation(marketplace) > stamp


def test_a_set_holds_the_active_products_only(marketplace, shop):
    hat = make.product(marketplace, "hat", shop["catalog"])
    make.product(marketplace, "cap", shop["catalog"], active=False)

    assert listed(shop["alice"]) == ["hat"]
    assert VisibleProduct.objects.count() == 1

    Product.objects.filter(pk=hat.pk).update(active=False)

    assert listed(shop["alice"]) == []
    assert VisibleProduct.objects.count() == 0


def test_a_catalog_scope_and_a_user_without_a_buyer(marketplace, shop):
    second = make.catalog(marketplace, "second")
    make.give_catalog(second, shop["buyer"], products=True)
    make.product(marketplace, "hat", shop["catalog"])
    make.product(marketplace, "boot", second)
    nobody = make.buyer_user(marketplace, "nobody", buyer_id="gone")

    assert listed(shop["alice"]) == ["boot", "hat"]
    assert listed(shop["alice"], second) == ["boot"]
    assert listed(nobody) == []
