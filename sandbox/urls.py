"""The sandbox's URL patterns, mounted at /sandbox/ by the console's host and at the root
by the sandbox's own pool (`sandbox.wsgi`)."""

from django.urls import path, re_path

from sandbox import collect, reference, views
from sandbox.api import endpoints, routing
from sandbox.auth import access
from sandbox.auth import views as auth_views

app_name = "sandbox"
urlpatterns = [
    path("", views.landing, name="landing"),
    path("coverage", views.coverage_page, name="coverage"),
    path("oauth/token", auth_views.token, name="token"),
    path("v1/openapi/v3", views.openapi_document, name="openapi"),
    # Every registered operation (GET /v1/me included), and a 501 naming each operation
    # of OrderCloud's that the sandbox does not implement yet.
    *routing.api_patterns(collect.operations(), access.authorize, reference.operations()),
    # Anything else is OrderCloud's 404, never Django's HTML page.
    re_path(r"^", endpoints.route_not_found, name="not-found"),
]
