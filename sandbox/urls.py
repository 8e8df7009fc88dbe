"""The sandbox's URL patterns, mounted at /sandbox/ by the console's host and at the root
by the sandbox's own pool (`sandbox.wsgi`)."""

from django.urls import path, re_path

from sandbox import collect, reference, views
from sandbox.api import endpoints, routing
from sandbox.auth import access
from sandbox.auth import views as auth_views
from sandbox.dashboard import api as dashboard_api
from sandbox.dashboard import views as dashboard

app_name = "sandbox"
urlpatterns = [
    path("", views.landing, name="landing"),
    path("coverage", views.coverage_page, name="coverage"),
    path("oauth/token", auth_views.token, name="token"),
    # The developer dashboard (pages for people, the same as JSON for programs).
    path("dashboard/", dashboard.home, name="dashboard"),
    path("dashboard/signup", dashboard.signup, name="dashboard-signup"),
    path("dashboard/verify", dashboard.verify, name="dashboard-verify"),
    path("dashboard/signin", dashboard.signin, name="dashboard-signin"),
    path("dashboard/signout", dashboard.signout, name="dashboard-signout"),
    path("dashboard/organizations", dashboard.new_organization, name="dashboard-new-organization"),
    path(
        "dashboard/organizations/<str:marketplace_id>/",
        dashboard.organization,
        name="dashboard-organization",
    ),
    path(
        "dashboard/organizations/<str:marketplace_id>/apiclients",
        dashboard.new_application,
        name="dashboard-new-application",
    ),
    path(
        "dashboard/organizations/<str:marketplace_id>/secret",
        dashboard.reveal_secret,
        name="dashboard-reveal-secret",
    ),
    path("dashboard/api/accounts", dashboard_api.signup, name="dashboard-api-accounts"),
    path("dashboard/api/accounts/verify", dashboard_api.verify, name="dashboard-api-verify"),
    path("dashboard/api/token", dashboard_api.token, name="dashboard-api-token"),
    path(
        "dashboard/api/organizations",
        dashboard_api.organizations_view,
        name="dashboard-api-organizations",
    ),
    path(
        "dashboard/api/organizations/<str:organization_id>/apiclients",
        dashboard_api.api_clients,
        name="dashboard-api-apiclients",
    ),
    path("v1/openapi/v3", views.openapi_document, name="openapi"),
    # Every registered operation (GET /v1/me included), and a 501 naming each operation
    # of OrderCloud's that the sandbox does not implement yet.
    *routing.api_patterns(collect.operations(), access.authorize, reference.operations()),
    # Anything else is OrderCloud's 404, never Django's HTML page.
    re_path(r"^", endpoints.route_not_found, name="not-found"),
]
