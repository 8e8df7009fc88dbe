from django.urls import include, path

from console.views import auth, catalog, health, page, send

urlpatterns = [
    path("sandbox/", include("sandbox.urls")),
    path("", page.index, name="index"),
    path("signin", auth.signin, name="signin"),
    path("signout", auth.signout, name="signout"),
    path("send", send.send, name="send"),
    path("healthz", health.healthz, name="healthz"),
    path("catalog", catalog.pane, name="catalog"),
    path("catalog/refresh", catalog.refresh, name="catalog_refresh"),
    path("catalog/ids", catalog.ids, name="catalog_ids"),
    path("catalog/lock", catalog.lock, name="catalog_lock"),
    path("catalog/roles", catalog.roles, name="catalog_roles"),
    path("op/<str:operation_id>", catalog.operation, name="operation"),
]
