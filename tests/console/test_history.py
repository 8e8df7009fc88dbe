"""History per browser session, reload, permalinks and ListPage paging, over real HTTP."""

import json
import threading
from http import HTTPStatus
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from console import history
from console.models import HistoryEntry
from tests.console.conftest import ACCESS_TOKEN
from tests.console.test_views import HTMX, text_of, value_of
from tests.console.test_views import sign_in_to as _sign_in_to

pytestmark = pytest.mark.django_db(transaction=True)


def send(client, path="/json", method="GET", env="faulty", query=(), headers=(), body="", **extra):
    data = {"environment": env, "method": method, "path": path}
    data["query_name"] = [name for name, _ in query]
    data["query_value"] = [value for _, value in query]
    data["header_name"] = [name for name, _ in headers]
    data["header_value"] = [value for _, value in headers]
    data["body"] = body
    return client.post(reverse("send"), data, **extra)


def sign_in_to(client, faulty):
    """Sign in without JavaScript, and follow the redirect to the page, as a browser does."""
    _sign_in_to(client, faulty)
    client.get("/")


def entries(client):
    return list(history.entries(client.session))


class TestRecording:
    def test_every_exchange_is_kept_newest_first_token_requests_included(self, client, faulty):
        sign_in_to(client, faulty)

        send(client, "/json")
        send(client, "/server-error")

        kept = entries(client)
        assert [(e.kind, e.method, e.path, e.status) for e in kept] == [
            ("send", "GET", "/server-error", 500),
            ("send", "GET", "/json", 200),
            ("token", "POST", "/oauth/token", 200),
        ]

    def test_no_secret_is_kept(self, client, faulty):
        sign_in_to(client, faulty)

        send(
            client,
            "/json",
            "POST",
            query=[("access_token", "leak-me-please")],
            headers=[("X-Api-Key", "key-123456789")],
            body=json.dumps({"Username": "u", "Password": "hunter2-secret", "Other": ACCESS_TOKEN}),
        )

        stored = HistoryEntry.objects.all()
        text = " ".join(
            f"{e.request_text} {e.response_head} {bytes(e.body)!r} {json.dumps(e.composed)}"
            for e in stored
        )
        for secret in (ACCESS_TOKEN, "refresh-secret-0123456789", "pa55-word-123"):
            assert secret not in text
        assert "hunter2-secret" not in text
        assert "key-123456789" not in text
        assert "leak-me-please" not in json.dumps(stored.first().composed)  # (the URL shows it)
        composed = history.composed_of(stored.filter(kind="send").first())
        assert json.loads(composed.body)["Password"] == "********"
        assert dict(composed.header_pairs)["X-Api-Key"] == "********"

    def test_signing_out_keeps_the_history(self, client, faulty):
        sign_in_to(client, faulty)
        send(client, "/json")

        client.post(reverse("signout"))

        assert [e.path for e in entries(client)] == ["/json", "/oauth/token"]

    def test_clear_history_removes_it(self, client, faulty):
        send(client, "/json")

        response = client.post(reverse("history_clear"), headers=HTMX)

        assert response.status_code == HTTPStatus.OK
        assert "Requests you send appear here" in text_of(response.content.decode(), "history-list")
        assert HistoryEntry.objects.count() == 0

    def test_the_limits_drop_the_oldest(self, client, faulty, settings):
        settings.HISTORY_MAX_ENTRIES = 3
        for i in range(5):
            send(client, "/json", query=[("n", str(i))])

        assert [e.url.rsplit("=", 1)[1] for e in entries(client)] == ["4", "3", "2"]

        settings.HISTORY_MAX_BYTES = 1  # over it: only the newest stays
        send(client, "/json", query=[("n", "5")])
        assert [e.url.rsplit("=", 1)[1] for e in entries(client)] == ["5"]

    def test_entries_past_the_age_expire(self, client, faulty, settings):
        send(client, "/json")
        HistoryEntry.objects.update(created="2000-01-01T00:00:00Z")

        send(client, "/unauthorized")

        assert [e.path for e in entries(client)] == ["/unauthorized"]


class TestIsolation:
    def test_two_concurrent_sessions_never_see_each_other(self, live_server, faulty):
        alice, bob = Client(), Client()
        barrier = threading.Barrier(2)
        errors = []

        def run(client, path):
            try:
                for _ in range(5):
                    barrier.wait(timeout=10)
                    assert send(client, path).status_code == HTTPStatus.OK
            except Exception as e:  # noqa: BLE001 - reported below
                errors.append(e)

        threads = [
            threading.Thread(target=run, args=(alice, "/json")),
            threading.Thread(target=run, args=(bob, "/unauthorized")),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

        assert errors == []
        assert {e.path for e in entries(alice)} == {"/json"}
        assert {e.path for e in entries(bob)} == {"/unauthorized"}
        alice_id = entries(alice)[0].id
        for name in ("history_entry", "history_edit", "history_body"):
            assert bob.get(reverse(name, args=[alice_id])).status_code == HTTPStatus.NOT_FOUND
            assert alice.get(reverse(name, args=[alice_id])).status_code == HTTPStatus.OK
        assert "/json" not in text_of(bob.get("/").content.decode(), "history-list")
        bob.post(reverse("history_clear"))
        assert len(entries(alice)) == 5

    def test_a_new_session_has_no_history(self, client, faulty):
        send(client, "/json")
        entry_id = entries(client)[0].id

        stranger = Client()

        assert stranger.get(reverse("history_body", args=[entry_id])).status_code == 404
        assert "Requests you send appear here" in stranger.get("/").content.decode()


class TestShowEditDownload:
    def test_clicking_an_entry_shows_that_exchange_again(self, client, faulty):
        send(client, "/json")
        send(client, "/unauthorized")
        first = entries(client)[1]

        response = client.get(reverse("history_entry", args=[first.id]), headers=HTMX)

        html = response.content.decode()
        assert text_of(html, "result-status") == "200 OK"
        assert '"ID": "x"' in text_of(html, "raw-response")

    def test_edit_and_resend_fills_the_composer(self, client, faulty):
        send(
            client,
            "/echo",
            "POST",
            query=[("a", "1")],
            headers=[("X-Trace", "t1")],
            body='{"b": 2}',
        )
        entry = entries(client)[0]

        response = client.get(reverse("history_edit", args=[entry.id]), headers=HTMX)

        html = response.content.decode()
        assert 'id="composer-card"' in html
        assert value_of(html, "id_path") == "/echo"
        assert value_of(html, "query-name-0") == "a"
        assert value_of(html, "header-value-0") == "t1"
        assert "<option selected>POST</option>" in html
        assert "{&quot;b&quot;: 2}" in html

    def test_a_token_request_cannot_be_edited(self, client, faulty):
        sign_in_to(client, faulty)
        token = entries(client)[0]

        assert client.get(reverse("history_edit", args=[token.id])).status_code == 404

    def test_download_is_the_whole_body_as_an_attachment(self, client, faulty):
        send(client, "/list", query=[("bytes", "300000")])
        entry = entries(client)[0]

        response = client.get(reverse("history_body", args=[entry.id]))

        assert response.status_code == HTTPStatus.OK
        assert response["Content-Disposition"] == f'attachment; filename="response-{entry.id}.json"'
        assert response["Content-Type"] == "application/json"
        assert "sandbox" in response["Content-Security-Policy"]
        assert len(response.content) == entry.size >= 300_000
        page = send(client, "/list", query=[("bytes", "300000")]).content.decode()
        assert len(page) < 300_000  # the page shows a preview, never the whole body

    def test_filters(self, client, faulty):
        send(client, "/json")
        send(client, "/echo", "POST", body="{}")
        send(client, "/server-error")

        def paths(**filters):
            response = client.get(reverse("history"), filters, headers=HTMX)
            return text_of(response.content.decode(), "history-list").split()

        assert [p for p in paths(method="POST") if p.startswith("/")] == ["/echo"]
        assert [p for p in paths(status="5xx") if p.startswith("/")] == ["/server-error"]
        assert [p for p in paths(status="200") if p.startswith("/")] == ["/echo", "/json"]
        assert [p for p in paths(path="SON") if p.startswith("/")] == ["/json"]
        assert "No exchange matches" in " ".join(paths(method="DELETE"))


class TestReload:
    def test_a_reload_shows_the_composer_as_it_was_and_the_last_exchange(self, client, faulty):
        sign_in_to(client, faulty)
        send(client, "/echo", "PATCH", query=[("q", "1")], headers=[("X-A", "b")], body='{"c": 3}')

        html = client.get("/").content.decode()

        assert value_of(html, "id_path") == "/echo"
        assert value_of(html, "query-value-0") == "1"
        assert value_of(html, "header-name-0") == "X-A"
        assert "<option selected>PATCH</option>" in html
        assert text_of(html, "result-status") == "200 OK"
        assert "PATCH /base/echo?q=1 HTTP/1.1" in text_of(html, "raw-request")

    def test_after_signing_in_the_last_exchange_is_the_token_request(self, client, faulty):
        sign_in_to(client, faulty)

        html = client.get("/").content.decode()

        assert "POST /base/oauth/token HTTP/1.1" in text_of(html, "raw-request")
        assert value_of(html, "id_path") == "/v1/me"


class TestPermalink:
    def test_round_trip_with_no_secret_in_the_url(self, client, faulty):
        sign_in_to(client, faulty)
        fields = {
            "environment": "faulty",
            "method": "POST",
            "path": "/echo",
            "query_name": ["search", "token"],
            "query_value": ["blue shoes", ACCESS_TOKEN],
            "header_name": ["X-Trace", "X-Secret-Thing"],
            "header_value": ["t-1", "very-secret-value"],
            "body": json.dumps({"Name": "A & B", "Password": "p4ssw0rd-x", "Note": ACCESS_TOKEN}),
        }
        hits = len(faulty.hits)

        link = client.post(reverse("export", args=["link"]), fields).content.decode().strip()

        for secret in (ACCESS_TOKEN, "p4ssw0rd-x", "very-secret-value", "refresh-secret"):
            assert secret not in link
        assert "authorization" not in link.lower()
        parts = urlsplit(link)
        assert parts.path == "/"
        params = parse_qs(parts.query)
        assert params["environment"] == ["faulty"]
        assert params["path"] == ["/echo"]

        opened = Client().get(f"{parts.path}?{parts.query}")

        html = opened.content.decode()
        assert faulty.hits[hits:] == []  # neither the link nor opening it sent anything
        assert value_of(html, "id_path") == "/echo"
        assert "<option selected>POST</option>" in html
        assert value_of(html, "query-name-0") == "search"
        assert value_of(html, "query-value-0") == "blue shoes"
        assert value_of(html, "query-value-1") == "********"
        assert value_of(html, "header-value-0") == "t-1"
        assert value_of(html, "header-value-1") == "********"
        body = json.loads(text_of(html, "id_body"))
        assert body["Name"] == "A & B"
        assert body["Password"] == "********"
        assert ACCESS_TOKEN not in html
        assert 'id="result-status"' not in html  # nothing sent, nothing shown

    def test_a_link_cannot_set_authorization_or_an_unknown_environment(self, client):
        response = client.get(
            "/?environment=nowhere&method=GET&path=/v1/me&header=Authorization:+Bearer+x"
        )

        html = response.content.decode()
        assert 'name="environment" value="sandbox"' in html
        assert value_of(html, "header-name-0") == ""

    def test_a_bad_request_cannot_be_exported(self, client, faulty):
        response = client.post(
            reverse("export", args=["curl"]),
            {"environment": "faulty", "method": "GET", "path": "x"},
        )

        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert response.content.decode().startswith("The request cannot be exported: The path must")
        assert client.post(reverse("export", args=["cobol"]), {}).status_code == 404


class TestPaging:
    def test_a_list_page_gets_previous_next_and_page_size(self, client, faulty):
        response = send(
            client, "/list", query=[("bytes", "2000"), ("page", "2")], HTTP_HX_REQUEST="1"
        )

        html = response.content.decode()
        assert (
            text_of(html, "paging-summary")
            == f"{_count() + 1:,}-{2 * _count():,} of {3 * _count():,}"
        )
        forms = html.split('id="paging"', 1)[1]
        previous, following = forms.split("Previous page")[0], forms.split("Previous page")[1]
        assert 'name="query_value" value="1"' in previous
        assert 'name="query_value" value="3"' in following.split("Next page")[0]
        assert 'id="page-size"' in html

    def test_next_page_resends_with_page_changed(self, client, faulty):
        send(client, "/list", query=[("bytes", "2000"), ("page", "1"), ("pageSize", "20")])

        fields = {
            "environment": "faulty",
            "method": "GET",
            "path": "/list",
            "query_name": ["bytes", "page", "pageSize"],
            "query_value": ["2000", "2", "20"],
            "header_name": [],
            "header_value": [],
            "body": "",
        }
        client.post(reverse("send"), fields)

        assert faulty.hits[-1] == "GET /base/list?bytes=2000&page=2&pageSize=20"

    def test_no_paging_for_other_bodies(self, client, faulty):
        html = send(client, "/json").content.decode()

        assert 'id="paging"' not in html


def _count():
    from tests.console.conftest import list_page

    return json.loads(list_page(2000))["Meta"]["PageSize"]


class TestViewerChoice:
    def test_text_gets_the_viewer_binary_and_big_bodies_do_not(self, client, faulty, settings):
        settings.VIEWER_MAX_BYTES = 250_000

        small = send(client, "/json").content.decode()
        binary = send(client, "/binary").content.decode()
        big = send(client, "/list", query=[("bytes", "300000")]).content.decode()

        assert 'id="json-viewer"' in small and 'id="viewer-big"' not in small
        assert 'id="json-viewer"' not in binary and 'id="viewer-big"' not in binary
        assert "[10 bytes of image/png not shown]" in text_of(binary, "raw-response")
        assert 'id="json-viewer"' not in big
        assert "too large to highlight and fold" in text_of(big, "viewer-big")
        for html in (small, binary, big):
            assert 'id="download-body"' in html
