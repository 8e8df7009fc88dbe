"""The developer dashboard: accounts with an emailed code, seller organizations kept
apart, applications made with "New" that sign in (pages and their JSON operations)."""

import json
import re
from datetime import timedelta
from http import HTTPStatus
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
from django.core import mail
from django.utils import timezone

from sandbox.dashboard import accounts
from sandbox.dashboard.views import SESSION_KEY, console_url
from sandbox.models import Account, ApiClient, Marketplace, Signup
from tests.sandbox import factories
from tests.sandbox.conftest import get_me, post_token

EMAIL = "newcomer@example.com"
PASSWORD = "correct horse battery"
DASH = "/sandbox/dashboard/"
API = "/sandbox/dashboard/api"


def sent_code(index=-1):
    return re.search(r"\b(\d{6})\b", mail.outbox[index].body).group(1)


def create_account(client, email=EMAIL, password=PASSWORD):
    return client.post(f"{DASH}signup", {"email": email, "password": password})


def verify(client, code, email=EMAIL):
    return client.post(f"{DASH}verify", {"email": email, "code": code})


def signed_up(client, email=EMAIL):
    """A verified account, signed in to the dashboard."""
    create_account(client, email)
    verify(client, sent_code(), email)
    return Account.objects.get(username=email)


def wrong(code):
    return f"{(int(code) + 1) % 10**6:06d}"


def api_post(client, path, body, token=None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.post(
        f"{API}{path}", json.dumps(body), content_type="application/json", headers=headers
    )


@pytest.mark.django_db
class TestCreateAccount:
    def test_the_code_from_the_email_makes_the_account_with_its_first_organization(self, client):
        response = create_account(client)

        assert response.status_code == HTTPStatus.FOUND
        assert response["Location"] == f"{DASH}verify?email=newcomer%40example.com"
        assert len(mail.outbox) == 1
        assert mail.outbox[0].to == [EMAIL]
        assert mail.outbox[0].subject == "Your OrderCloud sandbox verification code"
        assert not Account.objects.filter(username=EMAIL).exists()  # not before the code

        response = verify(client, sent_code())

        assert response.status_code == HTTPStatus.FOUND
        assert response["Location"] == DASH
        account = Account.objects.get(username=EMAIL)
        assert client.session[SESSION_KEY] == account.pk
        assert not Signup.objects.exists()
        (organization,) = account.marketplaces.all()
        assert organization.name == "My Seller Organization"
        (default_access,) = organization.api_clients.all()
        assert default_access.app_name == "Default Access"
        assert default_access.allow_seller and default_access.active
        assert organization.default_admin_user.username == "default-admin"
        page = client.get(DASH).content.decode()
        assert "My Seller Organization" in page
        assert PASSWORD not in page

    def test_the_code_is_stored_only_as_a_digest(self, client):
        create_account(client)

        signup = Signup.objects.get(email=EMAIL)
        assert sent_code() not in signup.code_digest
        assert PASSWORD not in signup.password

    def test_a_wrong_code_is_refused(self, client):
        create_account(client)

        response = verify(client, wrong(sent_code()))

        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert "The code is wrong." in response.content.decode()
        assert not Account.objects.exists()
        assert Signup.objects.get().wrong_codes == 1

    def test_an_expired_code_is_refused(self, client):
        create_account(client)
        Signup.objects.update(code_expires_at=timezone.now() - timedelta(seconds=1))

        response = verify(client, sent_code())

        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert "The code has expired" in response.content.decode()
        assert not Account.objects.exists()

    def test_a_used_code_is_refused(self, client):
        create_account(client)
        code = sent_code()
        verify(client, code)

        response = verify(client, code)

        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert "No code is waiting for this address" in response.content.decode()
        assert Account.objects.filter(username=EMAIL).count() == 1
        assert Marketplace.objects.filter(owner__username=EMAIL).count() == 1

    def test_after_five_wrong_codes_even_the_right_one_is_refused(self, client):
        create_account(client)
        code = sent_code()
        for _ in range(accounts.MAX_WRONG_CODES):
            assert verify(client, wrong(code)).status_code == HTTPStatus.BAD_REQUEST

        response = verify(client, code)

        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert "Too many wrong codes" in response.content.decode()
        assert not Account.objects.exists()

    def test_a_new_code_replaces_the_old_one(self, client):
        create_account(client)
        first = sent_code()
        create_account(client)
        second = sent_code()
        while second == first:  # two random codes alike (one in a million): ask again
            create_account(client)
            second = sent_code()

        assert verify(client, first).status_code == HTTPStatus.BAD_REQUEST
        assert verify(client, second).status_code == HTTPStatus.FOUND

    def test_codes_sent_to_one_address_are_limited(self, client):
        for _ in range(accounts.MAX_CODES_SENT):
            create_account(client)

        response = create_account(client)

        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert "5 codes were sent to this address already" in response.content.decode()
        assert len(mail.outbox) == accounts.MAX_CODES_SENT

    @pytest.mark.parametrize(
        ("email", "password", "message"),
        [
            ("not an address", PASSWORD, "Enter a valid email address."),
            (EMAIL, "short", "The password needs 8 to 200 characters."),
            ("a" * 95 + "@x.org", PASSWORD, "The email address is too long"),
        ],
    )
    def test_bad_input(self, client, email, password, message):
        response = create_account(client, email, password)

        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert message in response.content.decode()
        assert mail.outbox == []

    def test_an_existing_account_cannot_sign_up_again(self, client):
        signed_up(client)

        response = create_account(client)

        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert "An account with this email address exists" in response.content.decode()

    def test_sign_out_then_in_keeps_the_console_contexts(self, client):
        signed_up(client)
        session = client.session
        session["console.contexts"] = {"items": [], "active": ""}
        session.save()

        client.post(f"{DASH}signout")
        assert SESSION_KEY not in client.session
        assert "console.contexts" in client.session
        wrong_password = client.post(f"{DASH}signin", {"email": EMAIL, "password": "nope"})
        response = client.post(f"{DASH}signin", {"email": EMAIL, "password": PASSWORD})

        assert wrong_password.status_code == HTTPStatus.BAD_REQUEST
        assert response.status_code == HTTPStatus.FOUND
        assert SESSION_KEY in client.session
        assert "console.contexts" in client.session


@pytest.mark.django_db
class TestOrganizations:
    def test_new_seller_organization_gets_its_default_access(self, client):
        account = signed_up(client)

        response = client.post(f"{DASH}organizations", {"name": "Second"})

        second = account.marketplaces.get(name="Second")
        assert response["Location"] == f"{DASH}organizations/{second.oc_id}/"
        assert [c.app_name for c in second.api_clients.all()] == ["Default Access"]
        page = client.get(response["Location"]).content.decode()
        assert "Seller applications" in page
        assert "Use in console" in page

    def test_each_application_says_who_may_sign_in(self, client):
        account = signed_up(client)
        organization = account.marketplaces.get()
        for name, fields in (
            ("Buyers only", {"allow_seller": False, "allow_any_buyer": True}),
            ("Both", {"allow_any_buyer": True}),
            ("Assigned", {"allow_seller": False}),
        ):
            factories.api_client(organization, name, app_name=name, **fields)

        page = client.get(f"{DASH}organizations/{organization.oc_id}/").content.decode()

        cards = re.findall(r'<h2>(.*?)</h2>.*?<p class="app-facts">(.*?)</p>', page, re.S)
        who = {name.strip(): " ".join(facts.split()).split(" · ")[2] for name, facts in cards}
        assert who == {
            "Default Access": "admin users",
            "Buyers only": "any buyer user",
            "Both": "admin users and any buyer user",
            "Assigned": "users of the buyers it is assigned to",
        }

    def test_a_blank_name_is_refused(self, client):
        signed_up(client)

        response = client.post(f"{DASH}organizations", {"name": "  "})

        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert "Name the seller organization" in response.content.decode()

    def test_no_data_is_shared_between_organizations(self, client):
        account = signed_up(client)
        client.post(f"{DASH}organizations", {"name": "Second"})
        first, second = account.marketplaces.order_by("pk")
        token = post_token(
            client,
            grant_type="password",
            client_id=first.api_clients.get().oc_id,
            username=EMAIL,
            password=PASSWORD,
            scope="DevCenterImpersonate FullAccess",
        ).json()["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        created = client.post(
            "/sandbox/v1/buyers",
            json.dumps({"ID": "only-in-first", "Name": "First's buyer", "Active": True}),
            content_type="application/json",
            headers=headers,
        )
        assert created.status_code == HTTPStatus.CREATED
        second_token = post_token(
            client,
            grant_type="password",
            client_id=second.api_clients.get().oc_id,
            username=EMAIL,
            password=PASSWORD,
            scope="DevCenterImpersonate FullAccess",
        ).json()["access_token"]

        listed = client.get(
            "/sandbox/v1/buyers", headers={"Authorization": f"Bearer {second_token}"}
        )

        assert listed.json()["Meta"]["TotalCount"] == 0
        assert first.buyers.count() == 1
        assert second.buyers.count() == 0

    def test_another_accounts_organization_is_not_found(self, client):
        signed_up(client, "first@example.com")
        theirs = Marketplace.objects.get(owner__username="first@example.com")
        client.post(f"{DASH}signout")
        signed_up(client, "second@example.com")

        page = client.get(f"{DASH}organizations/{theirs.oc_id}/")
        new = client.post(f"{DASH}organizations/{theirs.oc_id}/apiclients", {"app_name": "X"})
        listed = client.get(DASH).content.decode()

        assert page.status_code == HTTPStatus.NOT_FOUND
        assert new.status_code == HTTPStatus.NOT_FOUND
        assert theirs.api_clients.count() == 1
        assert theirs.oc_id not in listed

    def test_signed_out_the_dashboard_asks_to_sign_in(self, client):
        response = client.get(DASH)

        assert response.status_code == HTTPStatus.OK
        assert "Create account" in response.content.decode()
        assert client.post(f"{DASH}organizations", {"name": "X"})["Location"] == DASH


NEW_APP = {
    "app_name": "My storefront",
    "roles": "Shopper MeAdmin",
    "access_token_duration": "60",
    "refresh": "on",
    "refresh_token_duration": "120",
    "client_secret": "on",
    "default_context_username": "",
    "allow_seller": "on",
}


@pytest.mark.django_db
class TestNewApplication:
    def test_new_application_as_asked_then_use_in_console(self, client):
        account = signed_up(client)
        organization = account.marketplaces.get()

        response = client.post(f"{DASH}organizations/{organization.oc_id}/apiclients", NEW_APP)

        created = organization.api_clients.get(app_name="My storefront")
        assert response["Location"] == (
            f"{DASH}organizations/{organization.oc_id}/?created={created.oc_id}"
        )
        assert created.access_token_duration == 60
        assert created.refresh_token_duration == 120
        assert created.maximum_granted_roles == ["Shopper", "MeAdmin"]
        assert created.allow_seller and not created.is_anon_buyer
        assert len(created.client_secret) > 30
        page = client.get(response["Location"]).content.decode()
        assert created.oc_id in page
        assert created.client_secret not in page  # until asked for
        link = re.search(r'href="([^"]*client_id=' + created.oc_id + '[^"]*)"', page).group(1)
        query = parse_qs(urlsplit(link.replace("&amp;", "&")).query)
        assert urlsplit(link).path == "/"
        assert query == {
            "environment": ["sandbox"],
            "client_id": [created.oc_id],
            "username": [EMAIL],
        }
        revealed = client.post(
            f"{DASH}organizations/{organization.oc_id}/secret", {"client": created.oc_id}
        )
        assert created.client_secret in revealed.content.decode()

    def test_the_roles_it_may_grant_bound_a_token(self, client):
        account = signed_up(client)
        organization = account.marketplaces.get()
        fields = {**NEW_APP, "client_secret": "", "roles": "MeAdmin"}
        client.post(f"{DASH}organizations/{organization.oc_id}/apiclients", fields)
        created = organization.api_clients.get(app_name="My storefront")

        token = post_token(
            client,
            grant_type="password",
            client_id=created.oc_id,
            username=EMAIL,
            password=PASSWORD,
            scope="DevCenterImpersonate FullAccess MeAdmin",
        ).json()["access_token"]

        claims = jwt.decode(token, options={"verify_signature": False})
        assert claims["role"] == ["DevCenterImpersonate", "MeAdmin"]
        assert get_me(client, token).status_code == HTTPStatus.OK

    def test_refresh_off_and_no_secret(self, client):
        account = signed_up(client)
        organization = account.marketplaces.get()
        fields = {**NEW_APP, "refresh": "", "client_secret": ""}

        client.post(f"{DASH}organizations/{organization.oc_id}/apiclients", fields)

        created = organization.api_clients.get(app_name="My storefront")
        assert created.refresh_token_duration == 0
        assert created.client_secret is None

    @pytest.mark.parametrize(
        ("field", "value", "message"),
        [
            ("roles", "Shopper NoSuchRole", "Not a role: NoSuchRole."),
            ("access_token_duration", "5", "greater than or equal to 10"),
            ("app_name", "", "This field is required."),
        ],
    )
    def test_bad_input(self, client, field, value, message):
        account = signed_up(client)
        organization = account.marketplaces.get()

        response = client.post(
            f"{DASH}organizations/{organization.oc_id}/apiclients", {**NEW_APP, field: value}
        )

        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert message in response.content.decode()
        assert organization.api_clients.count() == 1


@pytest.mark.django_db
class TestJsonOperations:
    def test_the_whole_flow(self, client):
        created = api_post(client, "/accounts", {"Email": EMAIL, "Password": PASSWORD})
        assert created.status_code == HTTPStatus.CREATED
        assert created.json()["Verified"] is False

        verified = api_post(client, "/accounts/verify", {"Email": EMAIL, "Code": sent_code()})
        assert verified.status_code == HTTPStatus.OK
        token = verified.json()["access_token"]
        orgs = client.get(f"{API}/organizations", headers={"Authorization": f"Bearer {token}"})
        (organization,) = orgs.json()["Items"]
        assert organization["Name"] == "My Seller Organization"
        path = f"/organizations/{organization['ID']}/apiclients"
        body = {"AppName": "Mine", "AccessTokenDuration": 600, "Active": True, "AllowSeller": True}
        new = api_post(client, path, body, token)

        assert new.status_code == HTTPStatus.CREATED
        listed = client.get(f"{API}{path}", headers={"Authorization": f"Bearer {token}"})
        assert [c["AppName"] for c in listed.json()["Items"]] == ["Default Access", "Mine"]
        signed_in = post_token(
            client,
            grant_type="password",
            client_id=new.json()["ID"],
            username=EMAIL,
            password=PASSWORD,
            scope="DevCenterImpersonate FullAccess",
        )
        assert signed_in.status_code == HTTPStatus.OK

    def test_refusals(self, client):
        api_post(client, "/accounts", {"Email": EMAIL, "Password": PASSWORD})

        wrong_code = api_post(client, "/accounts/verify", {"Email": EMAIL, "Code": "x"})
        no_token = client.get(f"{API}/organizations")
        bad_body = client.post(f"{API}/accounts", "{", content_type="application/json")
        not_theirs = client.get(
            f"{API}/organizations/nope/apiclients",
            headers={"Authorization": f"Bearer {accounts.token_for(signed_up(client, 'b@x.org'))}"},
        )

        assert wrong_code.status_code == HTTPStatus.BAD_REQUEST
        assert wrong_code.json()["Errors"][0]["Message"] == "The code is wrong."
        assert wrong_code.json()["Errors"][0]["Data"] == {"Field": "Code"}
        assert no_token.status_code == HTTPStatus.UNAUTHORIZED
        assert bad_body.status_code == HTTPStatus.BAD_REQUEST
        assert not_theirs.status_code == HTTPStatus.NOT_FOUND


@pytest.mark.django_db(transaction=True)
def test_a_new_application_signs_in_over_real_http(live_server):
    """Created with the dashboard's "New", then the guide's sign-in and GET /v1/me."""
    import requests

    session = requests.Session()
    base = f"{live_server.url}/sandbox/dashboard"

    def post(path, data):
        session.get(f"{base}/")  # the CSRF cookie
        data = {**data, "csrfmiddlewaretoken": session.cookies["csrftoken"]}
        return session.post(f"{base}/{path}", data=data, headers={"Referer": f"{base}/"})

    post("signup", {"email": EMAIL, "password": PASSWORD})
    post("verify", {"email": EMAIL, "code": sent_code()})
    organization = Marketplace.objects.get(owner__username=EMAIL)
    new_app = {**NEW_APP, "client_secret": "", "roles": ""}
    post(f"organizations/{organization.oc_id}/apiclients", new_app)
    created = ApiClient.objects.get(marketplace=organization, app_name="My storefront")

    token = requests.post(
        f"{live_server.url}/sandbox/oauth/token",
        data={
            "grant_type": "password",
            "client_id": created.oc_id,
            "username": EMAIL,
            "password": PASSWORD,
            "scope": "DevCenterImpersonate FullAccess",
        },
        timeout=10,
    )
    me = requests.get(
        f"{live_server.url}/sandbox/v1/me",
        headers={"Authorization": f"Bearer {token.json()['access_token']}"},
        timeout=10,
    )

    assert token.status_code == HTTPStatus.OK
    assert token.json()["refresh_token"]
    assert me.status_code == HTTPStatus.OK
    assert me.json()["Username"] == "default-admin"
    claims = jwt.decode(token.json()["access_token"], options={"verify_signature": False})
    assert claims["role"] == ["DevCenterImpersonate", "FullAccess"]


class TestConsoleUrl:
    """Where "Use in console" points: the console's root on its own host, else its port."""

    def test_under_the_consoles_sandbox_path(self, rf):
        assert console_url(rf.get("/sandbox/dashboard/organizations/X/")) == "/"

    def test_on_the_sandboxs_own_pool(self, rf, settings):
        settings.PORT = 8000
        request = rf.get("/dashboard/organizations/X/", HTTP_HOST="127.0.0.1:8001")

        assert console_url(request) == "http://127.0.0.1:8000/"

    def test_configured(self, rf, settings):
        settings.CONSOLE_URL = "https://console.example.com"
        request = rf.get("/dashboard/organizations/X/", HTTP_HOST="sandbox.example.com")

        assert console_url(request) == "https://console.example.com/"


def test_the_dashboard_on_the_sandboxs_own_pool(sandbox_pool):
    """At the root of the sandbox's own pool the dashboard links within that pool."""
    import requests

    page = requests.get(f"{sandbox_pool.url}/dashboard/", timeout=10)
    signup = requests.get(f"{sandbox_pool.url}/dashboard/signup", timeout=10)

    assert page.status_code == HTTPStatus.OK
    assert 'href="/dashboard/signup"' in page.text
    assert 'action="/dashboard/signin"' in page.text
    assert signup.status_code == HTTPStatus.OK
    assert 'action="/dashboard/signup"' in signup.text
