"""Assignments of a buyer's spending accounts, credit cards and cost centers to its users,
user groups or the whole buyer: ListAssignments, SaveAssignment, DeleteAssignment, the
same three operations for each (`assignment_operations`)."""

from dataclasses import dataclass
from http import HTTPStatus

from django.db import transaction
from django.db.models import Q

from sandbox.api import crud, validation
from sandbox.api.errors import validation_failure
from sandbox.api.spec import Field, Operation, Param, Resource, Schema
from sandbox.models import User, UserGroup
from sandbox.resources.common import LEVELS, assignment_page


@dataclass(frozen=True)
class Assigned:
    """How a resource's objects are assigned: the assignment model, its foreign key to
    the object, the wire name of the object's ID ("SpendingAccountID"), the schema and
    the extra boolean columns it carries ({"AllowExceed": "allow_exceed"})."""

    resource: Resource
    model: type
    thing: str  # "spending_account"
    id_name: str  # "SpendingAccountID"
    schema: Schema
    extra: tuple[tuple[str, str], ...] = ()
    kind: str = ""  # the noun in summaries, "spending account"


def level_filter(call) -> Q:
    level = call.query.get("level") or ""
    if level and level not in LEVELS:
        raise validation_failure(f"level must be one of {', '.join(LEVELS)}.", "level")
    return {
        "": Q(),
        "User": ~Q(user=None),
        "Group": ~Q(user_group=None),
        "Company": Q(user=None, user_group=None),
    }[level]


def party(call, user_id: str | None, group_id: str | None):
    """The buyer's user or user group an assignment names (404 when missing; neither:
    the whole buyer)."""
    buyer_id = call.params["buyerID"]
    if user_id and group_id:
        raise validation_failure("Assign to a user or to a user group, not both.", "UserGroupID")
    user = group = None
    if user_id:
        user = crud.find_object(
            call, User, "User", user_id, user_type=User.Type.BUYER, company_id=buyer_id
        )
    if group_id:
        group = crud.find_object(
            call, UserGroup, "UserGroup", group_id, group_type=User.Type.BUYER, company_id=buyer_id
        )
    return user, group


def assignment_operations(spec: Assigned) -> list[Operation]:
    resource, model, thing = spec.resource, spec.model, spec.thing
    own_param = spec.id_name[0].lower() + spec.id_name[1:]  # "spendingAccountID"
    wire_names = {f.name for f in spec.schema.fields}
    list_params = (
        Param(own_param, description=f"ID of the {spec.kind}."),
        Param("userID", description="ID of the user."),
        Param("userGroupID", description="ID of the user group."),
        Param("level", description=f"Level of the {spec.kind} assignment.", enum=LEVELS),
    )

    def wire(row) -> dict:
        out = {
            spec.id_name: getattr(row, thing).oc_id,
            "UserID": row.user.oc_id if row.user else None,
            "UserGroupID": row.user_group.oc_id if row.user_group else None,
        }
        out.update({name: getattr(row, column) for name, column in spec.extra})
        return {name: value for name, value in out.items() if name in wire_names}

    def list_assignments(call):
        crud.scoped(resource, call)  # the buyer exists
        queryset = model.objects.filter(
            level_filter(call),
            marketplace=call.marketplace,
            **{f"{thing}__company_id": call.params["buyerID"]},
        ).select_related(thing, "user", "user_group")
        for param, path in (
            (own_param, f"{thing}__oc_id"),
            ("userID", "user__oc_id"),
            ("userGroupID", "user_group__oc_id"),
        ):
            if call.query.get(param):
                queryset = queryset.filter(**{path: call.query[param]})
        columns = {spec.id_name: f"{thing}__oc_id", "UserGroupID": "user_group__oc_id"}
        if "UserID" in wire_names:
            columns["UserID"] = "user__oc_id"
        return assignment_page(call, queryset, columns, wire, list_params)

    def save_assignment(call):
        values, _ = validation.validate(spec.schema.fields, call.body, required=(spec.id_name,))
        obj = crud.get_object(resource, call, values[spec.id_name])
        user, group = party(call, values.get("UserID"), values.get("UserGroupID"))
        with transaction.atomic():
            model.objects.update_or_create(
                marketplace=call.marketplace,
                user=user,
                user_group=group,
                **{thing: obj},
                defaults={column: bool(values.get(name)) for name, column in spec.extra},
            )
        return HTTPStatus.NO_CONTENT, None

    def delete_assignment(call):
        obj = crud.get_object(resource, call)
        user, group = party(call, call.query.get("userID"), call.query.get("userGroupID"))
        model.objects.filter(user=user, user_group=group, **{thing: obj}).delete()
        return HTTPStatus.NO_CONTENT, None

    base, tag = resource.path, resource.tag
    return [
        Operation(
            f"{resource.prefix}.DeleteAssignment",
            "DELETE",
            f"{resource.item_path}/assignments",
            tag,
            f"Delete a {spec.kind} assignment.",
            resource.write_roles,
            "DeleteAssignment",
            204,
            resource=resource,
            handler=delete_assignment,
            query=list_params[1:3],
        ),
        Operation(
            f"{resource.prefix}.ListAssignments",
            "GET",
            f"{base}/assignments",
            tag,
            f"Get a list of {spec.kind} assignments.",
            resource.read_roles,
            "ListAssignments",
            200,
            resource=resource,
            handler=list_assignments,
            response=spec.schema,
            is_list=True,
            query=list_params,
        ),
        Operation(
            f"{resource.prefix}.SaveAssignment",
            "POST",
            f"{base}/assignments",
            tag,
            f"Create or update a {spec.kind} assignment.",
            resource.write_roles,
            "SaveAssignment",
            204,
            resource=resource,
            handler=save_assignment,
            request=spec.schema,
            request_required=(spec.id_name,),
            errors=(404,),  # the body names the object, the user and the group
        ),
    ]


def id_field_of(schema_name: str, id_name: str, *more: Field) -> Schema:
    """An assignment schema: the object's ID, UserID, UserGroupID and `more`."""
    example = f"{id_name.removesuffix('ID').lower()}-1"
    return Schema(
        schema_name, (Field(id_name, example=example), Field("UserID"), Field("UserGroupID"), *more)
    )
