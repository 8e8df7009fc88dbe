"""Orders, their line items, and shipments of line items.

An order goes from a company (FromCompanyID: a buyer, or the marketplace when it forwards
to a supplier) to a company (ToCompanyID: the marketplace or a supplier); its direction
for a caller is Outgoing when the caller's company sent it and Incoming when it receives
it (`sandbox.domain.orders`). Money is kept in exact decimals (the API shows floats) and
the totals are columns, recomputed in the transaction of every change
(`sandbox.domain.totals`), so that lists filter and sort on them in the database.

Addresses on an order, a line item or a shipment are copies (JSON in the Address
shape) taken when they are set, as OrderCloud keeps them: editing or deleting the
address afterwards changes no order. The product and variant on a line item are copies
too (LineItemProduct, LineItemVariant), so an order keeps what was bought.

An anonymous shopper's orders belong to the buyer user its API client acts as, marked by
the token's `orderid` claim in `anonymous_id` ("" for a signed-in user's orders) until
Me.TransferAnonUserOrder gives them to the user who signs in.
"""

from django.db import models
from django.utils import timezone

from sandbox.models.identity import Marketplace, User


def money():
    return models.DecimalField(max_digits=19, decimal_places=4, default=0)


class Order(models.Model):
    class Status(models.TextChoices):
        UNSUBMITTED = "Unsubmitted"
        AWAITING_APPROVAL = "AwaitingApproval"
        DECLINED = "Declined"
        OPEN = "Open"
        COMPLETED = "Completed"
        CANCELED = "Canceled"

    marketplace = models.ForeignKey(Marketplace, on_delete=models.CASCADE, related_name="+")
    oc_id = models.CharField(max_length=100)
    from_user = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    from_user_oc_id = models.CharField(max_length=100, blank=True, default="")  # FromUserID
    from_company_id = models.CharField(max_length=100, blank=True, default="")
    to_company_id = models.CharField(max_length=100, blank=True, default="")
    anonymous_id = models.CharField(max_length=100, blank=True, default="")
    # The order this one was forwarded or split from ("" for a buyer's order).
    source_order_id = models.CharField(max_length=100, blank=True, default="")
    billing_address_id = models.CharField(max_length=100, null=True, blank=True)
    billing_address = models.JSONField(null=True, blank=True)
    shipping_address_id = models.CharField(max_length=100, null=True, blank=True)
    comments = models.CharField(max_length=2000, null=True, blank=True)
    line_item_count = models.IntegerField(default=0)
    status = models.CharField(max_length=20, choices=Status, default=Status.UNSUBMITTED)
    date_created = models.DateTimeField(default=timezone.now)
    date_submitted = models.DateTimeField(null=True, blank=True)
    date_approved = models.DateTimeField(null=True, blank=True)
    date_declined = models.DateTimeField(null=True, blank=True)
    date_canceled = models.DateTimeField(null=True, blank=True)
    date_completed = models.DateTimeField(null=True, blank=True)
    last_updated = models.DateTimeField(default=timezone.now)
    subtotal = money()
    shipping_cost = money()
    tax_cost = money()
    promotion_discount = money()
    currency = models.CharField(max_length=100, null=True, blank=True)
    total = money()
    is_submitted = models.BooleanField(default=False)
    xp = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["marketplace", "oc_id"], name="sandbox_order_id_once")
        ]
        # Orders.List Incoming / Outgoing, by status and in the sortBy orders a list uses
        # most (bench/orders.py); a shopper's own orders.
        indexes = [
            models.Index(fields=["marketplace", "to_company_id", "status", "date_submitted"]),
            models.Index(fields=["marketplace", "to_company_id", "date_created"]),
            models.Index(fields=["marketplace", "to_company_id", "date_submitted"]),
            models.Index(fields=["marketplace", "from_company_id", "status", "date_submitted"]),
            models.Index(fields=["marketplace", "from_company_id", "date_created"]),
            models.Index(fields=["from_user", "anonymous_id", "date_created"]),
        ]

    def __str__(self):
        return self.oc_id


class LineItem(models.Model):
    marketplace = models.ForeignKey(Marketplace, on_delete=models.CASCADE, related_name="+")
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="line_items")
    oc_id = models.CharField(max_length=100)
    product_id = models.CharField(max_length=100)  # ProductID, as the API shows it
    variant_id = models.CharField(max_length=100, null=True, blank=True)
    quantity = models.IntegerField(default=1)
    date_added = models.DateTimeField(default=timezone.now)
    quantity_shipped = models.IntegerField(default=0)
    unit_price = models.DecimalField(max_digits=19, decimal_places=4, null=True, blank=True)
    promotion_discount = money()
    line_total = money()
    line_subtotal = money()
    cost_center = models.TextField(null=True, blank=True)
    date_needed = models.DateTimeField(null=True, blank=True)
    shipping_account = models.TextField(null=True, blank=True)
    shipping_address_id = models.CharField(max_length=100, null=True, blank=True)
    ship_from_address_id = models.CharField(max_length=100, null=True, blank=True)
    product = models.JSONField(default=dict, blank=True)  # LineItemProduct
    variant = models.JSONField(null=True, blank=True)  # LineItemVariant
    shipping_address = models.JSONField(null=True, blank=True)
    ship_from_address = models.JSONField(null=True, blank=True)
    supplier_id = models.CharField(max_length=100, null=True, blank=True)
    inventory_record_id = models.TextField(null=True, blank=True)
    price_schedule_id = models.CharField(max_length=100, null=True, blank=True)
    price_overridden = models.BooleanField(default=False)
    specs = models.JSONField(default=list, blank=True)  # [LineItemSpec]
    xp = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["order", "oc_id"], name="sandbox_line_item_id_once")
        ]
        indexes = [
            models.Index(fields=["order", "date_added"]),
            models.Index(fields=["marketplace", "product_id"]),
        ]

    def __str__(self):
        return self.oc_id


class Shipment(models.Model):
    marketplace = models.ForeignKey(Marketplace, on_delete=models.CASCADE, related_name="+")
    oc_id = models.CharField(max_length=100)
    owner_id = models.CharField(max_length=100, blank=True, default="")
    buyer_id = models.CharField(max_length=100, null=True, blank=True)
    shipper = models.CharField(max_length=3000, null=True, blank=True)
    date_shipped = models.DateTimeField(null=True, blank=True)
    date_delivered = models.DateTimeField(null=True, blank=True)
    tracking_number = models.CharField(max_length=3000, null=True, blank=True)
    cost = models.DecimalField(max_digits=19, decimal_places=4, null=True, blank=True)
    account = models.CharField(max_length=3000, null=True, blank=True)
    from_address_id = models.CharField(max_length=100, null=True, blank=True)
    to_address_id = models.CharField(max_length=100, null=True, blank=True)
    from_address = models.JSONField(null=True, blank=True)
    to_address = models.JSONField(null=True, blank=True)
    date_created = models.DateTimeField(default=timezone.now)
    xp = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["marketplace", "oc_id"], name="sandbox_shipment_id_once"
            )
        ]
        indexes = [models.Index(fields=["marketplace", "date_shipped"])]

    def __str__(self):
        return self.oc_id


class ShipmentItem(models.Model):
    """Some of a line item's quantity in a shipment (one row per shipment and line item)."""

    marketplace = models.ForeignKey(Marketplace, on_delete=models.CASCADE, related_name="+")
    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="items")
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="+")
    line_item = models.ForeignKey(LineItem, on_delete=models.CASCADE, related_name="+")
    quantity_shipped = models.IntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["shipment", "line_item"], name="sandbox_shipment_item_once"
            )
        ]
        indexes = [models.Index(fields=["order", "shipment"])]


__all__ = ["LineItem", "Order", "Shipment", "ShipmentItem"]
