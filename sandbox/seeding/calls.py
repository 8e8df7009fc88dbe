"""Running the sandbox's own operations in-process, as the API would run them.

Import and export go through the operations that serve the API (`sandbox.collect`), with
their validation, hooks and rules, so that what they write is what the API would have
stored and what they read is what the API returns. They act with FullAccess in one
marketplace, as no user or API client in particular.
"""

from functools import cache

from django.http import HttpRequest, QueryDict

from sandbox import collect
from sandbox.api import crud, endpoints
from sandbox.api.listing import MAX_PAGE_SIZE
from sandbox.api.spec import Operation
from sandbox.auth.access import AccessToken
from sandbox.auth.roles import FULL_ACCESS
from sandbox.models import ApiClient, Marketplace, User


@cache
def operations() -> dict[str, Operation]:
    """Every operation the sandbox implements, by operationId."""
    return {operation.operation_id: operation for operation in collect.operations()}


def operation(operation_id: str) -> Operation | None:
    return operations().get(operation_id)


class Caller:
    """Calls operations in one marketplace with FullAccess."""

    def __init__(self, marketplace: Marketplace):
        self.marketplace = marketplace
        # Unsaved: the token names no client or user of the marketplace's own.
        client = ApiClient(marketplace=marketplace, oc_id="", app_name="")
        user = User(marketplace=marketplace, user_type=User.Type.ADMIN, oc_id="", username="")
        claims = {"role": FULL_ACCESS, "usr": "", "cid": "", "u": "", "usrtype": "admin"}
        self.token = AccessToken(claims=claims, client=client, user=user)

    def run(self, operation: Operation, params: dict, query: dict | None = None, body=None):
        """(status, body) of the operation; raises ApiError as the API would answer it."""
        request = HttpRequest()
        request.GET = QueryDict(mutable=True)
        for name, value in (query or {}).items():
            request.GET[name] = value
        endpoints.check_request(request, params)  # the path values the API would accept
        call = crud.Call(operation, self.token, params, request.GET, body)
        return crud.execute(call)

    def list_all(self, operation: Operation, params: dict, query: dict | None = None) -> list:
        """Every item of a list operation, page by page."""
        items, page = [], 1
        while True:
            query_page = {**(query or {}), "page": str(page), "pageSize": str(MAX_PAGE_SIZE)}
            _, body = self.run(operation, params, query_page)
            items += body["Items"]
            if page >= body["Meta"]["TotalPages"]:
                return items
            page += 1
