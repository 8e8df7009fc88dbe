"""The sandbox's HTTP endpoints: parse, call the logic modules, answer JSON."""

from http import HTTPStatus

from django.core.exceptions import BadRequest, RequestDataTooBig, SuspiciousOperation
from django.http import JsonResponse
from django.views.decorators.debug import sensitive_post_parameters

from sandbox import auth, grants, wire
from sandbox.errors import ApiError, OAuthError
from sandbox.http import api_endpoint, oauth_endpoint
from sandbox.roles import available_roles

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


@api_endpoint("GET")
def me(request):
    token = auth.authenticate(request)
    return JsonResponse(wire.me_user(token.user, available_roles(token.user)))


@api_endpoint(*ANY_METHOD)
def route_not_found(request):
    raise ApiError(HTTPStatus.NOT_FOUND, "NotFound", f"No such route: {request.path}")
