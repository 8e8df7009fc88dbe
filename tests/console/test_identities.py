"""Contexts in the session, the grants' fields, compare's differences, and the identity
views (switch, reveal, sign out, post/redirect/get) against a local token endpoint."""

import json
from datetime import UTC, datetime, timedelta
from http import HTTPStatus

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.urls import reverse

from console import compare, contexts, oauth
from console.exchange import Exchange
from console.transport import Received
from tests.console.conftest import ACCESS_TOKEN
from tests.console.test_views import HTMX, compose_data, signin_data, text_of

pytestmark = pytest.mark.django_db
REFRESH_TOKEN = "refresh-secret-0123456789"


def context(name, **fields):
    return contexts.new_context(
        **{
            "name": name,
            "environment_id": "sandbox",
            "grant": "password",
            "client_id": "C1",
            "username": name.lower(),
            "user": name.lower(),
            "user_type": "admin",
            "roles": ("FullAccess",),
            "expires_at": datetime.now(UTC) + timedelta(hours=1),
            "access_token": f"token-of-{name}-" + "x" * 40,
            **fields,
        }
    )


class TestContexts:
    def test_added_ones_become_active_and_a_same_name_replaces(self):
        session = SessionStore()
        first, second = context("A"), context("B")
        contexts.add(session, first)
        contexts.add(session, second)

        again = context("a")
        contexts.add(session, again)

        assert [c.name for c in contexts.all_contexts(session)] == ["a", "B"]
        assert contexts.get_auth(session) == again

    def test_switch_and_sign_out_of_one(self):
        session = SessionStore()
        a, b, c = context("A"), context("B"), context("C")
        for each in (a, b, c):
            contexts.add(session, each)

        assert contexts.activate(session, a.id) is True
        assert contexts.activate(session, "nope") is False
        contexts.remove(session, b.id)
        assert contexts.get_auth(session) == a  # another one left: the active one stays
        contexts.remove(session, a.id)
        assert contexts.get_auth(session) == c  # the active one left: the last added

    def test_unreadable_items_are_left_out(self):
        session = SessionStore()
        contexts.add(session, context("A"))
        session[contexts.CONTEXTS_KEY]["items"].append({"name": "broken"})

        assert [c.name for c in contexts.all_contexts(session)] == ["A"]

    def test_repr_never_shows_a_token_or_secret(self):
        shown = repr(context("A", refresh_token=REFRESH_TOKEN, client_secret="s3cret-value"))

        assert "token-of" not in shown and REFRESH_TOKEN not in shown and "s3cret" not in shown

    def test_expiring_within_the_margin(self):
        soon = context("A", expires_at=datetime.now(UTC) + timedelta(seconds=30))
        later = context("B", expires_at=datetime.now(UTC) + timedelta(minutes=5))

        assert (soon.expiring, soon.expired, later.expiring) == (True, False, False)

    def test_default_names(self):
        assert context("", user="jane", user_type="buyer").name == "Buyer: jane"
        assert context("", grant="anonymous", user_type="buyer").name == "Anonymous shopper"

    def test_sending_as(self):
        session = SessionStore()
        a = context("A")
        contexts.add(session, a)

        assert contexts.sending_as(session, None, "sandbox") == (a, "")
        assert contexts.sending_as(session, None, "elsewhere") == (None, "")
        assert contexts.sending_as(session, "", "sandbox") == (None, "")
        assert contexts.sending_as(session, a.id, "elsewhere") == (a, "")
        gone, error = contexts.sending_as(session, "gone", "sandbox")
        assert gone is None and error.startswith("That context is no longer signed in")


class TestGrantFields:
    @pytest.mark.parametrize(
        ("grant", "fields"),
        [
            (
                "password",
                "grant_type=password&username=u&password=pw&client_id=C1&scope=Shopper",
            ),
            (
                "elevated",
                "grant_type=password&username=u&password=pw&client_id=C1&scope=Shopper"
                "&client_secret=cs",
            ),
            (
                "client_credentials",
                "grant_type=client_credentials&client_id=C1&scope=Shopper&client_secret=cs",
            ),
            ("anonymous", "grant_type=client_credentials&client_id=C1&scope=Shopper"),
            (
                "refresh_token",
                "grant_type=refresh_token&client_id=C1&refresh_token=rt&client_secret=cs",
            ),
        ],
    )
    def test_each_grant_sends_its_own(self, grant, fields):
        credentials = oauth.Credentials(
            grant=grant,
            client_id="C1",
            username="u",
            password="pw",
            client_secret="cs",
            refresh_token="rt",
            roles="Shopper",
        )

        form = "&".join(f"{name}={value}" for name, value in credentials.token_fields())

        assert form == fields

    def test_the_form_drops_what_its_grant_does_not_use(self):
        from console.forms import SignInForm

        form = SignInForm(
            {**signin_data(env="sandbox"), "grant": "anonymous", "client_secret": "cs"}
        )

        assert form.is_valid(), form.errors
        credentials = form.credentials()
        assert (credentials.username, credentials.password, credentials.client_secret) == (
            "",
            "",
            "",
        )

    @pytest.mark.parametrize(
        ("grant", "missing"),
        [
            ("password", ["username", "password"]),
            ("elevated", ["username", "password", "client_secret"]),
            ("client_credentials", ["client_secret"]),
            ("anonymous", []),
            ("refresh_token", ["refresh_token"]),
        ],
    )
    def test_each_grant_requires_its_own(self, grant, missing):
        from console.forms import SignInForm

        form = SignInForm({"grant": grant, "environment": "sandbox", "client_id": "C1"})

        assert form.is_valid() is not missing
        assert sorted(form.errors) == sorted(missing)


def exchange_for(status, body, content_type="application/json"):
    head = f"HTTP/1.1 {status} X\nContent-Type: {content_type}\n"
    return Exchange(
        "E",
        "GET",
        "u",
        "GET /",
        head,
        body.encode(),
        content_type,
        status,
        "X",
        1.0,
        len(body),
        False,
        "",
    )


def sent(status, data, content_type="application/json"):
    body = json.dumps(data, indent=2) if content_type else data
    return oauth.Sent((oauth.Step(exchange_for(status, body, content_type)),), None)


class TestCompare:
    def test_items_by_id_and_values(self):
        a = {"Meta": {"TotalCount": 2}, "Items": [{"ID": "b1", "Name": "A"}, {"ID": "b2"}]}
        b = {"Meta": {"TotalCount": 2}, "Items": [{"ID": "b1", "Name": "Z"}, {"ID": "b3"}]}

        result = compare.compare([("A", sent(200, a)), ("B", sent(200, b))])

        assert [(d.path, d.values) for d in result.differences] == [
            ("Items[ID=b1].Name", ('"A"', '"Z"')),
            ("Items[ID=b2]", ("{…}", "—")),
            ("Items[ID=b3]", ("—", "{…}")),
        ]
        marked = [line.text for line in result.answers[0].lines if line.marked]
        assert marked == ['      "Name": "A"', "    {", '      "ID": "b2"', "    }"]

    def test_status_and_kinds(self):
        result = compare.compare(
            [("A", sent(200, {"Items": [1, 2]})), ("B", sent(403, {"Errors": []}))]
        )

        assert [(d.path, d.values) for d in result.differences] == [
            ("status", ("200 X", "403 X")),
            ("Items", ("[…] (2 items)", "—")),
            ("Errors", ("—", "[…] (0 items)")),
        ]

    def test_lists_without_ids_by_index(self):
        result = compare.compare([("A", sent(200, [1, 2, 3])), ("B", sent(200, [1, 5]))])

        assert [(d.path, d.values) for d in result.differences] == [
            ("[1]", ("2", "5")),
            ("[2]", ("3", "—")),
        ]

    def test_not_json_bodies(self):
        same = compare.compare([("A", sent(200, "x", "")), ("B", sent(200, "x", ""))])
        different = compare.compare([("A", sent(200, "x", "")), ("B", sent(200, {"a": 1}))])

        assert same.differences == ()
        assert [(d.path, d.values) for d in different.differences] == [
            ("body", ("1 characters", "JSON"))
        ]

    def test_the_lines_are_the_pretty_printed_body(self):
        data = {"a": [1, {"b": None}], "c": {}, "d": [], "é": "ü"}

        lines = compare._json_lines(data, "")

        assert "\n".join(text for text, _ in lines) == json.dumps(
            data, indent=2, ensure_ascii=False
        )


class TestExpiredToken:
    @pytest.mark.parametrize(
        ("status", "body", "expected"),
        [
            (401, {"Errors": [{"ErrorCode": "InvalidToken", "Message": "Token expired."}]}, True),
            (401, {"Errors": [{"ErrorCode": "InvalidToken", "Message": "Revoked."}]}, False),
            (403, {"Errors": [{"ErrorCode": "InvalidToken", "Message": "expired"}]}, False),
            (401, {"error": "expired"}, False),
        ],
    )
    def test_which_401_is_for_an_expired_token(self, status, body, expected):
        received = Received(status=status, body=json.dumps(body).encode())

        assert oauth.expired_token(received) is expected


def sign_in(client, **fields):
    return client.post(reverse("signin"), signin_data(**fields), headers=HTMX).content.decode()


class TestAgainstALocalServer:
    def test_a_401_for_an_expired_token_is_retried_once(self, client, faulty):
        sign_in(client)
        faulty.hits.clear()

        html = client.post(
            reverse("send"), compose_data(path="/unauthorized"), headers=HTMX
        ).content.decode()

        assert faulty.hits == [
            "GET /base/unauthorized",
            "POST /base/oauth/token",
            "GET /base/unauthorized",
        ]
        assert text_of(html, "result-status") == "401 Unauthorized"
        assert REFRESH_TOKEN not in html and ACCESS_TOKEN not in html
        refresh = html.split('<details class="earlier">')[2]
        assert "grant_type=refresh_token&amp;client_id=C1&amp;refresh_token=********" in refresh

    def test_no_refresh_token_no_retry(self, client, faulty):
        sign_in(client)
        session = client.session
        session[contexts.CONTEXTS_KEY]["items"][0]["refresh_token"] = ""
        session.save()
        faulty.hits.clear()

        client.post(reverse("send"), compose_data(path="/unauthorized"), headers=HTMX)

        assert faulty.hits == ["GET /base/unauthorized"]

    def test_a_reload_after_signing_in_never_posts_again(self, client, faulty):
        response = client.post(reverse("signin"), signin_data())

        assert response.status_code == HTTPStatus.SEE_OTHER
        assert response["Location"] == "/"
        client.get("/")
        client.get("/")
        assert faulty.hits == ["POST /base/oauth/token"]

    def test_switch(self, client, faulty):
        sign_in(client, name="First")
        sign_in(client, name="Second")
        first = next(c for c in contexts.all_contexts(client.session) if c.name == "First")

        html = client.post(reverse("switch"), {"context": first.id}, headers=HTMX)

        html = html.content.decode()
        assert contexts.get_auth(client.session).name == "First"
        assert f'<option value="{first.id}" selected>First</option>' in html
        assert text_of(html, "target-context") == "First"

    def test_switch_without_javascript_redirects(self, client, faulty):
        sign_in(client, name="First")
        sign_in(client, name="Second")
        first = contexts.all_contexts(client.session)[0]

        response = client.post(reverse("switch"), {"context": first.id})
        gone = client.post(reverse("switch"), {"context": "gone"})

        assert response.status_code == gone.status_code == HTTPStatus.SEE_OTHER
        assert contexts.get_auth(client.session).name == "First"
        assert text_of(client.get("/").content.decode(), "identity-error").startswith(
            "That context is no longer signed in"
        )

    def test_reveal_on_request_only(self, client, faulty):
        sign_in(client)
        page = client.get("/").content.decode()
        auth = contexts.get_auth(client.session)

        fragment = client.post(reverse("reveal"), {"context": auth.id}, headers=HTMX)
        without_js = client.post(reverse("reveal"), {"context": auth.id})

        assert ACCESS_TOKEN not in page
        assert fragment.content.decode().lstrip().startswith('<div id="token-reveal"')
        assert text_of(fragment.content.decode(), "revealed-token") == ACCESS_TOKEN
        assert "no-store" in fragment["Cache-Control"]
        assert text_of(without_js.content.decode(), "revealed-token") == ACCESS_TOKEN
        assert '<details id="token-inspector" class="token-inspector" open>' in (
            without_js.content.decode()
        )
        assert REFRESH_TOKEN not in fragment.content.decode() + without_js.content.decode()
        assert client.get(reverse("reveal")).status_code == HTTPStatus.METHOD_NOT_ALLOWED
        gone = client.post(reverse("reveal"), {"context": "gone"}, headers=HTMX)
        assert "revealed-token" not in gone.content.decode()

    def test_the_inspector_decodes_the_claims(self, client, faulty):
        sign_in(client)

        html = client.get("/").content.decode()

        inspector = html.split('<table class="claims"', 1)[1].split("</table>", 1)[0]
        assert "<code>usr</code></th><td><code>admin-1</code>" in inspector
        assert "<code>exp</code></th><td><code>4102444800 (2100-01-01 00:00:00 UTC)</code>" in (
            inspector
        )
        assert 'id="token-countdown" data-expires-at="' in html

    def test_sign_out_of_one_keeps_the_others(self, client, faulty):
        sign_in(client, name="First")
        sign_in(client, name="Second")
        second = contexts.get_auth(client.session)

        html = client.post(reverse("signout"), {"context": second.id}, headers=HTMX)

        assert [c.name for c in contexts.all_contexts(client.session)] == ["First"]
        assert contexts.get_auth(client.session).name == "First"
        assert "Signed in as" in html.content.decode()

    def test_sign_out_of_all_flushes_the_session(self, client, faulty):
        sign_in(client, name="First")
        sign_in(client, name="Second")
        key = client.session.session_key

        response = client.post(reverse("signout-all"))

        assert response.status_code == HTTPStatus.SEE_OTHER
        assert contexts.all_contexts(client.session) == []
        assert client.session.session_key != key
        assert client.get(reverse("signout-all")).status_code == HTTPStatus.METHOD_NOT_ALLOWED

    def test_every_sign_in_cycles_the_session_key(self, client, faulty):
        sign_in(client, name="First")
        key = client.session.session_key

        sign_in(client, name="Second")

        assert client.session.session_key != key
        assert [c.name for c in contexts.all_contexts(client.session)] == ["First", "Second"]

    def test_impersonation_needs_a_context(self, client, faulty):
        html = client.post(
            reverse("impersonate"),
            {"buyer": "b", "user": "u", "client_id": "C", "roles": "Shopper"},
            headers=HTMX,
        ).content.decode()

        assert faulty.hits == []
        assert text_of(html, "identity-error") == (
            "Sign in first: impersonation lists buyers with the active context's token."
        )

    def test_an_id_that_is_not_one_path_segment_goes_nowhere(self, client, faulty):
        sign_in(client)
        faulty.hits.clear()

        html = client.post(
            reverse("impersonate"),
            {"buyer": "..", "user": "u", "client_id": "C", "roles": "Shopper"},
            headers=HTMX,
        ).content.decode()

        assert text_of(html, "impersonate-error") == (
            "Impersonation failed: that is not a valid ID."
        )
        assert not any("accesstoken" in hit for hit in faulty.hits)
