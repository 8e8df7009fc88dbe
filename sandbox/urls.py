"""The sandbox's URL patterns, mounted at /sandbox/ by the console's host and at the root
by the sandbox's own pool (`sandbox.wsgi`)."""

from django.urls import path, re_path

from sandbox import collect, views
from sandbox.api import endpoints, routing
from sandbox.auth import access
from sandbox.auth import views as auth_views

app_name = "sandbox"
urlpatterns = [
    path("", views.landing, name="landing"),
    path("oauth/token", auth_views.token, name="token"),
    path("v1/openapi/v3", views.openapi_document, name="openapi"),
    *routing.api_patterns(collect.operations(), access.authorize),  # GET /v1/me included
    # Anything else is OrderCloud's 404, never Django's HTML page.
    re_path(r"^", endpoints.route_not_found, name="not-found"),
]
