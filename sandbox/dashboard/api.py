"""The dashboard's operations as JSON, for programs (the console's guided tour among
them): errors in OrderCloud's `{"Errors": [...]}` shape, a bearer token of the dashboard's
own (never an API token) for what belongs to an account.

    POST /dashboard/api/accounts          {"Email", "Password"} -> 201, a code is emailed
    POST /dashboard/api/accounts/verify   {"Email", "Code"} -> 200 and a dashboard token
    POST /dashboard/api/token             {"Email", "Password"} -> 200 and a dashboard token
    GET, POST /dashboard/api/organizations                          (POST {"Name"})
    GET, POST /dashboard/api/organizations/{ID}/apiclients          (POST an ApiClient)
"""

from http import HTTPStatus

from django.http import JsonResponse
from django.views.decorators.debug import sensitive_variables

from sandbox.api.endpoints import api_endpoint
from sandbox.api.errors import ApiError, invalid_token, not_found, validation_failure
from sandbox.api.validation import json_object
from sandbox.api.wire import timestamp, to_wire
from sandbox.auth import guard
from sandbox.dashboard import accounts, organizations


def _text(body: dict, name: str) -> str:
    value = body.get(name)
    if not isinstance(value, str) or not value:
        raise validation_failure(f"{name} is required (a string).", name)
    return value


def _refused(refused: accounts.Refused) -> ApiError:
    field = {"email": "Email", "password": "Password", "code": "Code"}.get(refused.field)
    return validation_failure(refused.message, field)


def _account(request):
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    account = accounts.account_for_token(token) if scheme.lower() == "bearer" else None
    if account is None:
        raise invalid_token("A dashboard token is required (POST /dashboard/api/token).")
    return account


def _token(account) -> dict:
    return {
        "access_token": accounts.token_for(account),
        "token_type": "bearer",
        "expires_in": accounts.TOKEN_SECONDS,
    }


def _organization(marketplace) -> dict:
    return {
        "ID": marketplace.oc_id,
        "Name": marketplace.name,
        "DateCreated": timestamp(marketplace.date_created),
    }


@sensitive_variables("body")
@api_endpoint("POST")
def signup(request):
    body = json_object(request)
    try:
        signup = accounts.start_signup(_text(body, "Email"), _text(body, "Password"))
    except accounts.Refused as refused:
        raise _refused(refused) from None
    answer = {
        "Email": signup.email,
        "Verified": False,
        "CodeExpires": timestamp(signup.code_expires_at),
    }
    return JsonResponse(answer, status=HTTPStatus.CREATED)


@sensitive_variables("body")
@api_endpoint("POST")
def verify(request):
    body = json_object(request)
    try:
        account = accounts.verify(_text(body, "Email"), _text(body, "Code"))
    except accounts.Refused as refused:
        raise _refused(refused) from None
    return JsonResponse({"Email": account.username, "Verified": True, **_token(account)})


@sensitive_variables("body")
@api_endpoint("POST")
def token(request):
    body = json_object(request)
    try:
        account = accounts.authenticate(request, _text(body, "Email"), _text(body, "Password"))
    except guard.Locked as locked:
        raise ApiError(
            HTTPStatus.TOO_MANY_REQUESTS,
            "TooManyFailedSignIns",
            locked.message,
            {"RetryAfter": timestamp(locked.until)},
            headers={"Retry-After": locked.retry_after()},
        ) from None
    if account is None:
        raise validation_failure("Email or password is incorrect.")
    return JsonResponse(_token(account))


@api_endpoint("GET", "POST")
def organizations_view(request):
    account = _account(request)
    if request.method == "POST":
        try:
            marketplace = organizations.new_organization(
                account, _text(json_object(request), "Name")
            )
        except organizations.Invalid as invalid:
            raise validation_failure(invalid.message, "Name") from None
        return JsonResponse(_organization(marketplace), status=HTTPStatus.CREATED)
    items = [_organization(m) for m in organizations.organizations_of(account)]
    return JsonResponse({"Items": items})


@api_endpoint("GET", "POST")
def api_clients(request, organization_id):
    account = _account(request)
    marketplace = organizations.organization_of(account, organization_id)
    if marketplace is None:
        raise not_found("SellerOrganization", organization_id)
    if request.method == "POST":
        client = organizations.create_client(marketplace, json_object(request))
        return JsonResponse(to_wire(client), status=HTTPStatus.CREATED)
    items = [to_wire(client) for client in organizations.applications_of(marketplace)]
    return JsonResponse({"Items": items})
