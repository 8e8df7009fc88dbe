import json
import re
from datetime import UTC, datetime, timedelta
from html import unescape
from html.parser import HTMLParser
from http import HTTPStatus
from urllib.parse import urlencode

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client, RequestFactory
from django.urls import reverse

from console import contexts
from console.views import auth as auth_views
from tests.console.conftest import ACCESS_TOKEN

HTMX = {"HX-Request": "true"}
pytestmark = pytest.mark.django_db


class _TextOf(HTMLParser):
    """Collects the text inside the element with a given id, nested elements included."""

    def __init__(self, element_id):
        super().__init__(convert_charrefs=True)
        self.element_id, self.depth, self.found, self.parts = element_id, 0, False, []

    def handle_starttag(self, tag, attrs):
        if self.depth:
            self.depth += tag not in VOID
        elif dict(attrs).get("id") == self.element_id:
            self.depth, self.found = 1, True

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.parts.append(data)


VOID = {"input", "br", "img", "meta", "link", "hr", "source", "wbr"}


def text_of(html, element_id):
    """The text inside the element with this id, as a browser's textContent would give it."""
    parser = _TextOf(element_id)
    parser.feed(html)
    assert parser.found, f"no #{element_id}"
    return "".join(parser.parts)


def value_of(html, element_id):
    match = re.search(rf'<input[^>]*id="{element_id}"[^>]*>', html)
    assert match, f"no #{element_id}"
    value = re.search(r'value="([^"]*)"', match.group(0))
    return unescape(value.group(1)) if value else None


def urlencoded(data):
    """Posted as a browser posts a form (the test client's default is multipart)."""
    return {
        "data": urlencode(data, doseq=True),
        "content_type": "application/x-www-form-urlencoded",
    }


def compose_data(env="faulty", **fields):
    data = {
        "environment": env,
        "method": "GET",
        "path": "/v1/me",
        "query_name": ["", ""],
        "query_value": ["", ""],
        "header_name": ["", ""],
        "header_value": ["", ""],
        "body": "",
    }
    return {**data, **fields}


def signin_data(env="faulty", **fields):
    return {
        "environment": env,
        "client_id": "C1",
        "username": "dev",
        "password": "pa55-word-123",
        "client_secret": "",
        "roles": "MeAdmin",
        **fields,
    }


def expire(client, refreshable=False):
    """Make the signed-in tokens look expired (as they would be after their expires_in);
    without a refresh token, as the sandbox's demo client gives none."""
    session = client.session
    for item in session[contexts.CONTEXTS_KEY]["items"]:
        item["expires_at"] = "2020-01-01T00:00:00+00:00"
        if not refreshable:
            item["refresh_token"] = ""
    session.save()


def sign_in_to(client, faulty):
    response = client.post(reverse("signin"), signin_data())
    assert contexts.get_auth(client.session) is not None
    return response


def redirected_page(client, response):
    """Without JavaScript a sign-in answers See Other: the page it leads to, shown once."""
    assert response.status_code == HTTPStatus.SEE_OTHER
    assert response["Location"] == "/"
    return client.get("/").content.decode()


class TestIndex:
    def test_the_page(self, client, settings):
        settings.SANDBOX_CLIENT_ID = "SANDBOX-CLIENT"

        response = client.get("/")

        html = response.content.decode()
        assert response.status_code == HTTPStatus.OK
        assert "no-store" in response["Cache-Control"]
        assert "<title>Signed out · OrderCloud API Console</title>" in html
        assert '<script src="/static/django_htmx/htmx-2.min.js"' in html
        assert "https://" not in html.split("<body")[0]  # no CDN
        assert '<option value="sandbox" data-client-id="SANDBOX-CLIENT"' in html
        assert re.search(r'<option value="sandbox"[^>]*selected>Embedded sandbox</option>', html)
        assert value_of(html, "id_client_id") == "SANDBOX-CLIENT"
        assert value_of(html, "id_roles") == "DevCenterImpersonate FullAccess"
        assert value_of(html, "id_path") == "/v1/me"
        assert value_of(html, "id_password") == ""
        assert (
            '<datalist id="known-roles" hx-disabled-elt="unset">' in html
            and '<option value="FullAccess">' in html
        )
        labels = ["Grant", "Environment", "Client ID", "Username", "Password", "Refresh token"]
        for label in [*labels, "Client secret", "Roles", "Context name"]:
            assert re.search(rf'<label for="id_\w+">{label}</label>', html), label
        assert '<label for="id_method">Method</label>' in html
        assert '<label for="id_path">Path</label>' in html
        assert '<label for="id_body">Body</label>' in html
        assert text_of(html, "auth-status").split() == [
            "Not",
            "signed",
            "in.",
            "Choose",
            "an",
            "environment",
            "and",
            "sign",
            "in",
            "to",
            "call",
            "the",
            "API",
            "with",
            "a",
            "token.",
        ]
        assert '<h2 id="request-pane-heading">Request</h2>' in html
        assert '<h2 id="response-pane-heading">Response</h2>' in html

    def test_an_environment_can_be_preselected(self, client):
        html = client.get("/?environment=uswest-sandbox").content.decode()

        assert re.search(r'<option value="uswest-sandbox"[^>]*selected>', html)
        assert value_of(html, "id_client_id") == ""
        assert value_of(html, "id_roles") == "FullAccess"
        assert text_of(html, "target-name") == "US West · Sandbox"

    def test_an_unknown_environment_falls_back_to_the_sandbox(self, client):
        html = client.get("/?environment=https://evil.example").content.decode()

        assert re.search(r'<option value="sandbox"[^>]*selected>', html)

    def test_post_is_not_allowed(self, client):
        assert client.post("/").status_code == HTTPStatus.METHOD_NOT_ALLOWED


class TestSend:
    def test_send_without_javascript(self, client, faulty):
        response = client.post(reverse("send"), compose_data(path="/json"))

        html = response.content.decode()
        assert response.status_code == HTTPStatus.OK
        assert "no-store" in response["Cache-Control"]
        assert html.startswith("<!doctype html>")
        assert text_of(html, "result-status") == "200 OK"
        assert text_of(html, "result-status") == "200 OK"
        assert 'class="status status-success"' in html
        assert text_of(html, "result-size") == "40 B"
        assert text_of(html, "result-time").endswith(" ms")
        assert text_of(html, "raw-request").startswith("GET /base/json HTTP/1.1\nHost: 127.0.0.1:")
        assert text_of(html, "raw-response").startswith("HTTP/1.1 200 OK\n")
        assert '"a": "é"' in text_of(html, "raw-response")
        assert value_of(html, "id_path") == "/json"
        assert faulty.hits == ["GET /base/json"]

    def test_send_with_htmx_swaps_the_workspace(self, client, faulty):
        response = client.post(reverse("send"), compose_data(path="/json"), headers=HTMX)

        html = response.content.decode()
        assert response.status_code == HTTPStatus.OK
        assert html.lstrip().startswith('<div id="workspace" class="workspace">')
        assert "<html" not in html and 'id="signin-form"' not in html
        assert text_of(html, "result-status") == "200 OK"
        assert 'hx-target="#workspace"' in html

    def test_upstream_content_is_escaped(self, client, faulty):
        html = client.post(reverse("send"), compose_data(path="/html")).content.decode()

        assert "<script>alert(1)</script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html

    def test_rows_are_sent_and_kept(self, client, faulty):
        data = compose_data(
            path="/echo",
            method="POST",
            query_name=["search", "", "page"],
            query_value=["a b", "", "2"],
            header_name=["X-Trace", ""],
            header_value=["t1", ""],
            body='{"ID": 1}',
        )

        html = client.post(reverse("send"), data).content.decode()

        echoed = json.loads(text_of(html, "raw-response").split("\n\n", 1)[1])
        assert echoed["path"] == "/base/echo?search=a%20b&page=2"
        assert ["X-Trace", "t1"] in echoed["headers"]
        assert echoed["body"] == '{"ID": 1}'
        assert [value_of(html, f"query-name-{i}") for i in range(4)] == ["search", "", "page", ""]
        assert [value_of(html, f"query-value-{i}") for i in range(4)] == ["a b", "", "2", ""]
        assert [value_of(html, f"header-name-{i}") for i in range(2)] == ["X-Trace", ""]
        assert "query-name-4" not in html and "header-name-2" not in html

    @pytest.mark.parametrize(
        ("fields", "error_id", "message"),
        [
            (
                {"body": "{nope", "method": "POST"},
                "body-error",
                "The Body is not valid JSON: Expecting property name enclosed in double quotes "
                "(line 1, column 2).",
            ),
            ({"path": "v1/me"}, "path-error", "The path must start with /, e.g. /v1/me."),
            ({"method": "TRACE"}, "method-error", "Choose one of GET, POST, PUT, PATCH, DELETE."),
            (
                {"header_name": ["X-A", ""], "header_value": ["1\r\nHost: evil", ""]},
                "header-error-0",
                "Header names and values cannot contain line breaks or control characters.",
            ),
            (
                {"query_name": ["a", ""], "query_value": ["1", "2"]},
                "query-error-1",
                "Enter a name for this query parameter.",
            ),
            (
                {"environment": "nowhere"},
                "environment-target-error",
                "Choose an environment to send to.",
            ),
        ],
    )
    def test_bad_input_is_not_sent_and_stays_in_the_form(
        self, client, faulty, fields, error_id, message
    ):
        data = compose_data(
            method="PUT",
            path="/echo",
            query_name=["q1", ""],
            query_value=["v1", ""],
            header_name=["X-Keep", ""],
            header_value=["k", ""],
            body='{"keep": true}',
        )
        data.update(fields)

        response = client.post(reverse("send"), data)
        htmx_response = client.post(reverse("send"), data, headers=HTMX)

        html = response.content.decode()
        assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
        assert html.startswith("<!doctype html>")
        assert "HX-Retarget" not in response
        assert htmx_response.status_code == HTTPStatus.OK
        assert htmx_response["HX-Retarget"] == "#composer-card"
        assert htmx_response["HX-Reswap"] == "outerHTML"
        assert htmx_response.content.decode().lstrip().startswith('<section id="composer-card"')
        assert faulty.hits == []
        for page in [html, htmx_response.content.decode()]:
            assert text_of(page, error_id) == message
            assert 'id="result-status"' not in page
            assert re.search(rf'<option( value="[^"]*")? selected>{data["method"]}</option>', page)
            assert value_of(page, "id_path") == data["path"]
            assert value_of(page, "query-name-0") == data["query_name"][0]
            assert value_of(page, "query-value-0") == data["query_value"][0]
            assert value_of(page, "header-name-0") == data["header_name"][0]
            assert value_of(page, "header-value-0") == data["header_value"][0]
            body = re.search(r'<textarea id="id_body"[^>]*>(.*?)</textarea>', page, re.S).group(1)
            assert unescape(body) == data["body"]

    def test_add_and_remove_rows_without_javascript(self, client, faulty):
        data = compose_data(query_name=["a", "b"], query_value=["1", "2"], add_row="query")

        added = client.post(reverse("send"), data).content.decode()
        removed = client.post(reverse("send"), {**data, "add_row": "", "remove_row": "query-0"})

        assert [value_of(added, f"query-name-{i}") for i in range(3)] == ["a", "b", ""]
        assert "query-name-3" not in added
        removed = removed.content.decode()
        assert [value_of(removed, f"query-name-{i}") for i in range(2)] == ["b", ""]
        assert faulty.hits == []

    def test_upstream_down_is_a_clear_message_not_a_500(self, client, refusing):
        response = client.post(reverse("send"), compose_data(env="refusing"))

        html = response.content.decode()
        assert response.status_code == HTTPStatus.OK
        assert text_of(html, "result-error") == (
            f"No response from Refusing server ({refusing.base_url}): connection refused."
        )
        assert text_of(html, "result-status") == "No response"
        assert 'class="status status-error"' in html
        assert text_of(html, "raw-response") == "(no response)"

    def test_get_is_not_allowed(self, client):
        assert client.get(reverse("send")).status_code == HTTPStatus.METHOD_NOT_ALLOWED


class TestOversizeSend:
    """A post over DATA_UPLOAD_MAX_MEMORY_SIZE: the page with a message, nothing sent."""

    def test_without_javascript_the_page_says_so_and_keeps_the_request(self, client, faulty):
        data = compose_data(
            method="POST",
            path="/echo",
            query_name=["search", ""],
            query_value=["x y", ""],
            body='{"Name": "' + "x" * 2_700_000 + '"}',
        )

        response = client.post(reverse("send"), **urlencoded(data))

        html = response.content.decode()
        assert response.status_code == HTTPStatus.REQUEST_ENTITY_TOO_LARGE
        assert html.startswith("<!doctype html>")
        assert text_of(html, "body-error") == (
            "The request is 2.6\xa0MB, over the console's limit of 2.5\xa0MB: shorten the body. "
            "Nothing was sent."
        )
        assert 'aria-describedby="body-error"' in html
        assert re.search(r"<option selected>POST</option>", html)
        assert value_of(html, "id_path") == "/echo"
        assert (value_of(html, "query-name-0"), value_of(html, "query-value-0")) == (
            "search",
            "x y",
        )
        assert text_of(html, "id_body") == ""
        assert faulty.hits == []

    def test_with_htmx_the_composer_says_so(self, client, faulty, settings):
        settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000

        data = compose_data(path="/echo", body="x" * 2000)

        response = client.post(reverse("send"), **urlencoded(data), headers=HTMX)

        html = response.content.decode()
        assert response.status_code == HTTPStatus.OK
        assert response["HX-Retarget"] == "#composer-card"
        assert response["HX-Reswap"] == "outerHTML"
        assert html.lstrip().startswith('<section id="composer-card"')
        assert "over the console's limit of 1000\xa0bytes" in text_of(html, "body-error")
        assert value_of(html, "id_path") == "/echo"
        assert faulty.hits == []

    def test_a_multipart_post_too(self, client, faulty, settings):
        settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000

        response = client.post(reverse("send"), compose_data(path="/echo", body="x" * 2000))

        assert response.status_code == HTTPStatus.REQUEST_ENTITY_TOO_LARGE
        assert "over the console's limit" in text_of(response.content.decode(), "body-error")
        assert faulty.hits == []

    def test_the_limit_is_on_the_composer_for_console_js(self, client):
        html = client.get("/").content.decode()

        assert re.search(r'<form id="composer"[^>]*data-max-bytes="2621440"', html)

    def test_a_post_that_fits_still_needs_its_csrf_token(self, faulty):
        client = Client(enforce_csrf_checks=True)
        client.get("/")
        token = client.cookies["csrftoken"].value

        refused = client.post(reverse("send"), compose_data(path="/json"))
        sent = client.post(
            reverse("send"), {**compose_data(path="/json"), "csrfmiddlewaretoken": token}
        )

        assert refused.status_code == HTTPStatus.FORBIDDEN
        assert sent.status_code == HTTPStatus.OK
        assert faulty.hits == ["GET /base/json"]

    def test_an_oversize_post_does_nothing_so_needs_no_csrf_token(self, faulty, settings):
        settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
        client = Client(enforce_csrf_checks=True)

        response = client.post(reverse("send"), compose_data(path="/json", body="x" * 2000))

        assert response.status_code == HTTPStatus.REQUEST_ENTITY_TOO_LARGE
        assert faulty.hits == []

    def test_get_is_still_not_allowed(self, client):
        assert client.get(reverse("send")).status_code == HTTPStatus.METHOD_NOT_ALLOWED


class TestSignIn:
    def test_success_cycles_the_session_and_keeps_the_token_server_side(self, client, faulty):
        client.get("/")
        client.session["something"] = "kept"
        session = client.session
        session["draft"] = "kept"
        session.save()
        old_key, old_csrf = session.session_key, client.cookies["csrftoken"].value

        response = client.post(reverse("signin"), signin_data())

        html = redirected_page(client, response)
        auth = contexts.get_auth(client.session)
        assert "no-store" in response["Cache-Control"]
        assert client.session.session_key != old_key
        assert client.cookies["csrftoken"].value != old_csrf
        assert client.session["draft"] == "kept"
        assert (auth.environment_id, auth.client_id, auth.username, auth.user, auth.roles) == (
            "faulty",
            "C1",
            "dev",
            "admin-1",
            ("MeAdmin",),
        )
        assert (auth.name, auth.grant) == ("User: admin-1", "password")
        assert auth.access_token == ACCESS_TOKEN
        assert auth.refresh_token == "refresh-secret-0123456789"
        assert abs(auth.expires_at - (datetime.now(UTC) + timedelta(seconds=600))) < timedelta(
            seconds=5
        )
        assert ACCESS_TOKEN not in html
        assert "refresh-secret-0123456789" not in html
        assert "pa55-word-123" not in html
        assert value_of(html, "id_password") == ""
        assert text_of(html, "raw-request").startswith("POST /base/oauth/token HTTP/1.1\n")
        assert text_of(html, "raw-request").endswith(
            "\n\ngrant_type=password&username=dev&password=********&client_id=C1&scope=MeAdmin"
        )
        assert f'"access_token": "{ACCESS_TOKEN[:6]}…{ACCESS_TOKEN[-4:]}"' in text_of(
            html, "raw-response"
        )
        status = " ".join(text_of(html, "auth-summary").split())
        assert status.startswith(
            f"Signed in as dev (acting as admin-1) · User on Faulty server Roles MeAdmin "
            f"Token {ACCESS_TOKEN[:6]}…{ACCESS_TOKEN[-4:]} expires "
        )
        assert "(in 9 min)" in status or "(in 10 min)" in status
        assert text_of(html, "target-name") == "Faulty server"
        assert text_of(html, "target-auth") == "with the token of User: admin-1"
        # A reload shows the session's last exchange (from its history), still redacted.
        again = client.get("/").content.decode()
        assert text_of(again, "raw-request").startswith("POST /base/oauth/token HTTP/1.1\n")
        assert ACCESS_TOKEN not in again

    def test_htmx_swaps_the_app_with_the_new_csrf_token(self, client, faulty):
        response = client.post(reverse("signin"), signin_data(), headers=HTMX)

        html = response.content.decode()
        csrf = client.cookies["csrftoken"].value
        assert html.lstrip().startswith('<div id="app" hx-headers=\'{"x-csrftoken": "')
        assert "<html" not in html
        header_token = re.search(r'"x-csrftoken": "([^"]+)"', html).group(1)
        assert header_token != csrf  # masked, but valid for the rotated secret:
        from django.middleware.csrf import _unmask_cipher_token

        assert _unmask_cipher_token(header_token) == csrf
        assert ACCESS_TOKEN not in html

    def test_htmx_sign_in_keeps_the_composed_request(self, client, faulty):
        data = {
            **signin_data(),
            "method": "DELETE",
            "path": "/v1/products/p1",
            "query_name": ["x"],
            "query_value": ["1"],
        }

        html = client.post(reverse("signin"), data, headers=HTMX).content.decode()

        assert re.search(r"<option selected>DELETE</option>", html)
        assert value_of(html, "id_path") == "/v1/products/p1"
        assert value_of(html, "query-name-0") == "x"

    def test_wrong_password(self, client, faulty):
        client.get("/")
        old_key = client.session.session_key

        response = client.post(reverse("signin"), signin_data(password="wrong"))

        html = redirected_page(client, response)
        assert contexts.get_auth(client.session) is None
        assert client.session.session_key == old_key
        assert text_of(html, "signin-error") == "Sign-in failed: Wrong password."
        assert text_of(html, "result-status") == "400 Bad Request"
        assert 'class="status status-client-error"' in html
        assert value_of(html, "id_username") == "dev"
        assert value_of(html, "id_client_id") == "C1"
        assert value_of(html, "id_roles") == "MeAdmin"
        assert re.search(r'<option value="faulty"[^>]*selected>', html)

    @pytest.mark.parametrize(
        ("field", "value", "message"),
        [
            ("username", "", "This field is required."),
            ("password", "", "This field is required."),
            ("client_id", "", "This field is required."),
            ("environment", "https://evil.example", "Choose an environment from the list."),
            ("roles", "FullAccess\x01", "'FullAccess\\x01' is not a role name."),
        ],
    )
    def test_bad_input_is_not_sent(self, client, faulty, field, value, message):
        response = client.post(reverse("signin"), signin_data(**{field: value}))

        html = redirected_page(client, response)
        assert text_of(html, f"{field}-error") == message
        assert faulty.hits == []
        assert contexts.get_auth(client.session) is None
        assert "pa55-word-123" not in html

    def test_secrets_are_sensitive_post_parameters(self, faulty):
        request = RequestFactory().post(reverse("signin"), signin_data())
        request.session = SessionStore()
        request.htmx = False

        auth_views.signin(request)

        assert request.sensitive_post_parameters == ("password", "client_secret", "refresh_token")

    def test_get_is_not_allowed(self, client):
        assert client.get(reverse("signin")).status_code == HTTPStatus.METHOD_NOT_ALLOWED


class TestBadInputStatusWithoutJavaScript:
    """Every refused form answers 422 (413 when too large), never a 500, on Python 3.12 too.

    The numbers are written out: the RFC 9110 names of HTTPStatus exist only from 3.13.
    """

    @pytest.fixture
    def client(self):
        return Client(raise_request_exception=False)

    @pytest.mark.parametrize(
        ("view", "data", "status"),
        [
            ("signin", signin_data(username=""), 303),  # post/redirect/get: errors after
            ("signin", signin_data(environment="nowhere"), 303),
            ("send", compose_data(path="v1/me"), 422),
            ("send", compose_data(method="POST", body="{nope"), 422),
            ("send", compose_data(environment="nowhere"), 422),
            ("send", compose_data(body="x" * 2000), 413),
        ],
    )
    def test_status(self, client, faulty, settings, view, data, status):
        settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000

        response = client.post(reverse(view), data)

        assert response.status_code == status
        page = client.get("/") if status == 303 else response
        assert page.content.decode().startswith("<!doctype html>")
        assert 'class="field-error"' in page.content.decode()
        assert faulty.hits == []


class TestSignedIn:
    def test_the_token_goes_only_to_its_own_environment(self, client, faulty, settings):
        sign_in_to(client, faulty)

        own = client.post(reverse("send"), compose_data(path="/echo")).content.decode()
        settings.CONSOLE_ENVIRONMENTS = [
            *settings.CONSOLE_ENVIRONMENTS,
            {"id": "other", "name": "Other", "base_url": faulty.url},
        ]
        other = client.post(reverse("send"), compose_data(env="other", path="/echo"))

        sent = json.loads(text_of(own, "raw-response").split("\n\n", 1)[1])["headers"]
        assert ["Authorization", f"Bearer {ACCESS_TOKEN[:6]}…{ACCESS_TOKEN[-4:]}"] in sent
        assert f"Authorization: Bearer {ACCESS_TOKEN[:6]}…{ACCESS_TOKEN[-4:]}\n" in text_of(
            own, "raw-request"
        )
        assert ACCESS_TOKEN not in own
        other = other.content.decode()
        assert "Authorization" not in text_of(other, "raw-request")
        assert text_of(other, "target-auth") == "without a token"

    def test_index_shows_who_is_signed_in(self, client, faulty):
        sign_in_to(client, faulty)

        html = client.get("/").content.decode()

        assert '<strong class="auth-user">dev</strong>' in html
        assert '<strong class="auth-environment">Faulty server</strong>' in html
        assert '<code class="role">MeAdmin</code>' in html
        assert re.search(r'<option value="faulty"[^>]*selected>', html)
        assert value_of(html, "id_client_id") == "C1"
        assert value_of(html, "id_username") == "dev"
        assert ACCESS_TOKEN not in html
        assert "no-store" in client.get("/")["Cache-Control"]

    def test_the_sign_in_form_folds_into_a_disclosure(self, client, faulty):
        signed_out = client.get("/").content.decode()
        sign_in_to(client, faulty)

        signed_in = client.get("/").content.decode()

        assert "<details" not in signed_out
        assert '<h2 id="signin-heading">Sign in</h2>' in signed_out
        assert '<main class="layout is-signed-in">' in signed_in
        assert '<details id="signin-again">' in signed_in  # closed
        assert '<summary id="signin-heading">Add a context</summary>' in signed_in
        form = signed_in.split('<details id="signin-again">', 1)[1].split("</details>", 1)[0]
        assert '<form id="signin-form"' in form and 'id="signin-button"' in form

    @pytest.mark.parametrize("fields", [{"password": "wrong"}, {"username": ""}])
    def test_a_failed_sign_in_again_opens_the_disclosure(self, client, faulty, fields):
        sign_in_to(client, faulty)

        html = redirected_page(client, client.post(reverse("signin"), signin_data(**fields)))

        assert '<details id="signin-again" open>' in html

    def test_an_expired_token_opens_the_disclosure(self, client, faulty):
        sign_in_to(client, faulty)
        expire(client)

        html = client.get("/").content.decode()

        assert '<details id="signin-again" open>' in html

    def test_an_expired_token_is_shown_as_such(self, client, faulty):
        sign_in_to(client, faulty)
        expire(client)

        html = client.get("/").content.decode()

        assert 'class="auth-status is-expired"' in html
        assert "expired at" in html

    def test_an_htmx_send_refreshes_the_sign_in_status(self, client, faulty):
        sign_in_to(client, faulty)
        expire(client)

        response = client.post(reverse("send"), compose_data(path="/json"), headers=HTMX)

        html = response.content.decode()
        assert re.search(
            r'<div id="auth-status" class="auth-status is-expired"[^>]*'
            r'hx-swap-oob="true"',
            html,
        )
        assert "expired at" in text_of(html, "auth-status")

    def test_a_send_without_javascript_has_one_status(self, client, faulty):
        sign_in_to(client, faulty)

        html = client.post(reverse("send"), compose_data(path="/json")).content.decode()

        assert html.count('id="auth-status"') == 1
        assert "hx-swap-oob" not in html

    def test_an_expired_token_says_sign_in_again(self, client, faulty):
        sign_in_to(client, faulty)
        expire(client)

        html = client.post(reverse("send"), compose_data(path="/unauthorized")).content.decode()

        assert text_of(html, "result-status") == "401 Unauthorized"
        assert text_of(html, "result-auth-hint") == (
            "The token of User: admin-1 expired at 1 Jan 00:00 UTC: sign in again to get a new one."
        )
        assert text_of(html, "target-auth") == (
            "with the token of User: admin-1, which has expired: sign in again"
        )
        assert faulty.hits == ["POST /base/oauth/token", "GET /base/unauthorized"]

    def test_a_refused_token_says_sign_in_again(self, client, faulty):
        sign_in_to(client, faulty)
        expire(client)
        session = client.session
        session[contexts.CONTEXTS_KEY]["items"][0]["expires_at"] = "2100-01-01T00:00:00+00:00"
        session.save()

        html = client.post(reverse("send"), compose_data(path="/revoked")).content.decode()

        assert text_of(html, "result-auth-hint") == (
            "The API did not accept the token of User: admin-1 (Access token has been revoked.): "
            "sign in again to get a new one."
        )

    def test_a_token_the_api_says_expired_is_expired(self, client, faulty):
        sign_in_to(client, faulty)
        expire(client)  # no refresh token: nothing to retry with
        session = client.session  # and not expired by the console's clock
        session[contexts.CONTEXTS_KEY]["items"][0]["expires_at"] = "2100-01-01T00:00:00+00:00"
        session.save()

        html = client.post(reverse("send"), compose_data(path="/unauthorized")).content.decode()

        assert text_of(html, "result-auth-hint") == (
            "The token of User: admin-1 has expired, the API says: sign in again to get a new one."
        )

    def test_a_401_without_a_token_has_no_sign_in_hint(self, client, faulty):
        html = client.post(reverse("send"), compose_data(path="/unauthorized")).content.decode()

        assert text_of(html, "result-status") == "401 Unauthorized"
        assert 'id="result-auth-hint"' not in html

    def test_sign_out_forgets_everything(self, client, faulty):
        sign_in_to(client, faulty)
        old_key = client.session.session_key

        response = client.post(reverse("signout"))

        assert response.status_code == HTTPStatus.SEE_OTHER
        assert response["Location"] == "/"
        assert contexts.get_auth(client.session) is None
        assert client.session.session_key != old_key
        assert "Not signed in." in client.get("/").content.decode()

    def test_sign_out_with_htmx(self, client, faulty):
        sign_in_to(client, faulty)

        response = client.post(
            reverse("signout"), {"path": "/v1/keep", "method": "GET"}, headers=HTMX
        )

        html = response.content.decode()
        assert response.status_code == HTTPStatus.OK
        assert html.lstrip().startswith('<div id="app"')
        assert "Not signed in." in html
        assert value_of(html, "id_path") == "/v1/keep"
        assert contexts.get_auth(client.session) is None

    def test_sign_out_is_post_only(self, client, faulty):
        sign_in_to(client, faulty)

        response = client.get(reverse("signout"))

        assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED
        assert contexts.get_auth(client.session) is not None

    def test_a_corrupt_session_is_signed_out(self, client):
        client.get("/")
        session = client.session
        session[contexts.CONTEXTS_KEY] = {"active": "x", "items": [{"access_token": "x"}]}
        session.save()

        html = client.get("/").content.decode()

        assert "Not signed in." in html
