"""Identities: sign in with any grant (a new context), impersonate a buyer user, switch the
active context, refresh or reveal its token, sign out of one context or of all.

Each changes what the whole page shows, so htmx swaps `#app`. Without JavaScript each
answers with a redirect (post/redirect/get), so that a reload never posts a password
again; what the page then shows once (the exchanges, an error) waits in the session.
"""

from django.middleware.csrf import rotate_token
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_GET, require_POST

from console import compose, contexts, forms, history, oauth
from console.views import history as history_views
from console.views import send
from console.views.common import PAGE, HtmxHttpRequest

APP = f"{PAGE}#app"
PANEL = "console/auth.html#impersonation"
FLASH_KEY = "console.flash"
SIGN_IN_FIRST = "Sign in first: impersonation lists buyers with the active context's token."
GONE = "That context is no longer signed in (signed out, maybe in another tab): choose again."


@sensitive_post_parameters(*forms.SignInForm.SECRET_FIELDS)
@sensitive_variables("form", "result")
@require_POST
@never_cache
def signin(request: HtmxHttpRequest):
    """Any grant; on success a new context, active, in a fresh session: the token stays
    server-side, the page gets the token request as an exchange (redacted)."""
    form = forms.SignInForm(request.POST)
    if not form.is_valid():
        return _answer(request, signin_form=form)
    result = oauth.sign_in(form.cleaned_data["environment"], form.credentials())
    if result.auth:
        _signed_in(request, result.auth)
    return _answer(
        request,
        signin_form=form,
        steps=[oauth.Step(result.exchange)],
        feedback=_feedback("signin", result.error, result.hint),
    )


@require_GET
@never_cache
def impersonation(request: HtmxHttpRequest):
    """The impersonation form, with the buyers (and `?buyer=`'s users) that the active
    context may list; htmx swaps just that panel."""
    panel = _panel(request, buyer=request.GET.get("buyer", ""))
    if request.htmx:
        return render(request, PANEL, {**panel, "clear_feedback": True})
    return render(request, PAGE, page_context(request, impersonation=panel))


@sensitive_variables("result")
@require_POST
@never_cache
def impersonate(request: HtmxHttpRequest):
    """POST /v1/buyers/{buyerID}/users/{userID}/accesstoken with the active context's
    token; the token that comes back becomes a new context, the active one."""
    form = forms.ImpersonateForm(request.POST)
    caller = contexts.get_auth(request.session)
    buyer = str(form["buyer"].value() or "")
    shown = {name: str(form[name].value() or "") for name in form.fields}
    if caller is None or caller.environment is None:
        return _answer(request, feedback=_feedback("identity", SIGN_IN_FIRST))
    if not form.is_valid():
        errors = form.first_errors
        return _answer(request, impersonation=_flashable(buyer, shown, errors=errors))
    data = form.cleaned_data
    result = oauth.impersonate(
        request.session,
        caller.environment,
        caller,
        buyer_id=data["buyer"],
        user_id=data["user"],
        client_id=data["client_id"],
        roles=data["roles"],
        name=data["name"],
    )
    if result.auth:
        _signed_in(request, result.auth)
        return _answer(request, steps=result.sent.steps)
    feedback = _feedback("impersonate", result.error, result.hint)
    return _answer(
        request,
        steps=result.sent.steps,
        impersonation=_flashable(buyer, shown, feedback=feedback),
    )


@require_POST
@never_cache
def switch(request: HtmxHttpRequest):
    """Make another context the active one: the next request goes out as it."""
    if not contexts.activate(request.session, request.POST.get("context", "")):
        return _answer(request, feedback=_feedback("identity", GONE))
    return _answer(request)


@sensitive_variables("context", "result")
@require_POST
@never_cache
def refresh(request: HtmxHttpRequest):
    """The "Refresh token" button: grant_type=refresh_token now, shown as an exchange."""
    context = contexts.get(request.session, request.POST.get("context", ""))
    if context is None:
        return _answer(request, feedback=_feedback("identity", GONE))
    if not context.refreshable:
        why = (
            f"{context.name} has no refresh token: its API client gives none "
            "(RefreshTokenDuration 0), or the token came from impersonation. Sign in again "
            "when it expires."
        )
        return _answer(request, feedback=_feedback("identity", why))
    if context.environment is None:
        why = f"{context.environment_id} is no longer configured: sign out of {context.name}."
        return _answer(request, feedback=_feedback("identity", why))
    result = oauth.refresh(context.environment, context)
    if result.auth:
        contexts.update(request.session, result.auth)
    return _answer(
        request,
        steps=[oauth.Step(result.exchange)],
        feedback=_feedback("identity", result.error, result.hint),
    )


@sensitive_variables("context")
@require_POST
@never_cache
def reveal(request: HtmxHttpRequest):
    """The raw access token, on request only: htmx puts it in the token inspector, which
    drops it again; without JavaScript only this answer (never cached) holds it."""
    context = contexts.get(request.session, request.POST.get("context", ""))
    if request.htmx:
        return render(request, "console/auth.html#reveal", {"revealed": context})
    return render(request, PAGE, page_context(request, revealed=context))


@require_POST
@never_cache
def signout(request: HtmxHttpRequest):
    """Sign out of one context (the active one unless named); of the last, like all."""
    chosen = request.POST.get("context") or getattr(contexts.get_auth(request.session), "id", "")
    contexts.remove(request.session, chosen)
    if not contexts.all_contexts(request.session):
        history.flush_keeping_history(request.session)
    return _answer(request)


@require_POST
@never_cache
def signout_all(request: HtmxHttpRequest):
    """Forget every context: the whole session goes (but its history)."""
    history.flush_keeping_history(request.session)
    return _answer(request)


# --- The page after an identity change -----------------------------------------------------


def page_context(
    request,
    *,
    composed=None,
    signin_form=None,
    steps=(),
    feedback=None,
    impersonation=None,
    revealed=None,
    env=None,
    entries=(),
    prefill=None,
):
    """What the page shows: the sign-in form, the impersonation panel, the exchanges of the
    last action (kept in the history as `entries`) with what went wrong, and the composer
    (aimed as the active context)."""
    auth = contexts.get_auth(request.session)
    signin_form = signin_form or forms.SignInForm.prefilled(auth, env, **(prefill or {}))
    context = {
        "signin_form": signin_form,
        "feedback": feedback or {},
        "revealed": revealed,
        **(impersonation or {}),
        **send.composer(request, composed, environment=signin_form.selected_environment),
    }
    if steps:
        context.update(exchange=steps[-1].exchange, earlier=list(steps[:-1]))
    if entries:
        context.update(history_views.result(entries[-1]))
    return context


def flashed(request, env=None, composed=None, prefill=None):
    """page_context for GET /: what the last post left to be shown once (post/redirect/get)."""
    flash = request.session.pop(FLASH_KEY, None) or {}
    parts = {}
    if form := flash.get("signin_form"):
        parts["signin_form"] = forms.SignInForm.restored(form)
    if steps := flash.get("steps"):
        # The exchanges themselves are in the history (cleared meanwhile: not shown).
        found = [(history.get(request.session, s["entry"]), s["label"]) for s in steps]
        parts["entries"] = [entry for entry, _ in found if entry]
        parts["steps"] = [oauth.Step(history.exchange_of(e), label) for e, label in found if e]
    if feedback := flash.get("feedback"):
        parts["feedback"] = feedback
    if panel := flash.get("impersonation"):
        parts["impersonation"] = _panel(request, **panel)
    return page_context(request, env=env, composed=composed, prefill=prefill, **parts)


def _answer(request, *, signin_form=None, steps=(), feedback=None, impersonation=None):
    """htmx: the new #app. Without JavaScript: a redirect to the page, which shows once
    what this answer would have (the sign-in form as typed, never a secret). Every
    exchange goes into the session's history first."""
    entries = history_views.record_steps(request, steps)
    if request.htmx:
        if impersonation is not None:
            impersonation = _panel(request, **impersonation)
        composed = compose.composed_from(request.POST) if "path" in request.POST else None
        parts = page_context(
            request,
            composed=composed,
            signin_form=signin_form,
            steps=steps,
            feedback=feedback,
            impersonation=impersonation,
            entries=entries,
        )
        return render(request, APP, parts)
    request.session[FLASH_KEY] = {
        "signin_form": signin_form
        and {"shown": signin_form.shown, "errors": signin_form.first_errors},
        "steps": [{"label": s.label, "entry": e.id} for s, e in zip(steps, entries, strict=True)],
        "feedback": feedback,
        "impersonation": impersonation,
    }
    response = redirect("index")
    response.status_code = 303  # See Other: the page, fetched with GET
    return response


def _signed_in(request, auth):
    """A new context: a fresh session key and CSRF token (privileges changed), then it."""
    request.session.cycle_key()
    rotate_token(request)
    contexts.add(request.session, auth)


def _feedback(place, error, hint=""):
    """What went wrong, shown at `place` (signin, impersonate, identity) until the next action."""
    return {"place": place, "error": error, "hint": hint} if error else None


def _flashable(buyer, shown, errors=None, feedback=None):
    """The impersonation panel's state as plain data, to re-render (and re-list) it."""
    return {"buyer": buyer, "shown": shown, "errors": errors or {}, "feedback": feedback}


def _panel(request, buyer="", shown=None, errors=None, feedback=None):
    """The impersonation panel, open, its choices listed with the active context's token."""
    caller = contexts.get_auth(request.session)
    if caller is None:
        choices = oauth.Choices(error=SIGN_IN_FIRST)
    elif caller.environment is None:
        choices = oauth.Choices(error=f"{caller.environment_id} is no longer configured.")
    else:
        choices = oauth.impersonation_choices(request.session, caller.environment, caller, buyer)
    defaults = {
        "user": "",
        "client_id": choices.client_ids[0] if choices.client_ids else "",
        "roles": oauth.IMPERSONATION_ROLES,
        "name": "",
    }
    return {
        "imp_open": True,
        "imp_choices": choices,
        "imp_buyer": buyer,
        "imp_shown": {**defaults, **{k: v for k, v in (shown or {}).items() if v}},
        "imp_errors": errors or {},
        "imp_feedback": feedback or {},
    }
