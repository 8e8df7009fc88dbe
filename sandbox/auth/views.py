"""`POST /oauth/token`: the form parsed here, the grants in `sandbox.auth.grants`."""

from django.core.exceptions import BadRequest, RequestDataTooBig, SuspiciousOperation
from django.http import JsonResponse
from django.views.decorators.debug import sensitive_post_parameters

from sandbox.api.endpoints import oauth_endpoint
from sandbox.api.errors import OAuthError
from sandbox.auth import grants

FORM = "application/x-www-form-urlencoded"


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
    return JsonResponse(grants.token_response(form, request))
