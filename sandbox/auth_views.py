"""Token endpoints under /v1: impersonation tokens and token revocation."""

from django.http import HttpResponse, JsonResponse

from sandbox.api import validation
from sandbox.api.endpoints import api_endpoint
from sandbox.auth import access, impersonation, revocation
from sandbox.models import User


@api_endpoint("POST")
def user_access_token(request, buyer_id: str, user_id: str):
    token = access.authenticate(request)
    token.require_roles(impersonation.REQUIRED_ROLES)
    token_request = impersonation.parse_request(validation.json_object(request))
    return JsonResponse(impersonation.access_token(token, buyer_id, user_id, token_request))


@api_endpoint("DELETE")
def admin_user_tokens(request, user_id: str):
    return _revoke(request, User.Type.ADMIN, "", user_id)


@api_endpoint("DELETE")
def buyer_user_tokens(request, buyer_id: str, user_id: str):
    return _revoke(request, User.Type.BUYER, buyer_id, user_id)


@api_endpoint("DELETE")
def supplier_user_tokens(request, supplier_id: str, user_id: str):
    return _revoke(request, User.Type.SUPPLIER, supplier_id, user_id)


def _revoke(request, user_type: str, company_id: str, user_id: str):
    revocation.revoke_user_tokens(access.authenticate(request), user_type, company_id, user_id)
    return HttpResponse(status=204)
