"""Security profiles (sets of roles) and their assignments: at marketplace, company,
user group or user level, they decide every user's roles (`sandbox.auth.roles`)."""

from http import HTTPStatus

from sandbox import models
from sandbox.api import crud, validation
from sandbox.api.errors import validation_failure
from sandbox.api.spec import Field, Operation, Param, Reference, Resource, Schema, crud_operations
from sandbox.models import (
    Buyer,
    SecurityProfile,
    SecurityProfileAssignment,
    Supplier,
    User,
    UserGroup,
)
from sandbox.resources.common import (
    LEVELS,
    PASSWORD_CONFIG,
    assignment_page,
    crud_summaries,
    full_access_or,
    id_field,
)

SECURITY_PROFILES = Resource(
    name="SecurityProfile",
    prefix="SecurityProfiles",
    tag="Security Profiles",
    path="/securityprofiles",
    id_param="securityProfileID",
    model=models.SecurityProfile,
    fields=(
        id_field(),
        Field("Name", attr="name", max_length=100, example="Full access"),
        Field("Roles", "array", attr="roles", items="ApiRole", default=[], example=["FullAccess"]),
        Field("CustomRoles", "array", attr="custom_roles", items="string", default=[]),
        Field("PasswordConfig", "object", attr="password_config", ref=PASSWORD_CONFIG),
    ),
    required=("Name",),
    searchable=("ID", "Name"),
    sortable=("ID", "Name"),
    read_roles=full_access_or(
        "SecurityProfileAdmin", "SetSecurityProfile", "SecurityProfileReader"
    ),
    write_roles=full_access_or("SecurityProfileAdmin", "SetSecurityProfile"),
    summaries=crud_summaries("security profile", "security profiles"),
    references=(Reference(models.ImpersonationConfig, "security_profile_id"),),
)

# --- assignments -------------------------------------------------------------------------------

SECURITY_PROFILE_ASSIGNMENT = Schema(
    "SecurityProfileAssignment",
    (
        Field("SecurityProfileID", example="profile-1"),
        Field("BuyerID"),
        Field("SupplierID"),
        Field("UserID"),
        Field("UserGroupID"),
    ),
)
COMMERCE_ROLES = ("Buyer", "Seller", "Supplier")
LIST_PARAMS = (
    Param("buyerID", description="ID of the buyer."),
    Param("supplierID", description="ID of the supplier."),
    Param("securityProfileID", description="ID of the security profile."),
    Param("userID", description="ID of the user."),
    Param("userGroupID", description="ID of the user group."),
    Param(
        "commerceRole",
        description="Commerce role of the security profile assignment.",
        enum=COMMERCE_ROLES,
    ),
    Param("level", description="Level of the security profile assignment.", enum=LEVELS),
)
DELETE_PARAMS = (
    Param("buyerID", description="ID of the buyer."),
    Param("userID", description="ID of the user."),
    Param("userGroupID", description="ID of the user group."),
    Param("supplierID", description="ID of the supplier."),
)


def assignment_wire(row) -> dict:
    return {
        "SecurityProfileID": row.security_profile.oc_id,
        "BuyerID": row.buyer_id or None,
        "SupplierID": row.supplier_id or None,
        "UserID": row.user_id or None,
        "UserGroupID": row.user_group_id or None,
    }


def list_assignments(call):
    queryset = SecurityProfileAssignment.objects.filter(
        marketplace=call.marketplace
    ).select_related("security_profile")
    for param, path in (
        ("buyerID", "buyer_id"),
        ("supplierID", "supplier_id"),
        ("securityProfileID", "security_profile__oc_id"),
        ("userID", "user_id"),
        ("userGroupID", "user_group_id"),
    ):
        if call.query.get(param):
            queryset = queryset.filter(**{path: call.query[param]})
    role = call.query.get("commerceRole") or ""
    if role and role not in COMMERCE_ROLES:
        raise validation_failure(
            f"commerceRole must be one of {', '.join(COMMERCE_ROLES)}.", "commerceRole"
        )
    if role == "Buyer":
        queryset = queryset.exclude(buyer_id="")
    elif role == "Supplier":
        queryset = queryset.exclude(supplier_id="")
    elif role == "Seller":
        queryset = queryset.filter(buyer_id="", supplier_id="")
    level = call.query.get("level") or ""
    if level and level not in LEVELS:
        raise validation_failure(f"level must be one of {', '.join(LEVELS)}.", "level")
    if level == "User":
        queryset = queryset.exclude(user_id="")
    elif level == "Group":
        queryset = queryset.exclude(user_group_id="")
    elif level == "Company":
        queryset = queryset.filter(user_id="", user_group_id="")
    return assignment_page(
        call,
        queryset,
        {
            "SecurityProfileID": "security_profile__oc_id",
            "BuyerID": "buyer_id",
            "SupplierID": "supplier_id",
            "UserID": "user_id",
            "UserGroupID": "user_group_id",
        },
        assignment_wire,
        LIST_PARAMS,
    )


def check_level(call, buyer_id, supplier_id, user_id, group_id) -> None:
    """Check that the level's objects exist (404) and fit together (400)."""
    if buyer_id and supplier_id:
        raise validation_failure(
            "An assignment is to a buyer or to a supplier, not both.", "SupplierID"
        )
    if user_id and group_id:
        raise validation_failure(
            "An assignment is to a user or to a user group, not both.", "UserGroupID"
        )
    kind, company = User.Type.ADMIN, ""
    if buyer_id:
        crud.find_object(call, Buyer, "Buyer", buyer_id)
        kind, company = User.Type.BUYER, buyer_id
    if supplier_id:
        crud.find_object(call, Supplier, "Supplier", supplier_id)
        kind, company = User.Type.SUPPLIER, supplier_id
    if user_id:
        crud.find_object(call, User, "User", user_id, user_type=kind, company_id=company)
    if group_id:
        crud.find_object(
            call, UserGroup, "UserGroup", group_id, group_type=kind, company_id=company
        )


def save_assignment(call):
    values, _ = validation.validate(
        SECURITY_PROFILE_ASSIGNMENT.fields, call.body, required=("SecurityProfileID",)
    )
    profile = crud.find_object(
        call, SecurityProfile, "SecurityProfile", values["SecurityProfileID"]
    )
    level = {
        "buyer_id": values.get("BuyerID") or "",
        "supplier_id": values.get("SupplierID") or "",
        "user_id": values.get("UserID") or "",
        "user_group_id": values.get("UserGroupID") or "",
    }
    check_level(call, *level.values())
    crud.assign(
        SecurityProfileAssignment,
        {"marketplace": call.marketplace, "security_profile": profile, **level},
    )
    return HTTPStatus.NO_CONTENT, None


def delete_assignment(call):
    profile = crud.find_object(
        call, SecurityProfile, "SecurityProfile", call.params["securityProfileID"]
    )
    SecurityProfileAssignment.objects.filter(
        security_profile=profile,
        buyer_id=call.query.get("buyerID") or "",
        supplier_id=call.query.get("supplierID") or "",
        user_id=call.query.get("userID") or "",
        user_group_id=call.query.get("userGroupID") or "",
    ).delete()
    return HTTPStatus.NO_CONTENT, None


OPERATIONS = [
    *crud_operations(SECURITY_PROFILES),
    Operation(
        "SecurityProfiles.DeleteAssignment",
        "DELETE",
        "/securityprofiles/{securityProfileID}/assignments",
        "Security Profiles",
        "Delete a security profile assignment.",
        SECURITY_PROFILES.write_roles,
        "DeleteAssignment",
        204,
        handler=delete_assignment,
        query=DELETE_PARAMS,
    ),
    Operation(
        "SecurityProfiles.ListAssignments",
        "GET",
        "/securityprofiles/assignments",
        "Security Profiles",
        "Get a list of security profile assignments.",
        SECURITY_PROFILES.write_roles,
        "ListAssignments",
        200,
        handler=list_assignments,
        response=SECURITY_PROFILE_ASSIGNMENT,
        is_list=True,
        query=LIST_PARAMS,
    ),
    Operation(
        "SecurityProfiles.SaveAssignment",
        "POST",
        "/securityprofiles/assignments",
        "Security Profiles",
        "Create or update a security profile assignment.",
        SECURITY_PROFILES.write_roles,
        "SaveAssignment",
        204,
        handler=save_assignment,
        request=SECURITY_PROFILE_ASSIGNMENT,
        request_required=("SecurityProfileID",),
        errors=(404,),  # the body names the profile and the level's objects
    ),
]
