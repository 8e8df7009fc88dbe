"""The console's page: the sign-in form and the composer, as they stand."""

from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from console import contexts, environments, forms
from console.views import history as history_views
from console.views import send
from console.views.common import PAGE, HtmxHttpRequest, render_page


@require_GET
@never_cache
def index(request: HtmxHttpRequest):
    """The page; `?environment=<id>` preselects an environment to sign in to."""
    env = environments.get(request.GET.get("environment", ""))
    auth = contexts.get_auth(request.session)
    context = {
        "signin_form": forms.SignInForm.prefilled(auth, env),
        # A permalink's request, else the last one sent, and the last exchange (a reload).
        **send.composer(request, history_views.composed_for_page(request), environment=env),
        **history_views.last_result(request),
    }
    return render_page(request, f"{PAGE}#app", context)
