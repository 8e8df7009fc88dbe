"""Catalog objects for tests, made straight in the database (tree paths and counts as the
API would keep them)."""

from sandbox.models import (
    Buyer,
    Catalog,
    CatalogAssignment,
    Category,
    CategoryAssignment,
    CategoryProductAssignment,
    PriceSchedule,
    Product,
    ProductAssignment,
    ProductCatalogAssignment,
    User,
    UserGroup,
    UserGroupAssignment,
)
from tests.sandbox import factories


def buyer(marketplace, oc_id="b1") -> Buyer:
    return Buyer.objects.create(marketplace=marketplace, oc_id=oc_id, name=oc_id, active=True)


def buyer_user(marketplace, oc_id, buyer_id="b1") -> User:
    return factories.user(marketplace, oc_id, user_type=User.Type.BUYER, company_id=buyer_id)


def group(marketplace, oc_id, *members, buyer_id="b1") -> UserGroup:
    created = UserGroup.objects.create(
        marketplace=marketplace, group_type=User.Type.BUYER, company_id=buyer_id, oc_id=oc_id
    )
    for user in members:
        UserGroupAssignment.objects.create(marketplace=marketplace, user_group=created, user=user)
    return created


def catalog(marketplace, oc_id="cat", *, active=True) -> Catalog:
    return Catalog.objects.create(
        marketplace=marketplace, oc_id=oc_id, name=oc_id, owner_id=marketplace.oc_id, active=active
    )


def give_catalog(catalog, buyer, *, categories=False, products=False) -> CatalogAssignment:
    return CatalogAssignment.objects.create(
        marketplace=catalog.marketplace,
        catalog=catalog,
        buyer=buyer,
        view_all_categories=categories,
        view_all_products=products,
    )


def category(catalog, oc_id, parent=None, *, active=True, list_order=None) -> Category:
    created = Category.objects.create(
        marketplace=catalog.marketplace,
        catalog=catalog,
        oc_id=oc_id,
        name=oc_id,
        active=active,
        list_order=list_order,
        parent_id=parent.oc_id if parent else None,
        level=parent.level + 1 if parent else 1,
    )
    created.path = f"{parent.path if parent else '/'}{created.pk}/"
    created.save(update_fields=["path"])
    return created


def give_category(category, buyer, group=None, *, visible=None, products=None):
    return CategoryAssignment.objects.create(
        marketplace=category.marketplace,
        category=category,
        buyer=buyer,
        user_group=group,
        visible=visible,
        view_all_products=products,
    )


def product(marketplace, oc_id, *catalogs, active=True, default_schedule=None, **fields):
    created = Product.objects.create(
        marketplace=marketplace,
        oc_id=oc_id,
        name=oc_id,
        owner_id=marketplace.oc_id,
        active=active,
        default_price_schedule_id=default_schedule.oc_id if default_schedule else None,
        **fields,
    )
    for in_catalog in catalogs:
        ProductCatalogAssignment.objects.create(
            marketplace=marketplace, catalog=in_catalog, product=created
        )
    return created


def put_in(category, product, list_order=None) -> CategoryProductAssignment:
    ProductCatalogAssignment.objects.get_or_create(
        marketplace=category.marketplace, catalog=category.catalog, product=product
    )
    return CategoryProductAssignment.objects.create(
        marketplace=category.marketplace, category=category, product=product, list_order=list_order
    )


def give_product(product, buyer, group=None, schedule=None) -> ProductAssignment:
    return ProductAssignment.objects.create(
        marketplace=product.marketplace,
        seller_id=product.marketplace.oc_id,
        product=product,
        buyer=buyer,
        user_group=group,
        price_schedule=schedule,
    )


def schedule(marketplace, oc_id, *breaks, **fields) -> PriceSchedule:
    """A price schedule with breaks given as (quantity, price) or (quantity, price, sale)."""
    price_breaks = [
        {"Quantity": q, "Price": p, "SalePrice": rest[0] if rest else None}
        for q, p, *rest in breaks
    ]
    return PriceSchedule.objects.create(
        marketplace=marketplace,
        oc_id=oc_id,
        name=oc_id,
        owner_id=marketplace.oc_id,
        price_breaks=price_breaks,
        **fields,
    )
