import hashlib
import json
import re
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import call_command

from sandbox.auth.passwords import check_password, hash_password
from sandbox.models import (
    Account,
    AddressAssignment,
    ApiClient,
    ApprovalRule,
    Marketplace,
    Order,
    Payment,
    PaymentTransaction,
    SecurityProfile,
    SecurityProfileAssignment,
    SpendingAccount,
    User,
    UserGroupAssignment,
)
from sandbox.seeding import generator
from sandbox.seeding.demo import MARKETPLACE_ID, seed_demo, seed_demo_content
from sandbox.seeding.demo_orders import seed_demo_orders
from sandbox.seeding.exporter import export
from tests.sandbox.conftest import ME_URL, post_token

MODELS = [Account, Marketplace, ApiClient, User, SecurityProfile, SecurityProfileAssignment]
# What the demo's buyers and catalog load as, with 24 products.
LOADED = (
    "SecurityProfiles 1, ProductFacets 3, Catalogs 2, PriceSchedules 25, Specs 5,"
    " Promotions 2, Categories 48, SpecOptions 17, Products 24, Buyers 3, Users 7,"
    " UserGroups 6, Addresses 6, CostCenters 2, CreditCards 1, SpendingAccounts 1,"
    " CatalogAssignments 4, ProductCatalogAssignment 24, CategoryProductAssignments 24,"
    " SpecProductAssignments 7, ApprovalRules 1, ApiClients 1, Variants 26,"
    " SecurityProfileAssignments 3, UserGroupAssignments 8, AddressAssignments 6,"
    " CostCenterAssignments 2, CreditCardAssignments 1, SpendingAccountAssignments 1,"
    " ProductAssignments 1, CategoryAssignments 3, PromotionAssignments 1,"
    " ApiClientAssignments 3"
)


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def run(*args):
    out = StringIO()
    call_command("seed_sandbox", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
class TestSeedDemo:
    def test_creates_the_getting_started_objects(self, settings):
        report = seed_demo()

        assert counts() == dict.fromkeys(counts(), 1)
        account = Account.objects.get()
        assert account.username == settings.SANDBOX_USERNAME
        assert check_password(settings.SANDBOX_PASSWORD, account.password)
        marketplace = Marketplace.objects.get()
        assert (marketplace.oc_id, marketplace.name, marketplace.owner) == (
            "demo-marketplace",
            "Demo Marketplace",
            account,
        )
        client = ApiClient.objects.get()
        assert (client.marketplace, client.oc_id, client.app_name) == (
            marketplace,
            settings.SANDBOX_CLIENT_ID,
            "Default Access",
        )
        assert (client.allow_seller, client.access_token_duration, client.active) == (
            True,
            600,
            True,
        )
        assert (client.client_secret, client.refresh_token_duration) == (None, 0)
        admin = User.objects.get()
        assert marketplace.default_admin_user == admin
        assert (admin.marketplace, admin.user_type, admin.oc_id, admin.username) == (
            marketplace,
            "admin",
            "demo-admin",
            "demo-admin",
        )
        assert admin.password == ""  # signs in only through DevCenterImpersonate
        profile = SecurityProfile.objects.get()
        assert (profile.marketplace, profile.oc_id, profile.roles) == (
            marketplace,
            "full-access",
            ["FullAccess"],
        )
        assignment = SecurityProfileAssignment.objects.get()
        assert (assignment.marketplace, assignment.security_profile) == (marketplace, profile)
        assert (
            assignment.buyer_id,
            assignment.supplier_id,
            assignment.user_group_id,
            assignment.user_id,
        ) == ("", "", "", "")
        assert len(report.created) == 6

    def test_seeding_twice_changes_nothing(self):
        seed_demo()
        before = counts()
        rows = {model.__name__: list(model.objects.values()) for model in MODELS}

        report = seed_demo()

        assert report.created == []
        assert counts() == before
        assert {model.__name__: list(model.objects.values()) for model in MODELS} == rows

    def test_a_changed_sandbox_password_is_applied(self, settings):
        seed_demo()
        settings.SANDBOX_PASSWORD = "changed"

        report = seed_demo()

        password = Account.objects.get().password
        assert check_password("changed", password)
        assert report.updated == [f"password of developer account {settings.SANDBOX_USERNAME}"]
        assert report.created == []

    def test_a_changed_sandbox_username_renames_the_demo_owner(self, settings):
        seed_demo()
        settings.SANDBOX_USERNAME = "ada"

        report = seed_demo()

        account = Account.objects.get()
        assert account.username == "ada"
        assert Marketplace.objects.get(oc_id="demo-marketplace").owner == account
        assert check_password(settings.SANDBOX_PASSWORD, account.password)
        assert report.updated == ["username of developer account demo: ada"]

    def test_an_existing_account_of_that_name_becomes_the_demo_owner(self, settings):
        seed_demo()
        other = Account.objects.create(username="ada", password=hash_password("x"))
        settings.SANDBOX_USERNAME = "ada"

        report = seed_demo()

        assert Marketplace.objects.get(oc_id="demo-marketplace").owner == other
        assert check_password(settings.SANDBOX_PASSWORD, Account.objects.get(pk=other.pk).password)
        assert report.updated == [
            "password of developer account ada",
            "owner of demo-marketplace: ada",
        ]

    def test_missing_pieces_are_recreated(self):
        seed_demo()
        SecurityProfile.objects.all().delete()

        report = seed_demo()

        assert report.created == [
            "security profile full-access (FullAccess)",
            "assignment of full-access to the whole marketplace",
        ]
        assert counts() == dict.fromkeys(counts(), 1)

    def test_credentials_come_from_settings(self, settings):
        settings.SANDBOX_USERNAME = "ada"
        settings.SANDBOX_PASSWORD = "ada-password"
        settings.SANDBOX_CLIENT_ID = "ADA-CLIENT"

        seed_demo()

        assert check_password("ada-password", Account.objects.get(username="ada").password)
        assert ApiClient.objects.get().oc_id == "ADA-CLIENT"


@pytest.mark.django_db
class TestSeedSandboxCommand:
    def test_says_what_it_created_then_that_nothing_changed(self, settings):
        first = run("--products", "24")
        second = run("--products", "24")

        lines = first.splitlines()
        assert lines[:6] == [
            f"Created developer account {settings.SANDBOX_USERNAME}",
            "Created seller organization demo-marketplace (Demo Marketplace)",
            f"Created API client {settings.SANDBOX_CLIENT_ID} (Default Access)",
            "Created admin user demo-admin",
            "Created security profile full-access (FullAccess)",
            "Created assignment of full-access to the whole marketplace",
        ]
        assert re.fullmatch(r"Loaded the demo's buyers and catalog in \d+\.\d s: (.*)", lines[6])
        assert lines[6].split(": ", 1)[1] == LOADED
        assert lines[7:] == ["Added the demo's order history: 8 orders"]
        assert second == "Sandbox demo already seeded; nothing changed.\n"

    def test_print_credentials_after_seeding_names_the_shoppers_too(self, settings):
        run("--products", "0")

        out = run("--print-credentials")

        assert out.splitlines()[4:] == [
            "",
            "  Shoppers (buyer users) sign in on Demo Storefront:",
            "  Client ID:  5E7D0C1A-2B3C-4D5E-8F90-A1B2C3D4E5F6",
            "  Usernames:  alice, adam, bella, ben, cora, caleb, chloe",
            "  Password:   shopper-password",
            "  Roles:      Shopper MeAdmin MeAddressAdmin MeXpAdmin PasswordReset",
        ]

    def test_print_credentials_prints_only_them(self, settings):
        settings.SANDBOX_USERNAME = "ada"
        settings.SANDBOX_PASSWORD = "ada-password"
        settings.SANDBOX_CLIENT_ID = "ADA-CLIENT"

        out = run("--print-credentials")

        assert out == (
            "  Client ID:  ADA-CLIENT\n"
            "  Username:   ada\n"
            "  Password:   ada-password\n"
            "  Roles:      DevCenterImpersonate FullAccess\n"
        )
        assert Account.objects.filter(username="ada").exists()

    def test_a_changed_password_is_applied_and_printed(self, settings):
        run("--products", "0")  # the catalog's size is not what this is about
        settings.SANDBOX_PASSWORD = "new-password"

        out = run("--products", "0")
        printed = run("--print-credentials")

        assert out == f"Updated password of developer account {settings.SANDBOX_USERNAME}\n"
        assert printed.splitlines()[2] == "  Password:   new-password"
        assert check_password("new-password", Account.objects.get().password)


SHOPPERS = ("alice", "adam", "bella", "cora", "caleb", "chloe")


def shopper_token(client, username) -> str:
    response = post_token(
        client,
        grant_type="password",
        client_id=generator.STOREFRONT_CLIENT_ID,
        username=username,
        password=generator.SHOPPER_PASSWORD,
    )
    return response.json()["access_token"]


def shopper_get(client, username, path, **query):
    token = shopper_token(client, username)
    response = client.get(f"/sandbox/v1{path}", query, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.json()
    return response.json()


def visible_products(client, username) -> set[str]:
    token = shopper_token(client, username)
    seen, page = set(), 1
    while True:
        response = client.get(
            "/sandbox/v1/me/products",
            {"page": page, "pageSize": 100},
            headers={"Authorization": f"Bearer {token}"},
        ).json()
        seen |= {product["ID"] for product in response["Items"]}
        if page >= response["Meta"]["TotalPages"]:
            return seen
        page += 1


def content(marketplace) -> dict:
    """The demo content's kinds as the API lists them (the export's records)."""
    names = {name for section in generator.demo_sections(products=0).values() for name in section}
    sections = export(marketplace)
    return {
        name: records
        for section in sections.values()
        for name, records in section.items()
        if name in names
    }


@pytest.mark.django_db
class TestDemoContent:
    def test_buyer_users_sign_in_as_shoppers_on_the_storefront_client(self, client):
        seed_demo()
        seed_demo_content(products=0)

        for buyer, username, first, last, _ in generator.USERS:
            response = post_token(
                client,
                grant_type="password",
                client_id=generator.STOREFRONT_CLIENT_ID,
                username=username,
                password=generator.SHOPPER_PASSWORD,
            )
            assert response.status_code == 200, username
            token = response.json()["access_token"]
            me = client.get(ME_URL, headers={"Authorization": f"Bearer {token}"}).json()
            assert (me["ID"], me["FirstName"], me["LastName"], me["Buyer"]["ID"]) == (
                username,
                first,
                last,
                buyer,
            )
            assert me["AvailableRoles"] == generator.SHOPPER_ROLES

    def test_shoppers_of_different_buyers_and_groups_see_different_products(self, client):
        seed_demo()
        seed_demo_content(products=120)

        seen = {username: visible_products(client, username) for username in SHOPPERS}

        assert {name: len(products) for name, products in seen.items()} == {
            "alice": 69,
            "adam": 69,
            "bella": 51,
            "cora": 22,
            "caleb": 22,
            "chloe": 13,
        }
        assert seen["alice"] == seen["adam"]
        assert seen["alice"].isdisjoint(seen["bella"])
        # Coastal's users share Outdoor Gear; the kitchen and garden teams see their own.
        assert seen["chloe"] < seen["cora"] and seen["chloe"] < seen["caleb"]
        assert seen["cora"] & seen["caleb"] == seen["chloe"]
        assert seen["chloe"] <= seen["alice"]

    def test_acme_managers_pay_wholesale_prices(self, client):
        seed_demo()
        seed_demo_content(products=120)
        product = "trailcraft-essential-hiking-pants-00008"

        prices = {
            username: shopper_get(client, username, f"/me/products/{product}")["PriceSchedule"]
            for username in ("alice", "adam")
        }

        assert prices["alice"]["ID"] == product
        assert prices["adam"]["ID"] == f"{product}-special"
        assert (
            prices["adam"]["PriceBreaks"][0]["Price"] < prices["alice"]["PriceBreaks"][0]["Price"]
        )

    def test_buyers_groups_and_addresses(self):
        seed_demo()
        seed_demo_content(products=0)

        marketplace = Marketplace.objects.get(oc_id=MARKETPLACE_ID)
        assert [(b.oc_id, b.name) for b in marketplace.buyers.order_by("oc_id")] == [
            ("acme-outfitters", "Acme Outfitters"),
            ("bright-office", "Bright Office Supply"),
            ("coastal-living", "Coastal Living Co."),
        ]
        groups = marketplace.user_groups.filter(group_type="buyer")
        assert groups.count() == 6
        memberships = {
            (a.user.oc_id, a.user_group.oc_id)
            for a in UserGroupAssignment.objects.filter(marketplace=marketplace)
        }
        assert ("adam", "acme-managers") in memberships and len(memberships) == 8
        assert AddressAssignment.objects.filter(marketplace=marketplace).count() == 6

    def test_seeding_again_changes_nothing(self):
        seed_demo()
        seed_demo_content(products=24)
        marketplace = Marketplace.objects.get(oc_id=MARKETPLACE_ID)
        before = export(marketplace)

        report = seed_demo_content(products=24)

        assert report.loaded == {}
        assert report.failures == []
        assert export(marketplace) == before

    def test_the_whole_demo_once_then_nothing(self):
        seed_demo()

        first = seed_demo_content()
        again = seed_demo_content()

        assert first.failures == [] and first.not_in_sandbox == {}
        assert {
            name: first.loaded[name]
            for name in ("Products", "PriceSchedules", "Categories", "Variants", "Users")
        } == {
            "Products": 1200,
            "PriceSchedules": 1260,
            "Categories": 48,
            "Variants": 1488,
            "Users": 7,
        }
        assert again.loaded == {} and again.failures == []
        assert sum(again.existing.values()) == sum(first.loaded.values()) - 1488

    def test_a_deleted_object_comes_back_with_its_assignments(self):
        seed_demo()
        seed_demo_content(products=0)
        marketplace = Marketplace.objects.get(oc_id=MARKETPLACE_ID)
        before = content(marketplace)
        User.objects.get(marketplace=marketplace, oc_id="adam").delete()

        report = seed_demo_content(products=0)

        assert report.loaded == {"Users": 1, "UserGroupAssignments": 2}
        assert content(marketplace) == before

    def test_the_same_from_scratch(self):
        seed_demo()
        seed_demo_content(products=24)
        marketplace = Marketplace.objects.get(oc_id=MARKETPLACE_ID)
        first = content(marketplace)
        marketplace.delete()

        seed_demo()
        seed_demo_content(products=24)

        assert content(Marketplace.objects.get(oc_id=MARKETPLACE_ID)) == first


DIGEST = (
    "import hashlib, json; from sandbox.seeding.generator import demo_sections;"
    " print(hashlib.sha256(json.dumps(demo_sections(), sort_keys=True).encode()).hexdigest())"
)


def test_the_demo_is_the_same_in_every_process():
    here = hashlib.sha256(
        json.dumps(generator.demo_sections(), sort_keys=True).encode()
    ).hexdigest()

    others = {
        subprocess.run(
            [sys.executable, "-c", DIGEST],
            env={"PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        for seed in ("1", "2")
    }

    assert others == {here}


def test_the_demo_catalog_is_worth_showing():
    sections = generator.demo_sections()

    objects, assignments = sections["Objects"], sections["Assignments"]
    products = objects["Products"]
    assert len(products) == 1200
    assert len({p["ID"] for p in products}) == 1200
    assert len(objects["Categories"]) == 48
    assert max(depth(objects["Categories"], c) for c in objects["Categories"]) == 3
    assert all({"Brand", "Color", "Size"} <= set(p["xp"]) for p in products)
    assert len({p["Name"] for p in products}) > 1000
    schedules = objects["PriceSchedules"]
    assert sum(len(s["PriceBreaks"]) > 1 for s in schedules) > 300
    assert sum(s["SaleStart"] is not None for s in schedules) > 150
    assert sum(p["VariantCount"] > 0 for p in products) > 150
    assert {a["BuyerID"] for a in assignments["CatalogAssignments"]} == {
        "acme-outfitters",
        "bright-office",
        "coastal-living",
    }
    assert {a.get("UserGroupID") for a in assignments["CategoryAssignments"]} == {
        None,
        "coastal-kitchen",
        "coastal-garden",
    }


def depth(categories, category) -> int:
    by_id = {c["ID"]: c for c in categories}
    level = 1
    while category["ParentID"]:
        category, level = by_id[category["ParentID"]], level + 1
    return level


@pytest.mark.django_db
def test_the_demo_shows_how_buyers_pay(client):
    """Acme's managers approve big orders, Bright Office spends from a budget with a code
    of its own, every buyer sees WELCOME10, Coastal pays by card."""
    seed_demo()
    seed_demo_content(products=0)

    def ids(username, path):
        return [item["ID"] for item in shopper_get(client, username, path, sortBy="ID")["Items"]]

    assert ids("alice", "/me/costcenters") == ["acme-online", "acme-stores"]
    assert ids("bella", "/me/spendingAccounts") == ["bright-budget"]
    assert ids("chloe", "/me/spendingAccounts") == []
    assert ids("bella", "/me/promotions") == ["office5", "welcome10"]
    assert ids("alice", "/me/promotions") == ["welcome10"]
    assert ids("chloe", "/me/creditcards") == ["coastal-card"]
    marketplace = Marketplace.objects.get(oc_id=MARKETPLACE_ID)
    rule = ApprovalRule.objects.get(marketplace=marketplace)
    assert (rule.company_id, rule.approving_group_id, rule.rule_expression) == (
        "acme-outfitters",
        "acme-managers",
        "order.Total > 5000",
    )


@pytest.mark.django_db
def test_the_demo_orders_are_paid_as_their_buyers_pay():
    seed_demo()
    seed_demo_content(products=24)
    marketplace = Marketplace.objects.get(oc_id=MARKETPLACE_ID)

    seed_demo_orders(marketplace)

    paid = {
        p.order.oc_id: (p.type, p.credit_card_id or p.spending_account_id, p.accepted)
        for p in Payment.objects.filter(marketplace=marketplace).select_related("order")
    }
    assert paid == {
        "DEMO-1001": ("PurchaseOrder", None, True),
        "DEMO-1002": ("PurchaseOrder", None, True),
        "DEMO-1003": ("SpendingAccount", "bright-budget", True),
        "DEMO-1004": ("SpendingAccount", "bright-budget", False),  # canceled
        "DEMO-1005": ("CreditCard", "coastal-card", True),
        "DEMO-1006": ("CreditCard", "coastal-card", False),  # declined
        "DEMO-1007": ("CreditCard", "coastal-card", True),
    }
    budget = SpendingAccount.objects.get(marketplace=marketplace, oc_id="bright-budget")
    charged = Order.objects.get(marketplace=marketplace, oc_id="DEMO-1003").total
    assert budget.balance == round(10000 - float(charged), 2)
    authorized = PaymentTransaction.objects.filter(payment__order__oc_id="DEMO-1007").get()
    assert (authorized.type, authorized.succeeded, authorized.amount) == (
        "Authorization",
        True,
        Order.objects.get(marketplace=marketplace, oc_id="DEMO-1007").total,
    )
