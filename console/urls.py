from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as login_views
from django.urls import include, path

from console.views import auth, catalog, compare, health, page, send, tour
from console.views import history as history_views

urlpatterns = [
    path("", page.index, name="index"),
    path("signin", auth.signin, name="signin"),
    path("signout", auth.signout, name="signout"),
    path("signout/all", auth.signout_all, name="signout-all"),
    path("contexts/switch", auth.switch, name="switch"),
    path("contexts/refresh", auth.refresh, name="refresh"),
    path("contexts/reveal", auth.reveal, name="reveal"),
    path("impersonation", auth.impersonation, name="impersonation"),
    path("impersonate", auth.impersonate, name="impersonate"),
    path("send", send.send, name="send"),
    path("compare", compare.compare, name="compare"),
    path("healthz", health.healthz, name="healthz"),
    path("getting-started", tour.index, name="tour"),
    path("getting-started/restart", tour.restart, name="tour_restart"),
    path("getting-started/<str:step_id>", tour.step, name="tour_step"),
    path("catalog", catalog.pane, name="catalog"),
    path("catalog/refresh", catalog.refresh, name="catalog_refresh"),
    path("catalog/ids", catalog.ids, name="catalog_ids"),
    path("catalog/lock", catalog.lock, name="catalog_lock"),
    path("catalog/roles", catalog.roles, name="catalog_roles"),
    path("op/<str:operation_id>", catalog.operation, name="operation"),
    path("history", history_views.index, name="history"),
    path("history/clear", history_views.clear, name="history_clear"),
    path("history/<int:entry_id>", history_views.entry, name="history_entry"),
    path("history/<int:entry_id>/edit", history_views.edit, name="history_edit"),
    path("history/<int:entry_id>/body", history_views.body, name="history_body"),
    path("export/<str:fmt>", history_views.export, name="export"),
]

# SANDBOX_ENABLED=0: the embedded sandbox is off, its routes gone with it.
if settings.SANDBOX_ENABLED:
    urlpatterns.insert(0, path("sandbox/", include("sandbox.urls")))
# CONSOLE_LOGIN_REQUIRED=1: people sign in to the console; the admin manages them.
if settings.CONSOLE_LOGIN_REQUIRED:
    urlpatterns += [
        path("accounts/login/", login_views.LoginView.as_view(), name="login"),
        path("accounts/logout/", login_views.LogoutView.as_view(), name="logout"),
        path("admin/", admin.site.urls),
    ]
