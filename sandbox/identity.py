"""Identity operations beyond plain CRUD: Me, moving a user to another buyer, and the
assignment endpoints, registered as `Operation`s with their handlers."""

from http import HTTPStatus

from django.db import transaction
from django.utils import timezone

from sandbox.api import crud, validation, wire
from sandbox.api.errors import not_found, validation_failure
from sandbox.auth.passwords import hash_password
from sandbox.auth.roles import available_roles
from sandbox.models import (
    AddressAssignment,
    Buyer,
    SecurityProfileAssignment,
    User,
    UserGroupAssignment,
)
from sandbox.registry import (
    ADMIN_USERS,
    SUPPLIER_USERS,
    USER_FIELDS,
    USER_REQUIRED,
    USERS,
    Field,
    Operation,
    Param,
    Schema,
    _roles,
)

# --- Me ---------------------------------------------------------------------------------

ME_USER = Schema(
    "MeUser",
    (
        Field("Buyer", "object", read_only=True, ref="MeBuyer"),
        Field("Supplier", "object", read_only=True, ref="MeSupplier"),
        Field("Seller", "object", read_only=True, ref="MeSeller"),
        *(f for f in USER_FIELDS if f.name != "FailedLoginAttempts"),
    ),
)
ME_BUYER = Schema(
    "MeBuyer",
    (
        Field("ID", max_length=100, read_only=True),
        Field("DefaultCatalogID", read_only=True),
    ),
)
ME_SUPPLIER = Schema("MeSupplier", (Field("ID", max_length=100, read_only=True),))
ME_SELLER = Schema("MeSeller", (Field("ID", max_length=100, read_only=True),))
TOKEN_PASSWORD_RESET = Schema(
    "TokenPasswordReset", (Field("NewPassword", format="password", write_only=True),)
)
USER_RESOURCES = {
    User.Type.ADMIN: ADMIN_USERS,
    User.Type.BUYER: USERS,
    User.Type.SUPPLIER: SUPPLIER_USERS,
}


def me_body(user: User) -> dict:
    body = wire.me_user(user, available_roles(user))
    if user.user_type == User.Type.BUYER:
        buyer = Buyer.objects.filter(marketplace=user.marketplace, oc_id=user.company_id).first()
        body["Buyer"]["DefaultCatalogID"] = buyer.default_catalog_id if buyer else None
    return body


def me_get(call):
    return HTTPStatus.OK, me_body(call.token.user)


def _me_write(call, *, partial: bool):
    user = call.token.user
    values, given = validation.validate(
        ME_USER.fields, call.body, required=USER_REQUIRED, partial=partial
    )
    # A token names its user by ID: the ID cannot change through /me.
    values.pop("oc_id", None)
    if partial and values.get("xp") is not None:
        values["xp"] = validation.merge_xp(user.xp or {}, values["xp"])
    crud.apply_fields(user, ME_USER.fields, values, replace=not partial)
    crud.hooks(USER_RESOURCES[user.user_type]).before_write(call, user, values, given)
    user.save()
    return HTTPStatus.OK, me_body(user)


def me_save(call):
    return _me_write(call, partial=False)


def me_patch(call):
    return _me_write(call, partial=True)


def me_password(call):
    values, _ = validation.validate(
        TOKEN_PASSWORD_RESET.fields, call.body, required=("NewPassword",)
    )
    user = call.token.user
    user.password = hash_password(values["NewPassword"])
    user.password_last_set_date = timezone.now()
    user.save(update_fields=["password", "password_last_set_date"])
    return HTTPStatus.NO_CONTENT, None


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
    return HTTPStatus.CREATED, crud.to_wire(USERS, user)


# --- the operations -------------------------------------------------------------------------


def operations() -> list[Operation]:
    user_schema = USERS.schema
    return [
        Operation(
            "Me.Get",
            "GET",
            "/me",
            "Me",
            "Get the Current Authenticated User",
            (),
            "Custom",
            200,
            handler=me_get,
            response=ME_USER,
        ),
        Operation(
            "Me.Save",
            "PUT",
            "/me",
            "Me",
            "Update the Currently Authenticated User",
            _roles("MeAdmin"),
            "Custom",
            200,
            handler=me_save,
            request=ME_USER,
            request_required=USER_REQUIRED,
            response=ME_USER,
        ),
        Operation(
            "Me.Patch",
            "PATCH",
            "/me",
            "Me",
            "Patch the Currently Authenticated User.",
            _roles("MeAdmin"),
            "Custom",
            200,
            handler=me_patch,
            request=ME_USER,
            response=ME_USER,
        ),
        Operation(
            "Me.ResetPasswordByToken",
            "POST",
            "/me/password",
            "Me",
            "Reset a password by token.",
            _roles("PasswordReset"),
            "Custom",
            204,
            handler=me_password,
            request=TOKEN_PASSWORD_RESET,
            request_required=("NewPassword",),
        ),
        Operation(
            "Users.Move",
            "POST",
            "/buyers/{buyerID}/users/{userID}/moveto/{newBuyerID}",
            "Users",
            "Move a user to a different buyer.",
            _roles("BuyerUserAdmin"),
            "Custom",
            201,
            resource=USERS,
            handler=move_user,
            response=user_schema,
            query=(
                Param(
                    "orders",
                    required=True,
                    description="Orders of the user. Possible values: None, Unsubmitted, All.",
                    enum=MOVE_ORDERS,
                ),
            ),
        ),
    ]


EXTRA_SCHEMAS = (ME_BUYER, ME_SUPPLIER, ME_SELLER)
