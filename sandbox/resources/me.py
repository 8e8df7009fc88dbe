"""Me: the authenticated user itself (get, save, patch, reset its password by token)."""

from http import HTTPStatus

from django.utils import timezone

from sandbox.api import crud, validation
from sandbox.api.spec import Field, Operation, Schema
from sandbox.api.wire import to_wire
from sandbox.auth.passwords import hash_password
from sandbox.auth.roles import available_roles
from sandbox.models import Buyer, User
from sandbox.resources.common import USER_FIELDS, USER_REQUIRED, full_access_or
from sandbox.resources.users import USERS

ME_BUYER = Schema(
    "MeBuyer",
    (
        Field("ID", max_length=100, read_only=True),
        Field("DefaultCatalogID", read_only=True),
    ),
)
ME_SUPPLIER = Schema("MeSupplier", (Field("ID", max_length=100, read_only=True),))
ME_SELLER = Schema("MeSeller", (Field("ID", max_length=100, read_only=True),))
ME_USER = Schema(
    "MeUser",
    (
        Field("Buyer", "object", read_only=True, ref=ME_BUYER),
        Field("Supplier", "object", read_only=True, ref=ME_SUPPLIER),
        Field("Seller", "object", read_only=True, ref=ME_SELLER),
        *(f for f in USER_FIELDS if f.name != "FailedLoginAttempts"),
    ),
)
TOKEN_PASSWORD_RESET = Schema(
    "TokenPasswordReset", (Field("NewPassword", format="password", write_only=True),)
)


def me_body(user: User) -> dict:
    """OrderCloud's MeUser: the user, its roles and its company; never its password."""
    company = {"Buyer": None, "Supplier": None, "Seller": None}
    match user.user_type:
        case User.Type.ADMIN:
            company["Seller"] = {"ID": user.marketplace.oc_id}
        case User.Type.BUYER:
            buyer = Buyer.objects.filter(
                marketplace=user.marketplace, oc_id=user.company_id
            ).first()
            company["Buyer"] = {
                "ID": user.company_id,
                "DefaultCatalogID": buyer.default_catalog_id if buyer else None,
            }
        case User.Type.SUPPLIER:
            company["Supplier"] = {"ID": user.company_id}
    fields = to_wire(user)
    fields.pop("FailedLoginAttempts")  # on User, not on MeUser (OrderCloud's own models)
    dates = {name: fields.pop(name) for name in ("DateCreated", "PasswordLastSetDate")}
    roles = available_roles(user)
    return {**company, **fields, "AvailableRoles": roles, "Locale": None, **dates}


def me_get(call):
    return HTTPStatus.OK, me_body(call.token.user)


def me_write(call, *, partial: bool):
    user = call.token.user
    values, given = validation.validate(
        ME_USER.fields, call.body, required=USER_REQUIRED, partial=partial
    )
    # A token names its user by ID: the ID cannot change through /me.
    values.pop("oc_id", None)
    if partial and values.get("xp") is not None:
        values["xp"] = validation.merge_xp(user.xp or {}, values["xp"])
    crud.apply_fields(user, ME_USER.fields, values, replace=not partial)
    # What holds for every user (a unique username, a hashed password) holds here too.
    USERS.hooks.before_write(call, user, values, given)
    user.save()
    return HTTPStatus.OK, me_body(user)


def me_save(call):
    return me_write(call, partial=False)


def me_patch(call):
    return me_write(call, partial=True)


def me_password(call):
    values, _ = validation.validate(
        TOKEN_PASSWORD_RESET.fields, call.body, required=("NewPassword",)
    )
    user = call.token.user
    user.password = hash_password(values["NewPassword"])
    user.password_last_set_date = timezone.now()
    user.save(update_fields=["password", "password_last_set_date"])
    return HTTPStatus.NO_CONTENT, None


OPERATIONS = [
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
        full_access_or("MeAdmin"),
        "Custom",
        200,
        handler=me_save,
        request=ME_USER,
        request_required=USER_REQUIRED,
        response=ME_USER,
        errors=(409,),  # the username is taken
    ),
    Operation(
        "Me.Patch",
        "PATCH",
        "/me",
        "Me",
        "Patch the Currently Authenticated User.",
        full_access_or("MeAdmin"),
        "Custom",
        200,
        handler=me_patch,
        request=ME_USER,
        response=ME_USER,
        errors=(409,),  # the username is taken
    ),
    Operation(
        "Me.ResetPasswordByToken",
        "POST",
        "/me/password",
        "Me",
        "Reset a password by token.",
        full_access_or("PasswordReset"),
        "Custom",
        204,
        handler=me_password,
        request=TOKEN_PASSWORD_RESET,
        request_required=("NewPassword",),
    ),
]
