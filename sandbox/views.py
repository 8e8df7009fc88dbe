"""The sandbox's HTTP endpoints: parse, call the logic modules, answer JSON."""

from http import HTTPStatus

from django.core.exceptions import BadRequest, RequestDataTooBig, SuspiciousOperation
from django.http import HttpResponse, JsonResponse
from django.views.decorators.debug import sensitive_post_parameters

from sandbox.api import crud, openapi, validation
from sandbox.api.endpoints import api_endpoint, oauth_endpoint
from sandbox.api.errors import ApiError, OAuthError
from sandbox.auth import access, grants

FORM = "application/x-www-form-urlencoded"
ANY_METHOD = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


@oauth_endpoint
@sensitive_post_parameters("password", "client_secret", "refresh_token")
def token(request):
    if request.content_type != FORM:
        raise OAuthError("invalid_request", f"The request body must be {FORM}.")
    try:
        form = dict(request.POST.lists())
    except RequestDataTooBig:
        raise OAuthError("invalid_request", "The request body is too large.") from None
    except (BadRequest, SuspiciousOperation):
        raise OAuthError("invalid_request", "The request body is malformed.") from None
    return JsonResponse(grants.token_response(form))


OPENAPI_PATH = "/v1/openapi/v3"


@api_endpoint("GET", "HEAD")
def openapi_document(request):
    """No token needed: the document says what the API is, nothing about its data."""
    base_url = request.build_absolute_uri(request.path.removesuffix(OPENAPI_PATH))
    return HttpResponse(openapi.document_json(base_url), content_type="application/json")


@api_endpoint(*ANY_METHOD)
def route_not_found(request):
    raise ApiError(HTTPStatus.NOT_FOUND, "NotFound", f"No such route: {request.path}")


def operation_view(operations: dict):
    """The view of one registered path: `operations` by HTTP method (sandbox.registry)."""

    @api_endpoint(*operations)
    def view(request, **params):
        operation = operations[request.method]
        token = access.authenticate(request)
        token.require_roles(list(operation.roles))
        crud.check_request(request, params)
        body = validation.json_object(request) if operation.request is not None else None
        call = crud.Call(operation, token, params, request.GET, body)
        status, content = crud.execute(call)
        if content is None:
            return HttpResponse(status=status)
        return JsonResponse(content, status=status)

    view.__name__ = view.__qualname__ = "operation_view"
    return view
