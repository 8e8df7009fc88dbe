"""The demo data `make run` starts with: the getting-started flow's objects."""

from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction

from sandbox.models import (
    Account,
    ApiClient,
    Marketplace,
    SecurityProfile,
    SecurityProfileAssignment,
    User,
)
from sandbox.passwords import hash_password
from sandbox.roles import DEV_CENTER_IMPERSONATE, FULL_ACCESS

MARKETPLACE_ID = "demo-marketplace"
ADMIN_USER_ID = "demo-admin"
SECURITY_PROFILE_ID = "full-access"
# What a developer asks for in the getting-started flow.
DEMO_ROLES = f"{DEV_CENTER_IMPERSONATE} {FULL_ACCESS}"


@dataclass
class SeedReport:
    created: list[str] = field(default_factory=list)  # e.g. "API client 8836BE8D-..."


@transaction.atomic
def seed_demo() -> SeedReport:
    """Create what is missing of the demo; never change what exists (get-or-create)."""
    report = SeedReport()

    def note(created: bool, what: str):
        if created:
            report.created.append(what)

    account, created = Account.objects.get_or_create(
        username=settings.SANDBOX_USERNAME,
        defaults={"password": hash_password(settings.SANDBOX_PASSWORD)},
    )
    note(created, f"developer account {account.username}")

    marketplace, created = Marketplace.objects.get_or_create(
        oc_id=MARKETPLACE_ID, defaults={"name": "Demo Marketplace", "owner": account}
    )
    note(created, f"seller organization {marketplace.oc_id} ({marketplace.name})")

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
