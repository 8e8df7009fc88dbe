"""Compatibility of the commerce resources with the `ordercloud-python` SDK over real
HTTP: an admin sets up an approval rule, a promotion, a spending account, a cost center
and a credit card; a buyer user shops with them and a manager approves the order. Every
response fills the SDK's typed models with nothing left over."""

from ordercloud.models import (
    ApprovalRule,
    CategoryProductAssignment,
    CostCenter,
    CostCenterAssignment,
    CreditCard,
    CreditCardAssignment,
    LineItem,
    Order,
    OrderApprovalInfo,
    Payment,
    PriceBreak,
    PriceSchedule,
    Product,
    Promotion,
    PromotionAssignment,
    SpendingAccount,
    SpendingAccountAssignment,
)

# The SDK's own fixtures (an admin SDK, the compat buyer with jane in group vip, its
# catalog, a storefront client and shoppers signed in to it).
from tests.sandbox.test_compat import (  # noqa: F401
    BUYER,
    admin_client_id,
    assert_page,
    assert_typed,
    buyer_with_users,
    catalog,
    sdk,
    shopper_for,
    storefront,
)


def set_up_commerce(sdk, catalog):  # noqa: F811
    sdk.price_schedules.create(
        PriceSchedule(id="cap-price", name="Cap", price_breaks=[PriceBreak(quantity=1, price=25)])
    )
    sdk.products.create(
        Product(id="cap", name="Cap", active=True, default_price_schedule_id="cap-price")
    )
    sdk.categories.save_product_assignment(
        catalog, CategoryProductAssignment(category_id="shirts", product_id="cap")
    )
    made = [
        sdk.approval_rules.create(
            BUYER,
            ApprovalRule(
                id="over-10", approving_group_id="vip", rule_expression="order.Total > 10"
            ),
        ),
        sdk.promotions.create(
            Promotion(
                id="five",
                code="FIVE",
                eligible_expression="items.any(ProductID = 'cap')",
                value_expression="5",
            )
        ),
        sdk.spending_accounts.create(
            BUYER,
            SpendingAccount(id="budget", name="Budget", balance=100, allow_as_payment_method=True),
        ),
        sdk.cost_centers.create(BUYER, CostCenter(id="ops", name="Operations")),
        sdk.credit_cards.create(BUYER, CreditCard(id="card", card_type="Visa")),
    ]
    for obj in made:
        assert_typed(obj)
    sdk.promotions.save_assignment(PromotionAssignment(promotion_id="five", buyer_id=BUYER))
    sdk.spending_accounts.save_assignment(
        BUYER, SpendingAccountAssignment(spending_account_id="budget")
    )
    sdk.cost_centers.save_assignment(BUYER, CostCenterAssignment(cost_center_id="ops"))
    sdk.credit_cards.save_assignment(BUYER, CreditCardAssignment(credit_card_id="card"))


class TestCommerce:
    def test_admin_lists_and_assignments_parse(self, sdk, catalog):  # noqa: F811
        set_up_commerce(sdk, catalog)

        assert_page(sdk.approval_rules.list(BUYER), total=1, items=["over-10"])
        assert_page(sdk.promotions.list(), total=1, items=["five"])
        assert_page(sdk.spending_accounts.list(BUYER), total=1, items=["budget"])
        assert_page(sdk.cost_centers.list(BUYER), total=1, items=["ops"])
        assert_page(sdk.credit_cards.list(BUYER), total=1, items=["card"])
        for page in (
            sdk.promotions.list_assignments(),
            sdk.spending_accounts.list_assignments(BUYER),
            sdk.cost_centers.list_assignments(BUYER),
            sdk.credit_cards.list_assignments(BUYER),
        ):
            assert page.meta.total_count == 1
            assert_typed(page.items[0])

    def test_a_buyer_shops_and_a_manager_approves(self, sdk, catalog, shopper_for):  # noqa: F811
        set_up_commerce(sdk, catalog)
        john, jane = shopper_for("john@compat"), shopper_for("jane@compat")

        assert_page(john.me.list_promotions(), total=1, items=["five"])
        assert_page(john.me.list_spending_accounts(), total=1, items=["budget"])
        assert_page(john.me.list_cost_centers(), total=1, items=["ops"])
        assert_page(john.me.list_credit_cards(), total=1, items=["card"])
        order = john.orders.create("Outgoing", Order(id="compat-order"))
        john.line_items.create("Outgoing", order.id, LineItem(product_id="cap", quantity=1))
        promotion = john.orders.add_promotion("Outgoing", order.id, "FIVE")
        assert_typed(promotion)
        assert promotion.amount == 5
        payment = john.payments.create(
            "Outgoing",
            order.id,
            Payment(type="SpendingAccount", spending_account_id="budget", amount=20),
        )
        assert_typed(payment)
        submitted = john.orders.submit("Outgoing", order.id)
        assert (submitted.status, submitted.total) == ("AwaitingApproval", 20)

        assert_page(jane.me.list_approvable_orders(), total=1, items=["compat-order"])
        approved = jane.orders.approve("Outgoing", order.id, OrderApprovalInfo(comments="ok"))

        assert approved.status == "Open"
        approvals = john.orders.list_approvals("Outgoing", order.id)
        assert [(a.status, a.approver.id, a.comments) for a in approvals.items] == [
            ("Approved", "jane", "ok")
        ]
        assert_typed(approvals.items[0])
        assert sdk.spending_accounts.get(BUYER, "budget").balance == 80
