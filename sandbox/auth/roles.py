"""Which of OrderCloud's roles (`sandbox.api.spec.API_ROLES`) a user has, which a token
request is granted, and whether a token's roles allow an operation."""

from django.db.models import Q

from sandbox.api.spec import API_ROLES
from sandbox.models import SecurityProfileAssignment, User, UserGroupAssignment

FULL_ACCESS = "FullAccess"
# The developer portal's role: the account's own credentials, acting as the
# marketplace's default admin user. Never assigned; only granted to such a sign-in.
DEV_CENTER_IMPERSONATE = "DevCenterImpersonate"


def available_roles(user: User) -> list[str]:
    """The roles, then the custom roles, the user's security profile assignments give it."""
    rows = (
        profile_assignments(user)
        .order_by("security_profile__oc_id")
        .values_list("security_profile__roles", "security_profile__custom_roles")
    )
    roles: dict[str, None] = {}  # ordered sets
    custom: dict[str, None] = {}
    for profile_roles, custom_roles in rows:
        roles.update(dict.fromkeys(profile_roles or ()))
        custom.update(dict.fromkeys(custom_roles or ()))
    return [*roles, *(role for role in custom if role not in roles)]


def profile_assignments(user: User):
    """The security profile assignments that apply to the user: at marketplace level
    (admin users), to the user's buyer or supplier company, to a user group the user is
    in, and to the user itself."""
    company = Q(buyer_id="", supplier_id="")
    if user.user_type == User.Type.BUYER:
        company = Q(buyer_id=user.company_id, supplier_id="")
    elif user.user_type == User.Type.SUPPLIER:
        company = Q(buyer_id="", supplier_id=user.company_id)
    groups = UserGroupAssignment.objects.filter(
        user_id=user.pk,
        user_group__group_type=user.user_type,
        user_group__company_id=user.company_id,
    ).values("user_group__oc_id")
    return SecurityProfileAssignment.objects.filter(
        company,
        Q(user_id="", user_group_id="")
        | Q(user_id=user.oc_id, user_group_id="")
        | Q(user_id="", user_group_id__in=groups),
        marketplace_id=user.marketplace_id,
    )


def parse_scope(scope: str | None) -> list[str] | None:
    """Space-separated roles, in order, without repeats; None when none is asked for."""
    if scope is None or not scope.split():
        return None
    return list(dict.fromkeys(scope.split()))


def granted_roles(
    requested: list[str] | None, available: list[str], *, impersonating: bool = False
) -> list[str]:
    """The requested roles the user has (all it has when none is requested)."""
    if requested is None:
        return list(available)
    full_access = FULL_ACCESS in available
    granted = []
    for role in requested:
        if role == DEV_CENTER_IMPERSONATE:
            ok = impersonating
        else:
            ok = role in available or (full_access and role in API_ROLES)
        if ok:
            granted.append(role)
    return granted


def has_role(granted: list[str] | tuple[str, ...], allowed: list[str]) -> bool:
    """Whether a token with `granted` roles may do what needs one of `allowed`.

    An empty `allowed` needs no role (e.g. Me.Get); FullAccess satisfies every API role.
    """
    if not allowed:
        return True
    if FULL_ACCESS in granted and any(role in API_ROLES for role in allowed):
        return True
    return any(role in granted for role in allowed)
