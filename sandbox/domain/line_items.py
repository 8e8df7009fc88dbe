"""What a line item is: the product the order's user may buy, its variant and spec
options, its unit price and amounts, checked against the price schedule's quantity rules
and the product's inventory.

- The product must be one the order's user sees (`visibility.visible_products`): else
  404 NotFound, as for a product that does not exist. Seen but without a price schedule
  for the user, it cannot be bought (400 LineItem.ProductNotPurchasable).
- The price break is chosen by the line's quantity, or with the schedule's
  UseCumulativeQuantity by the product's quantity over every line of the order (the other
  lines of the product are repriced with it).
- Spec options add their markups: AmountPerQuantity to each unit, Percentage of the
  break's price to each unit, AmountTotal once to the line (`orders.line_amounts`).
- A variant is the one whose variant-defining spec options the line's specs name.
- QuantityMultiplier is the product's pack size for reference only; OrderCloud does not
  multiply the quantity by it, nor does the sandbox.
- A caller with OverrideUnitPrice may set UnitPrice itself (PriceOverridden).
"""

from decimal import Decimal
from http import HTTPStatus

from django.db.models import Sum
from django.utils import timezone

from sandbox.api.errors import ApiError, not_found, validation_failure
from sandbox.domain import inventory, pricing, visibility
from sandbox.domain import orders as workflow
from sandbox.models import (
    LineItem,
    Order,
    PriceSchedule,
    Product,
    Spec,
    SpecOption,
    User,
    Variant,
)

PRODUCT_FIELDS = {
    "ID": "oc_id",
    "Name": "name",
    "Description": "description",
    "Returnable": "returnable",
    "QuantityMultiplier": "quantity_multiplier",
    "ShipWeight": "ship_weight",
    "ShipHeight": "ship_height",
    "ShipWidth": "ship_width",
    "ShipLength": "ship_length",
    "DefaultSupplierID": "default_supplier_id",
    "xp": "xp",
}
VARIANT_FIELDS = {
    name: attr
    for name, attr in PRODUCT_FIELDS.items()
    if name not in ("Returnable", "QuantityMultiplier", "DefaultSupplierID")
}


def refused(code: str, message: str, **data) -> ApiError:
    return ApiError(HTTPStatus.BAD_REQUEST, code, message, data or None)


def copy(obj, fields: dict) -> dict:
    return {name: getattr(obj, attr) for name, attr in fields.items()}


def orderable_product(order: Order, product_id: str) -> Product:
    """The product, when the order's user may buy it (else 404)."""
    products = Product.objects.filter(marketplace=order.marketplace, oc_id=product_id)
    user = order.from_user
    if user is not None and user.user_type == User.Type.BUYER:
        products = visibility.visible_products(user, among=products.values("pk"))
    product = products.first()
    if product is None:
        raise not_found("Product", product_id)
    return product


def resolve_specs(product: Product, given: list[dict]) -> tuple[list[dict], Variant | None]:
    """The line's specs with each option's Name, Value and markup; and the variant their
    variant-defining options name (None when the product has no variants)."""
    specs, chosen = [], {}
    for item in given or []:
        spec = Spec.objects.filter(
            marketplace=product.marketplace, oc_id=item.get("SpecID")
        ).first()
        if spec is None:
            raise not_found("Spec", item.get("SpecID") or "")
        option = None
        if item.get("OptionID"):
            option = SpecOption.objects.filter(spec=spec, oc_id=item["OptionID"]).first()
            if option is None:
                raise not_found("SpecOption", item["OptionID"])
        elif not spec.allow_open_text:
            raise validation_failure(f"Spec {spec.oc_id} needs an OptionID.", "Specs")
        if spec.defines_variant and option is not None:
            chosen[spec.oc_id] = option.oc_id
        specs.append(
            {
                "SpecID": spec.oc_id,
                "Name": spec.name,
                "OptionID": option.oc_id if option else None,
                "Value": option.value if option and not item.get("Value") else item.get("Value"),
                "PriceMarkupType": (option.price_markup_type if option else None) or "NoMarkup",
                "PriceMarkup": option.price_markup if option else None,
            }
        )
    variant = None
    if product.variant_count:
        for candidate in Variant.objects.filter(product=product):
            named = {s["SpecID"]: s["OptionID"] for s in candidate.specs or []}
            if named and named == chosen:
                variant = candidate
                break
        if variant is None:
            raise refused(
                "LineItem.VariantNotFound",
                f"The specs given name no variant of product {product.oc_id}.",
                ProductID=product.oc_id,
            )
    return specs, variant


def per_unit_markup(specs: list[dict], base: Decimal) -> Decimal:
    markup = Decimal(0)
    for spec in specs:
        amount = Decimal(str(spec.get("PriceMarkup") or 0))
        if spec.get("PriceMarkupType") == "AmountPerQuantity":
            markup += amount
        elif spec.get("PriceMarkupType") == "Percentage":
            markup += base * amount / 100
    return markup


def break_quantity(line: LineItem, order: Order, schedule) -> int:
    """The quantity that picks the price break: the line's, or the product's over the
    order (UseCumulativeQuantity)."""
    if not schedule.use_cumulative_quantity:
        return line.quantity
    others = LineItem.objects.filter(order=order, product_id=line.product_id)
    if line.pk is not None:
        others = others.exclude(pk=line.pk)
    return line.quantity + (others.aggregate(n=Sum("quantity"))["n"] or 0)


def price(line: LineItem, order: Order, *, overridden=None) -> None:
    """Check and price the line (before it is saved): product, specs, variant, quantity
    rules, inventory, unit price, amounts and the copies of product and variant."""
    product = orderable_product(order, line.product_id)
    line.specs, variant = resolve_specs(product, line.specs)
    schedules = pricing.schedules_for(order.from_user, [product]) if order.from_user else {}
    schedule = schedules.get(product.pk)
    if schedule is None and overridden is None:
        raise refused(
            "LineItem.ProductNotPurchasable",
            f"Product {product.oc_id} has no price schedule for the order's user.",
            ProductID=product.oc_id,
        )
    if schedule is not None:
        problem = pricing.quantity_problem(schedule, line.quantity)
        if problem is not None:
            raise refused(
                "InvalidQuantity",
                problem.message,
                ProductID=product.oc_id,
                Quantity=line.quantity,
                Rule=problem.code,
            )
    inventory.check(product, variant, line.quantity)
    if overridden is not None:
        line.unit_price, line.price_overridden = Decimal(str(overridden)), True
    else:
        base = pricing.unit_price(schedule, break_quantity(line, order, schedule), timezone.now())
        if base is None:
            raise refused(
                "InvalidQuantity",
                f"No price break of {schedule.oc_id} applies to quantity {line.quantity}.",
                ProductID=product.oc_id,
                Quantity=line.quantity,
                Rule="PriceBreak",
            )
        line.unit_price = base + per_unit_markup(line.specs, base)
        line.price_overridden = False
    line.price_schedule_id = schedule.oc_id if schedule else None
    line.product = copy(product, PRODUCT_FIELDS)
    line.variant = copy(variant, VARIANT_FIELDS) if variant else None
    line.variant_id = variant.oc_id if variant else None
    line.supplier_id = product.default_supplier_id
    line.promotion_discount = line.promotion_discount or 0
    workflow.line_amounts(line)


def reprice_cumulative(order: Order, product_id: str, but: LineItem | None = None) -> None:
    """Reprice the order's other lines of the product when their schedule sums quantities
    over the order (a change to one line moves the break of all)."""
    lines = LineItem.objects.filter(order=order, product_id=product_id, price_overridden=False)
    if but is not None:
        lines = lines.exclude(pk=but.pk)
    for line in lines:
        schedule = PriceSchedule.objects.filter(
            marketplace=order.marketplace, oc_id=line.price_schedule_id
        ).first()
        if schedule is None or not schedule.use_cumulative_quantity:
            continue
        base = pricing.unit_price(schedule, break_quantity(line, order, schedule), timezone.now())
        if base is None:
            continue
        line.unit_price = base + per_unit_markup(line.specs, base)
        workflow.line_amounts(line)
        line.save(update_fields=["unit_price", "line_subtotal", "line_total"])
