"""Persistence of the embedded sandbox, one module per domain; every model is importable
from here (`from sandbox.models import User`).

Every OrderCloud object belongs to one marketplace (seller organization) and is only ever
looked up through it: the caller-chosen ID (`oc_id`, OrderCloud's `ID`) is unique per
marketplace, never globally, so the database key is a surrogate `id` that never reaches
the wire. The one exception is the ApiClient's ID (the ClientID): a token request names
only the client, so ClientIDs are unique across all marketplaces and decide which
marketplace a token belongs to.

Fields are concrete columns (not a JSON blob) so that filtering, sorting and paging run in
the database with indexes. Each wire-visible model maps its OrderCloud field names to
attributes in `wire_fields` (read by `sandbox.api.wire.to_wire`). "Not at this level"
and "no company" are stored as "" rather than NULL so that unique constraints hold
(NULLs are distinct in SQL) and lookups stay plain equality.
"""

from sandbox.models.base import NoCaseIndex
from sandbox.models.catalog import (
    Catalog,
    CatalogAssignment,
    Category,
    CategoryAssignment,
    CategoryProductAssignment,
    PriceSchedule,
    Product,
    ProductAssignment,
    ProductCatalogAssignment,
    ProductFacet,
    ProductSupplier,
    Spec,
    SpecOption,
    SpecProductAssignment,
    Variant,
    VisibilityGeneration,
    VisibleProduct,
    VisibleSet,
)
from sandbox.models.commerce import (
    ApprovalRule,
    CostCenter,
    CostCenterAssignment,
    CreditCard,
    CreditCardAssignment,
    OrderApproval,
    OrderPromotion,
    Payment,
    PaymentTransaction,
    Promotion,
    PromotionAssignment,
    SpendingAccount,
    SpendingAccountAssignment,
)
from sandbox.models.dashboard import Signup
from sandbox.models.identity import (
    Account,
    Address,
    AddressAssignment,
    ApiClient,
    ApiClientAssignment,
    Buyer,
    ImpersonationConfig,
    Incrementor,
    Marketplace,
    SecurityProfile,
    SecurityProfileAssignment,
    Supplier,
    SupplierBuyer,
    User,
    UserGroup,
    UserGroupAssignment,
)
from sandbox.models.orders import LineItem, Order, Shipment, ShipmentItem
from sandbox.models.xp_indexes import XpIndex

__all__ = [
    "Account",
    "Address",
    "AddressAssignment",
    "ApiClient",
    "ApiClientAssignment",
    "Buyer",
    "Catalog",
    "CatalogAssignment",
    "Category",
    "CategoryAssignment",
    "CategoryProductAssignment",
    "ImpersonationConfig",
    "Incrementor",
    "LineItem",
    "Marketplace",
    "NoCaseIndex",
    "Order",
    "PriceSchedule",
    "Product",
    "ProductAssignment",
    "ProductCatalogAssignment",
    "ProductFacet",
    "ProductSupplier",
    "SecurityProfile",
    "SecurityProfileAssignment",
    "Shipment",
    "ShipmentItem",
    "Signup",
    "Spec",
    "SpecOption",
    "SpecProductAssignment",
    "Supplier",
    "SupplierBuyer",
    "User",
    "UserGroup",
    "UserGroupAssignment",
    "Variant",
    "VisibilityGeneration",
    "VisibleProduct",
    "VisibleSet",
    "XpIndex",
]
__all__ += [  # sandbox.models.commerce
    "ApprovalRule",
    "CostCenter",
    "CostCenterAssignment",
    "CreditCard",
    "CreditCardAssignment",
    "OrderApproval",
    "OrderPromotion",
    "Payment",
    "PaymentTransaction",
    "Promotion",
    "PromotionAssignment",
    "SpendingAccount",
    "SpendingAccountAssignment",
]
