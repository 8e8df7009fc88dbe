"""User groups of buyers, of the marketplace (admin) and of suppliers, and their members
(user assignments: a list, a save and a delete)."""

from dataclasses import replace
from http import HTTPStatus

from sandbox import models
from sandbox.api import crud, validation
from sandbox.api.spec import Field, Operation, Param, Reference, Resource, Schema, crud_operations
from sandbox.models import User, UserGroup, UserGroupAssignment
from sandbox.resources.common import (
    BUYER_PARENT,
    SUPPLIER_PARENT,
    XP,
    assignment_page,
    crud_summaries,
    full_access_or,
    id_field,
)

USER_GROUPS = Resource(
    name="UserGroup",
    prefix="UserGroups",
    tag="User Groups",
    path="/buyers/{buyerID}/usergroups",
    id_param="userGroupID",
    model=models.UserGroup,
    fields=(
        id_field(),
        Field("Name", attr="name", max_length=100, example="Group"),
        Field("Description", attr="description", max_length=2000),
        XP,
    ),
    required=("Name",),
    searchable=("ID", "Name", "Description"),
    sortable=("Name", "ID"),
    read_roles=full_access_or("UserGroupAdmin", "UserGroupReader"),
    write_roles=full_access_or("UserGroupAdmin"),
    summaries=crud_summaries("user group", "user groups"),
    parents=(BUYER_PARENT,),
    scope={"group_type": User.Type.BUYER},
    references=(
        Reference(models.SecurityProfileAssignment, "user_group_id", {"buyer_id": "{buyerID}"}),
        Reference(
            models.ImpersonationConfig,
            "group_id",
            {"buyer_id": "{buyerID}"},
            on_delete="clear",
        ),
        Reference(
            models.ImpersonationConfig,
            "impersonation_group_id",
            {"impersonation_buyer_id": "{buyerID}"},
            on_delete="clear",
        ),
    ),
)

ADMIN_USER_GROUPS = replace(
    USER_GROUPS,
    prefix="AdminUserGroups",
    tag="Admin User Groups",
    path="/usergroups",
    read_roles=full_access_or("AdminUserGroupAdmin", "AdminUserGroupReader"),
    write_roles=full_access_or("AdminUserGroupAdmin"),
    summaries=crud_summaries("admin user group", "admin user groups", "an"),
    parents=(),
    scope={"group_type": User.Type.ADMIN, "company_id": ""},
    references=(
        Reference(
            models.SecurityProfileAssignment,
            "user_group_id",
            {"buyer_id": "", "supplier_id": ""},
        ),
    ),
)

SUPPLIER_USER_GROUPS = replace(
    USER_GROUPS,
    prefix="SupplierUserGroups",
    tag="Supplier User Groups",
    path="/suppliers/{supplierID}/usergroups",
    read_roles=full_access_or("SupplierUserGroupAdmin", "SupplierUserGroupReader"),
    write_roles=full_access_or("SupplierUserGroupAdmin"),
    summaries=crud_summaries("supplier user group", "supplier user groups"),
    parents=(SUPPLIER_PARENT,),
    scope={"group_type": User.Type.SUPPLIER},
    references=(
        Reference(
            models.SecurityProfileAssignment, "user_group_id", {"supplier_id": "{supplierID}"}
        ),
    ),
)

# --- memberships ------------------------------------------------------------------------------

USER_GROUP_ASSIGNMENT = Schema(
    "UserGroupAssignment", (Field("UserGroupID", example="group-1"), Field("UserID"))
)


def group_scope(groups: Resource, call) -> dict:
    """The user_type / company of users and groups under the path (404 on a missing parent)."""
    crud.scoped(groups, call)
    scope = {"group_type": groups.scope["group_type"], "company_id": ""}
    for parent in groups.parents:
        scope["company_id"] = call.params[parent.param]
    return scope


def assignment_operations(groups: Resource) -> list[Operation]:
    list_params = (
        Param("userGroupID", description="ID of the user group."),
        Param("userID", description="ID of the user."),
    )

    def list_assignments(call):
        scope = group_scope(groups, call)
        queryset = UserGroupAssignment.objects.filter(
            marketplace=call.marketplace,
            user_group__group_type=scope["group_type"],
            user_group__company_id=scope["company_id"],
        ).select_related("user_group", "user")
        if call.query.get("userGroupID"):
            queryset = queryset.filter(user_group__oc_id=call.query["userGroupID"])
        if call.query.get("userID"):
            queryset = queryset.filter(user__oc_id=call.query["userID"])
        return assignment_page(
            call,
            queryset,
            {"UserGroupID": "user_group__oc_id", "UserID": "user__oc_id"},
            lambda row: {"UserGroupID": row.user_group.oc_id, "UserID": row.user.oc_id},
            list_params,
        )

    def members(call, group_id, user_id):
        scope = group_scope(groups, call)
        group = crud.find_object(call, UserGroup, "UserGroup", group_id, **scope)
        user = crud.find_object(
            call,
            User,
            "User",
            user_id,
            user_type=scope["group_type"],
            company_id=scope["company_id"],
        )
        return group, user

    def save_assignment(call):
        body, _ = validation.validate(
            USER_GROUP_ASSIGNMENT.fields, call.body, required=("UserGroupID", "UserID")
        )
        group, user = members(call, body["UserGroupID"], body["UserID"])
        crud.assign(
            UserGroupAssignment,
            {"marketplace": call.marketplace, "user_group": group, "user": user},
        )
        return HTTPStatus.NO_CONTENT, None

    def delete_assignment(call):
        group, user = members(call, call.params["userGroupID"], call.params["userID"])
        UserGroupAssignment.objects.filter(user_group=group, user=user).delete()
        return HTTPStatus.NO_CONTENT, None

    read, write = groups.read_roles, groups.write_roles
    base, prefix, tag = groups.path, groups.prefix, groups.tag
    noun = groups.summaries["Get"].removeprefix("Get a single ").rstrip(".")
    article = "an" if noun.startswith("admin") else "a"
    return [
        Operation(
            f"{prefix}.DeleteUserAssignment",
            "DELETE",
            f"{base}/{{userGroupID}}/assignments/{{userID}}",
            tag,
            f"Delete {article} {noun} user assignment.",
            write,
            "DeleteAssignment",
            204,
            handler=delete_assignment,
        ),
        Operation(
            f"{prefix}.ListUserAssignments",
            "GET",
            f"{base}/assignments",
            tag,
            f"Get a list of {noun} user assignments.",
            read,
            "ListAssignments",
            200,
            handler=list_assignments,
            response=USER_GROUP_ASSIGNMENT,
            is_list=True,
            query=list_params,
        ),
        Operation(
            f"{prefix}.SaveUserAssignment",
            "POST",
            f"{base}/assignments",
            tag,
            f"Create or update {article} {noun} user assignment.",
            write,
            "SaveAssignment",
            204,
            handler=save_assignment,
            request=USER_GROUP_ASSIGNMENT,
            errors=(404,),  # the body names the group and the user
        ),
    ]


OPERATIONS = [
    *crud_operations(USER_GROUPS),
    *crud_operations(ADMIN_USER_GROUPS),
    *crud_operations(SUPPLIER_USER_GROUPS),
    *assignment_operations(USER_GROUPS),
    *assignment_operations(ADMIN_USER_GROUPS),
    *assignment_operations(SUPPLIER_USER_GROUPS),
]
