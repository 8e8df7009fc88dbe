"""The generic operations every resource gets: List, Create, Get, Save, Patch, Delete.

Each takes a `Call` (the verified token, path parameters, query, body) and returns
`(status, body)`; what differs between resources is their declaration (`sandbox.api.spec`:
fields, scope, parents, references, `Resource.hooks`, `Resource.id_scope`). `execute` runs
an operation: its own handler when it has one, else the generic one of its kind.
"""

from dataclasses import dataclass
from datetime import datetime
from http import HTTPStatus
from typing import Any

from django.db import IntegrityError, transaction

from sandbox.api import listing, validation
from sandbox.api.errors import ApiError, not_found
from sandbox.api.spec import IdScope
from sandbox.api.wire import timestamp


@dataclass
class Call:
    operation: Any  # sandbox.api.spec.Operation
    token: Any  # the caller's verified token (sandbox.auth.access.AccessToken)
    params: dict[str, str]  # path parameters
    query: Any  # QueryDict
    body: Any = None  # the parsed JSON body, when the operation takes one

    @property
    def marketplace(self):
        return self.token.marketplace

    @property
    def resource(self):
        return self.operation.resource


def id_exists(object_type: str, object_id: str) -> ApiError:
    return ApiError(
        HTTPStatus.CONFLICT,
        "IdExists",
        f"{object_type} already exists: {object_id}",
        {"ObjectType": object_type, "ObjectID": object_id},
    )


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
    a parent does not exist), as the resource's hooks narrow them."""
    queryset = resource.model.objects.filter(marketplace=call.marketplace, **resource.scope)
    for parent in resource.parents:
        queryset = queryset.filter(**{parent.column: parent_value(parent, call)})
    return resource.hooks.queryset(call, queryset)


def parent_value(parent, call: Call):
    """What the child's `parent.column` holds for the path's parent: its ID, or its row
    (`foreign_key`); 404 when it does not exist."""
    parent_id = call.params[parent.param]
    found = parent.model.objects.filter(marketplace=call.marketplace, oc_id=parent_id)
    if not parent.foreign_key:
        if not found.exists():
            raise not_found(parent.object_type, parent_id)
        return parent_id
    row = found.first()
    if row is None:
        raise not_found(parent.object_type, parent_id)
    return row


def placement(resource, call: Call) -> dict:
    """The columns a new object gets from the resource's scope and the path."""
    columns = {"marketplace": call.marketplace, **resource.scope}
    for parent in resource.parents:
        columns[parent.column] = parent_value(parent, call)
    return columns


def id_taken(resource, call: Call, object_id: str, *, exclude_pk=None) -> bool:
    """Whether the ID is used where the resource's IDs must be unique (`id_scope`)."""
    match resource.id_scope:
        case IdScope.GLOBAL:
            queryset = resource.model.objects.all()
        case IdScope.MARKETPLACE:
            queryset = resource.model.objects.filter(marketplace=call.marketplace)
        case _:
            queryset = resource.model.objects.filter(marketplace=call.marketplace, **resource.scope)
            for parent in resource.parents:
                queryset = queryset.filter(**{parent.column: parent_value(parent, call)})
    queryset = queryset.filter(oc_id=object_id)
    if exclude_pk is not None:
        queryset = queryset.exclude(pk=exclude_pk)
    return queryset.exists()


def find_object(call: Call, model, object_type: str, object_id: str, **scope):
    """The object of `model` with that ID in the caller's marketplace, else 404."""
    obj = model.objects.filter(marketplace=call.marketplace, oc_id=object_id, **scope).first()
    if obj is None:
        raise not_found(object_type, object_id)
    return obj


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
        default_order=resource.default_order,
    )
    return HTTPStatus.OK, page


def get(call: Call):
    return HTTPStatus.OK, to_wire(call.resource, get_object(call.resource, call))


def create(call: Call):
    resource = call.resource
    scoped(resource, call)  # parents exist
    values, given = validation.validate(resource.fields, call.body, required=resource.required)
    if resource.id_generated_only or not values.get("oc_id"):
        values["oc_id"] = resource.hooks.new_id(call)
    obj = resource.model(**placement(resource, call))
    apply_fields(obj, resource.fields, values, replace=True)
    return HTTPStatus.CREATED, _write(call, obj, values, given, creating=True)


def save(call: Call):
    resource = call.resource
    path_id = call.params[resource.id_param]
    obj = scoped(resource, call).filter(oc_id=path_id).first()
    values, given = validation.validate(resource.fields, call.body, required=resource.required)
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
        resource.fields, call.body, required=resource.required, partial=True
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
        resource.hooks.before_delete(call, obj)
        for reference in resource.references:
            rows = _referencing(reference, call, obj.oc_id)
            if reference.on_delete == "clear":
                rows.update(**{reference.column: ""})
            elif reference.on_delete == "null":
                rows.update(**{reference.column: None})
            else:
                rows.delete()
        obj.delete()
        resource.hooks.after_delete(call, obj)
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
    try:
        with transaction.atomic():
            resource.hooks.before_write(call, obj, values, given)
            obj.save()
            if renamed:
                for reference in resource.references:
                    _referencing(reference, call, old_id).update(**{reference.column: new_id})
            resource.hooks.after_write(call, obj, creating)
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


HANDLERS = {
    "List": list_objects,
    "Create": create,
    "Get": get,
    "Save": save,
    "Patch": patch,
    "Delete": delete,
}


def execute(call: Call):
    """Run the call's operation: (status, body)."""
    operation = call.operation
    handler = operation.handler or HANDLERS[operation.kind]
    try:
        return handler(call)
    except listing.ListError as error:
        raise ApiError(HTTPStatus.BAD_REQUEST, error.code, error.message, error.data) from None
