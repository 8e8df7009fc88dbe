from django.urls import path, re_path

from sandbox import auth_views, views
from sandbox.api.routing import api_patterns

app_name = "sandbox"
urlpatterns = [
    path("oauth/token", views.token, name="token"),
    # Token endpoints (sandbox.auth_views), before any generated resource pattern.
    path(
        "v1/buyers/<str:buyer_id>/users/<str:user_id>/accesstoken",
        auth_views.user_access_token,
        name="user-access-token",
    ),
    path("v1/adminusers/<str:user_id>/tokens", auth_views.admin_user_tokens),
    path("v1/buyers/<str:buyer_id>/users/<str:user_id>/tokens", auth_views.buyer_user_tokens),
    path(
        "v1/suppliers/<str:supplier_id>/users/<str:user_id>/tokens",
        auth_views.supplier_user_tokens,
    ),
    path("v1/openapi/v3", views.openapi_document, name="openapi"),
    *api_patterns(),  # every operation in sandbox.registry, GET /v1/me included
    # Anything else under /sandbox/ is OrderCloud's 404, never Django's HTML page.
    re_path(r"^", views.route_not_found, name="not-found"),
]
