"""Send: the composed request goes out as a context (its token refreshed when due, by
`oauth.send_as`), its Exchanges come back.

htmx swaps the workspace (composer and result); a refused request swaps only the
composer, and the result area says that nothing was sent.
"""

from dataclasses import replace
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

from console import catalog, compare, compose, contexts, environments, forms, oauth
from console.catalog import explain
from console.catalog import forms as catalog_forms
from console.compose import Row
from console.views import history as history_views
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


@sensitive_variables("sent")
@require_POST
@never_cache
@_oversize_answers_the_page
def send(request: HtmxHttpRequest):
    """Validate the composed request, send it as the chosen context, show the Exchanges."""
    composed = compose.composed_from(request.POST)
    composed, edited = compose.edit_rows(composed, request.POST)
    send_as = request.POST.get("context")
    if edited:
        return render_page(request, f"{TEMPLATE}#workspace", page(request, composed, send_as))
    # Which context's token, and so which environment (a context's token goes to its own).
    context, error = contexts.sending_as(request.session, send_as, composed.environment_id)
    if context:
        composed = replace(composed, environment_id=context.environment_id)
    if not error:
        send_as = context.id if context else ""  # shown as chosen: the page says as whom
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
    if error:
        errors["context"] = error
    if env is None:
        errors["environment"] = "Choose an environment to send to."
    elif not errors and (message := outside(env, sendable)):
        errors["path"] = message
    if errors:
        return refused(request, composed, errors, HTTPStatus.UNPROCESSABLE_ENTITY, send_as)
    sent = oauth.send_as(request.session, env, sendable, context)
    operation = catalog.operation_of(env, composed.operation)
    explanation = explain.explain(sent.exchange, sent.context, bool(sent.context), operation)
    marks = explanation.marks if explanation else None  # fields the API refused
    context = {
        **page(request, composed, send_as, marks),
        **shown(sent),
        **history_views.recorded(request, sent, composed),
        "explanation": explanation,
        # The contexts come along out of band, so that the expiry shown is never stale.
        "status_oob": bool(request.htmx),
    }
    return render_page(request, f"{TEMPLATE}#workspace", context)


def outside(env, composed):
    """Why the composed path leaves its environment (None when it does not)."""
    try:
        compose.build_url(env, composed.path, composed.query_pairs)
    except environments.OutsideEnvironment:
        return f"This path leads outside {env.name}."
    return None


def shown(sent):
    """What the result shows of a send: the last exchange, the ones before it, as whom."""
    return {
        "exchange": sent.exchange,
        "earlier": list(sent.earlier),
        "sent_as": sent.context,
        "sent_token": bool(sent.context),
        "send_error": sent.error,
        "send_hint": sent.hint,
    }


def composer(request, composed=None, errors=None, environment=None, send_as=None):
    """The composer's part of the page: what was typed (else an empty request to where the
    active context signed in, else to `environment`), as whom (`send_as`: a context id, ""
    for no token; by default the active context), where it goes, and what is wrong."""
    auth = contexts.get_auth(request.session)
    chosen = send_as if send_as is not None else (auth.id if auth else "")
    sending = contexts.get(request.session, chosen) if chosen else None
    fallback = (
        (sending and sending.environment)
        or (auth and auth.environment)
        or environment
        or environments.default()
    )
    composed = composed or compose.Composed(environment_id=fallback.id)
    errors = errors or {}
    target_env = environments.get(composed.environment_id) or fallback
    return {
        "composed": composed,
        "target_env": target_env,
        "send_as": sending,
        "send_as_id": chosen,
        "compare_ids": _compare_ids(request),
        "errors": errors,
        "query_rows": display_rows(composed.query, errors, "query"),
        "header_rows": display_rows(composed.headers, errors, "header"),
        "filter_rows": display_rows(composed.filters, errors, "filter"),
        "methods": compose.METHODS,
        "max_post_bytes": settings.DATA_UPLOAD_MAX_MEMORY_SIZE,
        **catalog.composer_context(request.session, composed, target_env, errors, sending),
    }


def _compare_ids(request):
    """The contexts ticked under "Compare as": as posted, else the first ones."""
    if "compare" in request.POST:
        return request.POST.getlist("compare")
    return [c.id for c in contexts.all_contexts(request.session)[: compare.MAX_CONTEXTS]]


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


def page(request, composed, send_as=None, errors=None):
    """The composer; without JavaScript the page around it shows the sign-in form too."""
    auth = contexts.get_auth(request.session)
    return {
        "signin_form": forms.SignInForm.prefilled(auth),
        **composer(request, composed, errors, send_as=send_as),
    }


def refused(request, composed, errors, status, send_as=None):
    """The composer again with what is wrong; the result area says that nothing was sent."""
    context = {
        **page(request, composed, send_as, errors),
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
    return refused(request, composed, errors, HTTPStatus.REQUEST_ENTITY_TOO_LARGE)
