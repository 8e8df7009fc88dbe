"""Inventory: how many of a product (or, with VariantLevelTracking, of a variant) can be
ordered, and taking them when an order is submitted.

A product tracks inventory when its Inventory is Enabled. Then a line item may not ask
for more than QuantityAvailable unless OrderCanExceed; submitting takes the order's
quantities off (below zero only where OrderCanExceed lets it), and canceling gives them
back. Rows are locked while they change so that two submits cannot both take the last
unit.
"""

from http import HTTPStatus

from django.utils import timezone

from sandbox.api.errors import ApiError
from sandbox.api.wire import timestamp
from sandbox.models import Product, Variant


def insufficient(product_id: str, available: int, requested: int) -> ApiError:
    return ApiError(
        HTTPStatus.BAD_REQUEST,
        "Inventory.Insufficient",
        f"Quantity available for {product_id}: {available}; requested: {requested}.",
        {"ProductID": product_id, "QuantityAvailable": available, "QuantityRequested": requested},
    )


def tracked(product: Product, variant: Variant | None):
    """The inventory record a line item of `product` / `variant` draws on: (the row that
    holds it, its Inventory dict), or None when the product does not track inventory."""
    settings = product.inventory or {}
    if not settings.get("Enabled"):
        return None
    if settings.get("VariantLevelTracking") and variant is not None:
        return variant, variant.inventory or {}
    return product, settings


def check(product: Product, variant: Variant | None, quantity: int) -> None:
    """400 Inventory.Insufficient when `quantity` is more than there is and the product
    may not be ordered beyond it."""
    record = tracked(product, variant)
    if record is None or (product.inventory or {}).get("OrderCanExceed"):
        return
    available = record[1].get("QuantityAvailable") or 0
    if quantity > available:
        raise insufficient(product.oc_id, available, quantity)


def _adjust(marketplace, lines, sign: int, *, checking: bool) -> None:
    products = {
        p.oc_id: p
        for p in Product.objects.select_for_update().filter(
            marketplace=marketplace, oc_id__in={line.product_id for line in lines}
        )
    }
    wanted: dict = {}
    for line in lines:
        product = products.get(line.product_id)
        if product is None:
            continue  # a product deleted since: nothing left to count
        variant = None
        if line.variant_id:
            variant = (
                Variant.objects.select_for_update()
                .filter(product=product, oc_id=line.variant_id)
                .first()
            )
        record = tracked(product, variant)
        if record is not None:
            row = record[0]
            key = (type(row), row.pk)
            wanted.setdefault(key, [row, product, 0])[2] += line.quantity
    for row, product, quantity in wanted.values():
        inventory = dict(row.inventory or {})
        available = inventory.get("QuantityAvailable") or 0
        if (
            checking
            and quantity > available
            and not (product.inventory or {}).get("OrderCanExceed")
        ):
            raise insufficient(product.oc_id, available, quantity)
        inventory["QuantityAvailable"] = available - sign * quantity
        inventory["LastUpdated"] = timestamp(timezone.now())
        row.inventory = inventory
        row.save(update_fields=["inventory"])


def take(marketplace, lines) -> None:
    """Take the line items' quantities off their inventory (in the caller's transaction)."""
    _adjust(marketplace, lines, 1, checking=True)


def give_back(marketplace, lines) -> None:
    _adjust(marketplace, lines, -1, checking=False)
