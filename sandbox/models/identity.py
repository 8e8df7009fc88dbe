"""Identity: developer accounts, marketplaces, API clients, users, groups, addresses,
security profiles and their assignments, impersonation configs, buyers, suppliers."""

from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.utils import timezone

from sandbox.models.base import NoCaseIndex


class Account(models.Model):
    """A developer account, as on OrderCloud's developer portal; owns marketplaces."""

    username = models.CharField(max_length=100, unique=True)
    password = models.CharField(max_length=200)  # a hash from sandbox.auth.passwords
    date_created = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return self.username


class Marketplace(models.Model):
    """A seller organization: the container of everything else; shares nothing."""

    oc_id = models.CharField(max_length=100, unique=True)
    name = models.CharField(max_length=100)
    owner = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="marketplaces")
    # The admin user a developer acts as with DevCenterImpersonate.
    default_admin_user = models.ForeignKey(
        "User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    date_created = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return self.oc_id


class ApiClient(models.Model):
    marketplace = models.ForeignKey(
        Marketplace, on_delete=models.CASCADE, related_name="api_clients"
    )
    oc_id = models.CharField(max_length=100, unique=True)  # the ClientID
    app_name = models.CharField(max_length=100)
    client_secret = models.CharField(max_length=100, null=True, blank=True)
    access_token_duration = models.PositiveIntegerField(default=600)  # minutes
    refresh_token_duration = models.PositiveIntegerField(default=0)  # minutes; 0 = none
    anonymous_token_duration = models.PositiveIntegerField(default=10080)  # minutes
    active = models.BooleanField(default=True)
    allow_seller = models.BooleanField(default=False)
    allow_any_buyer = models.BooleanField(default=False)
    allow_any_supplier = models.BooleanField(default=False)
    is_anon_buyer = models.BooleanField(default=False)
    default_context_username = models.CharField(max_length=100, null=True, blank=True)
    xp = models.JSONField(default=dict, blank=True)
    order_checkout_integration_event_id = models.CharField(max_length=100, null=True, blank=True)
    order_return_integration_event_id = models.CharField(max_length=100, null=True, blank=True)
    minimum_required_roles = models.JSONField(default=list, blank=True)
    minimum_required_custom_roles = models.JSONField(default=list, blank=True)
    maximum_granted_roles = models.JSONField(default=list, blank=True)
    maximum_granted_custom_roles = models.JSONField(default=list, blank=True)

    wire_fields: ClassVar[dict[str, str]] = {
        "ID": "oc_id",
        "ClientSecret": "client_secret",
        "AccessTokenDuration": "access_token_duration",
        "Active": "active",
        "AppName": "app_name",
        "RefreshTokenDuration": "refresh_token_duration",
        "AnonymousTokenDuration": "anonymous_token_duration",
        "DefaultContextUserName": "default_context_username",
        "xp": "xp",
        "AllowAnyBuyer": "allow_any_buyer",
        "AllowAnySupplier": "allow_any_supplier",
        "AllowSeller": "allow_seller",
        "IsAnonBuyer": "is_anon_buyer",
    }

    class Meta:
        indexes = [models.Index(fields=["marketplace", "oc_id"])]

    def __str__(self):
        return self.oc_id


class User(models.Model):
    """Admin (seller), buyer and supplier users in one table."""

    class Type(models.TextChoices):
        ADMIN = "admin"
        BUYER = "buyer"
        SUPPLIER = "supplier"

    marketplace = models.ForeignKey(Marketplace, on_delete=models.CASCADE, related_name="users")
    user_type = models.CharField(max_length=10, choices=Type, default=Type.ADMIN)
    # The owning buyer or supplier's ID; "" for admin users.
    company_id = models.CharField(max_length=100, blank=True, default="")
    oc_id = models.CharField(max_length=100)
    username = models.CharField(max_length=100)
    password = models.CharField(max_length=200, blank=True, default="")  # "" = cannot sign in
    first_name = models.CharField(max_length=100, null=True, blank=True)
    last_name = models.CharField(max_length=100, null=True, blank=True)
    email = models.CharField(max_length=200, null=True, blank=True)
    phone = models.CharField(max_length=100, null=True, blank=True)
    terms_accepted = models.DateTimeField(null=True, blank=True)
    active = models.BooleanField(default=True)
    xp = models.JSONField(default=dict, blank=True)
    date_created = models.DateTimeField(default=timezone.now)
    password_last_set_date = models.DateTimeField(null=True, blank=True)
    # Wrong passwords since the last successful sign-in (the password grant counts them).
    failed_login_attempts = models.PositiveIntegerField(default=0)
    # Locked by its PasswordConfig's lockout until then (sandbox.auth.lockout).
    locked_until = models.DateTimeField(null=True, blank=True)
    # Tokens issued before this moment are revoked (DELETE .../tokens).
    tokens_valid_after = models.DateTimeField(null=True, blank=True)

    wire_fields: ClassVar[dict[str, str]] = {
        "ID": "oc_id",
        "Username": "username",
        "FirstName": "first_name",
        "LastName": "last_name",
        "Email": "email",
        "Phone": "phone",
        "TermsAccepted": "terms_accepted",
        "Active": "active",
        "xp": "xp",
        "DateCreated": "date_created",
        "PasswordLastSetDate": "password_last_set_date",
        "FailedLoginAttempts": "failed_login_attempts",
    }

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["marketplace", "oc_id"], name="sandbox_user_id_per_marketplace"
            ),
            models.UniqueConstraint(
                fields=["marketplace", "username"], name="sandbox_username_per_marketplace"
            ),
        ]
        # Lists of one company's users (admin users: company ""), in default ID order and
        # in each sortBy order the API offers.
        indexes = [
            models.Index(fields=["marketplace", "user_type", "company_id", column])
            for column in (
                "oc_id",
                "last_name",
                "first_name",
                "username",
                "email",
                "date_created",
                "password_last_set_date",
            )
        ] + [
            # `LastName=Mar*` (with or without Active=): an index range, counted without
            # reading the table (bench/sandbox_lists.py).
            NoCaseIndex(
                fields=["marketplace", "user_type", "company_id", "last_name", "active"],
                nocase=["last_name"],
                name="sandbox_user_last_name_ci",
            )
        ]

    def __str__(self):
        return self.username


class SecurityProfile(models.Model):
    marketplace = models.ForeignKey(
        Marketplace, on_delete=models.CASCADE, related_name="security_profiles"
    )
    oc_id = models.CharField(max_length=100)
    name = models.CharField(max_length=100)
    roles = models.JSONField(default=list, blank=True)
    custom_roles = models.JSONField(default=list, blank=True)
    password_config = models.JSONField(null=True, blank=True)

    wire_fields: ClassVar[dict[str, str]] = {
        "ID": "oc_id",
        "Name": "name",
        "Roles": "roles",
        "CustomRoles": "custom_roles",
        "PasswordConfig": "password_config",
    }

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["marketplace", "oc_id"], name="sandbox_profile_id_per_marketplace"
            )
        ]

    def __str__(self):
        return self.oc_id


class SecurityProfileAssignment(models.Model):
    """A profile's roles given at marketplace level (every level ID ""), to a buyer or
    supplier company, to a user group, or to one user."""

    marketplace = models.ForeignKey(
        Marketplace, on_delete=models.CASCADE, related_name="security_profile_assignments"
    )
    security_profile = models.ForeignKey(
        SecurityProfile, on_delete=models.CASCADE, related_name="assignments"
    )
    buyer_id = models.CharField(max_length=100, blank=True, default="")
    supplier_id = models.CharField(max_length=100, blank=True, default="")
    user_group_id = models.CharField(max_length=100, blank=True, default="")
    user_id = models.CharField(max_length=100, blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "marketplace",
                    "security_profile",
                    "buyer_id",
                    "supplier_id",
                    "user_group_id",
                    "user_id",
                ],
                name="sandbox_profile_assignment_once",
            )
        ]
        indexes = [
            models.Index(
                fields=["marketplace", "buyer_id", "supplier_id", "user_group_id", "user_id"]
            )
        ]


class ApiClientAssignment(models.Model):
    """An API client made usable by one buyer's or one supplier's users."""

    marketplace = models.ForeignKey(
        Marketplace, on_delete=models.CASCADE, related_name="api_client_assignments"
    )
    api_client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="assignments")
    buyer_id = models.CharField(max_length=100, blank=True, default="")
    supplier_id = models.CharField(max_length=100, blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["marketplace", "api_client", "buyer_id", "supplier_id"],
                name="sandbox_api_client_assignment_once",
            )
        ]


class ImpersonationConfig(models.Model):
    """Who may impersonate whom (Users.GetAccessToken), through which client and profile.

    Blank impersonator/impersonated IDs mean "any" at that level, as on OrderCloud.
    """

    marketplace = models.ForeignKey(
        Marketplace, on_delete=models.CASCADE, related_name="impersonation_configs"
    )
    oc_id = models.CharField(max_length=100)
    impersonation_buyer_id = models.CharField(max_length=100, null=True, blank=True)
    impersonation_group_id = models.CharField(max_length=100, null=True, blank=True)
    impersonation_user_id = models.CharField(max_length=100, null=True, blank=True)
    buyer_id = models.CharField(max_length=100, null=True, blank=True)
    group_id = models.CharField(max_length=100, null=True, blank=True)
    user_id = models.CharField(max_length=100, null=True, blank=True)
    security_profile_id = models.CharField(max_length=100)
    client_id = models.CharField(max_length=100)

    wire_fields: ClassVar[dict[str, str]] = {
        "ID": "oc_id",
        "ImpersonationBuyerID": "impersonation_buyer_id",
        "ImpersonationGroupID": "impersonation_group_id",
        "ImpersonationUserID": "impersonation_user_id",
        "BuyerID": "buyer_id",
        "GroupID": "group_id",
        "UserID": "user_id",
        "SecurityProfileID": "security_profile_id",
        "ClientID": "client_id",
    }

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["marketplace", "oc_id"], name="sandbox_impersonation_config_id_once"
            )
        ]

    def __str__(self):
        return self.oc_id


class Buyer(models.Model):
    marketplace = models.ForeignKey(Marketplace, on_delete=models.CASCADE, related_name="buyers")
    oc_id = models.CharField(max_length=100)
    name = models.CharField(max_length=100)
    default_catalog_id = models.CharField(max_length=100, null=True, blank=True)
    active = models.BooleanField(default=False)
    date_created = models.DateTimeField(default=timezone.now)
    xp = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["marketplace", "oc_id"], name="sandbox_buyer_id_once")
        ]
        indexes = [models.Index(fields=["marketplace", "name"])]

    def __str__(self):
        return self.oc_id


class Supplier(models.Model):
    marketplace = models.ForeignKey(Marketplace, on_delete=models.CASCADE, related_name="suppliers")
    oc_id = models.CharField(max_length=100)
    name = models.CharField(max_length=100)
    active = models.BooleanField(default=False)
    all_buyers_can_order = models.BooleanField(default=False)
    date_created = models.DateTimeField(default=timezone.now)
    xp = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["marketplace", "oc_id"], name="sandbox_supplier_id_once"
            )
        ]

    def __str__(self):
        return self.oc_id


class SupplierBuyer(models.Model):
    """A buyer a supplier sells to (Suppliers.SaveBuyer)."""

    marketplace = models.ForeignKey(Marketplace, on_delete=models.CASCADE, related_name="+")
    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="+")
    buyer = models.ForeignKey(Buyer, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["supplier", "buyer"], name="sandbox_supplier_buyer_once"
            )
        ]


class UserGroup(models.Model):
    """Admin, buyer and supplier user groups in one table, like users."""

    marketplace = models.ForeignKey(
        Marketplace, on_delete=models.CASCADE, related_name="user_groups"
    )
    group_type = models.CharField(max_length=10, choices=User.Type, default=User.Type.ADMIN)
    company_id = models.CharField(max_length=100, blank=True, default="")
    oc_id = models.CharField(max_length=100)
    name = models.CharField(max_length=100)
    description = models.CharField(max_length=2000, null=True, blank=True)
    xp = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["marketplace", "group_type", "company_id", "oc_id"],
                name="sandbox_user_group_id_per_company",
            )
        ]
        indexes = [models.Index(fields=["marketplace", "group_type", "company_id", "name"])]

    def __str__(self):
        return self.oc_id


class UserGroupAssignment(models.Model):
    marketplace = models.ForeignKey(Marketplace, on_delete=models.CASCADE, related_name="+")
    user_group = models.ForeignKey(
        UserGroup, on_delete=models.CASCADE, related_name="user_assignments"
    )
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="group_assignments")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user_group", "user"], name="sandbox_user_group_assignment_once"
            )
        ]


class Address(models.Model):
    """Admin, buyer and supplier addresses; `owner_user` marks a user's own (Me) address."""

    marketplace = models.ForeignKey(Marketplace, on_delete=models.CASCADE, related_name="+")
    owner_type = models.CharField(max_length=10, choices=User.Type, default=User.Type.ADMIN)
    company_id = models.CharField(max_length=100, blank=True, default="")
    owner_user = models.ForeignKey(
        User, on_delete=models.CASCADE, null=True, blank=True, related_name="own_addresses"
    )
    oc_id = models.CharField(max_length=100)
    date_created = models.DateTimeField(default=timezone.now)
    company_name = models.CharField(max_length=100, null=True, blank=True)
    first_name = models.CharField(max_length=100, null=True, blank=True)
    last_name = models.CharField(max_length=100, null=True, blank=True)
    street1 = models.CharField(max_length=100, null=True, blank=True)
    street2 = models.CharField(max_length=100, null=True, blank=True)
    city = models.CharField(max_length=100, null=True, blank=True)
    state = models.CharField(max_length=100, null=True, blank=True)
    zip = models.CharField(max_length=100, null=True, blank=True)
    country = models.CharField(max_length=2, null=True, blank=True)
    phone = models.CharField(max_length=100, null=True, blank=True)
    address_name = models.CharField(max_length=100, null=True, blank=True)
    xp = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["marketplace", "owner_type", "company_id", "oc_id"],
                name="sandbox_address_id_per_company",
            )
        ]

    def __str__(self):
        return self.oc_id


class AddressAssignment(models.Model):
    """A buyer address given to a user, a user group, or (neither) the whole buyer."""

    marketplace = models.ForeignKey(Marketplace, on_delete=models.CASCADE, related_name="+")
    address = models.ForeignKey(Address, on_delete=models.CASCADE, related_name="assignments")
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    user_group = models.ForeignKey(
        UserGroup, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    is_shipping = models.BooleanField(default=False)
    is_billing = models.BooleanField(default=False)

    class Meta:
        # One per address and user, per address and group, and one to the whole buyer
        # (neither): partial constraints, as NULLs are distinct to a plain one.
        constraints = [
            models.UniqueConstraint(
                fields=["address", "user"],
                condition=Q(user__isnull=False),
                name="sandbox_address_assignment_user_once",
            ),
            models.UniqueConstraint(
                fields=["address", "user_group"],
                condition=Q(user_group__isnull=False),
                name="sandbox_address_assignment_group_once",
            ),
            models.UniqueConstraint(
                fields=["address"],
                condition=Q(user__isnull=True, user_group__isnull=True),
                name="sandbox_address_assignment_buyer_once",
            ),
        ]


class Incrementor(models.Model):
    marketplace = models.ForeignKey(Marketplace, on_delete=models.CASCADE, related_name="+")
    oc_id = models.CharField(max_length=100)
    name = models.CharField(max_length=100, null=True, blank=True)
    last_number = models.IntegerField(default=0)
    left_padding_count = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["marketplace", "oc_id"], name="sandbox_incrementor_id_once"
            )
        ]

    def __str__(self):
        return self.oc_id
