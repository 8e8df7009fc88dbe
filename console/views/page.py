"""The console's page: the contexts, the sign-in form and the composer, as they stand."""

from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from console import environments
from console.views import auth
from console.views import history as history_views
from console.views.common import PAGE, HtmxHttpRequest, render_page


@require_GET
@never_cache
def index(request: HtmxHttpRequest):
    """The page; `?environment=<id>` preselects an environment to sign in to, with
    `&client_id=` and `&username=` filled in (the sandbox dashboard's "Use in console").
    After a sign-in without JavaScript (post/redirect/get) it shows, once, what that left."""
    env = environments.get(request.GET.get("environment", ""))
    prefill = {name: request.GET.get(name, "")[:200].strip() for name in ("client_id", "username")}
    # A permalink's request, else the last one sent; and the last exchange (a reload).
    composed = history_views.composed_for_page(request)
    context = auth.flashed(request, env, composed=composed, prefill=prefill)
    if "exchange" not in context:
        context.update(history_views.last_result(request))
    return render_page(request, f"{PAGE}#app", context)
