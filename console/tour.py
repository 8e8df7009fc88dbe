"""The guided tour ("Getting started"): OrderCloud's getting-started guide, step by step,
each step performed live and checked by its own response.

Against the embedded sandbox the first steps call the sandbox dashboard's JSON operations
(create the account and verify the emailed code, the seller organization, its
applications); against OrderCloud itself those happen on OrderCloud's portal and the tour
starts at the sign-in. Every request goes out through compose -> transport -> exchange like
any other, and is kept in the session's history. A step unlocks the next only when its
response proves it worked; what it learnt (the email, the organization, the ClientID, the
context) is kept with the progress in the session, secrets included (server-side only).
"""

import json
from dataclasses import dataclass, field
from functools import partial
from urllib.parse import quote

from django.views.decorators.debug import sensitive_variables

from console import compose, contexts, environments, exchange, oauth, transport
from console.compose import Composed, Row

SESSION_KEY = "console.tour"
DASHBOARD_API = "/dashboard/api"
SHOPPER_ID = "tour-shopper"
SHOPPER_ROLES = "Shopper MeAdmin"


@dataclass(frozen=True)
class Step:
    id: str
    title: str
    sandbox_only: bool = False


STEPS = (
    Step("account", "Create an account", sandbox_only=True),
    Step("organization", "Your first seller organization", sandbox_only=True),
    Step("application", "An application and its ClientID", sandbox_only=True),
    Step("authenticate", "Authenticate"),
    Step("me", "GET /v1/me"),
    Step("products", "List products as the admin"),
    Step("buyer", "Create a buyer"),
    Step("shopper", "A buyer user's products"),
)
STEP_IDS = [step.id for step in STEPS]
# Facts a step learns; when one changes, what later steps did no longer holds.
FACTS = ("email", "organization", "client_id", "context", "buyer")


def state(session) -> dict:
    stored = session.get(SESSION_KEY) or {}
    return {
        "environment": environments.default().id,
        "done": [],
        "results": {},
        **stored,
    }


def start(session, environment_id: str) -> None:
    """Start over (on another environment): no progress, no facts."""
    session[SESSION_KEY] = {"environment": environment_id, "done": [], "results": {}}


def unlocked(st: dict, step_id: str) -> bool:
    index = STEP_IDS.index(step_id)
    return all(earlier in st["done"] for earlier in STEP_IDS[:index])


@dataclass
class Outcome:
    """What one action sent (to be shown and kept in the history), whether it proves the
    step done, why not, and the facts it learnt."""

    steps: list = field(default_factory=list)  # oauth.Step, in order
    done: bool = False
    error: str = ""
    facts: dict = field(default_factory=dict)
    auth: contexts.AuthContext | None = None  # a new context to sign in with


def settle(session, st: dict, step_id: str, outcome: Outcome, entry_ids: list) -> None:
    """Keep the outcome: the step's exchanges, done or not, its facts; when a fact changed,
    the later steps start again. An action refused before it sent anything only says why."""
    st["errors"] = {**st.get("errors", {}), step_id: outcome.error}
    if not outcome.steps and not outcome.done:  # refused before sending: nothing changes
        session[SESSION_KEY] = st
        return
    changed = any(st.get(name) != value for name, value in outcome.facts.items() if name in FACTS)
    st.update(outcome.facts)
    if entry_ids:
        st["results"][step_id] = entry_ids  # [[history entry id, label], ...]
    later = STEP_IDS[STEP_IDS.index(step_id) + 1 :]
    done = [s for s in st["done"] if s != step_id and not (changed and s in later)]
    if outcome.done:
        done.append(step_id)
        if outcome.facts.get("portal"):  # the portal's steps, done there
            done += [step.id for step in STEPS if step.sandbox_only]
    st["done"] = [s for s in STEP_IDS if s in done]
    session[SESSION_KEY] = st


# --- Sending --------------------------------------------------------------------------------


@sensitive_variables("token", "outgoing", "received")
def _call(env, method, path, body=None, token=""):
    """One request with a dashboard token (not an API context): the Exchange and the JSON
    that came back, read before any redaction (the dashboard token is in it)."""
    headers = (Row("Authorization", f"Bearer {token}"),) if token else ()
    composed = Composed(
        environment_id=env.id,
        method=method,
        path=path,
        headers=headers,
        body=json.dumps(body) if body is not None else "",
    )
    outgoing = compose.prepare(env, composed)
    received = transport.send(env, outgoing)
    return exchange.record(env, outgoing, received), _json(received.body, received.error)


def _as(session, env, context, method, path, body=None):
    """A request as an API context (refreshed when it must be), and its JSON."""
    composed = Composed(
        environment_id=env.id,
        method=method,
        path=path,
        body=json.dumps(body) if body is not None else "",
    )
    sent = oauth.send_as(session, env, composed, context)
    last = sent.exchange
    return sent, _json(last.body, last.error or sent.error)


def _json(body, error=""):
    if error:
        return None
    try:
        return json.loads(body)
    except (ValueError, RecursionError):
        return None


def _why(exchange_, data, expected):
    """Why a response does not prove the step: OrderCloud's message, or the status."""
    if exchange_.error:
        return exchange_.error
    if isinstance(data, dict) and isinstance(data.get("Errors"), list) and data["Errors"]:
        first = data["Errors"][0]
        if isinstance(first, dict):
            return f"{exchange_.status_text}: {first.get('Message', '')}".strip()
    if isinstance(data, dict) and data.get("error_description"):
        return f"{exchange_.status_text}: {data['error_description']}"
    return f"Expected {expected}, got {exchange_.status_text}."


# --- The steps' actions ---------------------------------------------------------------------


@sensitive_variables("password", "data")
def signup(env, st, email, password) -> Outcome:
    recorded, data = _call(
        env, "POST", f"{DASHBOARD_API}/accounts", {"Email": email, "Password": password}
    )
    if recorded.status == 201 and isinstance(data, dict) and data.get("Email"):
        return Outcome([oauth.Step(recorded)], facts={"email": data["Email"], "code_sent": True})
    return Outcome([oauth.Step(recorded)], error=_why(recorded, data, "201 Created"))


@sensitive_variables("data")
def verify(env, st, code) -> Outcome:
    body = {"Email": st.get("email", ""), "Code": code}
    recorded, data = _call(env, "POST", f"{DASHBOARD_API}/accounts/verify", body)
    if recorded.status == 200 and isinstance(data, dict) and data.get("Verified") is True:
        token = str(data.get("access_token", ""))
        return Outcome(
            [oauth.Step(recorded)],
            done=bool(token),
            facts={"dashboard_token": token, "code_sent": False},
        )
    return Outcome([oauth.Step(recorded)], error=_why(recorded, data, "200 OK, Verified"))


def organizations(env, st) -> Outcome:
    recorded, data = _call(
        env, "GET", f"{DASHBOARD_API}/organizations", token=st.get("dashboard_token", "")
    )
    items = data.get("Items") if isinstance(data, dict) else None
    if recorded.status == 200 and isinstance(items, list) and items:
        first = items[0]
        facts = {"organization": str(first.get("ID", "")), "organization_name": first.get("Name")}
        return Outcome([oauth.Step(recorded)], done=bool(facts["organization"]), facts=facts)
    expected = "200 OK with a seller organization"
    return Outcome([oauth.Step(recorded)], error=_why(recorded, data, expected))


def applications(env, st, new_name="") -> Outcome:
    """The organization's applications (the "default access" one), or a New one."""
    path = f"{DASHBOARD_API}/organizations/{st.get('organization', '')}/apiclients"
    token = st.get("dashboard_token", "")
    if new_name:
        body = {"AppName": new_name, "AccessTokenDuration": 600, "Active": True}
        recorded, data = _call(env, "POST", path, {**body, "AllowSeller": True}, token=token)
        if recorded.status == 201 and isinstance(data, dict) and data.get("ID"):
            facts = {"client_id": data["ID"], "app_name": data.get("AppName")}
            return Outcome([oauth.Step(recorded)], done=True, facts=facts)
        return Outcome([oauth.Step(recorded)], error=_why(recorded, data, "201 Created"))
    recorded, data = _call(env, "GET", path, token=token)
    items = data.get("Items") if isinstance(data, dict) else None
    usable = [
        item
        for item in items or ()
        if isinstance(item, dict) and item.get("Active") and item.get("AllowSeller")
    ]
    if recorded.status == 200 and usable:
        chosen = usable[0]
        facts = {"client_id": chosen.get("ID"), "app_name": chosen.get("AppName")}
        return Outcome([oauth.Step(recorded)], done=True, facts=facts)
    expected = "200 OK with an application that lets admin users in"
    return Outcome([oauth.Step(recorded)], error=_why(recorded, data, expected))


def portal(st, email, client_id) -> Outcome:
    """On OrderCloud itself the account, organization and application come from its
    portal: the tour takes the username and ClientID; the sign-in proves them."""
    if not email or not client_id:
        return Outcome(error="Enter your username and an application's ClientID.")
    return Outcome(done=True, facts={"email": email, "client_id": client_id, "portal": True})


@sensitive_variables("password", "result")
def authenticate(env, st, password) -> Outcome:
    result = oauth.password_grant(
        env,
        client_id=st.get("client_id", ""),
        username=st.get("email", ""),
        password=password,
        roles=environments.SANDBOX_ROLES,
    )
    steps = [oauth.Step(result.exchange)]
    if result.auth:
        return Outcome(steps, done=True, facts={"context": result.auth.id}, auth=result.auth)
    return Outcome(steps, error=result.error)


def _context(session, st):
    return contexts.get(session, st.get("context", ""))


NO_CONTEXT = "The sign-in of step 4 is gone (signed out?): authenticate again."


def me(session, env, st) -> Outcome:
    context = _context(session, st)
    if context is None:
        return Outcome(error=NO_CONTEXT)
    sent, data = _as(session, env, context, "GET", "/v1/me")
    if sent.exchange.status == 200 and isinstance(data, dict) and data.get("ID"):
        return Outcome(list(sent.steps), done=True)
    return Outcome(list(sent.steps), error=_why(sent.exchange, data, "200 OK with your user"))


def products(session, env, st) -> Outcome:
    context = _context(session, st)
    if context is None:
        return Outcome(error=NO_CONTEXT)
    sent, data = _as(session, env, context, "GET", "/v1/products")
    if sent.exchange.status == 200 and isinstance(data, dict) and "Meta" in data:
        return Outcome(list(sent.steps), done=True)
    return Outcome(list(sent.steps), error=_why(sent.exchange, data, "200 OK with a list page"))


def buyer(session, env, st, name) -> Outcome:
    context = _context(session, st)
    if context is None:
        return Outcome(error=NO_CONTEXT)
    body = {"Name": name, "Active": True}
    sent, data = _as(session, env, context, "POST", "/v1/buyers", body)
    if sent.exchange.status == 201 and isinstance(data, dict) and data.get("ID"):
        return Outcome(list(sent.steps), done=True, facts={"buyer": data["ID"]})
    return Outcome(list(sent.steps), error=_why(sent.exchange, data, "201 Created"))


def shopper(session, env, st) -> Outcome:
    """A buyer user of that buyer, allowed to be impersonated with this application, then
    its token (impersonation) and GET /v1/me/products as that user. Every call is a PUT or
    gives the same answer again, so the step can be redone."""
    context = _context(session, st)
    if context is None:
        return Outcome(error=NO_CONTEXT)
    buyer_id, client_id = st.get("buyer", ""), st.get("client_id", "")
    seg = partial(quote, safe="")  # an ID as one path segment
    setup = [
        (
            "PUT",
            f"/v1/buyers/{seg(buyer_id)}/users/{SHOPPER_ID}",
            {
                "ID": SHOPPER_ID,
                "Username": f"{SHOPPER_ID}-{buyer_id}"[:100],
                "FirstName": "Tour",
                "LastName": "Shopper",
                "Email": "shopper@example.com",
                "Active": True,
            },
        ),
        (
            "PUT",
            f"/v1/securityprofiles/{SHOPPER_ID}",
            {"ID": SHOPPER_ID, "Name": "Tour shopper", "Roles": SHOPPER_ROLES.split()},
        ),
        (
            "POST",
            "/v1/securityprofiles/assignments",
            {"SecurityProfileID": SHOPPER_ID, "BuyerID": buyer_id},
        ),
        (
            "PUT",
            f"/v1/impersonationconfig/{SHOPPER_ID}",
            {
                "ID": SHOPPER_ID,
                "ClientID": client_id,
                "SecurityProfileID": SHOPPER_ID,
                "BuyerID": buyer_id,
            },
        ),
        ("PATCH", f"/v1/apiclients/{seg(client_id)}", {"AllowAnyBuyer": True}),
    ]
    steps = []
    for method, path, body in setup:
        sent, data = _as(session, env, context, method, path, body)
        steps += [oauth.Step(s.exchange, s.label or f"{method} {path}") for s in sent.steps]
        if sent.exchange.status not in (200, 201, 204):
            return Outcome(steps, error=_why(sent.exchange, data, "a 2xx answer"))
    imp = oauth.impersonate(
        session,
        env,
        context,
        buyer_id=buyer_id,
        user_id=SHOPPER_ID,
        client_id=client_id,
        roles=SHOPPER_ROLES,
        name=f"Tour shopper of {buyer_id}",
    )
    steps += [oauth.Step(s.exchange, "Impersonation token") for s in imp.sent.steps]
    if imp.auth is None:
        return Outcome(steps, error=imp.error)
    sent, data = _as(session, env, imp.auth, "GET", "/v1/me/products")
    steps += list(sent.steps)
    if sent.exchange.status == 200 and isinstance(data, dict) and "Meta" in data:
        return Outcome(steps, done=True, auth=imp.auth)
    return Outcome(steps, error=_why(sent.exchange, data, "200 OK with a list page"))
