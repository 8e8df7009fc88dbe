"""Users: buyer users, admin (seller) users and supplier users; moving a user to another
buyer, impersonating one (Users.GetAccessToken) and revoking a user's tokens."""

from dataclasses import replace
from http import HTTPStatus

from django.db import transaction
from django.utils import timezone

from sandbox import models
from sandbox.api import crud
from sandbox.api.errors import ApiError, not_found, validation_failure
from sandbox.api.spec import (
    Hooks,
    IdScope,
    Operation,
    Param,
    Reference,
    Resource,
    crud_operations,
)
from sandbox.auth import impersonation, revocation
from sandbox.auth.passwords import hash_password
from sandbox.domain import orders as workflow
from sandbox.models import (
    AddressAssignment,
    Buyer,
    SecurityProfileAssignment,
    User,
    UserGroupAssignment,
)
from sandbox.resources.common import (
    BUYER_PARENT,
    SUPPLIER_PARENT,
    USER_FIELDS,
    USER_REQUIRED,
    crud_summaries,
    full_access_or,
)

USER_SEARCH = ("ID", "Username", "LastName", "FirstName", "Email")
USER_SORT = ("LastName", "FirstName", "Username", "ID", "Email", "DateCreated")
USER_SORT += ("PasswordLastSetDate",)


class UserHooks(Hooks):
    """A given password is stored hashed; usernames are unique in the marketplace."""

    def before_write(self, call, obj, values, given):
        if "Password" in given:
            raw = values.get("password") or ""
            obj.password = hash_password(raw) if raw else ""
            obj.password_last_set_date = timezone.now() if raw else None
        taken = User.objects.filter(marketplace=call.marketplace, username=obj.username)
        if obj.pk is not None:
            taken = taken.exclude(pk=obj.pk)
        if taken.exists():
            raise username_taken(obj.username)


def username_taken(username: str) -> ApiError:
    return ApiError(
        HTTPStatus.CONFLICT,
        "User.UsernameMustBeUnique",
        f"Username must be unique: {username}",
        {"Username": username},
    )


USERS = Resource(
    name="User",
    prefix="Users",
    tag="Users",
    path="/buyers/{buyerID}/users",
    id_param="userID",
    model=models.User,
    fields=USER_FIELDS,
    required=USER_REQUIRED,
    searchable=USER_SEARCH,
    sortable=USER_SORT,
    read_roles=full_access_or("BuyerUserAdmin", "BuyerUserReader"),
    write_roles=full_access_or("BuyerUserAdmin"),
    summaries=crud_summaries("user", "users"),
    parents=(BUYER_PARENT,),
    scope={"user_type": User.Type.BUYER},
    list_params=(
        (
            Param("userGroupID", description="ID of the user group."),
            "group_assignments__user_group__oc_id",
        ),
    ),
    references=(
        Reference(models.SecurityProfileAssignment, "user_id"),
        Reference(models.ImpersonationConfig, "user_id", on_delete="clear"),
        Reference(models.ImpersonationConfig, "impersonation_user_id", on_delete="clear"),
    ),
    # Admin, buyer and supplier users share one table: a user ID names one user of the
    # marketplace (tokens name users by ID alone).
    id_scope=IdScope.MARKETPLACE,
    hooks=UserHooks(),
)

ADMIN_USERS = replace(
    USERS,
    prefix="AdminUsers",
    tag="Admin Users",
    path="/adminusers",
    read_roles=full_access_or("AdminUserAdmin", "AdminUserReader"),
    write_roles=full_access_or("AdminUserAdmin"),
    summaries=crud_summaries("admin user", "admin users", "an"),
    parents=(),
    scope={"user_type": User.Type.ADMIN, "company_id": ""},
    list_params=(),
    references=(Reference(models.SecurityProfileAssignment, "user_id"),),
)

SUPPLIER_USERS = replace(
    USERS,
    prefix="SupplierUsers",
    tag="Supplier Users",
    path="/suppliers/{supplierID}/users",
    read_roles=full_access_or("SupplierUserAdmin", "SupplierUserReader"),
    write_roles=full_access_or("SupplierUserAdmin"),
    summaries=crud_summaries("supplier user", "supplier users"),
    parents=(SUPPLIER_PARENT,),
    scope={"user_type": User.Type.SUPPLIER},
    references=(Reference(models.SecurityProfileAssignment, "user_id"),),
)

# --- Users.Move ---------------------------------------------------------------------------

MOVE_ORDERS = ("None", "Unsubmitted", "All")


def move_user(call):
    orders = call.query.get("orders")
    if orders not in MOVE_ORDERS:
        raise validation_failure(f"orders is required: one of {', '.join(MOVE_ORDERS)}.", "orders")
    user = crud.get_object(USERS, call)
    new_buyer_id = call.params["newBuyerID"]
    if not Buyer.objects.filter(marketplace=call.marketplace, oc_id=new_buyer_id).exists():
        raise not_found("Buyer", new_buyer_id)
    old_buyer_id = user.company_id
    with transaction.atomic():
        # What tied the user to its old buyer does not follow it.
        UserGroupAssignment.objects.filter(user=user).delete()
        AddressAssignment.objects.filter(user=user).delete()
        SecurityProfileAssignment.objects.filter(
            marketplace=call.marketplace, buyer_id=old_buyer_id, user_id=user.oc_id
        ).delete()
        user.company_id = new_buyer_id
        user.save(update_fields=["company_id"])
        workflow.move_orders(user, old_buyer_id, new_buyer_id, orders)
    return HTTPStatus.CREATED, crud.to_wire(USERS, user)


# --- tokens: impersonation and revocation ---------------------------------------------------


def get_access_token(call):
    token_request = impersonation.parse_request(call.body)
    buyer_id, user_id = call.params["buyerID"], call.params["userID"]
    return HTTPStatus.OK, impersonation.access_token(call.token, buyer_id, user_id, token_request)


def revoke_tokens_operation(users: Resource, role: str, who: str) -> Operation:
    """`DELETE {users}/{userID}/tokens`: revoke every token of one of `users`."""
    user_type = users.scope["user_type"]

    def revoke(call):
        company_id = call.params[users.parents[0].param] if users.parents else ""
        revocation.revoke_user_tokens(call.token, user_type, company_id, call.params["userID"])
        return HTTPStatus.NO_CONTENT, None

    return Operation(
        f"{users.prefix}.RevokeUserTokens",
        "DELETE",
        f"{users.path}/{{userID}}/tokens",
        users.tag,
        f"Revoke every access and refresh token of {who}.",
        full_access_or(role),
        "Custom",
        204,
        handler=revoke,
    )


OPERATIONS = [
    *crud_operations(USERS),
    *crud_operations(ADMIN_USERS),
    *crud_operations(SUPPLIER_USERS),
    Operation(
        "Users.Move",
        "POST",
        "/buyers/{buyerID}/users/{userID}/moveto/{newBuyerID}",
        "Users",
        "Move a user to a different buyer.",
        full_access_or("BuyerUserAdmin"),
        "Custom",
        201,
        resource=USERS,
        handler=move_user,
        response=USERS.schema,
        query=(
            Param(
                "orders",
                required=True,
                description="Orders of the user. Possible values: None, Unsubmitted, All.",
                enum=MOVE_ORDERS,
            ),
        ),
    ),
    Operation(
        "Users.GetAccessToken",
        "POST",
        "/buyers/{buyerID}/users/{userID}/accesstoken",
        "Users",
        "Get a single user access token.",
        full_access_or("BuyerImpersonation"),
        "Custom",
        200,
        handler=get_access_token,
        request=impersonation.IMPERSONATE_TOKEN_REQUEST,
        request_required=impersonation.REQUIRED,
        response=impersonation.ACCESS_TOKEN,
    ),
    revoke_tokens_operation(ADMIN_USERS, "AdminUserAdmin", "an admin user"),
    revoke_tokens_operation(USERS, "BuyerUserAdmin", "a user"),
    revoke_tokens_operation(SUPPLIER_USERS, "SupplierUserAdmin", "a supplier user"),
]
