"""Sign in (password grant) and sign out.

Both change what every part of the page shows, so htmx swaps the whole `#app`.
"""

from http import HTTPStatus

from django.middleware.csrf import rotate_token
from django.shortcuts import redirect
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_POST

from console import compose, contexts, forms, history, oauth
from console.views import history as history_views
from console.views import send
from console.views.common import PAGE, HtmxHttpRequest, render_page

APP = f"{PAGE}#app"


@sensitive_post_parameters(*forms.SignInForm.SECRET_FIELDS)
@sensitive_variables("form", "data", "result")
@require_POST
@never_cache
def signin(request: HtmxHttpRequest):
    """Password grant; on success the token goes into a fresh session, never to the page."""
    form = forms.SignInForm(request.POST)
    # htmx posts the composer's fields along, so that the swapped page keeps them.
    composed = compose.composed_from(request.POST) if "path" in request.POST else None
    if not form.is_valid():
        return render_page(
            request,
            APP,
            _page(request, form, composed),
            status=HTTPStatus.UNPROCESSABLE_ENTITY,
        )
    data = form.cleaned_data
    result = oauth.password_grant(
        data["environment"],
        client_id=data["client_id"],
        username=data["username"],
        password=data["password"],
        roles=data["roles"],
        client_secret=data["client_secret"],
    )
    del data["password"], data["client_secret"]
    if result.auth:
        request.session.cycle_key()
        rotate_token(request)
        contexts.set_auth(request.session, result.auth)
    context = {
        **_page(request, form, composed),
        "signin_error": result.error,
        **history_views.recorded(request, data["environment"], result.exchange),
    }
    return render_page(request, APP, context)


@require_POST
@never_cache
def signout(request: HtmxHttpRequest):
    """Forget the token (and the whole session but its history)."""
    history.flush_keeping_history(request.session)
    if not request.htmx:
        return redirect("index")
    composed = compose.composed_from(request.POST) if "path" in request.POST else None
    context = {
        "signin_form": forms.SignInForm.prefilled(None),
        **send.composer(request, composed),
    }
    return render_page(request, APP, context)


def _page(request, form, composed):
    """The form as posted, and the composer as typed (else aimed where the user signed in,
    or at the environment chosen in the form). `form` is a sensitive name in signin."""
    return {
        "signin_form": form,
        **send.composer(request, composed, environment=form.selected_environment),
    }
