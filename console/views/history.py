"""History (show, edit and resend, download, filter, clear) and export (permalink, snippets).

Every view reads the session's own entries only (`history.get` filters on the session's
owner digest): another session's entry id answers 404.
"""

from dataclasses import replace
from http import HTTPStatus

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from console import compose, contexts, environments, exchange, history, presenting, snippets
from console.catalog import forms as catalog_forms
from console.catalog import store as catalog_store
from console.models import HistoryEntry
from console.views import send
from console.views.common import PAGE, HtmxHttpRequest, render_page

TEMPLATE = "console/history.html"


# --- What other views put on the page -------------------------------------------------------


def result(entry, **extra):
    """The result pane's context for a history entry (the exchange shown, and its viewer)."""
    composed = history.composed_of(entry)
    return {
        "exchange": history.exchange_of(entry),
        "entry": entry,
        "resend": composed,
        "paging": history.paging(entry, composed),
        # Text up to the threshold gets the viewer; past it, a preview and the download.
        "viewer_big": entry.size > settings.VIEWER_MAX_BYTES,
        "viewer_full": entry.size <= settings.VIEWER_MAX_BYTES
        and not exchange.BINARY_TYPES.match(entry.content_type),
        **extra,
    }


def record_steps(request, steps, composed=None):
    """Keep each step's exchange in the session's history (the entries, in order). The
    composed request goes with the ones that sent it; token requests have none."""
    every = contexts.all_contexts(request.session)
    secrets = contexts.token_secrets(*(t for c in every for t in (c.access_token, c.refresh_token)))
    entries = []
    for step in steps:
        sent = composed if composed and not history.is_token_request(step.exchange) else None
        entries.append(history.record(request.session, step.exchange, sent, secrets))
    return entries


def recorded(request, sent, composed):
    """A send's exchanges kept in the history; the result pane's context for the last.
    Kept is the plain request (an operation's generated form filled in) and the operation."""
    plain = replace(catalog_forms.fill(composed)[0], operation=composed.operation)
    entries = record_steps(request, sent.steps, plain)
    return result(entries[-1]) if entries else {}


def last_result(request):
    """The last exchange, for a reload (empty when there is none)."""
    entry = history.last(request.session)
    return result(entry) if entry else {}


def composed_for_page(request):
    """The composer on opening the page: a permalink's request, else the last one sent."""
    return restored(history.composed_from_link(request.GET)) or last_composed(request)


def last_composed(request):
    entry = history.entries(request.session).filter(kind=HistoryEntry.SEND).first()
    return restored(history.composed_of(entry)) if entry else None


def restored(composed):
    """A kept or linked request for the composer: in its operation's form when the
    environment's catalog is at hand (nothing is fetched for it)."""
    if composed is None:
        return None
    env = environments.get(composed.environment_id)
    loaded = catalog_store.cached(env) if env else None
    return history.in_operation_form(composed, loaded.catalog if loaded else None)


def panel(request):
    """The history region: the session's entries (filtered on /history) and the filters."""
    filters = {"method": "", "status": "", "path": ""}
    if request.resolver_match and request.resolver_match.url_name == "history":
        filters = {name: request.GET.get(name, "").strip() for name in filters}
    rows = history.entries(request.session, **filters)[: settings.HISTORY_MAX_ENTRIES]
    return {
        "entries": lambda: list(rows),  # read only where the list is shown (a callable)
        "filters": filters,
        "filtered": any(filters.values()),
        "methods": compose.METHODS,
        "statuses": [
            ("2xx", "2xx success"),
            ("3xx", "3xx redirect"),
            ("4xx", "4xx client error"),
            ("5xx", "5xx server error"),
            ("none", "No response"),
        ],
        "max_entries": settings.HISTORY_MAX_ENTRIES,
        "url": reverse("history"),
        "max_age": _duration(settings.HISTORY_MAX_AGE),
    }


def _duration(seconds):
    hours, minutes = seconds / 3600, seconds // 60
    return f"{hours:g} hours" if hours >= 1 else f"{minutes} minutes"


def panel_context(request):
    """For the context processor: computed only when a template shows the region."""
    return {"history_panel": SimpleLazyObject(lambda: panel(request))}


# --- Views --------------------------------------------------------------------------------------


@require_GET
@never_cache
def index(request: HtmxHttpRequest):
    """The history list, filtered by method, status and path."""
    if request.htmx:
        return render_page(request, f"{TEMPLATE}#list", {})
    return render_page(request, PAGE, _page(request))


@require_GET
@never_cache
def entry(request: HtmxHttpRequest, entry_id):
    """An entry shown again in the result pane."""
    found = _entry(request, entry_id)
    return render_page(request, "console/send.html#result", _page(request, found))


@require_GET
@never_cache
def edit(request: HtmxHttpRequest, entry_id):
    """ "Edit and resend": the entry's request in the composer."""
    found = _entry(request, entry_id)
    composed = restored(history.composed_of(found))
    if composed is None:
        raise Http404("A sign-in cannot be resent from the composer.")
    context = {**_page(request, found), **send.composer(request, composed)}
    return render_page(request, "console/send.html#composer", context)


@require_GET
@never_cache
def body(request, entry_id):
    """The whole response body, as a download (served from the kept copy, never inlined)."""
    found = _entry(request, entry_id)
    is_json = compose.JSON_TYPE.match(found.content_type)
    content_type = "application/json" if is_json else "application/octet-stream"
    content = bytes(found.body)
    if getattr(request, "presenting", False) and is_json:  # the viewer's fetch, presenting
        content = presenting.mask(content.decode("utf-8", "replace")).encode()
    response = HttpResponse(content, content_type=content_type)
    name = f"response-{found.id}.{'json' if is_json else 'bin'}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    # Upstream content on our origin: never rendered, never sniffed into something runnable.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@require_POST
@never_cache
def clear(request: HtmxHttpRequest):
    history.clear(request.session)
    if request.htmx:
        return render_page(request, f"{TEMPLATE}#list", {})
    return redirect("index")


@require_POST
@never_cache
def export(request: HtmxHttpRequest, fmt):
    """The composer's request as a permalink ("link") or as code: plain text, nothing sent."""
    if fmt != "link" and fmt not in snippets.FORMATS:
        raise Http404("No such format.")
    typed = compose.composed_from(request.POST)
    composed, missing = catalog_forms.fill(typed)  # an operation's form as a plain request
    env = environments.get(composed.environment_id)
    errors = {**compose.validate(composed), **missing}
    if env is None or errors:
        message = next(iter(errors.values()), "Choose an environment to send to.")
        return _text(f"The request cannot be exported: {message}\n", HTTPStatus.BAD_REQUEST)
    every = contexts.all_contexts(request.session)
    secrets = contexts.token_secrets(*(t for c in every for t in (c.access_token, c.refresh_token)))
    safe = history.safe_composed(replace(composed, operation=typed.operation), secrets)
    operation, params = (None, {})
    if fmt in snippets.SDK_FORMATS:
        operation, params = snippets.operation_for(env, safe.method, safe.path)
    if fmt == "link":
        if not safe.operation:  # the operation, when the catalog is at hand (never waited for)
            operation, _ = snippets.operation_for(env, safe.method, safe.path, fetch=False)
            safe = replace(safe, operation=operation.id if operation else "")
        query = history.permalink_query(safe)
        return _text(request.build_absolute_uri(f"{reverse('index')}?{query}") + "\n")
    text = snippets.snippet(fmt, env, safe, operation, params)
    if text is None:
        return _text(
            f"{safe.method} {safe.path} is not an operation of {env.name}'s API document: "
            "no SDK call for it.\n",
            HTTPStatus.NOT_FOUND,
        )
    return _text(text)


def _text(text, status=HTTPStatus.OK):
    return HttpResponse(text, content_type="text/plain; charset=utf-8", status=status)


def _entry(request, entry_id):
    found = history.get(request.session, entry_id)
    if found is None:
        raise Http404("No such entry in this session's history.")
    return found


def _page(request, entry=None):
    """The whole page around the history (no JavaScript): composer as last sent, the entry."""
    from console.views import auth  # (auth imports this module)

    context = auth.page_context(request, composed=last_composed(request))
    if entry is not None:
        context.update(result(entry))
    return context
