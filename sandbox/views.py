"""The sandbox's own pages: the landing page (for people) and its OpenAPI document (for
programs). Both say where the sandbox is served from the request itself: at the root of
its own pool, or under /sandbox/ on the console's host."""

import json
from functools import lru_cache

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt

from sandbox import collect, coverage
from sandbox.api import openapi
from sandbox.api.endpoints import api_endpoint, route_not_found
from sandbox.seeding import generator
from sandbox.seeding.demo import DEMO_ROLES

OPENAPI_PATH = "/v1/openapi/v3"


def served_at(request, root_path: str) -> str:
    """The sandbox's base URL on this request's host, from the path of its root: "/" or ""
    (its own pool) -> http://host; "/sandbox/" (the console's host) -> http://host/sandbox."""
    return request.build_absolute_uri(root_path or "/").removesuffix("/")


@csrf_exempt  # another method gets the API's JSON 404, as under any unknown path
def landing(request):
    """What the sandbox is, where to point an SDK, and the demo credentials."""
    if request.method not in ("GET", "HEAD"):
        return route_not_found(request)
    base_url = served_at(request, request.path)
    context = {
        "base_url": base_url,
        "api_url": f"{base_url}/v1",
        "token_url": f"{base_url}/oauth/token",
        "openapi_url": f"{base_url}{OPENAPI_PATH}",
        "coverage_url": f"{base_url}/coverage",
        "client_id": settings.SANDBOX_CLIENT_ID,
        "username": settings.SANDBOX_USERNAME,
        "password": settings.SANDBOX_PASSWORD,
        "roles": DEMO_ROLES,
        "storefront_client_id": generator.STOREFRONT_CLIENT_ID,
        "storefront_app_name": generator.STOREFRONT_APP_NAME,
        "shoppers": [username for _, username, *_ in generator.USERS],
        "shopper_password": generator.SHOPPER_PASSWORD,
        "shopper_roles": " ".join(generator.SHOPPER_ROLES),
    }
    return render(request, "sandbox/landing.html", context)


@csrf_exempt
def coverage_page(request):
    """OrderCloud's operations by tag, implemented here or not (docs/sandbox-coverage.md)."""
    if request.method not in ("GET", "HEAD"):
        return route_not_found(request)
    data = coverage.coverage()
    context = {"coverage": data, "percent": coverage.percent(data.implemented, data.total)}
    return render(request, "sandbox/coverage.html", context)


@lru_cache(maxsize=16)
def openapi_json(base_url: str) -> bytes:
    """The document depends on the code only: built once per base URL and process."""
    document = openapi.document(base_url, collect.operations(), collect.schemas())
    return json.dumps(document, separators=(",", ":")).encode()


@api_endpoint("GET", "HEAD")
def openapi_document(request):
    """No token needed: the document says what the API is, nothing about its data."""
    base_url = served_at(request, request.path.removesuffix(OPENAPI_PATH))
    return HttpResponse(openapi_json(base_url), content_type="application/json")
