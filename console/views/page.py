"""The console's page: the contexts, the sign-in form and the composer, as they stand."""

from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from console import environments
from console.views import auth
from console.views.common import PAGE, HtmxHttpRequest, render_page


@require_GET
@never_cache
def index(request: HtmxHttpRequest):
    """The page; `?environment=<id>` preselects an environment to sign in to. After a
    sign-in without JavaScript (post/redirect/get) it shows, once, what that left."""
    env = environments.get(request.GET.get("environment", ""))
    return render_page(request, f"{PAGE}#app", auth.flashed(request, env))
