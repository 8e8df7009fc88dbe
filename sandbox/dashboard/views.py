"""The dashboard's pages: create an account (and verify its emailed code), sign in, the
account's seller organizations and their applications, "Use in console".

The developer account signed in here is kept under its own session key, apart from the
console's OrderCloud contexts: signing in or out of one never touches the other. Every
post answers with a redirect (post/redirect/get) unless it shows its errors.
"""

from http import HTTPStatus
from urllib.parse import urlencode

from django.conf import settings
from django.middleware.csrf import rotate_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sandbox.api.spec import API_ROLES
from sandbox.auth import guard
from sandbox.auth.roles import DEV_CENTER_IMPERSONATE, FULL_ACCESS
from sandbox.dashboard import accounts, organizations
from sandbox.dashboard.forms import NewApplicationForm
from sandbox.models import Account

SESSION_KEY = "sandbox.dashboard.account"
# The console's name for the embedded sandbox (its sign-in form's Environment).
CONSOLE_ENVIRONMENT = "sandbox"
ROLES = f"{DEV_CENTER_IMPERSONATE} {FULL_ACCESS}"


def signed_in(request) -> Account | None:
    account_id = request.session.get(SESSION_KEY)
    return Account.objects.filter(pk=account_id).first() if account_id else None


def _sign_in(request, account: Account) -> None:
    request.session.cycle_key()
    rotate_token(request)
    request.session[SESSION_KEY] = account.pk


def _to(name, *args, **query):
    url = reverse(f"sandbox:{name}", args=args)
    return redirect(f"{url}?{urlencode(query)}" if query else url, permanent=False)


@require_GET
@never_cache
def home(request):
    """Signed in: the seller organizations. Else: sign in, or create an account."""
    account = signed_in(request)
    if account is None:
        return render(request, "sandbox/dashboard/signin.html")
    context = {
        "account": account,
        "organizations": organizations.organizations_of(account),
    }
    return render(request, "sandbox/dashboard/home.html", context)


@sensitive_post_parameters("password")
@require_http_methods(["GET", "POST"])
@never_cache
def signup(request):
    context = {"email": request.POST.get("email", "")}
    if request.method == "POST":
        try:
            accounts.start_signup(request.POST.get("email", ""), request.POST.get("password", ""))
        except accounts.Refused as refused:
            context["error"] = refused
            return render(
                request, "sandbox/dashboard/signup.html", context, status=HTTPStatus.BAD_REQUEST
            )
        return _to("dashboard-verify", email=accounts.normal_email(context["email"]))
    return render(request, "sandbox/dashboard/signup.html", context)


@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
@never_cache
def verify(request):
    email = request.POST.get("email", request.GET.get("email", ""))
    context = {"email": email, "minutes": settings.DASHBOARD_CODE_MINUTES}
    if request.method == "POST":
        try:
            account = accounts.verify(email, request.POST.get("code", ""))
        except accounts.Refused as refused:
            context["error"] = refused
            return render(
                request, "sandbox/dashboard/verify.html", context, status=HTTPStatus.BAD_REQUEST
            )
        _sign_in(request, account)
        return _to("dashboard")
    return render(request, "sandbox/dashboard/verify.html", context)


@sensitive_post_parameters("password")
@require_POST
@never_cache
def signin(request):
    username = request.POST.get("email", "")
    try:
        account = accounts.authenticate(request, username, request.POST.get("password", ""))
    except guard.Locked as locked:
        context = {"email": username, "error": locked.message}
        response = render(
            request, "sandbox/dashboard/signin.html", context, status=HTTPStatus.TOO_MANY_REQUESTS
        )
        response["Retry-After"] = locked.retry_after()
        return response
    if account is None:
        context = {"email": username, "error": "Email or password is incorrect."}
        return render(
            request, "sandbox/dashboard/signin.html", context, status=HTTPStatus.BAD_REQUEST
        )
    _sign_in(request, account)
    return _to("dashboard")


@require_POST
def signout(request):
    """Only the developer account: the console's contexts in the same session stay."""
    request.session.pop(SESSION_KEY, None)
    request.session.cycle_key()
    return _to("dashboard")


@require_POST
@never_cache
def new_organization(request):
    account = signed_in(request)
    if account is None:
        return _to("dashboard")
    try:
        marketplace = organizations.new_organization(account, request.POST.get("name", ""))
    except organizations.Invalid as invalid:
        context = {
            "account": account,
            "organizations": organizations.organizations_of(account),
            "error": invalid.message,
            "name": request.POST.get("name", ""),
        }
        return render(
            request, "sandbox/dashboard/home.html", context, status=HTTPStatus.BAD_REQUEST
        )
    return _to("dashboard-organization", marketplace.oc_id)


def _organization_page(request, marketplace_id, status=HTTPStatus.OK, **extra):
    account = signed_in(request)
    if account is None:
        return _to("dashboard")
    marketplace = organizations.organization_of(account, marketplace_id)
    if marketplace is None:
        # Another account's organization looks like one that does not exist.
        return render(
            request,
            "sandbox/dashboard/missing.html",
            {"account": account},
            status=HTTPStatus.NOT_FOUND,
        )
    clients = organizations.applications_of(marketplace)
    context = {
        "account": account,
        "organization": marketplace,
        "applications": [(client, _console_link(request, account, client)) for client in clients],
        "created": request.GET.get("created", ""),
        "form": NewApplicationForm(),
        "roles": sorted(API_ROLES),
        **extra,
    }
    return render(request, "sandbox/dashboard/organization.html", context, status=status)


@require_GET
@never_cache
def organization(request, marketplace_id):
    """ "Seller applications": the organization's API clients, and "New"."""
    return _organization_page(request, marketplace_id)


@require_POST
@never_cache
def new_application(request, marketplace_id):
    account = signed_in(request)
    marketplace = account and organizations.organization_of(account, marketplace_id)
    if marketplace is None:
        return _organization_page(request, marketplace_id)
    form = NewApplicationForm(request.POST)
    if form.is_valid():
        try:
            client = organizations.new_application(marketplace, form.new_application())
        except organizations.Invalid as invalid:
            form.add_error(invalid.field if invalid.field in form.fields else None, invalid.message)
        else:
            return _to("dashboard-organization", marketplace.oc_id, created=client.oc_id)
    return _organization_page(
        request, marketplace_id, status=HTTPStatus.BAD_REQUEST, form=form, open_new=True
    )


@require_POST
@never_cache
def reveal_secret(request, marketplace_id):
    """The client secret of one application, on request only, in this answer only."""
    return _organization_page(request, marketplace_id, revealed=request.POST.get("client", ""))


def _console_link(request, account, client) -> str:
    """The console's page with this environment, ClientID, username and roles filled in."""
    query = urlencode(
        {
            "environment": CONSOLE_ENVIRONMENT,
            "client_id": client.oc_id,
            "username": account.username,
        }
    )
    return f"{console_url(request)}?{query}"


def console_url(request) -> str:
    """The console's root: "/" on the console's own host (the dashboard under /sandbox/),
    else CONSOLE_URL, else this host on the console's port."""
    if request.path.startswith("/sandbox/"):
        return "/"
    if settings.CONSOLE_URL:
        return settings.CONSOLE_URL.rstrip("/") + "/"
    return f"{request.scheme}://{request.get_host().rsplit(':', 1)[0]}:{settings.PORT}/"
