"""API clients (the applications a token is issued to) and their assignments to buyers
and suppliers."""

import uuid
from collections.abc import Callable
from http import HTTPStatus

from sandbox import models
from sandbox.api import crud, validation
from sandbox.api.errors import validation_failure
from sandbox.api.spec import (
    Field,
    Hooks,
    IdScope,
    Operation,
    Param,
    Resource,
    Schema,
    crud_operations,
)
from sandbox.models import ApiClient, ApiClientAssignment, Buyer, Supplier
from sandbox.resources.common import XP, assignment_page, crud_summaries, full_access_or


class ApiClientHooks(Hooks):
    def new_id(self, call):
        """ClientIDs look like OrderCloud's: upper-case UUIDs."""
        return str(uuid.uuid4()).upper()


def assigned_count(column: str) -> Callable:
    def count(client) -> int:
        return client.assignments.exclude(**{column: ""}).count()

    return count


API_CLIENTS = Resource(
    name="ApiClient",
    prefix="ApiClients",
    tag="Api Clients",
    path="/apiclients",
    id_param="apiClientID",
    model=models.ApiClient,
    fields=(
        Field("ID", attr="oc_id", read_only=True, example="8836BE8D-710A-4D2D-98BF-EDBE7227E3BB"),
        Field("ClientSecret", attr="client_secret"),
        Field(
            "AccessTokenDuration",
            "integer",
            attr="access_token_duration",
            format="int32",
            minimum=10,
            maximum=600,
            example=600,
        ),
        Field("Active", "boolean", attr="active", default=False, example=True),
        Field("AppName", attr="app_name", example="My App"),
        Field(
            "RefreshTokenDuration",
            "integer",
            attr="refresh_token_duration",
            format="int32",
            minimum=0,
            maximum=43200,
            default=0,
        ),
        Field("DefaultContextUserName", attr="default_context_username"),
        # Newer than the reference document: the lifetime of anonymous (IsAnonBuyer) tokens.
        Field(
            "AnonymousTokenDuration",
            "integer",
            attr="anonymous_token_duration",
            format="int32",
            minimum=10,
            maximum=525600,
            default=10080,
            example=10080,
        ),
        XP,
        Field("AllowAnyBuyer", "boolean", attr="allow_any_buyer", default=False),
        Field("AllowAnySupplier", "boolean", attr="allow_any_supplier", default=False),
        Field("AllowSeller", "boolean", attr="allow_seller", default=False),
        Field("IsAnonBuyer", "boolean", attr="is_anon_buyer", default=False),
        Field(
            "AssignedBuyerCount",
            "integer",
            format="int32",
            read_only=True,
            compute=assigned_count("buyer_id"),
        ),
        Field(
            "AssignedSupplierCount",
            "integer",
            format="int32",
            read_only=True,
            compute=assigned_count("supplier_id"),
        ),
        Field("OrderCheckoutIntegrationEventID", attr="order_checkout_integration_event_id"),
        Field("OrderCheckoutIntegrationEventName", read_only=True),
        Field("OrderReturnIntegrationEventID", attr="order_return_integration_event_id"),
        Field("OrderReturnIntegrationEventName", read_only=True),
        Field(
            "MinimumRequiredRoles",
            "array",
            attr="minimum_required_roles",
            items="ApiRole",
            default=[],
        ),
        Field(
            "MinimumRequiredCustomRoles",
            "array",
            attr="minimum_required_custom_roles",
            items="string",
            default=[],
        ),
        Field(
            "MaximumGrantedRoles",
            "array",
            attr="maximum_granted_roles",
            items="ApiRole",
            default=[],
        ),
        Field(
            "MaximumGrantedCustomRoles",
            "array",
            attr="maximum_granted_custom_roles",
            items="string",
            default=[],
        ),
    ),
    required=("AccessTokenDuration", "AppName"),
    searchable=("ID", "AppName", "DefaultContextUserName"),
    sortable=("ID", "AppName", "DefaultContextUserName"),
    read_roles=full_access_or("ApiClientAdmin", "ApiClientReader"),
    write_roles=full_access_or("ApiClientAdmin"),
    summaries={
        **crud_summaries("API client", "API clients", "a"),
        "Save": "Update an API client.",
    },
    id_generated_only=True,
    # A token request names only the client: its ID decides the marketplace.
    id_scope=IdScope.GLOBAL,
    save_creates=False,
    hooks=ApiClientHooks(),
)

# --- assignments -------------------------------------------------------------------------------

API_CLIENT_ASSIGNMENT = Schema(
    "ApiClientAssignment", (Field("ApiClientID"), Field("BuyerID"), Field("SupplierID"))
)
LIST_PARAMS = (
    Param("apiClientID", description="ID of the api client."),
    Param("buyerID", description="ID of the buyer."),
    Param("supplierID", description="ID of the supplier."),
)


def assignment_wire(row) -> dict:
    return {
        "ApiClientID": row.api_client.oc_id,
        "BuyerID": row.buyer_id or None,
        "SupplierID": row.supplier_id or None,
    }


def list_assignments(call):
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
    return assignment_page(
        call,
        queryset,
        {"ApiClientID": "api_client__oc_id", "BuyerID": "buyer_id", "SupplierID": "supplier_id"},
        assignment_wire,
        LIST_PARAMS,
    )


def save_assignment(call):
    values, _ = validation.validate(
        API_CLIENT_ASSIGNMENT.fields, call.body, required=("ApiClientID",)
    )
    client = crud.find_object(call, ApiClient, "ApiClient", values["ApiClientID"])
    buyer_id, supplier_id = values.get("BuyerID") or "", values.get("SupplierID") or ""
    if bool(buyer_id) == bool(supplier_id):
        raise validation_failure("Assign an API client to a buyer or to a supplier.", "BuyerID")
    if buyer_id:
        crud.find_object(call, Buyer, "Buyer", buyer_id)
    else:
        crud.find_object(call, Supplier, "Supplier", supplier_id)
    crud.assign(
        ApiClientAssignment,
        {
            "marketplace": call.marketplace,
            "api_client": client,
            "buyer_id": buyer_id,
            "supplier_id": supplier_id,
        },
    )
    return HTTPStatus.NO_CONTENT, None


def delete_assignment(column, model, object_type, param):
    def handler(call):
        crud.find_object(call, model, object_type, call.params[param])
        client = crud.find_object(call, ApiClient, "ApiClient", call.params["apiClientID"])
        ApiClientAssignment.objects.filter(
            api_client=client, **{column: call.params[param]}
        ).delete()
        return HTTPStatus.NO_CONTENT, None

    return handler


OPERATIONS = [
    *crud_operations(API_CLIENTS),
    Operation(
        "ApiClients.ListAssignments",
        "GET",
        "/apiclients/assignments",
        "Api Clients",
        "Get a list of API client assignments.",
        API_CLIENTS.read_roles,
        "ListAssignments",
        200,
        handler=list_assignments,
        response=API_CLIENT_ASSIGNMENT,
        is_list=True,
        query=LIST_PARAMS,
    ),
    Operation(
        "ApiClients.SaveAssignment",
        "POST",
        "/apiclients/assignments",
        "Api Clients",
        "Create or update a API client assignment.",
        API_CLIENTS.write_roles,
        "SaveAssignment",
        204,
        handler=save_assignment,
        request=API_CLIENT_ASSIGNMENT,
        errors=(404,),  # the body names the client and the buyer or supplier
    ),
    Operation(
        "ApiClients.DeleteBuyerAssignment",
        "DELETE",
        "/buyers/{buyerID}/ApiClients/Assignments/{apiClientID}",
        "Api Clients",
        "Delete a API client buyer assignment.",
        API_CLIENTS.write_roles,
        "DeleteAssignment",
        204,
        handler=delete_assignment("buyer_id", Buyer, "Buyer", "buyerID"),
    ),
    Operation(
        "ApiClients.DeleteSupplierAssignment",
        "DELETE",
        "/suppliers/{supplierID}/ApiClients/Assignments/{apiClientID}",
        "Api Clients",
        "Delete a API client supplier assignment.",
        API_CLIENTS.write_roles,
        "DeleteAssignment",
        204,
        handler=delete_assignment("supplier_id", Supplier, "Supplier", "supplierID"),
    ),
]
