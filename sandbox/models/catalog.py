"""The catalog: catalogs and their category trees, products and their variants, price
schedules, specs and their options, product facets, and the assignments that decide what
each buyer user sees (`sandbox.domain.visibility`) and pays (`sandbox.domain.pricing`).

Objects hold their path parent as a foreign key (a category's catalog, an option's spec,
a variant's product); assignments hold foreign keys to both sides, so that renaming an
ID changes nothing else and deleting an object deletes its assignments. IDs written in
bodies (a category's ParentID, a product's DefaultPriceScheduleID, a spec's
DefaultOptionID) are kept as the IDs the API shows, like the identity models' company
IDs, and follow renames through the resources' `Reference`s.

Every "one per" rule is a unique constraint; where a side is optional (an assignment to a
whole buyer has no user group) a pair of partial constraints holds it, because NULLs are
distinct to a plain one. Counts the API shows (CategoryCount, ChildCount, SpecCount,
VariantCount, OptionCount) are columns, recounted in the transaction that changes them
while the row they belong to is locked.
"""

from django.db import models
from django.db.models import Q

from sandbox.models.base import NoCaseIndex
from sandbox.models.identity import Buyer, Marketplace, Supplier, UserGroup


def _once_per(fields: list[str], optional: str, name: str) -> list[models.UniqueConstraint]:
    """One row per `fields` with `optional` NULL, and one per `fields` + `optional`."""
    return [
        models.UniqueConstraint(
            fields=fields, condition=Q(**{f"{optional}__isnull": True}), name=f"{name}_without"
        ),
        models.UniqueConstraint(
            fields=[*fields, optional],
            condition=Q(**{f"{optional}__isnull": False}),
            name=f"{name}_with",
        ),
    ]


class Catalog(models.Model):
    marketplace = models.ForeignKey(Marketplace, on_delete=models.CASCADE, related_name="+")
    oc_id = models.CharField(max_length=100)
    owner_id = models.CharField(max_length=100)  # the marketplace's or a supplier's ID
    name = models.CharField(max_length=100)
    description = models.CharField(max_length=2000, null=True, blank=True)
    active = models.BooleanField(default=False)
    category_count = models.PositiveIntegerField(default=0)
    xp = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["marketplace", "oc_id"], name="sandbox_catalog_id_once")
        ]
        indexes = [models.Index(fields=["marketplace", "name"])]

    def __str__(self):
        return self.oc_id


class Category(models.Model):
    """A node of its catalog's tree. `path` lists the surrogate keys from the top category
    down to this one ("/3/17/42/"), `level` is its depth (1 at the top): a subtree is a
    path prefix, and neither changes when an ID is renamed."""

    marketplace = models.ForeignKey(Marketplace, on_delete=models.CASCADE, related_name="+")
    catalog = models.ForeignKey(Catalog, on_delete=models.CASCADE, related_name="categories")
    oc_id = models.CharField(max_length=100)
    name = models.CharField(max_length=100)
    description = models.CharField(max_length=2000, null=True, blank=True)
    list_order = models.IntegerField(null=True, blank=True)
    active = models.BooleanField(default=False)
    parent_id = models.CharField(max_length=100, null=True, blank=True)  # ParentID
    child_count = models.PositiveIntegerField(default=0)
    xp = models.JSONField(default=dict, blank=True)
    path = models.TextField(default="/")
    level = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["catalog", "oc_id"], name="sandbox_category_id_once")
        ]
        indexes = [
            models.Index(fields=["catalog", "parent_id", "list_order"]),
            models.Index(fields=["catalog", "level", "list_order"]),
            models.Index(fields=["catalog", "name"]),
        ]

    def __str__(self):
        return self.oc_id


class PriceSchedule(models.Model):
    marketplace = models.ForeignKey(Marketplace, on_delete=models.CASCADE, related_name="+")
    oc_id = models.CharField(max_length=100)
    owner_id = models.CharField(max_length=100)
    name = models.CharField(max_length=100)
    apply_tax = models.BooleanField(default=False)
    apply_shipping = models.BooleanField(default=False)
    min_quantity = models.IntegerField(default=1)
    max_quantity = models.IntegerField(null=True, blank=True)
    use_cumulative_quantity = models.BooleanField(default=False)
    restricted_quantity = models.BooleanField(default=False)
    # [{"Quantity", "Price", "SalePrice"}], by Quantity (sandbox.domain.pricing).
    price_breaks = models.JSONField(default=list, blank=True)
    currency = models.CharField(max_length=100, null=True, blank=True)
    sale_start = models.DateTimeField(null=True, blank=True)
    sale_end = models.DateTimeField(null=True, blank=True)
    xp = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["marketplace", "oc_id"], name="sandbox_price_schedule_id_once"
            )
        ]
        indexes = [models.Index(fields=["marketplace", "name"])]

    def __str__(self):
        return self.oc_id


class Product(models.Model):
    marketplace = models.ForeignKey(Marketplace, on_delete=models.CASCADE, related_name="+")
    oc_id = models.CharField(max_length=100)
    owner_id = models.CharField(max_length=100)
    default_price_schedule_id = models.CharField(max_length=100, null=True, blank=True)
    auto_forward = models.BooleanField(default=False)
    name = models.CharField(max_length=100)
    description = models.CharField(max_length=2000, null=True, blank=True)
    quantity_multiplier = models.IntegerField(default=1)
    ship_weight = models.FloatField(null=True, blank=True)
    ship_height = models.FloatField(null=True, blank=True)
    ship_width = models.FloatField(null=True, blank=True)
    ship_length = models.FloatField(null=True, blank=True)
    active = models.BooleanField(default=False)
    spec_count = models.PositiveIntegerField(default=0)
    variant_count = models.PositiveIntegerField(default=0)
    ship_from_address_id = models.TextField(null=True, blank=True)  # not checked
    inventory = models.JSONField(null=True, blank=True)
    default_supplier_id = models.CharField(max_length=100, null=True, blank=True)
    all_suppliers_can_sell = models.BooleanField(default=False)
    returnable = models.BooleanField(default=False)
    xp = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["marketplace", "oc_id"], name="sandbox_product_id_once")
        ]
        # The admin list's orders, and a shopper's (active products only); `Name=Jack*`
        # as an index range (NoCaseIndex).
        indexes = [
            models.Index(fields=["marketplace", "name"]),
            models.Index(fields=["marketplace", "owner_id", "name"]),
            models.Index(fields=["marketplace", "active", "name"]),
            models.Index(fields=["marketplace", "active", "oc_id"]),
            NoCaseIndex(
                fields=["marketplace", "active", "name"],
                nocase=["name"],
                name="sandbox_product_name_ci",
            ),
        ]

    def __str__(self):
        return self.oc_id


class Variant(models.Model):
    marketplace = models.ForeignKey(Marketplace, on_delete=models.CASCADE, related_name="+")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="variants")
    oc_id = models.CharField(max_length=100)
    name = models.TextField(null=True, blank=True)
    description = models.CharField(max_length=2000, null=True, blank=True)
    active = models.BooleanField(default=False)
    ship_weight = models.FloatField(null=True, blank=True)
    ship_height = models.FloatField(null=True, blank=True)
    ship_width = models.FloatField(null=True, blank=True)
    ship_length = models.FloatField(null=True, blank=True)
    inventory = models.JSONField(null=True, blank=True)
    # The option of each variant-defining spec it stands for: [{"SpecID", "Name",
    # "OptionID", "Value", "PriceMarkupType", "PriceMarkup"}], in the specs' order.
    specs = models.JSONField(default=list, blank=True)
    xp = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["product", "oc_id"], name="sandbox_variant_id_once")
        ]

    def __str__(self):
        return self.oc_id


class Spec(models.Model):
    marketplace = models.ForeignKey(Marketplace, on_delete=models.CASCADE, related_name="+")
    oc_id = models.CharField(max_length=100)
    owner_id = models.CharField(max_length=100)
    list_order = models.IntegerField(null=True, blank=True)
    name = models.TextField()
    default_value = models.CharField(max_length=2000, null=True, blank=True)
    required = models.BooleanField(default=False)
    allow_open_text = models.BooleanField(default=False)
    default_option_id = models.CharField(max_length=100, null=True, blank=True)
    defines_variant = models.BooleanField(default=False)
    xp = models.JSONField(default=dict, blank=True)
    option_count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["marketplace", "oc_id"], name="sandbox_spec_id_once")
        ]
        indexes = [models.Index(fields=["marketplace", "list_order"])]

    def __str__(self):
        return self.oc_id


class SpecOption(models.Model):
    marketplace = models.ForeignKey(Marketplace, on_delete=models.CASCADE, related_name="+")
    spec = models.ForeignKey(Spec, on_delete=models.CASCADE, related_name="options")
    oc_id = models.CharField(max_length=100)
    value = models.CharField(max_length=2000)
    list_order = models.IntegerField(null=True, blank=True)
    is_open_text = models.BooleanField(default=False)
    price_markup_type = models.CharField(max_length=20, null=True, blank=True)
    price_markup = models.FloatField(null=True, blank=True)
    xp = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["spec", "oc_id"], name="sandbox_spec_option_id_once")
        ]
        # A spec's Options, as every database orders them.
        ordering = [models.F("list_order").asc(nulls_first=True), "oc_id"]
        indexes = [models.Index(fields=["spec", "list_order"])]

    def __str__(self):
        return self.oc_id


class ProductFacet(models.Model):
    marketplace = models.ForeignKey(Marketplace, on_delete=models.CASCADE, related_name="+")
    oc_id = models.CharField(max_length=100)
    name = models.CharField(max_length=100)
    xp_path = models.CharField(max_length=200, null=True, blank=True)
    list_order = models.IntegerField(null=True, blank=True)
    min_count = models.IntegerField(default=1)
    xp = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["marketplace", "oc_id"], name="sandbox_product_facet_id_once"
            )
        ]

    def __str__(self):
        return self.oc_id


# --- assignments -----------------------------------------------------------------------------


class CatalogAssignment(models.Model):
    """A catalog given to a whole buyer, with whether its users see every category and
    every product in it without category or product assignments."""

    marketplace = models.ForeignKey(Marketplace, on_delete=models.CASCADE, related_name="+")
    catalog = models.ForeignKey(Catalog, on_delete=models.CASCADE, related_name="assignments")
    buyer = models.ForeignKey(Buyer, on_delete=models.CASCADE, related_name="+")
    view_all_categories = models.BooleanField(default=False)
    view_all_products = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["catalog", "buyer"], name="sandbox_catalog_assignment_once"
            )
        ]
        indexes = [models.Index(fields=["buyer", "catalog"])]


class ProductCatalogAssignment(models.Model):
    marketplace = models.ForeignKey(Marketplace, on_delete=models.CASCADE, related_name="+")
    catalog = models.ForeignKey(Catalog, on_delete=models.CASCADE, related_name="+")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["catalog", "product"], name="sandbox_product_catalog_assignment_once"
            )
        ]
        indexes = [models.Index(fields=["product", "catalog"])]


class CategoryAssignment(models.Model):
    """A category given to a buyer (no group) or to one of its user groups. Visible and
    ViewAllProducts may be null: inherited from the parent category, up to the catalog
    assignment."""

    marketplace = models.ForeignKey(Marketplace, on_delete=models.CASCADE, related_name="+")
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="+")
    buyer = models.ForeignKey(Buyer, on_delete=models.CASCADE, related_name="+")
    user_group = models.ForeignKey(
        UserGroup, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    visible = models.BooleanField(null=True, blank=True)
    view_all_products = models.BooleanField(null=True, blank=True)

    class Meta:
        constraints = _once_per(
            ["category", "buyer"], "user_group", "sandbox_category_assignment_once"
        )
        indexes = [models.Index(fields=["buyer", "category"])]


class CategoryProductAssignment(models.Model):
    marketplace = models.ForeignKey(Marketplace, on_delete=models.CASCADE, related_name="+")
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="+")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="+")
    list_order = models.IntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["category", "product"], name="sandbox_category_product_assignment_once"
            )
        ]
        indexes = [models.Index(fields=["product", "category"])]


class ProductAssignment(models.Model):
    """A product given to a buyer (no group) or one of its user groups, optionally at a
    price schedule of its own (sandbox.domain.pricing)."""

    marketplace = models.ForeignKey(Marketplace, on_delete=models.CASCADE, related_name="+")
    seller_id = models.CharField(max_length=100)  # the marketplace's or a supplier's ID
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="+")
    buyer = models.ForeignKey(Buyer, on_delete=models.CASCADE, related_name="+")
    user_group = models.ForeignKey(
        UserGroup, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    price_schedule = models.ForeignKey(
        PriceSchedule, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = _once_per(
            ["product", "buyer"], "user_group", "sandbox_product_assignment_once"
        )
        indexes = [
            models.Index(fields=["buyer", "product"]),
            models.Index(fields=["user_group", "product"]),
        ]


class SpecProductAssignment(models.Model):
    marketplace = models.ForeignKey(Marketplace, on_delete=models.CASCADE, related_name="+")
    spec = models.ForeignKey(Spec, on_delete=models.CASCADE, related_name="+")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="+")
    default_value = models.CharField(max_length=2000, null=True, blank=True)
    default_option_id = models.CharField(max_length=100, null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["spec", "product"], name="sandbox_spec_product_assignment_once"
            )
        ]
        indexes = [models.Index(fields=["product", "spec"])]


class ProductSupplier(models.Model):
    """A supplier that sells a product (Products.SaveSupplier)."""

    marketplace = models.ForeignKey(Marketplace, on_delete=models.CASCADE, related_name="+")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="+")
    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="+")
    default_price_schedule_id = models.CharField(max_length=100, null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["product", "supplier"], name="sandbox_product_supplier_once"
            )
        ]


# --- materialized visibility (sandbox.domain.visible_sets) ------------------------------


class VisibilityGeneration(models.Model):
    """A marketplace's visibility generation: bumped, in the writing transaction, by
    database triggers on every table the visibility rules read (migration
    0011_visibility), so that no write path can forget it. A plain integer, not a
    foreign key: the triggers run while a marketplace's rows are being deleted."""

    marketplace_id = models.BigIntegerField(primary_key=True)
    generation = models.BigIntegerField(default=0)


class VisibleSet(models.Model):
    """The products users of one buyer with one set of groups see (in one catalog, or in
    all), as built by the visibility rules at `generation`: fresh while it equals the
    marketplace's VisibilityGeneration. `key`: a digest of the groups' keys and the
    catalog's."""

    marketplace = models.ForeignKey(Marketplace, on_delete=models.CASCADE, related_name="+")
    buyer = models.ForeignKey(Buyer, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=64)
    generation = models.BigIntegerField(default=-1)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["buyer", "key"], name="sandbox_visible_set_once")
        ]


class VisibleProduct(models.Model):
    """One product of a VisibleSet (an Active one: flipping Active bumps the generation)."""

    # No index of its own: the unique constraint's starts with it.
    visible_set = models.ForeignKey(
        VisibleSet, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="visible_in")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["visible_set", "product"], name="sandbox_visible_product_once"
            )
        ]


__all__ = [
    "Catalog",
    "CatalogAssignment",
    "Category",
    "CategoryAssignment",
    "CategoryProductAssignment",
    "PriceSchedule",
    "Product",
    "ProductAssignment",
    "ProductCatalogAssignment",
    "ProductFacet",
    "ProductSupplier",
    "Spec",
    "SpecOption",
    "SpecProductAssignment",
    "Variant",
    "VisibilityGeneration",
    "VisibleProduct",
    "VisibleSet",
]
