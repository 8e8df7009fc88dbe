from io import StringIO

import pytest
from django.core.management import call_command

from sandbox.auth.passwords import check_password, hash_password
from sandbox.models import (
    Account,
    ApiClient,
    Marketplace,
    SecurityProfile,
    SecurityProfileAssignment,
    User,
)
from sandbox.seeding.demo import seed_demo

MODELS = [Account, Marketplace, ApiClient, User, SecurityProfile, SecurityProfileAssignment]


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
        first = run()
        second = run()

        assert first.splitlines() == [
            f"Created developer account {settings.SANDBOX_USERNAME}",
            "Created seller organization demo-marketplace (Demo Marketplace)",
            f"Created API client {settings.SANDBOX_CLIENT_ID} (Default Access)",
            "Created admin user demo-admin",
            "Created security profile full-access (FullAccess)",
            "Created assignment of full-access to the whole marketplace",
        ]
        assert second == "Sandbox demo already seeded; nothing changed.\n"

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
        run()
        settings.SANDBOX_PASSWORD = "new-password"

        out = run()
        printed = run("--print-credentials")

        assert out == f"Updated password of developer account {settings.SANDBOX_USERNAME}\n"
        assert printed.splitlines()[2] == "  Password:   new-password"
        assert check_password("new-password", Account.objects.get().password)
