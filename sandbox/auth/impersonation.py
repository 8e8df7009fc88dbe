"""`POST /v1/buyers/{buyerID}/users/{userID}/accesstoken` (Users.GetAccessToken).

A caller with FullAccess or BuyerImpersonation obtains a token that speaks for a buyer
user, for one API client, when an ImpersonationConfig allows it. A config matches when
its ClientID is the requested client and each of its levels is blank ("any") or fits:
ImpersonationUserID / ImpersonationBuyerID / ImpersonationGroupID against the caller
(the party impersonating), UserID / BuyerID / GroupID against the impersonated user.
The matching configs' security profiles bound the roles: the token gets the requested
Roles and CustomRoles that one of those profiles gives (FullAccess there gives every
API role), never more. The token carries `imp`, the caller's user ID, and no refresh
token.
"""

from dataclasses import dataclass
from http import HTTPStatus

from django.apps import apps

from sandbox.api.errors import ApiError, not_found, validation_failure
from sandbox.api.spec import Field, Schema
from sandbox.api.validation import validate
from sandbox.auth import tokens
from sandbox.auth.access import AccessToken
from sandbox.auth.grants import client_allows
from sandbox.auth.roles import FULL_ACCESS
from sandbox.models import ApiClient, ImpersonationConfig, SecurityProfile, User

# OrderCloud's ImpersonateTokenRequest, validated like every other request body, and the
# AccessToken it answers (the token endpoint's body too).
IMPERSONATE_TOKEN_REQUEST = Schema(
    "ImpersonateTokenRequest",
    (
        Field("ClientID", max_length=100, example="8836BE8D-710A-4D2D-98BF-EDBE7227E3BB"),
        Field("Roles", "array", items="ApiRole", example=["Shopper"]),
        Field("CustomRoles", "array", items="string"),
    ),
)
REQUIRED = ("ClientID", "Roles")
ACCESS_TOKEN = Schema(
    "AccessToken",
    (
        Field("access_token"),
        Field("expires_in", "integer", format="int32", example=36000),
        Field("token_type", example="bearer"),
        Field("refresh_token"),
    ),
)
# No OrderCloud code is documented for this refusal; this one names it.
NOT_ALLOWED = "Auth.ImpersonationNotAllowed"


@dataclass(frozen=True)
class TokenRequest:
    """OrderCloud's ImpersonateTokenRequest."""

    client_id: str
    roles: tuple[str, ...]
    custom_roles: tuple[str, ...]


def not_allowed(message: str) -> ApiError:
    return ApiError(HTTPStatus.FORBIDDEN, NOT_ALLOWED, message)


def parse_request(body: dict) -> TokenRequest:
    """The ImpersonateTokenRequest in a JSON object body, or a 400 naming what is wrong."""
    values, _ = validate(IMPERSONATE_TOKEN_REQUEST.fields, body, required=REQUIRED)
    roles = tuple(values.get("Roles") or ())
    custom_roles = tuple(values.get("CustomRoles") or ())
    if not roles and not custom_roles:
        raise validation_failure("Roles: request at least one role or custom role.", "Roles")
    return TokenRequest(values["ClientID"], roles, custom_roles)


def access_token(token: AccessToken, buyer_id: str, user_id: str, request: TokenRequest):
    """OrderCloud's AccessToken body for the impersonated buyer user."""
    marketplace = token.marketplace
    user = marketplace.users.filter(
        user_type=User.Type.BUYER, company_id=buyer_id, oc_id=user_id
    ).first()
    if user is None:
        raise not_found("User", user_id)
    client = ApiClient.objects.filter(marketplace=marketplace, oc_id=request.client_id).first()
    if client is None:
        raise not_found("ApiClient", request.client_id)
    if not client.active:
        raise validation_failure(f"ApiClient {client.oc_id} is inactive.", "ClientID")
    if not user.active:
        raise validation_failure(f"User {user.oc_id} is inactive.", "UserID")
    configs = matching_configs(token.user, user, client)
    if not configs:
        raise not_allowed(
            f"No impersonation config lets {token.user.oc_id} impersonate {user.oc_id}"
            f" through ApiClient {client.oc_id}."
        )
    if not client_allows(client, user):
        raise not_allowed(f"ApiClient {client.oc_id} does not allow buyer {buyer_id}'s users.")
    roles = bounded_roles(request, [config.security_profile_id for config in configs], user)
    if not roles:
        raise not_allowed("The impersonation configs allow none of the requested roles.")
    identity = tokens.Identity(
        username=user.username,
        client_id=client.oc_id,
        user_id=user.oc_id,
        user_type=user.user_type,
        roles=tuple(roles),
        impersonator_id=token.user.oc_id,
    )
    expires_in = client.access_token_duration * 60
    return {
        "access_token": tokens.encode(identity, expires_in),
        "expires_in": expires_in,
        "token_type": "bearer",
        "refresh_token": None,
    }


def matching_configs(caller: User, user: User, client: ApiClient) -> list[ImpersonationConfig]:
    configs = list(
        ImpersonationConfig.objects.filter(
            marketplace_id=client.marketplace_id, client_id=client.oc_id
        )
    )
    if not configs:
        return []
    caller_groups = group_ids(caller)
    user_groups = group_ids(user)
    caller_buyer = caller.company_id if caller.user_type == User.Type.BUYER else None
    return [
        config
        for config in configs
        if fits(config.impersonation_user_id, {caller.oc_id})
        and fits(config.impersonation_buyer_id, {caller_buyer})
        and fits(config.impersonation_group_id, caller_groups)
        and fits(config.user_id, {user.oc_id})
        and fits(config.buyer_id, {user.company_id})
        and fits(config.group_id, user_groups)
    ]


def fits(level: str | None, values: set) -> bool:
    """A blank level is "any"; otherwise it must be one of the party's values."""
    return not level or level in values


def group_ids(user: User) -> set[str]:
    """The IDs of the user groups the user belongs to.

    Looked up by name so this module works before and after the user group models:
    without them, no user is in a group (and group-level configs match no one).
    """
    try:
        membership = apps.get_model("sandbox", "UserGroupAssignment")
    except LookupError:
        return set()
    return set(membership.objects.filter(user=user).values_list("user_group__oc_id", flat=True))


def bounded_roles(request: TokenRequest, profile_ids: list[str], user: User) -> list[str]:
    """The requested roles and custom roles that one of the profiles gives."""
    roles: set[str] = set()
    custom: set[str] = set()
    for profile_roles, profile_custom in SecurityProfile.objects.filter(
        marketplace_id=user.marketplace_id, oc_id__in=profile_ids
    ).values_list("roles", "custom_roles"):
        roles.update(profile_roles or ())
        custom.update(profile_custom or ())
    full_access = FULL_ACCESS in roles
    granted = [role for role in request.roles if role in roles or full_access]
    granted += [role for role in request.custom_roles if role in custom and role not in granted]
    return granted
