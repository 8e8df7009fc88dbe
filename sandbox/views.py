"""The sandbox's own documents: its OpenAPI document (for programs)."""

import json
from functools import lru_cache

from django.http import HttpResponse

from sandbox import collect
from sandbox.api import openapi
from sandbox.api.endpoints import api_endpoint

OPENAPI_PATH = "/v1/openapi/v3"


@lru_cache(maxsize=16)
def openapi_json(base_url: str) -> bytes:
    """The document depends on the code only: built once per base URL and process."""
    document = openapi.document(base_url, collect.operations(), collect.schemas())
    return json.dumps(document, separators=(",", ":")).encode()


@api_endpoint("GET", "HEAD")
def openapi_document(request):
    """No token needed: the document says what the API is, nothing about its data."""
    base_url = request.build_absolute_uri(request.path.removesuffix(OPENAPI_PATH))
    return HttpResponse(openapi_json(base_url), content_type="application/json")
