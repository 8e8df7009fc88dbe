"""The sandbox's own pool: its URL patterns at the root, under the same "sandbox"
namespace as on the console's host, so that reverse("sandbox:...") answers on both."""

from django.urls import include, path

urlpatterns = [path("", include("sandbox.urls"))]
