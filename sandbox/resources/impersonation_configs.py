"""Impersonation configs: who may impersonate which buyer users (Users.GetAccessToken),
through which API client and security profile."""

from sandbox import models
from sandbox.api import crud
from sandbox.api.spec import Field, Hooks, Resource, crud_operations
from sandbox.models import ApiClient, Buyer, SecurityProfile, User, UserGroup
from sandbox.resources.common import crud_summaries, full_access_or, id_field


class ImpersonationConfigHooks(Hooks):
    """The objects a config names exist (404 NotFound naming the first that does not).

    Impersonated: the buyer, and a group or user of that buyer. Impersonator: a buyer's
    user or group when ImpersonationBuyerID is given, else an admin user or group.
    """

    def before_write(self, call, obj, values, given):
        def exists(model, object_type, object_id, **scope):
            if object_id:
                crud.find_object(call, model, object_type, object_id, **scope)

        buyer = {"company_id": obj.buyer_id or ""}
        exists(Buyer, "Buyer", obj.buyer_id)
        exists(UserGroup, "UserGroup", obj.group_id, group_type=User.Type.BUYER, **buyer)
        exists(User, "User", obj.user_id, user_type=User.Type.BUYER, **buyer)
        kind = User.Type.BUYER if obj.impersonation_buyer_id else User.Type.ADMIN
        impersonator = {"company_id": obj.impersonation_buyer_id or ""}
        exists(Buyer, "Buyer", obj.impersonation_buyer_id)
        exists(UserGroup, "UserGroup", obj.impersonation_group_id, group_type=kind, **impersonator)
        exists(User, "User", obj.impersonation_user_id, user_type=kind, **impersonator)
        exists(SecurityProfile, "SecurityProfile", obj.security_profile_id)
        exists(ApiClient, "ApiClient", obj.client_id)


LEVEL_FIELDS = (
    "ImpersonationBuyerID",
    "ImpersonationGroupID",
    "ImpersonationUserID",
    "BuyerID",
    "GroupID",
    "UserID",
    "SecurityProfileID",
    "ClientID",
    "ID",
)

IMPERSONATION_CONFIGS = Resource(
    name="ImpersonationConfig",
    prefix="ImpersonationConfigs",
    tag="Impersonation Configs",
    path="/impersonationconfig",
    id_param="impersonationConfigID",
    model=models.ImpersonationConfig,
    fields=(
        id_field(),
        Field("ImpersonationBuyerID", attr="impersonation_buyer_id"),
        Field("ImpersonationGroupID", attr="impersonation_group_id"),
        Field("ImpersonationUserID", attr="impersonation_user_id"),
        Field("BuyerID", attr="buyer_id", example="buyer-1"),
        Field("GroupID", attr="group_id"),
        Field("UserID", attr="user_id"),
        Field("SecurityProfileID", attr="security_profile_id", example="profile-1"),
        Field("ClientID", attr="client_id", example="8836BE8D-710A-4D2D-98BF-EDBE7227E3BB"),
    ),
    required=("BuyerID", "SecurityProfileID", "ClientID"),
    searchable=LEVEL_FIELDS,
    sortable=LEVEL_FIELDS,
    read_roles=full_access_or("SetSecurityProfile"),
    write_roles=full_access_or("SetSecurityProfile"),
    summaries=crud_summaries("impersonation config", "impersonation configs", "an"),
    checks_references=True,  # ImpersonationConfigHooks
    hooks=ImpersonationConfigHooks(),
)

OPERATIONS = crud_operations(IMPERSONATION_CONFIGS)
