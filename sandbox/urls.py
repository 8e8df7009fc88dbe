from django.urls import path, re_path

from sandbox import views

app_name = "sandbox"
urlpatterns = [
    path("oauth/token", views.token, name="token"),
    path("v1/me", views.me, name="me"),
    # Anything else under /sandbox/ is OrderCloud's 404, never Django's HTML page.
    re_path(r"^", views.route_not_found, name="not-found"),
]
