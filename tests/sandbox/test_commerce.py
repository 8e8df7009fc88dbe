"""Approval rules, promotions, spending accounts, credit cards and cost centers through the
API: CRUD in OrderCloud's shape, expressions checked on save, assignments, and what /me
shows a buyer user of them."""

from http import HTTPStatus

import pytest

from sandbox.models import CreditCard, SpendingAccountAssignment, User, UserGroup
from tests.sandbox import factories
from tests.sandbox.api import api_for, error


@pytest.fixture
def marketplace(db):
    return factories.marketplace("mkt")


@pytest.fixture
def admin(client, marketplace):
    api = api_for(client, marketplace)
    for buyer in ("b1", "b2"):
        assert api.post("/buyers", {"ID": buyer, "Name": buyer}).status_code == HTTPStatus.CREATED
    for group in ("managers", "staff"):
        assert api.post("/buyers/b1/usergroups", {"ID": group, "Name": group}).status_code == 201
    assert api.post("/usergroups", {"ID": "seller-approvers", "Name": "S"}).status_code == 201
    return api


@pytest.fixture
def buyer_user(marketplace, admin):
    user = factories.user(marketplace, "u1", user_type=User.Type.BUYER, company_id="b1")
    saved = admin.post(
        "/buyers/b1/usergroups/assignments", {"UserGroupID": "staff", "UserID": "u1"}
    )
    assert saved.status_code == HTTPStatus.NO_CONTENT
    return user


@pytest.fixture
def shopper(client, marketplace, buyer_user):
    return api_for(client, marketplace, ["Shopper", "MeCreditCardAdmin"], user=buyer_user)


RULE = {"ID": "big", "ApprovingGroupID": "managers", "RuleExpression": "order.Total > 100"}
PROMO = {
    "ID": "p1",
    "Code": "SAVE10",
    "EligibleExpression": "order.Subtotal > 50",
    "ValueExpression": "order.Subtotal * .1",
}


class TestApprovalRules:
    def test_crud_in_orderclouds_shape(self, admin):
        created = admin.post("/buyers/b1/approvalrules", {**RULE, "Name": "Big orders"})

        assert created.status_code == HTTPStatus.CREATED
        body = created.json()
        assert body == {
            "ID": "big",
            "Name": "Big orders",
            "Description": None,
            "ApprovingGroupID": "managers",
            "RuleExpression": "order.Total > 100",
            "xp": {},
        }
        assert admin.get("/buyers/b1/approvalrules/big").json() == body
        assert admin.get("/buyers/b1/approvalrules").json()["Items"] == [body]
        assert admin.get("/buyers/b2/approvalrules").json()["Items"] == []
        patched = admin.patch("/buyers/b1/approvalrules/big", {"RuleExpression": "order.Total > 5"})
        assert patched.json()["RuleExpression"] == "order.Total > 5"
        assert admin.delete("/buyers/b1/approvalrules/big").status_code == HTTPStatus.NO_CONTENT
        assert admin.get("/buyers/b1/approvalrules/big").status_code == HTTPStatus.NOT_FOUND

    def test_a_bad_expression_is_refused_with_where(self, admin):
        refused = admin.post(
            "/buyers/b1/approvalrules", {**RULE, "RuleExpression": "order.Total >"}
        )

        assert refused.status_code == HTTPStatus.BAD_REQUEST
        assert refused.json() == error(
            "ValidationFailure",
            "RuleExpression is not a valid expression: Unexpected end of expression at 14:"
            " expected a value, a name or '('.",
            {"Field": "RuleExpression"},
        )

    def test_python_is_not_an_expression(self, admin):
        refused = admin.post(
            "/buyers/b1/approvalrules", {**RULE, "RuleExpression": "__import__('os').getcwd()"}
        )

        assert refused.status_code == HTTPStatus.BAD_REQUEST
        assert refused.json()["Errors"][0]["Message"] == (
            "RuleExpression is not a valid expression: Unknown function __import__() at 1."
        )

    def test_the_approving_group_must_be_the_buyers(self, admin):
        refused = admin.post("/buyers/b2/approvalrules", RULE)

        assert refused.status_code == HTTPStatus.NOT_FOUND
        assert refused.json() == error(
            "NotFound",
            "UserGroup not found: managers",
            {"ObjectType": "UserGroup", "ObjectID": "managers"},
        )

    def test_required_fields(self, admin):
        refused = admin.post("/buyers/b1/approvalrules", {"ID": "x"})

        assert refused.status_code == HTTPStatus.BAD_REQUEST
        assert refused.json()["Errors"][0]["ErrorCode"] == "ValidationFailure"

    def test_reader_roles(self, client, marketplace, admin):
        admin.post("/buyers/b1/approvalrules", RULE)
        reader = api_for(client, marketplace, ["ApprovalRuleReader"])

        assert reader.get("/buyers/b1/approvalrules/big").status_code == HTTPStatus.OK
        refused = reader.delete("/buyers/b1/approvalrules/big")
        assert refused.status_code == HTTPStatus.FORBIDDEN
        assert refused.json()["Errors"][0]["Data"] == {
            "SufficientRoles": ["FullAccess", "ApprovalRuleAdmin"]
        }


class TestSellerApprovalRules:
    def test_crud(self, admin):
        rule = {
            "ID": "returns",
            "ApprovalType": "OrderReturn",
            "ApprovingGroupID": "seller-approvers",
            "RuleExpression": "order.Total > 500",
        }
        created = admin.post("/approvalrules", rule)

        assert created.status_code == HTTPStatus.CREATED, created.content
        assert created.json() == {
            "OwnerID": "mkt",
            "ApprovalType": "OrderReturn",
            "ID": "returns",
            "Name": None,
            "Description": None,
            "ApprovingGroupID": "seller-approvers",
            "RuleExpression": "order.Total > 500",
            "xp": {},
        }
        assert admin.get("/approvalrules").json()["Meta"]["TotalCount"] == 1
        # A buyer's rules and the seller's are apart.
        assert admin.get("/buyers/b1/approvalrules/returns").status_code == HTTPStatus.NOT_FOUND

    def test_approval_type_is_an_enumeration_and_the_group_an_admin_group(self, admin):
        bad_type = admin.post(
            "/approvalrules",
            {
                "ApprovalType": "Other",
                "ApprovingGroupID": "seller-approvers",
                "RuleExpression": "true",
            },
        )
        buyer_group = admin.post(
            "/approvalrules",
            {"ApprovalType": "Order", "ApprovingGroupID": "managers", "RuleExpression": "true"},
        )

        assert bad_type.status_code == HTTPStatus.BAD_REQUEST
        assert buyer_group.status_code == HTTPStatus.NOT_FOUND


class TestPromotions:
    def test_crud_in_orderclouds_shape(self, admin):
        created = admin.post("/promotions", {**PROMO, "StartDate": "2025-01-01T00:00:00Z"})

        assert created.status_code == HTTPStatus.CREATED, created.content
        body = created.json()
        assert body == {
            "ID": "p1",
            "LineItemLevel": False,
            "Code": "SAVE10",
            "Name": None,
            "RedemptionLimit": None,
            "RedemptionLimitPerUser": None,
            "RedemptionCount": 0,
            "Description": None,
            "FinePrint": None,
            "StartDate": "2025-01-01T00:00:00.000+00:00",
            "ExpirationDate": None,
            "EligibleExpression": "order.Subtotal > 50",
            "ValueExpression": "order.Subtotal * .1",
            "CanCombine": False,
            "AllowAllBuyers": False,
            "OwnerID": "mkt",
            "AutoApply": False,
            "Active": True,
            "xp": {},
        }
        assert admin.get("/promotions/p1").json() == body
        assert admin.get("/promotions", search="SAVE").json()["Items"] == [body]
        assert admin.patch("/promotions/p1", {"RedemptionCount": 9}).json()["RedemptionCount"] == 0
        assert admin.delete("/promotions/p1").status_code == HTTPStatus.NO_CONTENT

    @pytest.mark.parametrize("field", ["EligibleExpression", "ValueExpression"])
    def test_bad_expressions_are_refused(self, admin, field):
        refused = admin.post("/promotions", {**PROMO, field: "order.Total = = 1"})

        assert refused.status_code == HTTPStatus.BAD_REQUEST
        assert refused.json() == error(
            "ValidationFailure",
            f"{field} is not a valid expression: Unexpected '=' at 15:"
            " expected a value, a name or '('.",
            {"Field": field},
        )

    def test_codes_are_unique(self, admin):
        admin.post("/promotions", PROMO)

        taken = admin.post("/promotions", {**PROMO, "ID": "p2"})

        assert taken.status_code == HTTPStatus.CONFLICT
        assert taken.json() == error(
            "Promotion.CodeMustBeUnique",
            "Another promotion has the code SAVE10.",
            {"Code": "SAVE10"},
        )
        assert admin.put("/promotions/p1", PROMO).status_code == HTTPStatus.OK

    def test_expiration_after_start(self, admin):
        refused = admin.post(
            "/promotions",
            {
                **PROMO,
                "StartDate": "2025-02-01T00:00:00Z",
                "ExpirationDate": "2025-01-01T00:00:00Z",
            },
        )

        assert refused.status_code == HTTPStatus.BAD_REQUEST
        assert refused.json()["Errors"][0]["Data"] == {"Field": "ExpirationDate"}

    def test_assignments(self, admin):
        admin.post("/promotions", PROMO)

        for body in ({"BuyerID": "b1"}, {"BuyerID": "b1", "UserGroupID": "staff"}):
            saved = admin.post("/promotions/assignments", {"PromotionID": "p1", **body})
            assert saved.status_code == HTTPStatus.NO_CONTENT, saved.content
        again = admin.post("/promotions/assignments", {"PromotionID": "p1", "BuyerID": "b1"})

        assert again.status_code == HTTPStatus.NO_CONTENT
        listed = admin.get("/promotions/assignments", promotionID="p1").json()
        assert listed["Items"] == [
            {"PromotionID": "p1", "BuyerID": "b1", "UserGroupID": None},
            {"PromotionID": "p1", "BuyerID": "b1", "UserGroupID": "staff"},
        ]
        assert admin.get("/promotions/assignments", level="Group").json()["Meta"]["TotalCount"] == 1
        missing = admin.post("/promotions/assignments", {"PromotionID": "p1", "BuyerID": "zz"})
        assert missing.status_code == HTTPStatus.NOT_FOUND
        assert admin.delete("/promotions/p1/assignments").status_code == HTTPStatus.BAD_REQUEST
        deleted = admin.delete("/promotions/p1/assignments", buyerID="b1", userGroupID="staff")
        assert deleted.status_code == HTTPStatus.NO_CONTENT
        assert admin.get("/promotions/assignments").json()["Meta"]["TotalCount"] == 1


class TestBuyerAssets:
    def test_spending_account_and_assignment(self, admin, buyer_user):
        created = admin.post(
            "/buyers/b1/spendingaccounts",
            {"ID": "budget", "Name": "Budget", "Balance": 250.5, "AllowAsPaymentMethod": True},
        )

        assert created.status_code == HTTPStatus.CREATED
        assert created.json() == {
            "ID": "budget",
            "Name": "Budget",
            "Balance": 250.5,
            "AllowAsPaymentMethod": True,
            "RedemptionCode": None,
            "StartDate": None,
            "EndDate": None,
            "xp": {},
        }
        saved = admin.post(
            "/buyers/b1/spendingaccounts/assignments",
            {"SpendingAccountID": "budget", "UserID": "u1", "AllowExceed": True},
        )
        assert saved.status_code == HTTPStatus.NO_CONTENT
        assert admin.get("/buyers/b1/spendingaccounts/assignments").json()["Items"] == [
            {
                "SpendingAccountID": "budget",
                "UserID": "u1",
                "UserGroupID": None,
                "AllowExceed": True,
            }
        ]
        assert SpendingAccountAssignment.objects.get().allow_exceed is True

    def test_assignment_refusals(self, admin, buyer_user):
        admin.post("/buyers/b1/spendingaccounts", {"ID": "budget", "Name": "B", "Balance": 1})
        base = "/buyers/b1/spendingaccounts/assignments"

        both = admin.post(
            base, {"SpendingAccountID": "budget", "UserID": "u1", "UserGroupID": "staff"}
        )
        no_account = admin.post(base, {"SpendingAccountID": "nope"})
        other_buyers = admin.post(
            "/buyers/b2/spendingaccounts/assignments", {"SpendingAccountID": "budget"}
        )
        no_id = admin.post(base, {"UserID": "u1"})

        assert both.status_code == HTTPStatus.BAD_REQUEST
        assert no_account.status_code == HTTPStatus.NOT_FOUND
        assert no_account.json()["Errors"][0]["Data"] == {
            "ObjectType": "SpendingAccount",
            "ObjectID": "nope",
        }
        assert other_buyers.status_code == HTTPStatus.NOT_FOUND
        assert no_id.status_code == HTTPStatus.BAD_REQUEST
        assert admin.get(base, level="Nope").status_code == HTTPStatus.BAD_REQUEST

    @pytest.mark.parametrize(
        ("path", "id_name", "body"),
        [
            ("creditcards", "CreditCardID", {"CardType": "Visa", "PartialAccountNumber": "1111"}),
            ("costcenters", "CostCenterID", {"Name": "Marketing"}),
            ("spendingaccounts", "SpendingAccountID", {"Name": "B", "Balance": 5}),
        ],
    )
    def test_assignment_levels(self, admin, buyer_user, path, id_name, body):
        assert admin.post(f"/buyers/b1/{path}", {"ID": "x", **body}).status_code == 201
        base = f"/buyers/b1/{path}/assignments"

        for party in ({}, {"UserGroupID": "staff"}):
            assert admin.post(base, {id_name: "x", **party}).status_code == HTTPStatus.NO_CONTENT
            assert admin.post(base, {id_name: "x", **party}).status_code == HTTPStatus.NO_CONTENT

        assert admin.get(base).json()["Meta"]["TotalCount"] == 2
        assert admin.get(base, level="Company").json()["Meta"]["TotalCount"] == 1
        assert admin.get(base, level="Group").json()["Items"][0]["UserGroupID"] == "staff"
        assert admin.get(base, userGroupID="staff").json()["Meta"]["TotalCount"] == 1
        deleted = admin.delete(f"/buyers/b1/{path}/x/assignments", userGroupID="staff")
        assert deleted.status_code == HTTPStatus.NO_CONTENT
        assert admin.get(base).json()["Meta"]["TotalCount"] == 1
        # Deleting the object deletes its assignments.
        assert admin.delete(f"/buyers/b1/{path}/x").status_code == HTTPStatus.NO_CONTENT
        assert admin.get(base).json()["Meta"]["TotalCount"] == 0

    def test_credit_card_and_cost_center_shapes(self, admin):
        card = admin.post(
            "/buyers/b1/creditcards",
            {
                "ID": "card",
                "Token": "tok_1",
                "CardType": "Visa",
                "PartialAccountNumber": "4242",
                "CardholderName": "Jane",
                "ExpirationDate": "2030-01-01T00:00:00Z",
            },
        ).json()
        center = admin.post("/buyers/b1/costcenters", {"ID": "cc", "Name": "Ops"}).json()

        assert list(card) == [
            "ID",
            "Token",
            "DateCreated",
            "CardType",
            "PartialAccountNumber",
            "CardholderName",
            "ExpirationDate",
            "xp",
        ]
        assert card["ExpirationDate"] == "2030-01-01T00:00:00.000+00:00"
        assert center == {"ID": "cc", "Name": "Ops", "Description": None, "xp": {}}
        too_long = admin.post("/buyers/b1/creditcards", {"PartialAccountNumber": "123456"})
        assert too_long.status_code == HTTPStatus.BAD_REQUEST


class TestMe:
    def test_promotions_the_user_is_given(self, admin, shopper):
        for promo_id, code in (("p1", "ONE"), ("p2", "TWO"), ("p3", "THREE"), ("p4", "FOUR")):
            admin.post("/promotions", {**PROMO, "ID": promo_id, "Code": code})
        admin.patch("/promotions/p4", {"AllowAllBuyers": True})
        admin.post("/promotions/assignments", {"PromotionID": "p1", "BuyerID": "b1"})
        admin.post(
            "/promotions/assignments",
            {"PromotionID": "p2", "BuyerID": "b1", "UserGroupID": "staff"},
        )
        admin.post(
            "/promotions/assignments",
            {"PromotionID": "p3", "BuyerID": "b1", "UserGroupID": "managers"},
        )

        listed = shopper.get("/me/promotions", sortBy="ID").json()

        assert [p["ID"] for p in listed["Items"]] == ["p1", "p2", "p4"]
        assert shopper.get("/me/promotions/p2").json()["Code"] == "TWO"
        assert shopper.get("/me/promotions/p3").status_code == HTTPStatus.NOT_FOUND

    def test_cost_centers_and_spending_accounts(self, admin, shopper):
        for center in ("c1", "c2"):
            admin.post("/buyers/b1/costcenters", {"ID": center, "Name": center})
        admin.post(
            "/buyers/b1/costcenters/assignments", {"CostCenterID": "c1", "UserGroupID": "staff"}
        )
        for account in ("a1", "a2", "a3"):
            admin.post(
                "/buyers/b1/spendingaccounts", {"ID": account, "Name": account, "Balance": 10}
            )
        admin.post(
            "/buyers/b1/spendingaccounts/assignments", {"SpendingAccountID": "a1", "UserID": "u1"}
        )
        admin.post("/buyers/b1/spendingaccounts/assignments", {"SpendingAccountID": "a2"})

        assert [c["ID"] for c in shopper.get("/me/costcenters").json()["Items"]] == ["c1"]
        accounts = shopper.get("/me/spendingAccounts", sortBy="ID").json()["Items"]
        assert [a["ID"] for a in accounts] == ["a1", "a2"]
        assert shopper.get("/me/spendingaccounts/a2").json()["Balance"] == 10
        assert shopper.get("/me/spendingaccounts/a3").status_code == HTTPStatus.NOT_FOUND

    def test_own_credit_cards(self, admin, shopper, buyer_user):
        created = shopper.post(
            "/me/creditcards", {"ID": "mine", "CardType": "Visa", "CardholderName": "U"}
        )

        assert created.status_code == HTTPStatus.CREATED
        card = created.json()
        assert card["ID"] != "mine"  # read-only: generated
        assert card["Editable"] is True
        assert list(card)[:2] == ["ID", "Editable"]
        path = f"/me/creditcards/{card['ID']}"
        assert shopper.patch(path, {"CardholderName": "Jane"}).status_code == HTTPStatus.NO_CONTENT
        assert shopper.get(path).json()["CardholderName"] == "Jane"
        saved = shopper.put(path, {"CardType": "Amex"})
        assert saved.json()["CardType"] == "Amex"
        assert saved.json()["CardholderName"] is None
        # The buyer's list shows the user's card too.
        assert admin.get(f"/buyers/b1/creditcards/{card['ID']}").status_code == HTTPStatus.OK
        stored = CreditCard.objects.get(oc_id=card["ID"])
        assert (stored.owner_user, stored.company_id) == (buyer_user, "b1")
        assert shopper.delete(path).status_code == HTTPStatus.NO_CONTENT
        assert shopper.get(path).status_code == HTTPStatus.NOT_FOUND

    def test_assigned_cards_are_read_only(self, admin, shopper):
        admin.post("/buyers/b1/creditcards", {"ID": "corp", "CardType": "Visa"})
        admin.post("/buyers/b1/creditcards", {"ID": "hidden", "CardType": "Visa"})
        admin.post(
            "/buyers/b1/creditcards/assignments", {"CreditCardID": "corp", "UserGroupID": "staff"}
        )

        listed = shopper.get("/me/creditcards").json()["Items"]

        assert [(c["ID"], c["Editable"]) for c in listed] == [("corp", False)]
        assert shopper.patch("/me/creditcards/corp", {"CardType": "x"}).status_code == 404
        assert shopper.delete("/me/creditcards/corp").status_code == HTTPStatus.NOT_FOUND
        assert shopper.get("/me/creditcards/hidden").status_code == HTTPStatus.NOT_FOUND

    def test_buyer_users_only(self, admin):
        refused = admin.get("/me/promotions")

        assert refused.status_code == HTTPStatus.FORBIDDEN
        assert refused.json()["Errors"][0]["ErrorCode"] == "Auth.BuyerUsersOnly"

    def test_another_buyers_user_sees_none_of_it(self, client, marketplace, admin, shopper):
        admin.post("/promotions", PROMO)
        admin.post("/promotions/assignments", {"PromotionID": "p1", "BuyerID": "b1"})
        other = factories.user(marketplace, "u2", user_type=User.Type.BUYER, company_id="b2")
        other_api = api_for(client, marketplace, ["Shopper"], user=other)

        assert shopper.get("/me/promotions").json()["Meta"]["TotalCount"] == 1
        assert other_api.get("/me/promotions").json()["Meta"]["TotalCount"] == 0
        assert UserGroup.objects.filter(company_id="b2").count() == 0
