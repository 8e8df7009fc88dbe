"""Assignment endpoints: user group memberships, address, API client and security profile
assignments. Each is a list (ListPage), a save (POST, 204) and a delete (204)."""

from http import HTTPStatus

from django.db import transaction
from django.db.models import Q

from sandbox.api import crud, listing, validation
from sandbox.api.errors import not_found, validation_failure
from sandbox.models import (
    Address,
    AddressAssignment,
    ApiClient,
    ApiClientAssignment,
    Buyer,
    SecurityProfile,
    SecurityProfileAssignment,
    Supplier,
    User,
    UserGroup,
    UserGroupAssignment,
)
from sandbox.registry import (
    ADDRESSES,
    ADMIN_USER_GROUPS,
    API_CLIENTS,
    SECURITY_PROFILES,
    SUPPLIER_USER_GROUPS,
    USER_GROUPS,
    Field,
    Operation,
    Param,
    Schema,
)

USER_GROUP_ASSIGNMENT = Schema(
    "UserGroupAssignment", (Field("UserGroupID", example="group-1"), Field("UserID"))
)
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
API_CLIENT_ASSIGNMENT = Schema(
    "ApiClientAssignment", (Field("ApiClientID"), Field("BuyerID"), Field("SupplierID"))
)
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
LEVELS = ("User", "Group", "Company")
COMMERCE_ROLES = ("Buyer", "Seller", "Supplier")


def _page(call, queryset, fields: dict, serialize, params):
    return HTTPStatus.OK, listing.list_page(
        queryset,
        call.query,
        fields={name: listing.Column(path) for name, path in fields.items()},
        searchable=(),
        sortable=(),
        serialize=serialize,
        ignore=[param.name for param in params],
    )


def _exists(call, model, object_type, object_id, **scope):
    obj = model.objects.filter(marketplace=call.marketplace, oc_id=object_id, **scope).first()
    if obj is None:
        raise not_found(object_type, object_id)
    return obj


# --- user group memberships ---------------------------------------------------------------


def _group_scope(groups, call) -> dict:
    """The user_type / company of users and groups under the path (404 on a missing parent)."""
    crud.scoped(groups, call)
    scope = {"group_type": groups.scope["group_type"], "company_id": ""}
    for parent in groups.parents:
        scope["company_id"] = call.params[parent.param]
    return scope


def user_group_operations(groups) -> list[Operation]:
    list_params = (
        Param("userGroupID", description="ID of the user group."),
        Param("userID", description="ID of the user."),
    )

    def list_assignments(call):
        scope = _group_scope(groups, call)
        queryset = UserGroupAssignment.objects.filter(
            marketplace=call.marketplace,
            user_group__group_type=scope["group_type"],
            user_group__company_id=scope["company_id"],
        ).select_related("user_group", "user")
        if call.query.get("userGroupID"):
            queryset = queryset.filter(user_group__oc_id=call.query["userGroupID"])
        if call.query.get("userID"):
            queryset = queryset.filter(user__oc_id=call.query["userID"])
        return _page(
            call,
            queryset,
            {"UserGroupID": "user_group__oc_id", "UserID": "user__oc_id"},
            lambda row: {"UserGroupID": row.user_group.oc_id, "UserID": row.user.oc_id},
            list_params,
        )

    def members(call, group_id, user_id):
        scope = _group_scope(groups, call)
        group = _exists(call, UserGroup, "UserGroup", group_id, **scope)
        user = _exists(
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
        UserGroupAssignment.objects.get_or_create(
            marketplace=call.marketplace, user_group=group, user=user
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
        ),
    ]


# --- address assignments -------------------------------------------------------------------


def _address_wire(row) -> dict:
    return {
        "AddressID": row.address.oc_id,
        "UserID": row.user.oc_id if row.user else None,
        "UserGroupID": row.user_group.oc_id if row.user_group else None,
        "IsShipping": row.is_shipping,
        "IsBilling": row.is_billing,
    }


ADDRESS_LIST_PARAMS = (
    Param("addressID", description="ID of the address."),
    Param("userID", description="ID of the user."),
    Param("userGroupID", description="ID of the user group."),
    Param("level", description="Level of the address assignment.", enum=LEVELS),
    Param("isShipping", "boolean", description="Is shipping."),
    Param("isBilling", "boolean", description="Is billing."),
)


def _boolean_param(call, name):
    value = call.query.get(name)
    if value in (None, ""):
        return None
    if value.lower() not in ("true", "false"):
        raise validation_failure(f"{name} must be true or false.", name)
    return value.lower() == "true"


def _level(call) -> Q:
    level = call.query.get("level") or ""
    if level and level not in LEVELS:
        raise validation_failure(f"level must be one of {', '.join(LEVELS)}.", "level")
    return {
        "": Q(),
        "User": ~Q(user=None),
        "Group": ~Q(user_group=None),
        "Company": Q(user=None, user_group=None),
    }[level]


def list_address_assignments(call):
    crud.scoped(ADDRESSES, call)
    buyer_id = call.params["buyerID"]
    queryset = AddressAssignment.objects.filter(
        _level(call),
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
        value = _boolean_param(call, param)
        if value is not None:
            queryset = queryset.filter(**{column: value})
    return _page(
        call,
        queryset,
        {
            "AddressID": "address__oc_id",
            "UserID": "user__oc_id",
            "UserGroupID": "user_group__oc_id",
        },
        _address_wire,
        ADDRESS_LIST_PARAMS,
    )


def _address_parties(call, address_id, user_id, group_id):
    buyer_id = call.params["buyerID"]
    crud.scoped(ADDRESSES, call)
    address = _exists(
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
        user = _exists(call, User, "User", user_id, user_type="buyer", company_id=buyer_id)
    if group_id:
        group = _exists(
            call, UserGroup, "UserGroup", group_id, group_type="buyer", company_id=buyer_id
        )
    return address, user, group


def save_address_assignment(call):
    values, _ = validation.validate(ADDRESS_ASSIGNMENT.fields, call.body, required=("AddressID",))
    address, user, group = _address_parties(
        call, values["AddressID"], values.get("UserID"), values.get("UserGroupID")
    )
    with transaction.atomic():
        AddressAssignment.objects.update_or_create(
            marketplace=call.marketplace,
            address=address,
            user=user,
            user_group=group,
            defaults={
                "is_shipping": bool(values.get("IsShipping")),
                "is_billing": bool(values.get("IsBilling")),
            },
        )
    return HTTPStatus.NO_CONTENT, None


def delete_address_assignment(call):
    address, user, group = _address_parties(
        call, call.params["addressID"], call.query.get("userID"), call.query.get("userGroupID")
    )
    AddressAssignment.objects.filter(address=address, user=user, user_group=group).delete()
    return HTTPStatus.NO_CONTENT, None


# --- API client assignments -----------------------------------------------------------------


def _api_client_wire(row) -> dict:
    return {
        "ApiClientID": row.api_client.oc_id,
        "BuyerID": row.buyer_id or None,
        "SupplierID": row.supplier_id or None,
    }


API_CLIENT_LIST_PARAMS = (
    Param("apiClientID", description="ID of the api client."),
    Param("buyerID", description="ID of the buyer."),
    Param("supplierID", description="ID of the supplier."),
)


def list_api_client_assignments(call):
    queryset = ApiClientAssignment.objects.filter(marketplace=call.marketplace).select_related(
        "api_client"
    )
    for param, path in (
        ("apiClientID", "api_client__oc_id"),
        ("buyerID", "buyer_id"),
        ("supplierID", "supplier_id"),
    ):
        if call.query.get(param):
            queryset = queryset.filter(**{path: call.query[param]})
    return _page(
        call,
        queryset,
        {"ApiClientID": "api_client__oc_id", "BuyerID": "buyer_id", "SupplierID": "supplier_id"},
        _api_client_wire,
        API_CLIENT_LIST_PARAMS,
    )


def save_api_client_assignment(call):
    values, _ = validation.validate(
        API_CLIENT_ASSIGNMENT.fields, call.body, required=("ApiClientID",)
    )
    client = _exists(call, ApiClient, "ApiClient", values["ApiClientID"])
    buyer_id, supplier_id = values.get("BuyerID") or "", values.get("SupplierID") or ""
    if bool(buyer_id) == bool(supplier_id):
        raise validation_failure("Assign an API client to a buyer or to a supplier.", "BuyerID")
    if buyer_id:
        _exists(call, Buyer, "Buyer", buyer_id)
    else:
        _exists(call, Supplier, "Supplier", supplier_id)
    ApiClientAssignment.objects.get_or_create(
        marketplace=call.marketplace, api_client=client, buyer_id=buyer_id, supplier_id=supplier_id
    )
    return HTTPStatus.NO_CONTENT, None


def _delete_api_client_assignment(column, model, object_type, param):
    def handler(call):
        _exists(call, model, object_type, call.params[param])
        client = _exists(call, ApiClient, "ApiClient", call.params["apiClientID"])
        ApiClientAssignment.objects.filter(
            api_client=client, **{column: call.params[param]}
        ).delete()
        return HTTPStatus.NO_CONTENT, None

    return handler


# --- security profile assignments -----------------------------------------------------------


def _profile_wire(row) -> dict:
    return {
        "SecurityProfileID": row.security_profile.oc_id,
        "BuyerID": row.buyer_id or None,
        "SupplierID": row.supplier_id or None,
        "UserID": row.user_id or None,
        "UserGroupID": row.user_group_id or None,
    }


PROFILE_LIST_PARAMS = (
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
PROFILE_DELETE_PARAMS = (
    Param("buyerID", description="ID of the buyer."),
    Param("userID", description="ID of the user."),
    Param("userGroupID", description="ID of the user group."),
    Param("supplierID", description="ID of the supplier."),
)


def list_profile_assignments(call):
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
    return _page(
        call,
        queryset,
        {
            "SecurityProfileID": "security_profile__oc_id",
            "BuyerID": "buyer_id",
            "SupplierID": "supplier_id",
            "UserID": "user_id",
            "UserGroupID": "user_group_id",
        },
        _profile_wire,
        PROFILE_LIST_PARAMS,
    )


def _profile_level(call, buyer_id, supplier_id, user_id, group_id) -> None:
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
        _exists(call, Buyer, "Buyer", buyer_id)
        kind, company = User.Type.BUYER, buyer_id
    if supplier_id:
        _exists(call, Supplier, "Supplier", supplier_id)
        kind, company = User.Type.SUPPLIER, supplier_id
    if user_id:
        _exists(call, User, "User", user_id, user_type=kind, company_id=company)
    if group_id:
        _exists(call, UserGroup, "UserGroup", group_id, group_type=kind, company_id=company)


def save_profile_assignment(call):
    values, _ = validation.validate(
        SECURITY_PROFILE_ASSIGNMENT.fields, call.body, required=("SecurityProfileID",)
    )
    profile = _exists(call, SecurityProfile, "SecurityProfile", values["SecurityProfileID"])
    level = {
        "buyer_id": values.get("BuyerID") or "",
        "supplier_id": values.get("SupplierID") or "",
        "user_id": values.get("UserID") or "",
        "user_group_id": values.get("UserGroupID") or "",
    }
    _profile_level(call, *level.values())
    SecurityProfileAssignment.objects.get_or_create(
        marketplace=call.marketplace, security_profile=profile, **level
    )
    return HTTPStatus.NO_CONTENT, None


def delete_profile_assignment(call):
    profile = _exists(call, SecurityProfile, "SecurityProfile", call.params["securityProfileID"])
    SecurityProfileAssignment.objects.filter(
        security_profile=profile,
        buyer_id=call.query.get("buyerID") or "",
        supplier_id=call.query.get("supplierID") or "",
        user_id=call.query.get("userID") or "",
        user_group_id=call.query.get("userGroupID") or "",
    ).delete()
    return HTTPStatus.NO_CONTENT, None


# --- the operations ---------------------------------------------------------------------------


def operations() -> list[Operation]:
    found = []
    for groups in (USER_GROUPS, ADMIN_USER_GROUPS, SUPPLIER_USER_GROUPS):
        found.extend(user_group_operations(groups))
    address_read, address_write = ADDRESSES.read_roles, ADDRESSES.write_roles
    client_read, client_write = API_CLIENTS.read_roles, API_CLIENTS.write_roles
    profile_write = SECURITY_PROFILES.write_roles
    found += [
        Operation(
            "Addresses.DeleteAssignment",
            "DELETE",
            "/buyers/{buyerID}/addresses/{addressID}/assignments",
            "Addresses",
            "Delete an address assignment.",
            address_write,
            "DeleteAssignment",
            204,
            handler=delete_address_assignment,
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
            address_read,
            "ListAssignments",
            200,
            handler=list_address_assignments,
            response=ADDRESS_ASSIGNMENT,
            is_list=True,
            query=ADDRESS_LIST_PARAMS,
        ),
        Operation(
            "Addresses.SaveAssignment",
            "POST",
            "/buyers/{buyerID}/addresses/assignments",
            "Addresses",
            "Create or update an address assignment.",
            address_write,
            "SaveAssignment",
            204,
            handler=save_address_assignment,
            request=ADDRESS_ASSIGNMENT,
            request_required=("AddressID",),
        ),
        Operation(
            "ApiClients.ListAssignments",
            "GET",
            "/apiclients/assignments",
            "Api Clients",
            "Get a list of API client assignments.",
            client_read,
            "ListAssignments",
            200,
            handler=list_api_client_assignments,
            response=API_CLIENT_ASSIGNMENT,
            is_list=True,
            query=API_CLIENT_LIST_PARAMS,
        ),
        Operation(
            "ApiClients.SaveAssignment",
            "POST",
            "/apiclients/assignments",
            "Api Clients",
            "Create or update a API client assignment.",
            client_write,
            "SaveAssignment",
            204,
            handler=save_api_client_assignment,
            request=API_CLIENT_ASSIGNMENT,
        ),
        Operation(
            "ApiClients.DeleteBuyerAssignment",
            "DELETE",
            "/buyers/{buyerID}/ApiClients/Assignments/{apiClientID}",
            "Api Clients",
            "Delete a API client buyer assignment.",
            client_write,
            "DeleteAssignment",
            204,
            handler=_delete_api_client_assignment("buyer_id", Buyer, "Buyer", "buyerID"),
        ),
        Operation(
            "ApiClients.DeleteSupplierAssignment",
            "DELETE",
            "/suppliers/{supplierID}/ApiClients/Assignments/{apiClientID}",
            "Api Clients",
            "Delete a API client supplier assignment.",
            client_write,
            "DeleteAssignment",
            204,
            handler=_delete_api_client_assignment(
                "supplier_id", Supplier, "Supplier", "supplierID"
            ),
        ),
        Operation(
            "SecurityProfiles.DeleteAssignment",
            "DELETE",
            "/securityprofiles/{securityProfileID}/assignments",
            "Security Profiles",
            "Delete a security profile assignment.",
            profile_write,
            "DeleteAssignment",
            204,
            handler=delete_profile_assignment,
            query=PROFILE_DELETE_PARAMS,
        ),
        Operation(
            "SecurityProfiles.ListAssignments",
            "GET",
            "/securityprofiles/assignments",
            "Security Profiles",
            "Get a list of security profile assignments.",
            profile_write,
            "ListAssignments",
            200,
            handler=list_profile_assignments,
            response=SECURITY_PROFILE_ASSIGNMENT,
            is_list=True,
            query=PROFILE_LIST_PARAMS,
        ),
        Operation(
            "SecurityProfiles.SaveAssignment",
            "POST",
            "/securityprofiles/assignments",
            "Security Profiles",
            "Create or update a security profile assignment.",
            profile_write,
            "SaveAssignment",
            204,
            handler=save_profile_assignment,
            request=SECURITY_PROFILE_ASSIGNMENT,
            request_required=("SecurityProfileID",),
        ),
    ]
    return found
