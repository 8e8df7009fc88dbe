"""Identities end to end: the console (in process) signs in to the embedded sandbox over real
HTTP with every grant, refreshes, impersonates, compares, and keeps sessions apart."""

import json
import re
import threading
import time
from datetime import UTC, datetime, timedelta
from http import HTTPStatus

import pytest
import requests
from django.test import Client
from django.urls import reverse

from console import contexts
from tests.console import sandbox_data
from tests.console.sandbox_data import PASSWORD, SECRET
from tests.console.test_views import HTMX, text_of

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def market(sandbox):
    return sandbox_data.build(sandbox)


class Console:
    """The console as the page's htmx drives it, for one browser session."""

    def __init__(self, client):
        self.client = client

    def sign_in(self, client_id, grant="password", **fields):
        data = {"grant": grant, "environment": "sandbox", "client_id": client_id, **fields}
        return self.client.post(reverse("signin"), data, headers=HTMX).content.decode()

    def send(self, path, method="GET", **fields):
        data = {"environment": "sandbox", "method": method, "path": path, "body": "", **fields}
        return self.client.post(reverse("send"), data, headers=HTMX).content.decode()

    def post(self, name, data):
        return self.client.post(reverse(name), data, headers=HTMX).content.decode()

    @property
    def contexts(self):
        return contexts.all_contexts(self.client.session)

    @property
    def active(self):
        return contexts.get_auth(self.client.session)

    def named(self, name):
        return next(c for c in self.contexts if c.name == name)

    def expire_in(self, delta):
        """Change the expiry the console keeps for the active context (not the token's)."""
        session = self.client.session
        data = session[contexts.CONTEXTS_KEY]
        for item in data["items"]:
            if item["id"] == data["active"]:
                item["expires_at"] = (datetime.now(UTC) + delta).isoformat()
        session.save()


@pytest.fixture
def console(client):
    return Console(client)


def body_of(pane_text):
    return json.loads(pane_text.split("\n\n", 1)[1])


def secrets_of(console):
    """Every token and kept secret of the session: none may ever be in a page."""
    found = {PASSWORD, SECRET}
    for context in console.contexts:
        found |= {context.access_token, context.refresh_token, context.client_secret}
    return {secret for secret in found if secret}


def assert_no_secrets(html, console, *more):
    for secret in secrets_of(console) | set(more):
        assert secret not in html


def me(html):
    assert text_of(html, "result-status") == "200 OK"
    return body_of(text_of(html, "raw-response"))


class TestGrants:
    def test_password(self, console, market):
        html = console.sign_in(market.clients["refreshing"], username="alice", password=PASSWORD)

        auth = console.active
        assert (auth.name, auth.grant, auth.user, auth.user_type) == (
            "Admin: alice",
            "password",
            "alice",
            "admin",
        )
        assert auth.refresh_token and auth.client_secret == ""
        assert text_of(html, "raw-request").endswith(
            f"\n\ngrant_type=password&username=alice&password=********"
            f"&client_id={market.clients['refreshing']}"
        )
        assert f'<option value="{auth.id}" selected>Admin: alice</option>' in html
        sent = console.send("/v1/me")
        assert me(sent)["Username"] == "alice"
        assert_no_secrets(html + sent, console)

    def test_password_with_client_secret(self, console, market):
        html = console.sign_in(
            market.clients["secret-app"],
            grant="elevated",
            username="alice",
            password=PASSWORD,
            client_secret=SECRET,
            roles="MeAdmin",
        )

        auth = console.active
        assert (auth.grant, auth.roles, auth.client_secret) == ("elevated", ("MeAdmin",), "")
        assert text_of(html, "raw-request").endswith(
            "\n\ngrant_type=password&username=alice&password=********"
            f"&client_id={market.clients['secret-app']}&scope=MeAdmin&client_secret=********"
        )
        assert me(console.send("/v1/me"))["Username"] == "alice"
        assert_no_secrets(html, console)

    def test_keep_for_refresh_keeps_the_secret_server_side_only(self, console, market):
        fields = {"username": "alice", "password": PASSWORD, "client_secret": SECRET}
        client_id = market.clients["secret-app"]
        console.sign_in(client_id, grant="elevated", name="Kept", keep_secret="on", **fields)
        console.sign_in(client_id, grant="elevated", name="Not kept", **fields)

        kept, not_kept = console.named("Kept"), console.named("Not kept")
        refreshed = console.post("refresh", {"context": kept.id})
        refused = console.post("refresh", {"context": not_kept.id})

        assert (kept.client_secret, not_kept.client_secret) == (SECRET, "")
        assert text_of(refreshed, "result-status") == "200 OK"
        assert text_of(refreshed, "raw-request").endswith(
            f"\n\ngrant_type=refresh_token&client_id={client_id}"
            "&refresh_token=********&client_secret=********"
        )
        assert console.named("Kept").access_token != kept.access_token
        assert text_of(refused, "identity-error") == (
            "Refreshing the token of Not kept failed: This API client requires its client_secret."
        )
        assert "tick “Keep for refresh”" in refused
        for html in (refreshed, refused, console.client.get("/").content.decode()):
            assert_no_secrets(html, console, kept.access_token)

    def test_client_credentials(self, console, market):
        html = console.sign_in(
            market.clients["integration"], grant="client_credentials", client_secret=SECRET
        )

        auth = console.active
        assert (auth.name, auth.grant, auth.user) == ("Admin: alice", "client_credentials", "alice")
        assert text_of(html, "raw-request").endswith(
            f"\n\ngrant_type=client_credentials&client_id={market.clients['integration']}"
            "&client_secret=********"
        )
        assert me(console.send("/v1/me"))["Username"] == "alice"
        assert_no_secrets(html, console)

    def test_anonymous_shopper(self, console, market):
        html = console.sign_in(market.clients["anon"], grant="anonymous", roles="Shopper")

        auth = console.active
        claims = dict(auth.claims)
        assert (auth.name, auth.grant, auth.user_type, auth.roles) == (
            "Anonymous shopper",
            "anonymous",
            "buyer",
            ("Shopper",),
        )
        assert re.fullmatch(r"[A-Za-z0-9_-]{22}", claims["orderid"])
        assert text_of(html, "raw-request").endswith(
            f"\n\ngrant_type=client_credentials&client_id={market.clients['anon']}&scope=Shopper"
        )
        assert me(console.send("/v1/me"))["Username"] == "jane"

    def test_refresh_token(self, console, market):
        client_id = market.clients["refreshing"]
        refresh_token = market.token(client_id, "alice")["refresh_token"]

        html = console.sign_in(client_id, grant="refresh_token", refresh_token=refresh_token)

        auth = console.active
        assert (auth.name, auth.grant, auth.refresh_token) == (
            "Admin: alice",
            "refresh_token",
            refresh_token,
        )
        assert text_of(html, "raw-request").endswith(
            f"\n\ngrant_type=refresh_token&client_id={client_id}&refresh_token=********"
        )
        assert me(console.send("/v1/me"))["Username"] == "alice"
        assert_no_secrets(html, console, refresh_token)

    def test_only_the_chosen_grants_fields_go_out(self, console, market):
        html = console.sign_in(
            market.clients["anon"],
            grant="anonymous",
            username="alice",
            password=PASSWORD,
            client_secret=SECRET,
        )

        assert text_of(html, "raw-request").endswith(
            f"\n\ngrant_type=client_credentials&client_id={market.clients['anon']}"
        )


def feedback(html):
    """The sign-in error box: what failed, what to do, and what is still active."""
    return [
        " ".join(text_of(html, element).split())
        for element in ("signin-error", "signin-hint", "signin-still")
    ]


class TestSignInErrors:
    def test_wrong_password_says_whether_the_previous_context_is_still_active(
        self, console, market
    ):
        client_id = market.clients["refreshing"]
        first = console.sign_in(client_id, username="alice", password="wrong")
        console.sign_in(client_id, username="alice", password=PASSWORD)

        second = console.sign_in(client_id, username="alice", password="wrong")

        assert feedback(first) == [
            "Sign-in failed: Username or password is incorrect.",
            "Check the username and password. Signing in with your developer account (the one "
            "for the OrderCloud portal) rather than a marketplace user? It needs "
            "DevCenterImpersonate in Roles.",
            "No context is active: requests go out without a token.",
        ]
        assert feedback(second)[2] == "Still active: Admin: alice. Requests go out as before."
        assert console.active.name == "Admin: alice"
        assert '<details id="signin-again" open>' in second

    def test_a_developer_account_without_dev_center_impersonate(self, console, market, sandbox):
        html = console.sign_in(
            sandbox.client_id, username="demo", password=sandbox.password, roles="FullAccess"
        )

        assert feedback(html)[:2] == [
            "Sign-in failed: Username or password is incorrect.",
            "demo is the sandbox's developer account, not a user of its marketplace: it needs "
            "the DevCenterImpersonate role. Add DevCenterImpersonate to Roles "
            "(e.g. “DevCenterImpersonate FullAccess”).",
        ]

    @pytest.mark.parametrize(
        ("case", "error", "hint"),
        [
            (
                "unknown client",
                "client_id does not name an API client.",
                "Check the Client ID: it is the ID of an API client in Embedded sandbox (each "
                "environment has its own API clients).",
            ),
            (
                "missing secret",
                "This API client requires its client_secret.",
                "This API client has a client secret: choose the grant “Password + client "
                "secret” (or “Client credentials”) and enter it.",
            ),
            (
                "wrong secret",
                "client_secret is incorrect.",
                "Check the client secret: it is the API client's ClientSecret.",
            ),
            (
                "refresh disabled",
                "This API client issues no refresh tokens (RefreshTokenDuration 0).",
                "This API client gives no refresh tokens (its RefreshTokenDuration is 0): set "
                "RefreshTokenDuration above 0 on it (PATCH /v1/apiclients/{ID}), or sign in "
                "again when the token expires.",
            ),
        ],
    )
    def test_what_to_do(self, console, market, case, error, hint):
        user = {"username": "alice", "password": PASSWORD}
        fields = {
            "unknown client": {"client_id": "NO-SUCH-CLIENT", **user},
            "missing secret": {"client_id": market.clients["secret-app"], **user},
            "wrong secret": {
                "client_id": market.clients["secret-app"],
                "grant": "elevated",
                "client_secret": "not-the-secret",
                **user,
            },
            "refresh disabled": {
                "client_id": market.clients["storefront"],
                "grant": "refresh_token",
                "refresh_token": "any-refresh-token",
            },
        }[case]

        html = console.sign_in(**fields)

        assert feedback(html)[:2] == [f"Sign-in failed: {error}", hint]
        assert text_of(html, "result-status") == "400 Bad Request"
        assert console.contexts == []

    def test_the_error_goes_once_something_else_is_done(self, console, market):
        console.sign_in(market.clients["refreshing"], username="alice", password=PASSWORD)
        failed = console.sign_in("NO-SUCH-CLIENT", username="alice", password=PASSWORD)

        sent = console.send("/v1/me")

        assert 'id="signin-error"' in failed
        assert '<div id="signin-feedback" class="feedback" hx-swap-oob="true"></div>' in sent
        assert 'id="signin-error"' not in sent
        assert 'id="signin-error"' not in console.client.get("/").content.decode()

    def test_without_javascript_the_error_shows_once_after_the_redirect(self, market):
        client = Client()
        data = {"grant": "password", "environment": "sandbox", "client_id": "NO-SUCH-CLIENT"}

        response = client.post(reverse("signin"), {**data, "username": "a", "password": "pw"})
        shown = client.get(response["Location"]).content.decode()
        again = client.get("/").content.decode()

        assert response.status_code == HTTPStatus.SEE_OTHER
        assert feedback(shown)[0] == "Sign-in failed: client_id does not name an API client."
        assert text_of(shown, "result-status") == "400 Bad Request"
        assert 'id="signin-error"' not in again
        # The exchange stays: a reload shows the session's last exchange, from its history.
        assert text_of(again, "result-status") == "400 Bad Request"
        assert "pw" not in re.findall(r'value="([^"]*)"', shown)


def refresh_step(html):
    """The summary of the token refresh shown before the request's own result."""
    match = re.search(r'<details class="earlier">\s*<summary>(.*?)</summary>', html, re.S)
    assert match, "no earlier exchange"
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split())


class TestRefresh:
    def test_a_token_about_to_expire_is_refreshed_before_sending(self, console, market):
        console.sign_in(market.clients["short-lived"], username="alice", password=PASSWORD)
        before = console.active

        html = console.send("/v1/me")

        after = console.active
        assert me(html)["Username"] == "alice"
        assert refresh_step(html).startswith(
            f"Token refreshed first: it was about to expire, at {before.expires_at:%H:%M:%S} UTC"
            f" 200 OK POST {market.url}/oauth/token"
        )
        assert after.access_token != before.access_token
        assert after.refresh_token == before.refresh_token
        assert f"Authorization: Bearer {after.redacted_token}" in text_of(html, "raw-request")
        assert "grant_type=refresh_token&amp;client_id=" in html
        assert_no_secrets(html, console, before.access_token)

    def test_an_expired_token_is_refreshed_before_sending(self, console, market):
        console.sign_in(market.clients["expired-at-once"], username="alice", password=PASSWORD)

        html = console.send("/v1/me")

        assert console.active.expired  # 0-minute tokens: the new one too, yet still accepted
        assert refresh_step(html).startswith("Token refreshed first: it expired at ")
        assert me(html)["Username"] == "alice"

    def test_a_401_for_an_expired_token_refreshes_once_and_resends(self, console, market):
        console.sign_in(market.clients["expired-at-once"], username="alice", password=PASSWORD)
        # The console's clock runs behind the API's: it still thinks the token is good...
        console.expire_in(timedelta(hours=1))
        time.sleep(6)  # ...while the API's 5 s of leeway are over: it has expired.
        first = console.active

        html = console.send("/v1/me")

        steps = re.findall(r'<span class="earlier-label">(.*?)</span>', html)
        assert steps == ["Answered 401: the token had expired", "Token refreshed after the 401"]
        assert "Access token has expired." in html
        assert me(html)["Username"] == "alice"
        assert console.active.access_token != first.access_token

    def test_a_failed_refresh_stops_the_request(self, console, market, sandbox):
        client_id = market.clients["expired-at-once"]
        console.sign_in(client_id, username="alice", password=PASSWORD)
        requests.patch(
            f"{sandbox.url}/v1/apiclients/{client_id}",
            json={"RefreshTokenDuration": 0},
            headers={"Authorization": f"Bearer {sandbox_data.admin_token(sandbox)}"},
            timeout=10,
        ).raise_for_status()

        html = console.send("/v1/me")

        assert text_of(html, "result-url") == f"POST {market.url}/oauth/token"
        assert " ".join(text_of(html, "send-error").split()).startswith(
            "Refreshing the token of Admin: alice failed: This API client issues no refresh "
            "tokens (RefreshTokenDuration 0). The request was not sent. This API client gives "
            "no refresh tokens"
        )

    def test_the_refresh_token_button(self, console, market):
        console.sign_in(market.clients["refreshing"], username="alice", password=PASSWORD)
        before = console.active

        html = console.post("refresh", {"context": before.id})

        assert text_of(html, "result-status") == "200 OK"
        assert text_of(html, "raw-request").endswith(
            f"grant_type=refresh_token&client_id={market.clients['refreshing']}"
            "&refresh_token=********"
        )
        assert console.active.access_token != before.access_token
        assert_no_secrets(html, console, before.access_token)


class TestImpersonation:
    @pytest.fixture
    def admin(self, console, market, sandbox):
        console.sign_in(
            sandbox.client_id,
            username=sandbox.username,
            password=sandbox.password,
            roles=sandbox_data.ADMIN_ROLES,
            name="Admin",
        )
        return console.active

    def impersonate(self, console, market, user="jane", buyer="buyer-1", **fields):
        data = {
            "buyer": buyer,
            "user": user,
            "client_id": market.clients["storefront"],
            "roles": "Shopper MeAdmin",
            **fields,
        }
        return console.post("impersonate", data)

    def test_buyers_and_users_are_listed_with_the_active_token(self, console, market, admin):
        buyers = console.client.get(reverse("impersonation"), headers=HTMX).content.decode()
        users = console.client.get(
            reverse("impersonation"), {"buyer": "buyer-1"}, headers=HTMX
        ).content.decode()

        options = r'<option value="([^"]*)"[^>]*>([^<]*)</option>'
        assert re.findall(options, buyers) == [
            ("", "Choose a buyer…"),
            ("buyer-1", "Acme (buyer-1)"),
            ("buyer-2", "Globex (buyer-2)"),
        ]
        user_select = users.split('<select id="id_user"', 1)[1].split("</select>", 1)[0]
        assert re.findall(options, user_select) == [
            ("jane", "jane (Jane Doe)"),
            ("joe", "joe (Joe Doe)"),
        ]
        assert f'<option value="{market.clients["storefront"]}">' in users
        assert 'value="Shopper MeAdmin"' in users

    def test_without_javascript_the_panel_comes_in_the_whole_page(self, console, market, admin):
        response = console.client.get(reverse("impersonation"), {"buyer": "buyer-1"})

        page = response.content.decode()
        assert response.status_code == HTTPStatus.OK
        assert page.startswith("<!doctype html>")
        assert '<details id="impersonate-panel" open>' in page
        user_select = page.split('<select id="id_user"', 1)[1].split("</select>", 1)[0]
        assert '<option value="jane">jane (Jane Doe)</option>' in user_select

    def test_the_token_becomes_a_new_active_context(self, console, market, admin):
        html = self.impersonate(console, market)

        jane = console.active
        assert (jane.name, jane.grant, jane.user, jane.impersonated_by) == (
            "Buyer: jane",
            "impersonation",
            "jane",
            "Admin",
        )
        assert [c.name for c in console.contexts] == ["Admin", "Buyer: jane"]
        request_text = text_of(html, "raw-request")
        assert request_text.startswith("POST /sandbox/v1/buyers/buyer-1/users/jane/accesstoken")
        assert f"Authorization: Bearer {admin.redacted_token}" in request_text
        assert body_of(text_of(html, "raw-response"))["access_token"] == jane.redacted_token
        assert me(console.send("/v1/me"))["Username"] == "jane"
        assert_no_secrets(html, console)

    def test_without_the_role(self, console, market):
        console.sign_in(market.clients["storefront"], username="jane", password=PASSWORD)

        html = self.impersonate(console, market, user="joe")

        assert text_of(html, "impersonate-error") == (
            "Impersonation failed: User does not have role(s) required to perform this action."
        )
        assert text_of(html, "impersonate-hint") == (
            "Impersonating needs the FullAccess or BuyerImpersonation role; Buyer: jane has "
            "Shopper MeAdmin. Sign in with one of them in Roles."
        )
        assert text_of(html, "result-status") == "403 Forbidden"
        assert console.active.name == "Buyer: jane"

    def test_without_an_impersonation_config(self, console, market, admin):
        html = self.impersonate(console, market, buyer="buyer-2", user="bob")

        assert text_of(html, "impersonate-error").startswith(
            "Impersonation failed: No impersonation config lets demo-admin impersonate bob"
        )
        assert text_of(html, "impersonate-hint") == (
            f"An ImpersonationConfig must allow it: one with ClientID "
            f"{market.clients['storefront']}, naming the buyer (or the user, or one of its "
            "groups) and a security profile that gives the roles (POST /v1/impersonationconfig)."
        )
        assert [c.name for c in console.contexts] == ["Admin"]


class TestSendAs:
    def test_another_context_without_switching(self, console, market, sandbox):
        console.sign_in(market.clients["storefront"], username="jane", password=PASSWORD)
        jane = console.active
        console.sign_in(market.clients["refreshing"], username="alice", password=PASSWORD)

        as_jane = console.send("/v1/me", context=jane.id)
        as_active = console.send("/v1/me", context=console.active.id)
        without = console.send("/v1/me", context="")

        assert me(as_jane)["Username"] == "jane"
        assert me(as_active)["Username"] == "alice"
        assert console.active.name == "Admin: alice"
        assert text_of(without, "result-status") == "401 Unauthorized"
        assert "Authorization" not in text_of(without, "raw-request")

    def test_a_context_signed_out_meanwhile_sends_nothing(self, console, market):
        console.sign_in(market.clients["refreshing"], username="alice", password=PASSWORD)
        gone = console.active.id
        console.post("signout", {"context": gone})

        response = console.client.post(
            reverse("send"),
            {"environment": "sandbox", "method": "GET", "path": "/v1/me", "context": gone},
        )

        assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
        assert text_of(response.content.decode(), "context-error").startswith(
            "That context is no longer signed in"
        )


class TestCompare:
    def test_two_users_who_see_different_buyers(self, console, market, sandbox):
        sandbox_data.other_marketplace()
        console.sign_in(
            sandbox.client_id,
            username=sandbox.username,
            password=sandbox.password,
            roles=sandbox_data.ADMIN_ROLES,
            name="Demo",
        )
        console.sign_in("other-admin-app", username="olga", password=sandbox_data.OTHER_PASSWORD)
        ids = [c.id for c in console.contexts]

        html = console.post(
            "compare",
            {"environment": "sandbox", "method": "GET", "path": "/v1/buyers", "compare": ids},
        )

        rows = re.findall(
            r"<tr><th scope=\"row\"><code>(.*?)</code></th><td><code>(.*?)</code></td>"
            r"<td><code>(.*?)</code></td></tr>",
            html,
        )
        assert [row[0] for row in rows] == [
            "Items[ID=buyer-1].Name",
            "Items[ID=buyer-1].DateCreated",
            "Items[ID=buyer-2]",
            "Items[ID=buyer-3]",
        ]
        assert rows[0][1:] == ("&quot;Acme&quot;", "&quot;Acme Europe&quot;")
        assert rows[2][1:] == ("{…}", "—") and rows[3][1:] == ("—", "{…}")
        assert "as <strong>Demo</strong> and <strong>Admin: olga</strong>" in html
        columns = html.split('<section class="compare-answer"')[1:]
        assert len(columns) == 2
        marked = [re.findall(r'<span class="line differs">(.*?)</span>', c) for c in columns]
        assert "      &quot;Name&quot;: &quot;Acme&quot;," in marked[0]
        assert "      &quot;Name&quot;: &quot;Initech&quot;," in marked[1]
        assert "    &quot;TotalCount&quot;: 2," not in marked[0]  # the same for both
        assert_no_secrets(html, console)

    def test_the_same_answers(self, console, market):
        console.sign_in(market.clients["refreshing"], username="alice", password=PASSWORD, name="A")
        console.sign_in(
            market.clients["secret-app"],
            grant="elevated",
            username="alice",
            password=PASSWORD,
            client_secret=SECRET,
            name="B",
        )
        ids = [c.id for c in console.contexts]

        html = console.post(
            "compare",
            {"environment": "sandbox", "method": "GET", "path": "/v1/buyers", "compare": ids},
        )

        assert text_of(html, "compare-same") == "The answers are the same."

    def test_at_least_two_contexts(self, console, market):
        console.sign_in(market.clients["refreshing"], username="alice", password=PASSWORD)

        response = console.client.post(
            reverse("compare"),
            {
                "environment": "sandbox",
                "method": "GET",
                "path": "/v1/me",
                "compare": [console.active.id],
            },
        )

        assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
        assert text_of(response.content.decode(), "compare-error") == (
            "Tick at least two contexts to compare as."
        )


class TestIsolation:
    def test_concurrent_sessions_see_only_their_own_contexts(self, market, sandbox):
        """Four browsers sign in as four users at once, then send GET /v1/me at once."""
        sandbox_data.other_marketplace()
        people = [
            (market.clients["refreshing"], "alice", PASSWORD, "Admin: alice"),
            (market.clients["storefront"], "jane", PASSWORD, "Buyer: jane"),
            (market.clients["storefront"], "bob", PASSWORD, "Buyer: bob"),
            ("other-admin-app", "olga", sandbox_data.OTHER_PASSWORD, "Admin: olga"),
        ]
        results, errors = {}, []
        start = threading.Barrier(len(people))

        def browse(client_id, username, password, name):
            try:
                session = requests.Session()
                session.get(f"{sandbox.console_url}/", timeout=10)
                start.wait(timeout=10)
                csrf = {"X-CSRFToken": session.cookies["csrftoken"]}
                session.post(
                    f"{sandbox.console_url}/signin",
                    data={
                        "grant": "password",
                        "environment": "sandbox",
                        "client_id": client_id,
                        "username": username,
                        "password": password,
                    },
                    headers=csrf,
                    timeout=10,
                )
                start.wait(timeout=10)
                csrf = {"X-CSRFToken": session.cookies["csrftoken"]}
                pages = [
                    session.post(
                        f"{sandbox.console_url}/send",
                        data={"environment": "sandbox", "method": "GET", "path": "/v1/me"},
                        headers=csrf,
                        timeout=10,
                    ).text
                    for _ in range(3)
                ]
                results[username] = pages
            except Exception as e:  # reported below, with the thread's user
                errors.append((username, repr(e)))

        threads = [threading.Thread(target=browse, args=person) for person in people]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)

        assert errors == []
        for _, username, _, name in people:
            for page in results[username]:
                assert me(page)["Username"] == username
                names = re.findall(r'<select id="id_context"[^>]*>(.*?)</select>', page, re.S)[0]
                assert re.findall(r">([^<]+)</option>", names) == [name]
                for _, other, password, _ in people:
                    assert password not in page
                    if other != username:
                        assert f">Admin: {other}<" not in page and f">Buyer: {other}<" not in page
        anonymous = requests.get(f"{sandbox.console_url}/", timeout=10).text
        assert "Not signed in." in anonymous
