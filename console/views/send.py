"""Send: the composed request goes out with the session's token, its Exchange comes back.

htmx swaps the workspace (composer and result); a refused request swaps only the
composer, so that the last result stays on screen.
"""

from functools import wraps
from http import HTTPStatus

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.template.defaultfilters import filesizeformat
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.debug import sensitive_variables
from django.views.decorators.http import require_POST
from django_htmx.http import reswap, retarget

from console import catalog, compose, contexts, environments, exchange, forms, transport
from console.catalog import explain
from console.catalog import forms as catalog_forms
from console.compose import Row
from console.views.common import HtmxHttpRequest, render_page

TEMPLATE = "console/send.html"
MIN_ROWS = 2


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


@sensitive_variables("token", "outgoing", "received")
@require_POST
@never_cache
@_oversize_answers_the_page
def send(request: HtmxHttpRequest):
    """Validate the composed request, send it with the session's token, show the Exchange."""
    composed = compose.composed_from(request.POST)
    composed, edited = compose.edit_rows(composed, request.POST)
    if edited:
        return render_page(request, f"{TEMPLATE}#workspace", _page(request, composed))
    env = environments.get(composed.environment_id)
    pasted = ""
    if env is not None:  # a pasted URL or query string becomes path and query rows
        composed, pasted = compose.split_pasted(composed, env)
    # The operation's generated form (path parameters, query parameters, filters) as the
    # plain request it describes; the composer keeps showing what was typed.
    sendable, missing = catalog_forms.fill(composed)
    errors = {**compose.validate(sendable), **missing}
    if pasted:
        errors["path"] = pasted
    token = ""
    if env is None:
        errors["environment"] = "Choose an environment to send to."
    elif not errors:
        token = token_for(request, env)
        try:
            outgoing = compose.prepare(env, sendable, token)
        except environments.OutsideEnvironment:
            errors["path"] = f"This path leads outside {env.name}."
    if errors:
        return _refused(request, composed, errors, HTTPStatus.UNPROCESSABLE_ENTITY)
    received = transport.send(env, outgoing)
    recorded = exchange.record(env, outgoing, received)
    explanation = explain.explain(
        recorded,
        contexts.get_auth(request.session),
        sent_token=bool(token),
        operation=catalog.operation_of(env, composed.operation),
    )
    context = {
        # A field the API refused is marked in the generated form.
        **_page(request, composed, explanation.marks if explanation else None),
        "exchange": recorded,
        "explanation": explanation,
        "sent_token": bool(token),
        # The sign-in status comes along out of band, so that the expiry shown is never stale.
        "status_oob": bool(request.htmx),
    }
    return render_page(request, f"{TEMPLATE}#workspace", context)


def composer(request, composed=None, errors=None, environment=None):
    """The composer's part of the page: what was typed (else an empty request to where the
    user signed in, else to `environment`), where it goes, and what is wrong with it."""
    auth = contexts.get_auth(request.session)
    fallback = (
        (auth and auth.environment) or environment or environments.get(environments.DEFAULT_ID)
    )
    composed = composed or compose.Composed(environment_id=fallback.id)
    errors = errors or {}
    target_env = environments.get(composed.environment_id) or fallback
    return {
        "composed": composed,
        "target_env": target_env,
        "errors": errors,
        "query_rows": display_rows(composed.query, errors, "query"),
        "header_rows": display_rows(composed.headers, errors, "header"),
        "filter_rows": display_rows(composed.filters, errors, "filter"),
        "methods": compose.METHODS,
        "max_post_bytes": settings.DATA_UPLOAD_MAX_MEMORY_SIZE,
        **catalog.composer_context(request.session, composed, target_env, errors),
    }


def display_rows(rows, errors, kind):
    """Rows for the template: the user's rows, then blank ones (at least one, MIN_ROWS in all)."""
    padded = list(rows)
    if not padded or not padded[-1].blank:
        padded.append(Row())
    padded += [Row()] * (MIN_ROWS - len(padded))
    return [
        {"index": i, "name": row.name, "value": row.value, "error": errors.get(f"{kind}-{i}", "")}
        for i, row in enumerate(padded)
    ]


def _page(request, composed, errors=None):
    """The composer; without JavaScript the page around it shows the sign-in form too."""
    auth = contexts.get_auth(request.session)
    return {
        "signin_form": forms.SignInForm.prefilled(auth),
        **composer(request, composed, errors),
    }


def _refused(request, composed, errors, status):
    """The composer again with what is wrong; the result area says that nothing was sent."""
    context = {
        **_page(request, composed, errors),
        "refused": True,
        "refused_oob": bool(request.htmx),
    }
    response = render_page(request, f"{TEMPLATE}#composer", context, status=status)
    if request.htmx:  # swap the composer; the last result stays, marked as not this one's
        reswap(retarget(response, "#composer-card"), "outerHTML")
    return response


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
    return _refused(request, composed, errors, HTTPStatus.REQUEST_ENTITY_TOO_LARGE)


def token_for(request, env):
    """The session's token when it belongs to env."""
    auth = contexts.get_auth(request.session)
    return auth.access_token if auth and auth.environment_id == env.id else ""
