"""Addresses of buyers, of the marketplace (admin) and of suppliers, and the assignments
of buyer addresses to a user, a user group or the whole buyer."""

from dataclasses import replace
from http import HTTPStatus

from django.db.models import Q

from sandbox import models
from sandbox.api import crud, validation
from sandbox.api.errors import validation_failure
from sandbox.api.spec import Field, Operation, Param, Resource, Schema, crud_operations
from sandbox.models import Address, AddressAssignment, User, UserGroup
from sandbox.resources.common import (
    ADDRESS_FIELDS,
    ADDRESS_REQUIRED,
    ADDRESS_SEARCH,
    ADDRESS_SORT,
    BUYER_PARENT,
    LEVELS,
    SUPPLIER_PARENT,
    assignment_page,
    crud_summaries,
    full_access_or,
)

ADDRESSES = Resource(
    name="Address",
    prefix="Addresses",
    tag="Addresses",
    path="/buyers/{buyerID}/addresses",
    id_param="addressID",
    model=models.Address,
    fields=ADDRESS_FIELDS,
    required=ADDRESS_REQUIRED,
    searchable=ADDRESS_SEARCH,
    sortable=ADDRESS_SORT,
    read_roles=full_access_or("AddressAdmin", "AddressReader"),
    write_roles=full_access_or("AddressAdmin"),
    summaries=crud_summaries("address", "addresses", "an"),
    parents=(BUYER_PARENT,),
    # A buyer user's own addresses (/me/addresses) are not the buyer's.
    scope={"owner_type": User.Type.BUYER, "owner_user": None},
)

ADMIN_ADDRESSES = replace(
    ADDRESSES,
    prefix="AdminAddresses",
    tag="Admin Addresses",
    path="/addresses",
    read_roles=full_access_or("AdminAddressAdmin", "AdminAddressReader"),
    write_roles=full_access_or("AdminAddressAdmin"),
    summaries=crud_summaries("admin address", "admin addresses", "an"),
    parents=(),
    scope={"owner_type": User.Type.ADMIN, "company_id": "", "owner_user": None},
)

SUPPLIER_ADDRESSES = replace(
    ADDRESSES,
    prefix="SupplierAddresses",
    tag="Supplier Addresses",
    path="/suppliers/{supplierID}/addresses",
    read_roles=full_access_or("SupplierAddressAdmin", "SupplierAddressReader"),
    write_roles=full_access_or("SupplierAddressAdmin"),
    summaries=crud_summaries("supplier address", "supplier addresses"),
    parents=(SUPPLIER_PARENT,),
    scope={"owner_type": User.Type.SUPPLIER, "owner_user": None},
)

# --- assignments -------------------------------------------------------------------------------

ADDRESS_ASSIGNMENT = Schema(
    "AddressAssignment",
    (
        Field("AddressID", example="address-1"),
        Field("UserID"),
        Field("UserGroupID"),
        Field("IsShipping", "boolean", default=False),
        Field("IsBilling", "boolean", default=False),
    ),
)
LIST_PARAMS = (
    Param("addressID", description="ID of the address."),
    Param("userID", description="ID of the user."),
    Param("userGroupID", description="ID of the user group."),
    Param("level", description="Level of the address assignment.", enum=LEVELS),
    Param("isShipping", "boolean", description="Is shipping."),
    Param("isBilling", "boolean", description="Is billing."),
)


def assignment_wire(row) -> dict:
    return {
        "AddressID": row.address.oc_id,
        "UserID": row.user.oc_id if row.user else None,
        "UserGroupID": row.user_group.oc_id if row.user_group else None,
        "IsShipping": row.is_shipping,
        "IsBilling": row.is_billing,
    }


def boolean_param(call, name):
    value = call.query.get(name)
    if value in (None, ""):
        return None
    if value.lower() not in ("true", "false"):
        raise validation_failure(f"{name} must be true or false.", name)
    return value.lower() == "true"


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


def list_assignments(call):
    crud.scoped(ADDRESSES, call)
    buyer_id = call.params["buyerID"]
    queryset = AddressAssignment.objects.filter(
        level_filter(call),
        marketplace=call.marketplace,
        address__owner_type=User.Type.BUYER,
        address__company_id=buyer_id,
        address__owner_user=None,
    ).select_related("address", "user", "user_group")
    for param, path in (
        ("addressID", "address__oc_id"),
        ("userID", "user__oc_id"),
        ("userGroupID", "user_group__oc_id"),
    ):
        if call.query.get(param):
            queryset = queryset.filter(**{path: call.query[param]})
    for param, column in (("isShipping", "is_shipping"), ("isBilling", "is_billing")):
        value = boolean_param(call, param)
        if value is not None:
            queryset = queryset.filter(**{column: value})
    return assignment_page(
        call,
        queryset,
        {
            "AddressID": "address__oc_id",
            "UserID": "user__oc_id",
            "UserGroupID": "user_group__oc_id",
        },
        assignment_wire,
        LIST_PARAMS,
    )


def parties(call, address_id, user_id, group_id):
    """The buyer's address and the user or group it is assigned to (404 when missing)."""
    buyer_id = call.params["buyerID"]
    crud.scoped(ADDRESSES, call)
    address = crud.find_object(
        call,
        Address,
        "Address",
        address_id,
        owner_type="buyer",
        company_id=buyer_id,
        owner_user=None,
    )
    if user_id and group_id:
        raise validation_failure(
            "Assign an address to a user or to a user group, not both.", "UserGroupID"
        )
    user = group = None
    if user_id:
        user = crud.find_object(call, User, "User", user_id, user_type="buyer", company_id=buyer_id)
    if group_id:
        group = crud.find_object(
            call, UserGroup, "UserGroup", group_id, group_type="buyer", company_id=buyer_id
        )
    return address, user, group


def save_assignment(call):
    values, _ = validation.validate(ADDRESS_ASSIGNMENT.fields, call.body, required=("AddressID",))
    address, user, group = parties(
        call, values["AddressID"], values.get("UserID"), values.get("UserGroupID")
    )
    crud.assign(
        AddressAssignment,
        {"marketplace": call.marketplace, "address": address, "user": user, "user_group": group},
        {
            "is_shipping": bool(values.get("IsShipping")),
            "is_billing": bool(values.get("IsBilling")),
        },
    )
    return HTTPStatus.NO_CONTENT, None


def delete_assignment(call):
    address, user, group = parties(
        call, call.params["addressID"], call.query.get("userID"), call.query.get("userGroupID")
    )
    AddressAssignment.objects.filter(address=address, user=user, user_group=group).delete()
    return HTTPStatus.NO_CONTENT, None


OPERATIONS = [
    *crud_operations(ADDRESSES),
    *crud_operations(ADMIN_ADDRESSES),
    *crud_operations(SUPPLIER_ADDRESSES),
    Operation(
        "Addresses.DeleteAssignment",
        "DELETE",
        "/buyers/{buyerID}/addresses/{addressID}/assignments",
        "Addresses",
        "Delete an address assignment.",
        ADDRESSES.write_roles,
        "DeleteAssignment",
        204,
        handler=delete_assignment,
        query=(
            Param("userID", description="ID of the user."),
            Param("userGroupID", description="ID of the user group."),
        ),
    ),
    Operation(
        "Addresses.ListAssignments",
        "GET",
        "/buyers/{buyerID}/addresses/assignments",
        "Addresses",
        "Get a list of address assignments.",
        ADDRESSES.read_roles,
        "ListAssignments",
        200,
        handler=list_assignments,
        response=ADDRESS_ASSIGNMENT,
        is_list=True,
        query=LIST_PARAMS,
    ),
    Operation(
        "Addresses.SaveAssignment",
        "POST",
        "/buyers/{buyerID}/addresses/assignments",
        "Addresses",
        "Create or update an address assignment.",
        ADDRESSES.write_roles,
        "SaveAssignment",
        204,
        handler=save_assignment,
        request=ADDRESS_ASSIGNMENT,
        request_required=("AddressID",),
        errors=(404,),  # the body names the address, user and group
    ),
]
