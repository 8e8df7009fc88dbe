"""The HTTP glue: endpoint decorators, the view of a registered path, the 404 fallback.

Whatever a sandbox view raises becomes a JSON response: `ApiError` / `OAuthError` as
they say, anything else a logged 500 in the same shape (never Django's HTML page). A 204
leaves here with no body and no Content-Type, whichever view built it.
"""

import functools
import logging
from collections.abc import Callable
from http import HTTPStatus

from django.conf import settings
from django.core.exceptions import TooManyFieldsSent
from django.http import HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from sandbox.api import crud, validation
from sandbox.api.errors import (
    ApiError,
    OAuthError,
    api_error_response,
    not_found,
    oauth_error_response,
    validation_failure,
)
from sandbox.api.spec import Operation

ANY_METHOD = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")

logger = logging.getLogger("sandbox")


def api_endpoint(*methods: str):
    """An API view (`/v1/...`): errors in OrderCloud's `{"Errors": [...]}` shape."""

    def decorator(view):
        @csrf_exempt
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method not in methods:
                response = api_error_response(
                    HTTPStatus.METHOD_NOT_ALLOWED,
                    "MethodNotAllowed",
                    f"{request.method} is not allowed here; allowed: {', '.join(methods)}.",
                )
                response["Allow"] = ", ".join(methods)
                return response
            try:
                return without_content(view(request, *args, **kwargs))
            except ApiError as error:
                return error.response()
            except Exception:
                logger.exception("Sandbox API error on %s %s", request.method, request.path)
                return api_error_response(
                    HTTPStatus.INTERNAL_SERVER_ERROR,
                    "InternalServerError",
                    "The sandbox failed to handle this request.",
                )

        return wrapper

    return decorator


def without_content(response):
    """A 204 as RFC 9110 (section 15.3.5) has it: no body, so nothing to give a type."""
    if response.status_code == HTTPStatus.NO_CONTENT:
        response.content = b""
        del response["Content-Type"]
    return response


def oauth_endpoint(view):
    """The token endpoint: POST only, errors in OAuth's shape, responses never cached."""

    @csrf_exempt
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method != "POST":
            response = oauth_error_response(
                "invalid_request",
                f"{request.method} is not allowed here; send a POST.",
                status=HTTPStatus.METHOD_NOT_ALLOWED,
            )
            response["Allow"] = "POST"
        else:
            try:
                response = view(request, *args, **kwargs)
            except OAuthError as error:
                response = error.response()
            except Exception:
                logger.exception("Sandbox token endpoint error")
                response = oauth_error_response(
                    "server_error",
                    "The sandbox failed to handle this request.",
                    status=HTTPStatus.INTERNAL_SERVER_ERROR,
                )
        # RFC 6749, section 5.1: token responses must not be cached.
        response["Cache-Control"] = "no-store"
        response["Pragma"] = "no-cache"
        return response

    return wrapper


@api_endpoint(*ANY_METHOD)
def route_not_found(request):
    raise ApiError(HTTPStatus.NOT_FOUND, "NotFound", f"No such route: {request.path}")


def operation_view(
    operations: dict[str, Operation], authorize: Callable, missing: dict[str, str] | None = None
):
    """The view of one path: `operations` by HTTP method, and `missing` the operationIds
    (by method) OrderCloud has on this path but the sandbox does not implement yet.

    `authorize(request, operation)` returns the caller's verified token, or raises (401,
    403): who may call what is the business of `sandbox.auth`, which this layer does not
    import.
    """
    missing = missing or {}

    @api_endpoint(*operations, *missing)
    def view(request, **params):
        if request.method in missing:
            raise not_implemented(missing[request.method])
        operation = operations[request.method]
        token = authorize(request, operation)
        check_request(request, params)
        body = validation.json_object(request) if operation.request is not None else None
        # After the body: a malformed one is a 400 whoever sends it.
        if operation.user_types and token.user.user_type not in operation.user_types:
            raise user_type_not_served(operation, token.user.user_type)
        status, content = crud.execute(crud.Call(operation, token, params, request.GET, body))
        if content is None:
            return HttpResponse(status=status)
        return JsonResponse(content, status=status)

    view.__name__ = view.__qualname__ = "operation_view"
    return view


def not_implemented(operation_id: str) -> ApiError:
    """501 for an operation of OrderCloud's that the sandbox lacks (a code of our own)."""
    return ApiError(
        HTTPStatus.NOT_IMPLEMENTED,
        "NotImplemented",
        f"{operation_id} is part of OrderCloud's API but not implemented by the embedded"
        " sandbox yet.",
        {"OperationID": operation_id},
    )


def user_type_not_served(operation: Operation, user_type: str) -> ApiError:
    """403 naming the user types the operation serves, e.g. Auth.BuyerUsersOnly (a code
    of the sandbox's own: OrderCloud documents none)."""
    types = operation.user_types
    code = "".join(kind.title() for kind in types)
    path = operation.path.split("/{", 1)[0]
    return ApiError(
        HTTPStatus.FORBIDDEN,
        f"Auth.{code}UsersOnly",
        f"Only {' or '.join(types)} users have {path}.",
        {"UserType": user_type},
    )


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
