from django.urls import include, path

from console.views import auth, health, page, send

urlpatterns = [
    path("sandbox/", include("sandbox.urls")),
    path("", page.index, name="index"),
    path("signin", auth.signin, name="signin"),
    path("signout", auth.signout, name="signout"),
    path("send", send.send, name="send"),
    path("healthz", health.healthz, name="healthz"),
]
