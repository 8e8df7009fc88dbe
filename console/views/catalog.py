"""The catalog: the operations tree and its search, an operation's own page (/op/Me.Get),
"Refresh", the ID pickers, "Lock", and the Roles suggestions of an environment.

Without JavaScript each answers the whole page (Refresh and Lock are form posts); with
htmx, the fragment it changed.
"""

import re
from http import HTTPStatus

from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_variables
from django.views.decorators.http import require_GET, require_POST

from console import catalog, compose, contexts, environments, forms, transport
from console.catalog import forms as catalog_forms
from console.catalog import store
from console.views import send
from console.views.common import PAGE, HtmxHttpRequest, render_page

TEMPLATE = "console/catalog.html"
_PICKER = re.compile(r"op-(path|query)-\d+-picker\Z")
_PARAMETER = re.compile(r"[^\s{}/?#]{1,200}\Z")  # as the document's parameter names


def _environment(request, data):
    """The environment asked for, else where the user signed in, else the default one."""
    auth = contexts.get_auth(request.session)
    return (
        environments.get(data.get("environment", ""))
        or (auth and auth.environment)
        or environments.default()
    )


def _whole_page(request, env, composed=None, **extra):
    """The page around a catalog answer, for a browser without JavaScript."""
    auth = contexts.get_auth(request.session)
    return {
        "signin_form": forms.SignInForm.prefilled(auth, env),
        **send.composer(request, composed, environment=env),
        **extra,
    }


@require_GET
@never_cache
def pane(request: HtmxHttpRequest):
    """The operations of an environment (fetched now if need be); `q` searches them."""
    env = _environment(request, request.GET)
    query = request.GET.get("q", "")
    current = request.GET.get("operation", "")
    loaded = store.get(env, request.session)
    context = catalog.pane_context(env, loaded, query, current)
    if request.htmx:
        partial = "results" if request.htmx.target == "catalog-results" else "catalog"
        return render_page(request, f"{TEMPLATE}#{partial}", context)
    return render_page(request, PAGE, _whole_page(request, env, **context))


@require_POST
@never_cache
def refresh(request: HtmxHttpRequest):
    """Fetch the environment's document again."""
    env = _environment(request, request.POST)
    loaded = store.refresh(env, request.session)
    if not request.htmx:
        return redirect(f"{reverse('catalog')}?environment={env.id}")
    context = catalog.pane_context(env, loaded, current=request.POST.get("operation", ""))
    return render_page(request, f"{TEMPLATE}#catalog", context)


@require_GET
@never_cache
def operation(request: HtmxHttpRequest, operation_id):
    """The composer filled for one operation: its own URL, to bookmark and share."""
    env = _environment(request, request.GET)
    loaded = store.get(env, request.session)
    op = loaded.catalog.get(operation_id) if loaded.catalog else None
    if op is None:
        composed = compose.Composed(environment_id=env.id, operation=operation_id)
        status = HTTPStatus.NOT_FOUND if loaded.catalog else HTTPStatus.BAD_GATEWAY
    else:
        locks = catalog_forms.locks(request.session, env)
        composed = catalog_forms.composed_for(loaded.catalog, op, env, locks)
        status = HTTPStatus.OK
    if request.htmx:
        return render_page(request, f"{send.TEMPLATE}#composer", send.composer(request, composed))
    context = _whole_page(
        request, env, composed, **catalog.pane_context(env, loaded, current=operation_id)
    )
    return render_page(request, PAGE, context, status=status)


@sensitive_variables("sending", "token", "outgoing", "received")
@require_GET
@never_cache
def ids(request: HtmxHttpRequest):
    """An ID picker's suggestions (htmx): the list call behind it, with the user's token."""
    target = (request.htmx.target or "") if request.htmx else ""
    if not _PICKER.match(target):
        return render(request, f"{TEMPLATE}#picker", {}, status=HTTPStatus.BAD_REQUEST)
    context = {"picker_id": target.removesuffix("-picker"), "options": [], "status": ""}
    env = _environment(request, request.GET)
    loaded = store.get(env, request.session)
    op = loaded.catalog.get(request.GET.get("operation", "")) if loaded.catalog else None
    trigger = request.htmx.trigger_name or ""  # the input typed in: "op.path.buyerID"
    param = catalog_forms.parameter_of(op, trigger)
    list_op = catalog_forms.picker_for(loaded.catalog, op, param) if param else None
    if list_op is None:
        context["status"] = "No suggestions for this parameter."
        return render(request, f"{TEMPLATE}#picker", context)
    prefix = catalog_forms.input_name("path", "")
    values = {k.removeprefix(prefix): v for k, v in request.GET.items() if k.startswith(prefix)}
    term = request.GET.get(trigger, "").strip()
    composed, why = catalog_forms.picker_request(loaded.catalog, list_op, env, values, term)
    if composed is None or compose.validate(composed):
        context["status"] = why or "No suggestions."
        return render(request, f"{TEMPLATE}#picker", context)
    # As the composer's "Send as" context, when its token is for this environment.
    sending, _ = contexts.sending_as(request.session, request.GET.get("context"), env.id)
    token = sending.access_token if sending and sending.environment_id == env.id else ""
    outgoing = compose.prepare(env, composed, token)
    received = transport.send(env, outgoing)
    if received.status == HTTPStatus.OK:
        context["options"] = catalog_forms.picker_options(received.body)
        count = len(context["options"])
        context["status"] = f"{count} from {list_op.operation_id}" if count else "No matches."
    else:
        why = received.error or f"{received.status} {received.reason}".strip()
        context["status"] = f"No suggestions: {list_op.operation_id} answered {why}"
    return render(request, f"{TEMPLATE}#picker", context)


@require_POST
@never_cache
def lock(request: HtmxHttpRequest):
    """Lock (or unlock) a parameter's value: pre-filled in every operation that takes it."""
    composed = compose.composed_from(request.POST)
    env = environments.get(composed.environment_id)
    name = request.POST.get("lock", "")
    if env is None or not _PARAMETER.match(name):
        return HttpResponseBadRequest("Lock what? Not a parameter of an environment.")
    value = next(
        (
            v
            for location in ("path", "query")
            for v in request.POST.getlist(catalog_forms.input_name(location, name))
            if v.strip()
        ),
        "",
    )
    locked = catalog_forms.toggle_lock(request.session, env, name, value)
    if request.htmx:
        hint = "" if locked or value else f"Enter {name} first to lock it."
        context = {"name": name, "locked": locked, "lock_hint": hint}
        return render_page(request, f"{TEMPLATE}#lock", context)
    return render_page(request, PAGE, _whole_page(request, env, composed))


@require_GET
@never_cache
def roles(request: HtmxHttpRequest):
    """The Roles suggestions (a datalist, for htmx) of an environment: its ApiRole enum."""
    env = _environment(request, request.GET)
    store.get(env, request.session)
    return render(request, f"{TEMPLATE}#roles", {"known_roles": catalog.known_roles(env)})
