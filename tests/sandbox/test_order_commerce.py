"""Approvals, promotions and payments on orders, through the API: a buyer user's cart
goes to AwaitingApproval when an approval rule holds, a manager approves or declines it;
promotion codes change the totals; payments name cards and spending accounts the user
may use."""

from http import HTTPStatus

import pytest

from sandbox.models import OrderApproval, Promotion, SpendingAccount
from tests.sandbox.api import error
from tests.sandbox.orders_setup import shop


@pytest.fixture
def the_shop(client, db):
    found = shop(client)
    admin = found.admin
    assert admin.post("/buyers/b1/usergroups", {"ID": "managers", "Name": "M"}).status_code == 201
    assigned = admin.post(
        "/buyers/b1/usergroups/assignments", {"UserGroupID": "managers", "UserID": "bob"}
    )
    assert assigned.status_code == HTTPStatus.NO_CONTENT
    return found


def cart(api, *lines, order_id="o1"):
    """An Outgoing order with line items of (ProductID, Quantity)."""
    created = api.post("/orders/Outgoing", {"ID": order_id})
    assert created.status_code == HTTPStatus.CREATED, created.content
    for product_id, quantity in lines:
        line = api.post(
            f"/orders/Outgoing/{order_id}/lineitems",
            {"ProductID": product_id, "Quantity": quantity},
        )
        assert line.status_code == HTTPStatus.CREATED, line.content
    return api.get(f"/orders/Outgoing/{order_id}").json()


def rule(admin, rule_id="big", expression="order.Total > 15", group="managers"):
    body = {"ID": rule_id, "ApprovingGroupID": group, "RuleExpression": expression}
    assert admin.post("/buyers/b1/approvalrules", body).status_code == HTTPStatus.CREATED


class TestApprovals:
    def test_an_order_under_the_rule_opens(self, the_shop):
        rule(the_shop.admin)
        cart(the_shop.alice, ("tee", 1))

        submitted = the_shop.alice.post("/orders/Outgoing/o1/submit")

        assert submitted.json()["Status"] == "Open"
        assert the_shop.alice.get("/orders/Outgoing/o1/approvals").json()["Items"] == []

    def test_submit_awaits_approval_then_a_manager_approves(self, the_shop):
        rule(the_shop.admin)
        cart(the_shop.alice, ("tee", 2))

        submitted = the_shop.alice.post("/orders/Outgoing/o1/submit")

        assert submitted.status_code == HTTPStatus.CREATED
        assert submitted.json()["Status"] == "AwaitingApproval"
        approvals = the_shop.alice.get("/orders/Outgoing/o1/approvals").json()["Items"]
        assert [(a["ApprovalRuleID"], a["ApprovingGroupID"], a["Status"]) for a in approvals] == [
            ("big", "managers", "Pending")
        ]
        assert approvals[0]["Approver"] is None
        approvers = the_shop.alice.get("/orders/Outgoing/o1/eligibleapprovers").json()
        assert [u["ID"] for u in approvers["Items"]] == ["bob"]
        approvable = the_shop.bob.get("/me/orders/approvable").json()["Items"]
        assert [o["ID"] for o in approvable] == ["o1"]
        assert the_shop.alice.get("/me/orders/approvable").json()["Items"] == []

        approved = the_shop.bob.post("/orders/Outgoing/o1/approve", {"Comments": "fine"})

        assert approved.status_code == HTTPStatus.CREATED, approved.content
        assert approved.json()["Status"] == "Open"
        assert approved.json()["DateApproved"] is not None
        after = the_shop.alice.get("/orders/Outgoing/o1/approvals").json()["Items"][0]
        assert (after["Status"], after["Comments"], after["Approver"]["ID"]) == (
            "Approved",
            "fine",
            "bob",
        )
        assert after["DateCompleted"] is not None
        assert the_shop.bob.get("/me/orders/approvable").json()["Items"] == []

    def test_an_approver_cannot_cancel_the_order_it_approves(self, the_shop):
        rule(the_shop.admin)
        cart(the_shop.alice, ("tee", 2))
        the_shop.alice.post("/orders/Outgoing/o1/submit")

        refused = the_shop.bob.post("/orders/Outgoing/o1/cancel")

        assert refused.status_code == HTTPStatus.FORBIDDEN
        assert refused.json()["Errors"][0]["ErrorCode"] == "Auth.InsufficientRoles"
        assert the_shop.alice.get("/orders/Outgoing/o1").json()["Status"] == "AwaitingApproval"
        canceled = the_shop.alice.post("/orders/Outgoing/o1/cancel")
        assert canceled.json()["Status"] == "Canceled"

    def test_decline_and_resubmit_when_allowed(self, the_shop):
        rule(the_shop.admin)
        cart(the_shop.alice, ("mug", 3), ("tee", 1))
        the_shop.alice.post("/orders/Outgoing/o1/submit")

        declined = the_shop.bob.post(
            "/orders/Outgoing/o1/decline", {"Comments": "too many", "AllowResubmit": True}
        )

        assert declined.status_code == HTTPStatus.CREATED
        assert declined.json()["Status"] == "Declined"
        assert declined.json()["DateDeclined"] is not None
        # Validate says what Submit will do.
        validated = the_shop.alice.post("/orders/Outgoing/o1/validate")
        assert validated.status_code == HTTPStatus.NO_CONTENT
        # The mugs are back in stock: the resubmitted order can take them again.
        again = the_shop.alice.post("/orders/Outgoing/o1/submit")
        assert again.json()["Status"] == "AwaitingApproval"
        statuses = OrderApproval.objects.order_by("pk").values_list("status", flat=True)
        assert list(statuses) == ["Declined", "Pending"]

    def test_a_decline_without_resubmit_is_final(self, the_shop):
        rule(the_shop.admin)
        cart(the_shop.alice, ("tee", 2))
        the_shop.alice.post("/orders/Outgoing/o1/submit")
        the_shop.bob.post("/orders/Outgoing/o1/decline", {})

        refused = the_shop.alice.post("/orders/Outgoing/o1/submit")
        not_valid = the_shop.alice.post("/orders/Outgoing/o1/validate")

        for answer in (refused, not_valid):
            assert answer.status_code == HTTPStatus.BAD_REQUEST
            assert answer.json() == error(
                "Order.CannotSubmitBadStatus",
                "Cannot submit an order with status Declined.",
                {"OrderID": "o1"},
            )

    def test_refusals(self, the_shop):
        rule(the_shop.admin)
        cart(the_shop.alice, ("tee", 2))

        early = the_shop.admin.post("/orders/Incoming/o1/approve", {})
        the_shop.alice.post("/orders/Outgoing/o1/submit")
        own = the_shop.alice.post("/orders/Outgoing/o1/approve", {})
        other_buyer = the_shop.carol.post("/orders/Outgoing/o1/approve", {})

        assert early.json() == error(
            "Order.CannotApproveBadStatus",
            "Cannot approve an order with status Unsubmitted.",
            {"OrderID": "o1"},
        )
        assert own.status_code == HTTPStatus.FORBIDDEN
        assert own.json() == error(
            "Order.NotEligibleApprover",
            "The user is not an eligible approver of order o1.",
            {"OrderID": "o1"},
        )
        assert other_buyer.status_code == HTTPStatus.NOT_FOUND
        assert the_shop.bob.post("/orders/Outgoing/o1/approve", {}).status_code == 201
        twice = the_shop.bob.post("/orders/Outgoing/o1/approve", {})
        assert twice.status_code == HTTPStatus.BAD_REQUEST
        assert twice.json() == error(
            "Order.CannotApproveBadStatus",
            "Cannot approve an order with status Open.",
            {"OrderID": "o1"},
        )
        late = the_shop.bob.post("/orders/Outgoing/o1/decline", {})
        assert late.json()["Errors"][0]["ErrorCode"] == "Order.CannotDeclineBadStatus"

    def test_the_seller_may_approve(self, the_shop):
        rule(the_shop.admin)
        cart(the_shop.alice, ("tee", 2))
        the_shop.alice.post("/orders/Outgoing/o1/submit")

        approved = the_shop.admin.post("/orders/Incoming/o1/approve", {})

        assert approved.json()["Status"] == "Open"

    def test_a_second_level_rule_waits_for_the_first(self, the_shop):
        admin = the_shop.admin
        admin.post("/buyers/b1/usergroups", {"ID": "directors", "Name": "D"})
        admin.post(
            "/buyers/b1/usergroups/assignments", {"UserGroupID": "directors", "UserID": "carol"}
        )
        rule(admin)
        rule(admin, "bigger", "order.Total > 15 and order.approved('big')", "directors")
        cart(the_shop.alice, ("tee", 2))
        the_shop.alice.post("/orders/Outgoing/o1/submit")

        first = the_shop.bob.post("/orders/Outgoing/o1/approve", {})

        assert first.json()["Status"] == "AwaitingApproval"
        pending = the_shop.alice.get("/orders/Outgoing/o1/approvals", Status="Pending").json()
        assert [a["ApprovalRuleID"] for a in pending["Items"]] == ["bigger"]
        # carol is another buyer's user: only the seller can decide now.
        assert the_shop.bob.post("/orders/Outgoing/o1/approve", {}).status_code == 403
        assert the_shop.admin.post("/orders/Incoming/o1/approve", {}).json()["Status"] == "Open"

    def test_rules_of_another_buyer_do_not_apply(self, the_shop):
        the_shop.admin.post("/buyers/b2/usergroups", {"ID": "g2", "Name": "G"})
        rule_body = {"ID": "r2", "ApprovingGroupID": "g2", "RuleExpression": "true"}
        the_shop.admin.post("/buyers/b2/approvalrules", rule_body)
        cart(the_shop.alice, ("tee", 1))

        assert the_shop.alice.post("/orders/Outgoing/o1/submit").json()["Status"] == "Open"


PROMO = {
    "ID": "ten",
    "Code": "TEN",
    "EligibleExpression": "order.Subtotal >= 20",
    "ValueExpression": "order.Subtotal * .1",
    "AllowAllBuyers": True,
}


def promotion(admin, **fields):
    created = admin.post("/promotions", {**PROMO, **fields})
    assert created.status_code == HTTPStatus.CREATED, created.content


class TestPromotions:
    def test_add_reflects_in_totals_and_follows_changes(self, the_shop):
        promotion(the_shop.admin)
        cart(the_shop.alice, ("tee", 3))

        added = the_shop.alice.post("/orders/Outgoing/o1/promotions/ten")

        assert added.status_code == HTTPStatus.CREATED, added.content
        assert (added.json()["Code"], added.json()["Amount"], added.json()["LineItemID"]) == (
            "TEN",
            3.0,
            None,
        )
        order = the_shop.alice.get("/orders/Outgoing/o1").json()
        assert (order["Subtotal"], order["PromotionDiscount"], order["Total"]) == (30.0, 3.0, 27.0)
        listed = the_shop.alice.get("/orders/Outgoing/o1/promotions").json()["Items"]
        assert [(p["ID"], p["Amount"]) for p in listed] == [("ten", 3.0)]
        line_id = the_shop.alice.get("/orders/Outgoing/o1/lineitems").json()["Items"][0]["ID"]
        the_shop.alice.patch(f"/orders/Outgoing/o1/lineitems/{line_id}", {"Quantity": 4})
        order = the_shop.alice.get("/orders/Outgoing/o1").json()
        assert (order["Subtotal"], order["PromotionDiscount"], order["Total"]) == (40.0, 4.0, 36.0)

        removed = the_shop.alice.delete("/orders/Outgoing/o1/promotions/TEN")

        assert removed.status_code == HTTPStatus.OK
        assert (removed.json()["PromotionDiscount"], removed.json()["Total"]) == (0.0, 40.0)

    def test_refusals(self, the_shop):
        admin = the_shop.admin
        promotion(admin)
        promotion(admin, ID="old", Code="OLD", ExpirationDate="2020-01-01T00:00:00Z")
        promotion(admin, ID="mine", Code="MINE", AllowAllBuyers=False)
        promotion(admin, ID="off", Code="OFF", Active=False)
        cart(the_shop.alice, ("tee", 1))

        def code_of(code):
            response = the_shop.alice.post(f"/orders/Outgoing/o1/promotions/{code}")
            return response.status_code, response.json()["Errors"][0]["ErrorCode"]

        assert code_of("TEN") == (400, "Promotion.NotEligible")
        assert code_of("OLD") == (400, "Promotion.Expired")
        assert code_of("OFF") == (400, "Promotion.NotActive")
        assert code_of("MINE") == (404, "NotFound")
        assert code_of("NOPE") == (404, "NotFound")
        the_shop.alice.post("/orders/Outgoing/o1/lineitems", {"ProductID": "tee", "Quantity": 2})
        assert the_shop.alice.post("/orders/Outgoing/o1/promotions/ten").status_code == 201
        assert code_of("TEN") == (400, "Promotion.AlreadyApplied")
        removed_twice = the_shop.alice.delete("/orders/Outgoing/o1/promotions/OLD")
        assert removed_twice.status_code == HTTPStatus.NOT_FOUND

    def test_assigned_to_a_group(self, the_shop):
        promotion(the_shop.admin, AllowAllBuyers=False)
        the_shop.admin.post(
            "/promotions/assignments",
            {"PromotionID": "ten", "BuyerID": "b1", "UserGroupID": "managers"},
        )
        cart(the_shop.alice, ("tee", 3))
        cart(the_shop.bob, ("tee", 3), order_id="o2")

        assert the_shop.alice.post("/orders/Outgoing/o1/promotions/TEN").status_code == 404
        assert the_shop.bob.post("/orders/Outgoing/o2/promotions/TEN").status_code == 201

    def test_combining(self, the_shop):
        promotion(the_shop.admin, CanCombine=True)
        promotion(the_shop.admin, ID="five", Code="FIVE", ValueExpression="5")
        promotion(the_shop.admin, ID="two", Code="TWO", ValueExpression="2", CanCombine=True)
        cart(the_shop.alice, ("tee", 3))
        alice = the_shop.alice

        assert alice.post("/orders/Outgoing/o1/promotions/TEN").status_code == 201
        refused = alice.post("/orders/Outgoing/o1/promotions/FIVE")
        assert refused.json()["Errors"][0]["ErrorCode"] == "Promotion.CannotCombine"
        assert alice.post("/orders/Outgoing/o1/promotions/TWO").status_code == 201
        order = alice.get("/orders/Outgoing/o1").json()
        assert (order["PromotionDiscount"], order["Total"]) == (5.0, 25.0)

    def test_limits_count_submitted_orders(self, the_shop):
        promotion(the_shop.admin, RedemptionLimit=2, RedemptionLimitPerUser=1)
        for order_id, api in (("o1", the_shop.alice), ("o2", the_shop.bob)):
            cart(api, ("tee", 3), order_id=order_id)
            assert api.post(f"/orders/Outgoing/{order_id}/promotions/TEN").status_code == 201
            assert api.post(f"/orders/Outgoing/{order_id}/submit").status_code == 201
        cart(the_shop.alice, ("tee", 3), order_id="o3")

        again = the_shop.alice.post("/orders/Outgoing/o3/promotions/TEN")

        assert Promotion.objects.get().redemption_count == 2
        assert again.json()["Errors"][0]["ErrorCode"] == "Promotion.RedemptionLimitReached"
        Promotion.objects.update(redemption_limit=None)
        per_user = the_shop.alice.post("/orders/Outgoing/o3/promotions/TEN")
        assert (
            per_user.json()["Errors"][0]["ErrorCode"] == "Promotion.RedemptionLimitPerUserReached"
        )

    def test_line_item_level(self, the_shop):
        promotion(
            the_shop.admin,
            LineItemLevel=True,
            EligibleExpression="item.ProductID = 'mug'",
            ValueExpression="item.LineSubtotal * .5",
        )
        cart(the_shop.alice, ("tee", 1), ("mug", 2))

        added = the_shop.alice.post("/orders/Outgoing/o1/promotions/TEN")

        assert added.json()["Amount"] == 5.0
        lines = the_shop.alice.get("/orders/Outgoing/o1/lineitems", sortBy="ProductID").json()
        assert [
            (li["ProductID"], li["PromotionDiscount"], li["LineTotal"]) for li in lines["Items"]
        ] == [
            ("mug", 5.0, 5.0),
            ("tee", 0.0, 10.0),
        ]
        order = the_shop.alice.get("/orders/Outgoing/o1").json()
        assert (order["Subtotal"], order["PromotionDiscount"], order["Total"]) == (20.0, 5.0, 15.0)

    def test_only_on_unsubmitted_orders(self, the_shop):
        promotion(the_shop.admin)
        cart(the_shop.alice, ("tee", 3))
        the_shop.alice.post("/orders/Outgoing/o1/submit")

        refused = the_shop.alice.post("/orders/Outgoing/o1/promotions/TEN")

        assert refused.json() == error(
            "Order.CannotModifyBadStatus",
            "Cannot modify an order with status Open.",
            {"OrderID": "o1"},
        )


class TestPayments:
    @pytest.fixture
    def wallet(self, the_shop):
        admin = the_shop.admin
        admin.post("/buyers/b1/creditcards", {"ID": "corp", "CardType": "Visa"})
        admin.post(
            "/buyers/b1/creditcards/assignments", {"CreditCardID": "corp", "UserID": "alice"}
        )
        admin.post("/buyers/b1/creditcards", {"ID": "other", "CardType": "Visa"})
        admin.post(
            "/buyers/b1/spendingaccounts",
            {"ID": "budget", "Name": "B", "Balance": 25, "AllowAsPaymentMethod": True},
        )
        admin.post("/buyers/b1/spendingaccounts/assignments", {"SpendingAccountID": "budget"})
        admin.post("/buyers/b1/spendingaccounts", {"ID": "points", "Name": "P", "Balance": 99})
        admin.post("/buyers/b1/spendingaccounts/assignments", {"SpendingAccountID": "points"})
        cart(the_shop.alice, ("tee", 3))
        return the_shop

    def test_create_list_patch_delete(self, wallet):
        alice = wallet.alice
        created = alice.post(
            "/orders/Outgoing/o1/payments",
            {"ID": "pay1", "Type": "CreditCard", "CreditCardID": "corp", "Amount": 30},
        )

        assert created.status_code == HTTPStatus.CREATED, created.content
        body = created.json()
        assert body == {
            "ID": "pay1",
            "Type": "CreditCard",
            "DateCreated": body["DateCreated"],
            "CreditCardID": "corp",
            "SpendingAccountID": None,
            "Description": None,
            "Currency": "USD",
            "Amount": 30.0,
            "Accepted": False,
            "OrderReturnID": None,
            "xp": {},
            "Transactions": [],
        }
        assert alice.get("/orders/Outgoing/o1/payments").json()["Items"] == [body]
        patched = alice.patch("/orders/Outgoing/o1/payments/pay1", {"Description": "card"})
        assert patched.json()["Description"] == "card"
        assert alice.delete("/orders/Outgoing/o1/payments/pay1").status_code == 204
        assert alice.get("/orders/Outgoing/o1/payments/pay1").status_code == 404

    def test_methods_are_checked(self, wallet):
        alice = wallet.alice

        def pay(**body):
            response = alice.post("/orders/Outgoing/o1/payments", body)
            return response.status_code, response.json()["Errors"][0]["ErrorCode"]

        assert pay(Type="CreditCard") == (400, "ValidationFailure")
        assert pay(Type="CreditCard", CreditCardID="other") == (404, "NotFound")
        assert pay(Type="PurchaseOrder", CreditCardID="corp") == (400, "ValidationFailure")
        assert pay(Type="SpendingAccount", SpendingAccountID="nope") == (404, "NotFound")
        assert pay(Type="SpendingAccount", SpendingAccountID="points", Amount=1) == (
            400,
            "SpendingAccount.NotAllowedAsPaymentMethod",
        )
        assert pay(Type="SpendingAccount", SpendingAccountID="budget") == (
            400,
            "SpendingAccount.InsufficientFunds",
        )
        assert pay(Type="Cash") == (400, "ValidationFailure")
        assert pay(Type="PurchaseOrder", Amount=1e20) == (400, "ValidationFailure")
        ok = alice.post(
            "/orders/Outgoing/o1/payments",
            {"Type": "SpendingAccount", "SpendingAccountID": "budget", "Amount": 25},
        )
        assert ok.status_code == HTTPStatus.CREATED

    def test_allow_exceed(self, wallet):
        wallet.admin.post(
            "/buyers/b1/spendingaccounts/assignments",
            {"SpendingAccountID": "budget", "UserID": "alice", "AllowExceed": True},
        )

        over = wallet.alice.post(
            "/orders/Outgoing/o1/payments",
            {"Type": "SpendingAccount", "SpendingAccountID": "budget"},
        )

        assert over.status_code == HTTPStatus.CREATED
        assert SpendingAccount.objects.get(oc_id="budget").balance == 25

    def test_submit_charges_the_spending_account_and_cancel_gives_it_back(self, wallet):
        alice = wallet.alice
        pay = {"ID": "sa", "Type": "SpendingAccount", "SpendingAccountID": "budget", "Amount": 20}
        assert alice.post("/orders/Outgoing/o1/payments", pay).status_code == 201

        submitted = alice.post("/orders/Outgoing/o1/submit")

        assert submitted.json()["Status"] == "Open"
        assert SpendingAccount.objects.get(oc_id="budget").balance == 5
        assert alice.get("/orders/Outgoing/o1/payments/sa").json()["Accepted"] is True
        assert alice.post("/orders/Outgoing/o1/cancel").json()["Status"] == "Canceled"
        assert SpendingAccount.objects.get(oc_id="budget").balance == 25
        assert alice.get("/orders/Outgoing/o1/payments/sa").json()["Accepted"] is False

    def test_a_budget_spent_meanwhile_refuses_the_submit(self, wallet):
        alice = wallet.alice
        pay = {"ID": "sa", "Type": "SpendingAccount", "SpendingAccountID": "budget", "Amount": 20}
        alice.post("/orders/Outgoing/o1/payments", pay)
        SpendingAccount.objects.filter(oc_id="budget").update(balance=10)

        refused = alice.post("/orders/Outgoing/o1/submit")

        assert refused.json() == error(
            "SpendingAccount.InsufficientFunds",
            "Spending account budget has a balance of 10.",
            {"SpendingAccountID": "budget", "Balance": 10.0},
        )
        assert alice.get("/orders/Outgoing/o1").json()["Status"] == "Unsubmitted"
        assert SpendingAccount.objects.get(oc_id="budget").balance == 10

    def test_a_declined_order_gives_the_budget_back(self, wallet):
        rule(wallet.admin, expression="order.Total > 5")
        pay = {"ID": "sa", "Type": "SpendingAccount", "SpendingAccountID": "budget", "Amount": 20}
        wallet.alice.post("/orders/Outgoing/o1/payments", pay)
        wallet.alice.post("/orders/Outgoing/o1/submit")
        assert SpendingAccount.objects.get(oc_id="budget").balance == 5

        wallet.bob.post("/orders/Outgoing/o1/decline", {})

        assert SpendingAccount.objects.get(oc_id="budget").balance == 25

    def test_transactions_are_the_admins(self, wallet):
        wallet.alice.post("/orders/Outgoing/o1/payments", {"ID": "po", "Type": "PurchaseOrder"})
        wallet.alice.post("/orders/Outgoing/o1/submit")
        transaction = {
            "ID": "t1",
            "Type": "Capture",
            "DateExecuted": "2025-01-01T00:00:00Z",
            "Amount": 30,
            "Succeeded": True,
        }

        refused = wallet.alice.post("/orders/Outgoing/o1/payments/po/transactions", transaction)
        created = wallet.admin.post("/orders/Incoming/o1/payments/po/transactions", transaction)
        taken = wallet.admin.post("/orders/Incoming/o1/payments/po/transactions", transaction)

        assert refused.status_code == HTTPStatus.FORBIDDEN
        assert created.status_code == HTTPStatus.CREATED, created.content
        assert created.json()["Transactions"] == [
            {
                "ID": "t1",
                "Type": "Capture",
                "DateExecuted": "2025-01-01T00:00:00.000+00:00",
                "Currency": None,
                "Amount": 30.0,
                "Succeeded": True,
                "ResultCode": None,
                "ResultMessage": None,
                "xp": {},
            }
        ]
        assert taken.status_code == HTTPStatus.CONFLICT
        huge = {**transaction, "ID": "t2", "Amount": 1e20}
        too_much = wallet.admin.post("/orders/Incoming/o1/payments/po/transactions", huge)
        assert too_much.json()["Errors"][0]["Data"] == {"Field": "Amount"}
        deleted = wallet.admin.delete("/orders/Incoming/o1/payments/po/transactions/t1")
        assert deleted.status_code == HTTPStatus.NO_CONTENT
        assert (
            wallet.admin.delete("/orders/Incoming/o1/payments/po/transactions/t1").status_code
            == 404
        )

    def test_a_shopper_cannot_change_payments_of_a_submitted_order(self, wallet):
        wallet.alice.post("/orders/Outgoing/o1/payments", {"ID": "po", "Type": "PurchaseOrder"})
        wallet.alice.post("/orders/Outgoing/o1/submit")

        refused = wallet.alice.patch("/orders/Outgoing/o1/payments/po", {"Description": "x"})

        assert refused.json() == error(
            "Order.CannotModifyBadStatus",
            "Cannot modify an order with status Open.",
            {"OrderID": "o1"},
        )
        assert wallet.alice.delete("/orders/Outgoing/o1/payments/po").status_code == 400
        accepted = wallet.admin.patch("/orders/Incoming/o1/payments/po", {"Accepted": True})
        assert accepted.json()["Accepted"] is True

    def test_another_users_order_is_not_found(self, wallet):
        refused = wallet.carol.get("/orders/Outgoing/o1/payments")

        assert refused.status_code == HTTPStatus.NOT_FOUND
        assert refused.json()["Errors"][0]["Data"] == {"ObjectType": "Order", "ObjectID": "o1"}
        assert wallet.admin.get("/orders/Incoming/o1/payments").json()["Items"] == []
