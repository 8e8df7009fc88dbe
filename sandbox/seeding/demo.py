"""The demo data `make run` starts with: the getting-started flow's objects (`seed_demo`),
then the demo marketplace's buyers and catalog (`seed_demo_content`)."""

from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction

from sandbox.auth.passwords import check_password, hash_password
from sandbox.auth.roles import DEV_CENTER_IMPERSONATE, FULL_ACCESS
from sandbox.models import (
    Account,
    ApiClient,
    Marketplace,
    SecurityProfile,
    SecurityProfileAssignment,
    User,
)
from sandbox.seeding import generator
from sandbox.seeding.importer import LoadReport, load

MARKETPLACE_ID = "demo-marketplace"
ADMIN_USER_ID = "demo-admin"
SECURITY_PROFILE_ID = "full-access"
# What a developer asks for in the getting-started flow.
DEMO_ROLES = f"{DEV_CENTER_IMPERSONATE} {FULL_ACCESS}"


@dataclass
class SeedReport:
    created: list[str] = field(default_factory=list)  # e.g. "API client 8836BE8D-..."
    updated: list[str] = field(default_factory=list)  # e.g. "password of developer account demo"


@transaction.atomic
def seed_demo() -> SeedReport:
    """Create what is missing of the demo; never change the API's data (get-or-create).

    The developer account is configuration, not API data (no API changes it): it is made
    to match SANDBOX_USERNAME / SANDBOX_PASSWORD and to own the demo marketplace, so that
    the credentials `make run` prints are always the ones that work.
    """
    report = SeedReport()

    def note(created: bool, what: str):
        if created:
            report.created.append(what)

    account = _developer_account(report)
    marketplace, created = Marketplace.objects.get_or_create(
        oc_id=MARKETPLACE_ID, defaults={"name": "Demo Marketplace", "owner": account}
    )
    note(created, f"seller organization {marketplace.oc_id} ({marketplace.name})")
    if marketplace.owner_id != account.pk:
        marketplace.owner = account
        marketplace.save(update_fields=["owner"])
        report.updated.append(f"owner of {marketplace.oc_id}: {account.username}")

    client, created = ApiClient.objects.get_or_create(
        oc_id=settings.SANDBOX_CLIENT_ID,
        defaults={
            "marketplace": marketplace,
            "app_name": "Default Access",
            "access_token_duration": 600,
            "allow_seller": True,
        },
    )
    note(created, f"API client {client.oc_id} ({client.app_name})")

    admin, created = User.objects.get_or_create(
        marketplace=marketplace,
        oc_id=ADMIN_USER_ID,
        defaults={
            "user_type": User.Type.ADMIN,
            "username": ADMIN_USER_ID,
            "first_name": "Demo",
            "last_name": "Admin",
            "email": "demo-admin@example.com",
        },
    )
    note(created, f"admin user {admin.username}")
    if marketplace.default_admin_user_id is None:
        marketplace.default_admin_user = admin
        marketplace.save(update_fields=["default_admin_user"])

    profile, created = SecurityProfile.objects.get_or_create(
        marketplace=marketplace,
        oc_id=SECURITY_PROFILE_ID,
        defaults={"name": "Full Access", "roles": [FULL_ACCESS]},
    )
    note(created, f"security profile {profile.oc_id} ({', '.join(profile.roles)})")

    _, created = SecurityProfileAssignment.objects.get_or_create(
        marketplace=marketplace, security_profile=profile
    )
    note(created, f"assignment of {profile.oc_id} to the whole marketplace")
    return report


def _developer_account(report: SeedReport) -> Account:
    """The configured account: the one with that username, else the demo's owner renamed."""
    username, password = settings.SANDBOX_USERNAME, settings.SANDBOX_PASSWORD
    account = (
        Account.objects.filter(username=username).first()
        or Account.objects.filter(marketplaces__oc_id=MARKETPLACE_ID).first()
    )
    if account is None:
        account = Account.objects.create(username=username, password=hash_password(password))
        report.created.append(f"developer account {username}")
        return account
    if account.username != username:
        report.updated.append(f"username of developer account {account.username}: {username}")
        account.username = username
    if not check_password(password, account.password):
        account.password = hash_password(password)
        report.updated.append(f"password of developer account {username}")
    account.save()
    return account


@transaction.atomic
def seed_demo_content(*, products=generator.PRODUCT_COUNT, progress=None) -> LoadReport:
    """Load what is missing of the demo's buyers, users and catalog (`generator`) into the
    demo marketplace, through the same loader as `manage.py import_marketplace`.

    Objects already there (by ID) are kept as they are, so a re-run changes nothing; an
    object that was deleted comes back, with the assignments that name it.
    """
    marketplace = Marketplace.objects.get(oc_id=MARKETPLACE_ID)
    sections = generator.demo_sections(products=products)
    return load(sections, marketplace, progress=progress, only_missing=True)


def storefront_client(marketplace_id: str = MARKETPLACE_ID) -> ApiClient | None:
    """The demo's buyer-facing API client (its ClientID is the generator's unless another
    organization had it first)."""
    return ApiClient.objects.filter(
        marketplace__oc_id=marketplace_id, app_name=generator.STOREFRONT_APP_NAME
    ).first()
