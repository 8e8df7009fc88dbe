from django.urls import include, path

from console import views

urlpatterns = [
    path("sandbox/", include("sandbox.urls")),
    path("", views.index, name="index"),
    path("signin", views.signin, name="signin"),
    path("signout", views.signout, name="signout"),
    path("send", views.send, name="send"),
    path("healthz", views.healthz, name="healthz"),
]
