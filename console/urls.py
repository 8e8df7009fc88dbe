from django.urls import include, path

from console import views

urlpatterns = [
    path("sandbox/", include("sandbox.urls")),
    path("", views.index, name="index"),
]
