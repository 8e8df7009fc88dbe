"""The sandbox's two error shapes, as OrderCloud sends them.

The API (`/v1/...`) answers `{"Errors": [{"ErrorCode", "Message", "Data"}]}`; the token
endpoint answers OAuth's `{"error", "error_description"}`. Code that finds a problem
raises `ApiError` or `OAuthError`; the endpoint decorators in `sandbox.api.endpoints`
turn them into responses, so no caller builds error bodies by hand. A 400 about one
value names it in `Data` as `{"Field": name}` (a body field, a query parameter or a list
filter's property), always through `validation_failure`; only `List.InvalidProperty`,
"no such property", says `{"Property": name}`.
"""

from http import HTTPStatus

from django.http import JsonResponse


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, data=None, headers=None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.data = data
        self.headers = headers or {}

    def response(self) -> JsonResponse:
        response = api_error_response(self.status, self.code, self.message, self.data)
        for name, value in self.headers.items():
            response[name] = value
        return response


def api_error_response(status: int, code: str, message: str, data=None) -> JsonResponse:
    body = {"Errors": [{"ErrorCode": code, "Message": message, "Data": data}]}
    return JsonResponse(body, status=status)


def validation_failure(message: str, field: str | None = None, **data) -> ApiError:
    """400 ValidationFailure naming the offending field (when there is one) in `Data`."""
    if field is not None:
        data = {"Field": field, **data}
    return ApiError(HTTPStatus.BAD_REQUEST, "ValidationFailure", message, data or None)


def invalid_token(message: str) -> ApiError:
    return ApiError(
        HTTPStatus.UNAUTHORIZED,
        "InvalidToken",
        message,
        headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
    )


def insufficient_roles(allowed: list[str]) -> ApiError:
    return ApiError(
        HTTPStatus.FORBIDDEN,
        "Auth.InsufficientRoles",
        "User does not have role(s) required to perform this action.",
        {"SufficientRoles": allowed},
    )


def not_found(object_type: str, object_id: str) -> ApiError:
    return ApiError(
        HTTPStatus.NOT_FOUND,
        "NotFound",
        f"{object_type} not found: {object_id}",
        {"ObjectType": object_type, "ObjectID": object_id},
    )


class OAuthError(Exception):
    """A refused token request: always HTTP 400 (RFC 6749, section 5.2)."""

    def __init__(self, error: str, description: str):
        super().__init__(description)
        self.error = error
        self.description = description

    def response(self) -> JsonResponse:
        return oauth_error_response(self.error, self.description)


def oauth_error_response(
    error: str, description: str, status: int = HTTPStatus.BAD_REQUEST
) -> JsonResponse:
    return JsonResponse({"error": error, "error_description": description}, status=status)
