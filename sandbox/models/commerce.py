"""How buyers pay and what they may spend: approval rules, promotions, spending accounts,
credit cards and cost centers, with the assignments that give them to users, user groups
or whole buyers.

Buyer-owned objects (approval rules, spending accounts, credit cards, cost centers) keep
their buyer's ID in `company_id`, like users and addresses; seller approval rules are the
marketplace's (`company_id` ""). An assignment holds foreign keys to its object and to
the user or group it is given to (neither: the whole buyer); a pair of partial unique
constraints keeps one row per party, because NULLs are distinct to a plain one.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone

from sandbox.models.identity import Buyer, Marketplace, User, UserGroup
from sandbox.models.orders import Order


def _once_per_party(thing: str, name: str) -> list[models.UniqueConstraint]:
    """One assignment of `thing` per user, per group, and one to the whole buyer."""
    return [
        models.UniqueConstraint(
            fields=[thing, "user"], condition=Q(user__isnull=False), name=f"{name}_user"
        ),
        models.UniqueConstraint(
            fields=[thing, "user_group"],
            condition=Q(user_group__isnull=False),
            name=f"{name}_group",
        ),
        models.UniqueConstraint(
            fields=[thing],
            condition=Q(user__isnull=True, user_group__isnull=True),
            name=f"{name}_company",
        ),
    ]


class PartyAssignment(models.Model):
    """Given to a user, a user group, or (neither) the whole buyer."""

    marketplace = models.ForeignKey(Marketplace, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    user_group = models.ForeignKey(
        UserGroup, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )

    class Meta:
        abstract = True


class ApprovalRule(models.Model):
    """A buyer's approval rule (`company_id` its buyer), or the marketplace's seller
    approval rule (`company_id` "")."""

    marketplace = models.ForeignKey(Marketplace, on_delete=models.CASCADE, related_name="+")
    company_id = models.CharField(max_length=100, blank=True, default="")
    oc_id = models.CharField(max_length=100)
    owner_id = models.CharField(max_length=100, null=True, blank=True)
    approval_type = models.CharField(max_length=20, null=True, blank=True)
    name = models.CharField(max_length=100, null=True, blank=True)
    description = models.CharField(max_length=2000, null=True, blank=True)
    approving_group_id = models.CharField(max_length=100, null=True, blank=True)
    rule_expression = models.CharField(max_length=400, null=True, blank=True)
    xp = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["marketplace", "company_id", "oc_id"],
                name="sandbox_approval_rule_id_per_company",
            )
        ]

    def __str__(self):
        return self.oc_id


class Promotion(models.Model):
    marketplace = models.ForeignKey(Marketplace, on_delete=models.CASCADE, related_name="+")
    oc_id = models.CharField(max_length=100)
    line_item_level = models.BooleanField(default=False)
    code = models.CharField(max_length=100)
    name = models.CharField(max_length=100, null=True, blank=True)
    redemption_limit = models.IntegerField(null=True, blank=True)
    redemption_limit_per_user = models.IntegerField(null=True, blank=True)
    redemption_count = models.IntegerField(default=0)
    description = models.CharField(max_length=2000, null=True, blank=True)
    fine_print = models.CharField(max_length=2000, null=True, blank=True)
    start_date = models.DateTimeField(null=True, blank=True)
    expiration_date = models.DateTimeField(null=True, blank=True)
    eligible_expression = models.CharField(max_length=400)
    value_expression = models.CharField(max_length=400)
    can_combine = models.BooleanField(default=False)
    allow_all_buyers = models.BooleanField(default=False)
    owner_id = models.CharField(max_length=100, null=True, blank=True)
    # Newer than the 2022 reference (OrderCloud's SDKs send them): an inactive promotion
    # cannot be added to an order; AutoApply is kept (the sandbox does not auto-apply).
    auto_apply = models.BooleanField(default=False)
    active = models.BooleanField(default=True)
    xp = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["marketplace", "oc_id"], name="sandbox_promotion_id_once"
            ),
            # A code names one promotion (Orders.AddPromotion finds it by code).
            models.UniqueConstraint(
                fields=["marketplace", "code"], name="sandbox_promotion_code_once"
            ),
        ]

    def __str__(self):
        return self.oc_id


class PromotionAssignment(models.Model):
    """A promotion given to a buyer, or to one of its user groups."""

    marketplace = models.ForeignKey(Marketplace, on_delete=models.CASCADE, related_name="+")
    promotion = models.ForeignKey(Promotion, on_delete=models.CASCADE, related_name="assignments")
    buyer = models.ForeignKey(Buyer, on_delete=models.CASCADE, related_name="+")
    user_group = models.ForeignKey(
        UserGroup, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["promotion", "buyer"],
                condition=Q(user_group__isnull=True),
                name="sandbox_promotion_assignment_buyer",
            ),
            models.UniqueConstraint(
                fields=["promotion", "buyer", "user_group"],
                condition=Q(user_group__isnull=False),
                name="sandbox_promotion_assignment_group",
            ),
        ]


class SpendingAccount(models.Model):
    marketplace = models.ForeignKey(Marketplace, on_delete=models.CASCADE, related_name="+")
    company_id = models.CharField(max_length=100)
    oc_id = models.CharField(max_length=100)
    name = models.CharField(max_length=100)
    balance = models.FloatField(default=0)
    allow_as_payment_method = models.BooleanField(default=False)
    redemption_code = models.CharField(max_length=100, null=True, blank=True)
    start_date = models.DateTimeField(null=True, blank=True)
    end_date = models.DateTimeField(null=True, blank=True)
    xp = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["marketplace", "company_id", "oc_id"],
                name="sandbox_spending_account_id_per_buyer",
            )
        ]

    def __str__(self):
        return self.oc_id


class SpendingAccountAssignment(PartyAssignment):
    spending_account = models.ForeignKey(
        SpendingAccount, on_delete=models.CASCADE, related_name="assignments"
    )
    allow_exceed = models.BooleanField(default=False)

    class Meta:
        constraints = _once_per_party("spending_account", "sandbox_spending_account_assignment")


class CreditCard(models.Model):
    """A buyer's credit card; `owner_user` marks a user's own card (/me/creditcards)."""

    marketplace = models.ForeignKey(Marketplace, on_delete=models.CASCADE, related_name="+")
    company_id = models.CharField(max_length=100)
    owner_user = models.ForeignKey(
        User, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    oc_id = models.CharField(max_length=100)
    token = models.CharField(max_length=100, null=True, blank=True)
    date_created = models.DateTimeField(default=timezone.now)
    card_type = models.CharField(max_length=100, null=True, blank=True)
    partial_account_number = models.CharField(max_length=5, null=True, blank=True)
    cardholder_name = models.CharField(max_length=200, null=True, blank=True)
    expiration_date = models.DateTimeField(null=True, blank=True)
    xp = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["marketplace", "company_id", "oc_id"],
                name="sandbox_credit_card_id_per_buyer",
            )
        ]

    def __str__(self):
        return self.oc_id


class CreditCardAssignment(PartyAssignment):
    credit_card = models.ForeignKey(
        CreditCard, on_delete=models.CASCADE, related_name="assignments"
    )

    class Meta:
        constraints = _once_per_party("credit_card", "sandbox_credit_card_assignment")


class CostCenter(models.Model):
    marketplace = models.ForeignKey(Marketplace, on_delete=models.CASCADE, related_name="+")
    company_id = models.CharField(max_length=100)
    oc_id = models.CharField(max_length=100)
    name = models.CharField(max_length=100)
    description = models.CharField(max_length=2000, null=True, blank=True)
    xp = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["marketplace", "company_id", "oc_id"],
                name="sandbox_cost_center_id_per_buyer",
            )
        ]

    def __str__(self):
        return self.oc_id


class CostCenterAssignment(PartyAssignment):
    cost_center = models.ForeignKey(
        CostCenter, on_delete=models.CASCADE, related_name="assignments"
    )

    class Meta:
        constraints = _once_per_party("cost_center", "sandbox_cost_center_assignment")


# --- on orders ---------------------------------------------------------------------------------


class OrderApproval(models.Model):
    """An approval rule's hold on a submitted order: Pending until approved or declined."""

    class Status(models.TextChoices):
        PENDING = "Pending"
        APPROVED = "Approved"
        DECLINED = "Declined"

    marketplace = models.ForeignKey(Marketplace, on_delete=models.CASCADE, related_name="+")
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="approvals")
    approval_rule_id = models.CharField(max_length=100)
    approving_group_id = models.CharField(max_length=100)
    status = models.CharField(max_length=10, choices=Status, default=Status.PENDING)
    allow_resubmit = models.BooleanField(default=False)
    date_created = models.DateTimeField(default=timezone.now)
    date_completed = models.DateTimeField(null=True, blank=True)
    approver = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    comments = models.CharField(max_length=2000, null=True, blank=True)

    class Meta:
        constraints = [
            # A rule holds an order once at a time (a resubmitted order may get it again).
            models.UniqueConstraint(
                fields=["order", "approval_rule_id"],
                condition=Q(status="Pending"),
                name="sandbox_order_approval_pending_once",
            )
        ]
        indexes = [models.Index(fields=["order", "date_created"])]


class OrderPromotion(models.Model):
    marketplace = models.ForeignKey(Marketplace, on_delete=models.CASCADE, related_name="+")
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="order_promotions")
    promotion = models.ForeignKey(Promotion, on_delete=models.CASCADE, related_name="+")
    line_item_id = models.CharField(max_length=100, null=True, blank=True)
    amount = models.DecimalField(max_digits=19, decimal_places=4, default=0)
    date_applied = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["order", "promotion"],
                condition=Q(line_item_id__isnull=True),
                name="sandbox_order_promotion_once",
            ),
            models.UniqueConstraint(
                fields=["order", "promotion", "line_item_id"],
                condition=Q(line_item_id__isnull=False),
                name="sandbox_order_promotion_per_line_once",
            ),
        ]


class Payment(models.Model):
    marketplace = models.ForeignKey(Marketplace, on_delete=models.CASCADE, related_name="+")
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="payments")
    oc_id = models.CharField(max_length=100)
    type = models.CharField(max_length=20, null=True, blank=True)
    date_created = models.DateTimeField(default=timezone.now)
    credit_card_id = models.CharField(max_length=100, null=True, blank=True)
    spending_account_id = models.CharField(max_length=100, null=True, blank=True)
    description = models.CharField(max_length=2000, null=True, blank=True)
    amount = models.DecimalField(max_digits=19, decimal_places=4, null=True, blank=True)
    accepted = models.BooleanField(default=False)
    order_return_id = models.CharField(max_length=100, null=True, blank=True)
    xp = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["order", "oc_id"], name="sandbox_payment_id_per_order")
        ]

    def __str__(self):
        return self.oc_id


class PaymentTransaction(models.Model):
    marketplace = models.ForeignKey(Marketplace, on_delete=models.CASCADE, related_name="+")
    payment = models.ForeignKey(Payment, on_delete=models.CASCADE, related_name="transactions")
    oc_id = models.CharField(max_length=100)
    type = models.CharField(max_length=100, null=True, blank=True)
    date_executed = models.DateTimeField(null=True, blank=True)
    currency = models.CharField(max_length=100, null=True, blank=True)
    amount = models.DecimalField(max_digits=19, decimal_places=4, null=True, blank=True)
    succeeded = models.BooleanField(default=False)
    result_code = models.CharField(max_length=2000, null=True, blank=True)
    result_message = models.TextField(null=True, blank=True)
    xp = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["payment", "oc_id"], name="sandbox_payment_transaction_id_once"
            )
        ]

    def __str__(self):
        return self.oc_id
