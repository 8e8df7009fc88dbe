"""The "Getting started" page: the guided tour (console.tour), one post per step.

htmx swaps the tour in place; without JavaScript each post answers with a redirect to the
page at its step (post/redirect/get), which shows what it left: the progress and the
exchanges live in the session (the exchanges in its history).
"""

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_GET, require_POST

from console import contexts, environments, history, tour
from console.views import history as history_views
from console.views.auth import _signed_in
from console.views.common import HtmxHttpRequest

PAGE = "console/tour.html"
MAX_INPUT = 200
SANDBOX_ONLY = {step.id for step in tour.STEPS if step.sandbox_only} - {"account"}
WHERE_FIRST_STEPS = {
    True: "In the embedded sandbox the tour makes the account itself: create one here.",
    False: "On OrderCloud itself the account, organization and application come from"
    " OrderCloud's portal: enter your username and ClientID.",
}


def sandbox_env(env) -> bool:
    return env.id == environments.SANDBOX_ID


@require_GET
@never_cache
def index(request: HtmxHttpRequest):
    """The tour as it stands; `?environment=<id>` starts it over on that environment."""
    chosen = environments.get(request.GET.get("environment", ""))
    if chosen and chosen.id != tour.state(request.session)["environment"]:
        tour.start(request.session, chosen.id)
    return render(request, PAGE, page_context(request))


@require_POST
@never_cache
def restart(request: HtmxHttpRequest):
    """Start over: no progress (the history and the console's contexts stay)."""
    env = environments.get(request.POST.get("environment", "")) or environments.default()
    tour.start(request.session, env.id)
    return _answer(request, "account")


@sensitive_post_parameters("password", "code")
@sensitive_variables("data", "outcome")
@require_POST
@never_cache
def step(request: HtmxHttpRequest, step_id):
    if step_id not in tour.STEP_IDS:
        raise Http404("No such step.")
    st = tour.state(request.session)
    env = environments.get(st["environment"])
    data = {name: request.POST.get(name, "")[:MAX_INPUT] for name in request.POST}
    if env is None:
        outcome = tour.Outcome(error=f"{st['environment']} is no longer configured: start over.")
    elif not tour.unlocked(st, step_id):
        outcome = tour.Outcome(error="Finish the steps before this one first.")
    elif step_id == "account" and (data.get("action") == "portal") == sandbox_env(env):
        outcome = tour.Outcome(error=WHERE_FIRST_STEPS[sandbox_env(env)])
    elif step_id in SANDBOX_ONLY and not sandbox_env(env):
        outcome = tour.Outcome(error=WHERE_FIRST_STEPS[False])
    else:
        outcome = _perform(request, env, st, step_id, data)
    if outcome.auth:
        admin = contexts.get_auth(request.session)
        _signed_in(request, outcome.auth)
        if step_id == "shopper" and admin:  # the admin stays the active context
            contexts.activate(request.session, admin.id)
    entries = history_views.record_steps(request, outcome.steps)
    labels = [s.label for s in outcome.steps]
    ids = [[entry.id, label] for entry, label in zip(entries, labels, strict=True)]
    tour.settle(request.session, st, step_id, outcome, ids)
    return _answer(request, step_id)


def _perform(request, env, st, step_id, data):
    session = request.session
    action = data.get("action", "")
    match step_id:
        case "account" if action == "portal":
            return tour.portal(st, data.get("email", "").strip(), data.get("client_id", "").strip())
        case "account" if action == "verify":
            return tour.verify(env, st, data.get("code", "").strip())
        case "account":
            return tour.signup(env, st, data.get("email", "").strip(), data.get("password", ""))
        case "organization":
            return tour.organizations(env, st)
        case "application":
            name = data.get("name", "").strip() if action == "new" else ""
            if action == "new" and not name:
                return tour.Outcome(error="Name the new application.")
            return tour.applications(env, st, new_name=name)
        case "authenticate":
            return tour.authenticate(env, st, data.get("password", ""))
        case "me":
            return tour.me(session, env, st)
        case "products":
            return tour.products(session, env, st)
        case "buyer":
            return tour.buyer(session, env, st, data.get("name", "").strip() or "My first buyer")
        case "shopper":
            return tour.shopper(session, env, st)


def _answer(request, step_id):
    if request.htmx:
        return render(request, f"{PAGE}#tour", page_context(request, focus=step_id))
    response = redirect(f"{reverse('tour')}#step-{step_id}")
    response.status_code = 303
    return response


def page_context(request, focus=""):
    st = tour.state(request.session)
    env = environments.get(st["environment"]) or environments.default()
    sandbox = env.id == environments.SANDBOX_ID
    steps = []
    for number, step in enumerate(tour.STEPS, 1):
        results = []
        for entry_id, label in st["results"].get(step.id, []):
            if entry := history.get(request.session, entry_id):
                results.append({"label": label, "exchange": history.exchange_of(entry)})
        steps.append(
            {
                "number": number,
                "step": step,
                "done": step.id in st["done"],
                "unlocked": tour.unlocked(st, step.id),
                "error": st.get("errors", {}).get(step.id, ""),
                "earlier": results[:-1],
                "last": results[-1] if results else None,
            }
        )
    return {
        "tour": st,
        "tour_env": env,
        "sandbox": sandbox,
        "steps": steps,
        "done_count": len(st["done"]),
        "focus": focus,
        "dashboard_url": reverse("sandbox:dashboard"),
        "roles": environments.SANDBOX_ROLES,
    }
