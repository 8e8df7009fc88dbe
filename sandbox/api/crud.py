"""The generic operations every registered resource gets: List, Create, Get, Save, Patch,
Delete. Each takes a `Call` (the verified token, path parameters, query, body) and
returns `(status, body)`; what differs between resources is data in `sandbox.registry`
plus the few `Hooks` below (passwords, unique usernames, generated client IDs).
"""

import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime
from http import HTTPStatus
from typing import Any

from django.conf import settings
from django.core.exceptions import TooManyFieldsSent
from django.db import IntegrityError, transaction
from django.utils import timezone

from sandbox.api import listing, validation
from sandbox.api.errors import ApiError, not_found, validation_failure
from sandbox.api.wire import timestamp
from sandbox.auth.passwords import hash_password
from sandbox.models import ApiClient, Buyer, SecurityProfile, User, UserGroup


@dataclass
class Call:
    operation: Any  # registry.Operation
    token: Any  # auth.AccessToken
    params: dict[str, str]  # path parameters
    query: Any  # QueryDict
    body: Any = None  # the parsed JSON body, when the operation takes one

    @property
    def marketplace(self):
        return self.token.marketplace

    @property
    def resource(self):
        return self.operation.resource


def generate_id() -> str:
    """22 URL-safe characters, like the IDs OrderCloud generates."""
    return secrets.token_urlsafe(16)


def id_exists(object_type: str, object_id: str) -> ApiError:
    return ApiError(
        HTTPStatus.CONFLICT,
        "IdExists",
        f"{object_type} already exists: {object_id}",
        {"ObjectType": object_type, "ObjectID": object_id},
    )


# --- hooks ------------------------------------------------------------------------------


class Hooks:
    """Per-resource behaviour beyond the generic (registered in HOOKS by resource name)."""

    def new_id(self, call: Call) -> str:
        return generate_id()

    def before_write(self, call: Call, obj, values: dict, given: set[str]) -> None:
        """Called with the object about to be saved (new or changed)."""


class UserHooks(Hooks):
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


class ApiClientHooks(Hooks):
    def new_id(self, call):
        return str(uuid.uuid4()).upper()


class ImpersonationConfigHooks(Hooks):
    """The objects a config names exist (404 NotFound naming the first that does not).

    Impersonated: the buyer, and a group or user of that buyer. Impersonator: a buyer's
    user or group when ImpersonationBuyerID is given, else an admin user or group.
    """

    def before_write(self, call, obj, values, given):
        def exists(model, object_type, object_id, **scope):
            if (
                object_id
                and not model.objects.filter(
                    marketplace=call.marketplace, oc_id=object_id, **scope
                ).exists()
            ):
                raise not_found(object_type, object_id)

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


HOOKS: dict[str, Hooks] = {
    "User": UserHooks(),
    "ApiClient": ApiClientHooks(),
    "ImpersonationConfig": ImpersonationConfigHooks(),
}
DEFAULT_HOOKS = Hooks()


def hooks(resource) -> Hooks:
    return HOOKS.get(resource.name, DEFAULT_HOOKS)


# --- wire -------------------------------------------------------------------------------


def to_wire(resource, obj) -> dict:
    out = {}
    for field in resource.fields:
        if field.write_only:
            continue
        if field.compute is not None:
            value = field.compute(obj)
        elif field.attr is None:
            value = None
        else:
            value = getattr(obj, field.attr)
        if isinstance(value, datetime):
            value = timestamp(value)
        out[field.name] = value
    return out


def list_columns(resource) -> dict[str, listing.Column]:
    columns = {}
    for field in resource.fields:
        if field.attr is None or field.write_only:
            continue
        kind = "object" if field.type == "array" or field.ref else field.type
        columns[field.name] = listing.Column(field.attr, kind)
    return columns


# --- scoping ----------------------------------------------------------------------------


def scoped(resource, call: Call):
    """The resource's rows in the caller's marketplace under the path's parents (404 when
    a parent does not exist)."""
    queryset = resource.model.objects.filter(marketplace=call.marketplace, **resource.scope)
    for parent in resource.parents:
        parent_id = call.params[parent.param]
        if not parent.model.objects.filter(marketplace=call.marketplace, oc_id=parent_id).exists():
            raise not_found(parent.object_type, parent_id)
        queryset = queryset.filter(**{parent.column: parent_id})
    return queryset


def placement(resource, call: Call) -> dict:
    """The columns a new object gets from the resource's scope and the path."""
    columns = {"marketplace": call.marketplace, **resource.scope}
    for parent in resource.parents:
        columns[parent.column] = call.params[parent.param]
    return columns


def id_taken(resource, call: Call, object_id: str, *, exclude_pk=None) -> bool:
    """Whether the ID is used where it must be unique (users: the whole marketplace)."""
    if resource.model is User:
        queryset = User.objects.filter(marketplace=call.marketplace)
    elif resource.name == "ApiClient":
        queryset = resource.model.objects.all()  # ClientIDs are global
    else:
        queryset = scoped(resource, call)
    queryset = queryset.filter(oc_id=object_id)
    if exclude_pk is not None:
        queryset = queryset.exclude(pk=exclude_pk)
    return queryset.exists()


def get_object(resource, call: Call, object_id: str | None = None):
    object_id = call.params[resource.id_param] if object_id is None else object_id
    obj = scoped(resource, call).filter(oc_id=object_id).first()
    if obj is None:
        raise not_found(resource.name, object_id)
    return obj


# --- operations -------------------------------------------------------------------------


def list_objects(call: Call):
    resource = call.resource
    queryset = scoped(resource, call)
    for param, path in resource.list_params:
        value = call.query.get(param.name)
        if value:
            queryset = queryset.filter(**{path: value}).distinct()
    page = listing.list_page(
        queryset,
        call.query,
        fields=list_columns(resource),
        searchable=resource.searchable,
        sortable=resource.sortable,
        serialize=lambda obj: to_wire(resource, obj),
        ignore=[param.name for param, _ in resource.list_params],
    )
    return HTTPStatus.OK, page


def get(call: Call):
    return HTTPStatus.OK, to_wire(call.resource, get_object(call.resource, call))


def create(call: Call):
    resource = call.resource
    scoped(resource, call)  # parents exist
    values, given = validation.validate(
        resource.fields, call.body, required=resource.required, schemas=schema_index()
    )
    if resource.id_generated_only or not values.get("oc_id"):
        values["oc_id"] = hooks(resource).new_id(call)
    obj = resource.model(**placement(resource, call))
    apply_fields(obj, resource.fields, values, replace=True)
    return HTTPStatus.CREATED, _write(call, obj, values, given, creating=True)


def save(call: Call):
    resource = call.resource
    path_id = call.params[resource.id_param]
    obj = scoped(resource, call).filter(oc_id=path_id).first()
    values, given = validation.validate(
        resource.fields, call.body, required=resource.required, schemas=schema_index()
    )
    if resource.id_generated_only or not values.get("oc_id"):
        values["oc_id"] = path_id
    if obj is None:
        if not resource.save_creates:
            raise not_found(resource.name, path_id)
        obj = resource.model(**placement(resource, call))
        apply_fields(obj, resource.fields, values, replace=True)
        return HTTPStatus.CREATED, _write(call, obj, values, given, creating=True)
    apply_fields(obj, resource.fields, values, replace=True)
    return HTTPStatus.OK, _write(call, obj, values, given, old_id=path_id)


def patch(call: Call):
    resource = call.resource
    path_id = call.params[resource.id_param]
    obj = get_object(resource, call, path_id)
    values, given = validation.validate(
        resource.fields, call.body, required=resource.required, partial=True, schemas=schema_index()
    )
    if resource.id_generated_only or not values.get("oc_id"):
        values.pop("oc_id", None)
    if "xp" in values and values["xp"] is not None:
        values["xp"] = validation.merge_xp(obj.xp or {}, values["xp"])
    apply_fields(obj, resource.fields, values, replace=False)
    return HTTPStatus.OK, _write(call, obj, values, given, old_id=path_id)


def delete(call: Call):
    resource = call.resource
    obj = get_object(resource, call)
    with transaction.atomic():
        for reference in resource.references:
            rows = _referencing(reference, call, obj.oc_id)
            if reference.on_delete == "clear":
                rows.update(**{reference.column: ""})
            else:
                rows.delete()
        obj.delete()
    return HTTPStatus.NO_CONTENT, None


# --- persistence ------------------------------------------------------------------------


def apply_fields(obj, fields, values: dict, *, replace: bool) -> None:
    """Set the written fields; a replace (create, PUT) resets the absent ones to defaults."""
    for field in fields:
        if field.attr is None or field.write_only:
            continue
        if field.read_only and field.attr != "oc_id":  # a read-only ID is generated
            continue
        if field.attr in values:
            value = values[field.attr]
        elif replace and field.attr != "oc_id":
            value = list(field.default) if isinstance(field.default, list) else field.default
        else:
            continue
        if value is None and field.type == "object" and field.attr == "xp":
            value = {}
        setattr(obj, field.attr, value)


def _write(call, obj, values, given, *, creating=False, old_id=None) -> dict:
    resource = call.resource
    new_id = obj.oc_id
    renamed = old_id is not None and new_id != old_id
    if (creating or renamed) and id_taken(resource, call, new_id, exclude_pk=obj.pk):
        raise id_exists(resource.name, new_id)
    hooks(resource).before_write(call, obj, values, given)
    try:
        with transaction.atomic():
            obj.save()
            if renamed:
                for reference in resource.references:
                    _referencing(reference, call, old_id).update(**{reference.column: new_id})
    except IntegrityError:
        # A concurrent request took the ID (or username) between the check and the save.
        raise id_exists(resource.name, new_id) from None
    return to_wire(resource, obj)


def _referencing(reference, call: Call, object_id: str):
    scope = {}
    for column, value in reference.scope.items():
        if value.startswith("{") and value.endswith("}"):
            value = call.params.get(value[1:-1], "")
        scope[column] = value
    return reference.model.objects.filter(
        marketplace=call.marketplace, **scope, **{reference.column: object_id}
    )


def schema_index() -> dict:
    from sandbox import registry  # the registry imports the modules that import this one

    return registry.schemas()


HANDLERS = {
    "List": list_objects,
    "Create": create,
    "Get": get,
    "Save": save,
    "Patch": patch,
    "Delete": delete,
}


MAX_PARAMETER_LENGTH = 2000


def object_type(param: str) -> str:
    """NotFound's ObjectType for a path parameter: `buyerID` / `newBuyerID` -> `Buyer`."""
    name = param.removesuffix("ID").removeprefix("new") or param
    return name[0].upper() + name[1:]


def check_request(request, params: dict) -> None:
    """Path and query values the database can hold: no NUL, bounded (else 404 / 400)."""
    for name, value in params.items():
        if "\x00" in value or len(value) > MAX_PARAMETER_LENGTH:
            raise not_found(object_type(name), value[:100].replace("\x00", ""))
    try:
        query = request.GET
    except TooManyFieldsSent:
        limit = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
        raise validation_failure(f"A request can have at most {limit} query parameters.") from None
    for name, values in query.lists():
        for value in (name, *values):
            if "\x00" in value or len(value) > MAX_PARAMETER_LENGTH:
                raise validation_failure(
                    f"Query parameter {name[:100]!r} is invalid.",
                    name[:100].replace("\x00", ""),
                )


def execute(call: Call):
    """Run the call's operation: (status, body)."""
    operation = call.operation
    handler = operation.handler or HANDLERS[operation.kind]
    try:
        return handler(call)
    except listing.ListError as error:
        raise ApiError(HTTPStatus.BAD_REQUEST, error.code, error.message, error.data) from None
