"""A new seller organization from a file: loaded, then made ready for DevCenterImpersonate.

DevCenterImpersonate signs the owning developer account in as the organization's default
admin user, on an API client that lets admin users in (AllowSeller). OrderCloud's new
organizations come with such a user; so does an imported one: the file's first active
admin user with FullAccess, or else one made for it (with a FullAccess security profile
of its own). When no active API client lets admin users in, one is made too. Both are
made through the API's operations, and named in the result.
"""

import uuid
from dataclasses import dataclass, field

from django.db import transaction

from sandbox.auth.roles import FULL_ACCESS, available_roles
from sandbox.models import Account, ApiClient, Marketplace, SecurityProfile, User
from sandbox.seeding.calls import Caller, operation
from sandbox.seeding.importer import LoadReport, load


@dataclass
class Imported:
    marketplace: Marketplace
    report: LoadReport
    added: list[str] = field(default_factory=list)  # what was made for DevCenterImpersonate

    @property
    def clients(self) -> list[ApiClient]:
        return list(self.marketplace.api_clients.order_by("app_name", "oc_id"))


def import_marketplace(sections: dict, owner: Account, name: str, *, progress=None) -> Imported:
    """A new organization owned by `owner`, holding the file's sections (`seedfile.read`)."""
    with transaction.atomic():
        marketplace = Marketplace.objects.create(
            oc_id=str(uuid.uuid4()).upper(), name=name[:100], owner=owner
        )
        report = load(sections, marketplace, progress=progress)
        added = ready_for_dev_center(marketplace)
    return Imported(marketplace, report, added)


def ready_for_dev_center(marketplace: Marketplace) -> list[str]:
    """Give the organization a default admin user with FullAccess and an API client that
    lets admin users in, where it has none; what was made, in words."""
    caller = Caller(marketplace)
    added = []
    admin = next(
        (
            user
            for user in marketplace.users.filter(user_type=User.Type.ADMIN, active=True)
            .order_by("pk")
            .iterator()
            if FULL_ACCESS in available_roles(user)
        ),
        None,
    )
    if admin is None:
        profile_id = free_id(SecurityProfile.objects.filter(marketplace=marketplace), "full-access")
        user_id = free_id(marketplace.users.all(), "default-admin", "oc_id", "username")
        run(
            caller,
            "SecurityProfiles.Create",
            ID=profile_id,
            Name="Full Access",
            Roles=[FULL_ACCESS],
        )
        run(
            caller,
            "AdminUsers.Create",
            ID=user_id,
            Username=user_id,
            FirstName="Default",
            LastName="Admin",
            Email=f"{user_id}@example.com",
            Active=True,
        )
        run(caller, "SecurityProfiles.SaveAssignment", SecurityProfileID=profile_id, UserID=user_id)
        admin = marketplace.users.get(oc_id=user_id)
        added.append(
            f"admin user {user_id} with security profile {profile_id} ({FULL_ACCESS}), the"
            " default admin user that DevCenterImpersonate signs in as"
        )
    marketplace.default_admin_user = admin
    marketplace.save(update_fields=["default_admin_user"])
    if not marketplace.api_clients.filter(active=True, allow_seller=True).exists():
        _, client = run(
            caller,
            "ApiClients.Create",
            AppName="Admin Access",
            AccessTokenDuration=600,
            Active=True,
            AllowSeller=True,
        )
        added.append(f"API client {client['ID']} (Admin Access), which lets admin users sign in")
    return added


def run(caller: Caller, operation_id: str, **body):
    return caller.run(operation(operation_id), {}, None, body)


def free_id(queryset, base: str, *columns: str) -> str:
    """`base`, or `base-2`, `base-3`...: the first not used in any of `columns`."""
    columns = columns or ("oc_id",)
    candidate, number = base, 1
    while any(queryset.filter(**{column: candidate}).exists() for column in columns):
        number += 1
        candidate = f"{base}-{number}"
    return candidate
