"""Endpoint decorators: methods, CSRF, and errors turned into the sandbox's JSON shapes.

Whatever a sandbox view raises becomes a JSON response: `ApiError` / `OAuthError` as
they say, anything else a logged 500 in the same shape (never Django's HTML page). A 204
leaves here with no body and no Content-Type, whichever view built it.
"""

import functools
import logging
from http import HTTPStatus

from django.views.decorators.csrf import csrf_exempt

from sandbox.api.errors import ApiError, OAuthError, api_error_response, oauth_error_response

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
