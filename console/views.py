"""The console page and its three forms: sign in, sign out, send.

Each POST answers htmx with the page's partial (`page.html#app` or `#workspace`) and a
plain form post with the whole page, so everything works without JavaScript too.
"""

from functools import wraps
from http import HTTPStatus

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import rotate_token
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import reswap, retarget
from django_htmx.middleware import HtmxDetails

from console import compose, contexts, environments, exchange, forms, oauth, transport

PAGE = "console/page.html"


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def _oversize_answers_the_page(view):
    """A POST over DATA_UPLOAD_MAX_MEMORY_SIZE gets the page and a message, not a bare 400.

    Django refuses it where request.POST is first read, in CsrfViewMiddleware; so the
    middleware is skipped here and run on the view once the POST is known to fit. The
    oversize answer does nothing (no session change, nothing sent), like GET /.
    """
    protected = csrf_protect(view)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            request.POST  # noqa: B018 (parsed here so that the limit is met here)
        except RequestDataTooBig:
            return _oversize(request)
        return protected(request, *args, **kwargs)

    return csrf_exempt(wrapper)


@require_GET
@never_cache
def index(request: HtmxHttpRequest):
    return _render(request, "app", environment_id=request.GET.get("environment", ""))


@sensitive_post_parameters(*forms.SignInForm.SECRET_FIELDS)
@sensitive_variables("form", "data", "result")
@require_POST
@never_cache
def signin(request: HtmxHttpRequest):
    """Password grant; on success the token goes into a fresh session, never to the page."""
    form = forms.SignInForm(request.POST)
    composed = compose.composed_from(request.POST) if "path" in request.POST else None
    if not form.is_valid():
        return _render(request, "app", signin_form=form, composed=composed, invalid=True)
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
    return _render(
        request,
        "app",
        signin_form=form,
        signin_error=result.error,
        composed=composed,
        exchange=result.exchange,
    )


@require_POST
@never_cache
def signout(request: HtmxHttpRequest):
    """Forget the token (and the whole session)."""
    request.session.flush()
    if not request.htmx:
        return redirect("index")
    composed = compose.composed_from(request.POST) if "path" in request.POST else None
    return _render(request, "app", composed=composed)


@sensitive_variables("token", "outgoing", "received")
@require_POST
@never_cache
@_oversize_answers_the_page
def send(request: HtmxHttpRequest):
    """Validate the composed request, send it with the session's token, show the Exchange."""
    composed = compose.composed_from(request.POST)
    composed, edited = compose.edit_rows(composed, request.POST)
    if edited:
        return _render(request, "workspace", composed=composed)
    env = environments.get(composed.environment_id)
    errors = compose.validate(composed)
    token = ""
    if env is None:
        errors["environment"] = "Choose an environment to send to."
    elif not errors:
        token = _token_for(request, env)
        try:
            outgoing = compose.prepare(env, composed, token)
        except environments.OutsideEnvironment:
            errors["path"] = f"This path leads outside {env.name}."
    if errors:
        response = _render(request, "composer", composed=composed, errors=errors, invalid=True)
        if request.htmx:  # swap only the composer: the last result stays on screen
            reswap(retarget(response, "#composer-card"), "outerHTML")
        return response
    received = transport.send(env, outgoing)
    return _render(
        request,
        "workspace",
        composed=composed,
        exchange=exchange.record(env, outgoing, received),
        sent_token=bool(token),
        status_oob=bool(request.htmx),
    )


@require_GET
@never_cache
def healthz(request):
    """Liveness for the container's health check: the app answers and its database too."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


def _oversize(request):
    """The composer again (all but the body, which was what made it too big), with why."""
    size = int(request.META.get("CONTENT_LENGTH") or 0)
    urlencoded = request.content_type == "application/x-www-form-urlencoded"
    prefix = request.read(compose.PREFIX_BYTES) if urlencoded else b""
    composed = compose.composed_from_prefix(prefix)
    errors = {
        "body": f"The request is {filesizeformat(size)}, over the console's limit of "
        f"{filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)}: shorten the body. "
        "Nothing was sent."
    }
    response = _render(request, "composer", composed=composed, errors=errors)
    if request.htmx:
        return reswap(retarget(response, "#composer-card"), "outerHTML")
    response.status_code = HTTPStatus.REQUEST_ENTITY_TOO_LARGE
    return response


def _token_for(request, env):
    auth = contexts.get_auth(request.session)
    return auth.access_token if auth and auth.environment_id == env.id else ""


def _render(request, partial, *, invalid=False, **kwargs):
    """The page, or for htmx just the partial; bad input is 422 without JavaScript."""
    if request.htmx:
        return render(request, f"{PAGE}#{partial}", _context(request, **kwargs))
    status = HTTPStatus.UNPROCESSABLE_ENTITY if invalid else HTTPStatus.OK
    return render(request, PAGE, _context(request, **kwargs), status=status)


def _context(
    request,
    *,
    signin_form=None,
    signin_error="",
    composed=None,
    errors=None,
    exchange=None,
    environment_id="",
    sent_token=False,
    status_oob=False,
):
    auth = contexts.get_auth(request.session)
    auth_env = environments.get(auth.environment_id) if auth else None
    if signin_form is not None:
        selected = environments.get(signin_form["environment"].value())
    else:
        selected = environments.get(environment_id) or auth_env
    selected = selected or environments.get(environments.DEFAULT_ID)
    if signin_form is not None:
        signin = {name: signin_form.value(name) for name in signin_form.fields}
        signin_errors = {name: errs[0] for name, errs in signin_form.errors.items()}
    else:
        same = auth is not None and auth.environment_id == selected.id
        signin = {
            "client_id": auth.client_id if same else selected.client_id,
            "username": auth.username if auth else "",
            "roles": selected.roles,
        }
        signin_errors = {}
    target = auth_env or selected
    composed = composed or compose.Composed(environment_id=target.id)
    errors = errors or {}
    return {
        "auth": auth,
        "auth_env": auth_env,
        "environment_groups": environments.grouped(),
        "selected_env": selected,
        "signin": signin,
        "signin_errors": signin_errors,
        "signin_error": signin_error,
        "known_roles": oauth.KNOWN_ROLES,
        "methods": compose.METHODS,
        "composed": composed,
        "target_env": environments.get(composed.environment_id) or target,
        "errors": errors,
        "query_rows": forms.display_rows(composed.query, errors, "query"),
        "header_rows": forms.display_rows(composed.headers, errors, "header"),
        "exchange": exchange,
        "sent_token": sent_token,
        "status_oob": status_oob,
        "max_post_bytes": settings.DATA_UPLOAD_MAX_MEMORY_SIZE,
    }
