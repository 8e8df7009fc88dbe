"""The catalog's views against the embedded sandbox over real HTTP: the pane and its search,
an operation's page, generated forms sent, locks, ID pickers, roles, explanations."""

import json
import re
from html import unescape
from http import HTTPStatus

import pytest
import requests
from django.urls import reverse

from console import contexts, environments
from console.catalog import forms, store
from tests.console.test_catalog_document import minimal
from tests.console.test_views import HTMX, compose_data, text_of, urlencoded, value_of

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in(client, sandbox, roles="DevCenterImpersonate FullAccess"):
    client.post(
        reverse("signin"),
        {
            "environment": "sandbox",
            "client_id": sandbox.client_id,
            "username": sandbox.username,
            "password": sandbox.password,
            "roles": roles,
        },
    )
    assert contexts.get_auth(client.session) is not None


def token(sandbox):
    return requests.post(
        f"{sandbox.url}/oauth/token",
        data={
            "grant_type": "password",
            "client_id": sandbox.client_id,
            "username": sandbox.username,
            "password": sandbox.password,
            "scope": "DevCenterImpersonate FullAccess",
        },
        timeout=10,
    ).json()["access_token"]


def create_buyers(sandbox, *ids):
    headers = {"Authorization": f"Bearer {token(sandbox)}"}
    for buyer_id in ids:
        body = {"ID": buyer_id, "Name": f"Name of {buyer_id}", "Active": True}
        response = requests.post(f"{sandbox.url}/v1/buyers", json=body, headers=headers)
        assert response.status_code == HTTPStatus.CREATED, response.text


def send(client, htmx=False, **fields):
    data = compose_data(env="sandbox", **fields)
    return client.post(reverse("send"), **urlencoded(data), headers=HTMX if htmx else {})


def raw_request_line(html):
    return unescape(text_of(html, "raw-request")).splitlines()[0]


class TestPane:
    def test_the_page_loads_the_pane_in_a_request_of_its_own(self, client, sandbox):
        html = client.get("/").content.decode()

        assert 'hx-get="/catalog?environment=sandbox" hx-trigger="load"' in html
        assert '<a href="/catalog?environment=sandbox">Show them</a>' in html
        assert 'id="catalog-search"' not in html

    def test_the_pane_with_htmx(self, client, sandbox):
        response = client.get(reverse("catalog"), {"environment": "sandbox"}, headers=HTMX)

        html = response.content.decode()
        assert html.lstrip().startswith('<section id="catalog"')
        assert (
            '<input type="search" id="catalog-search" name="q" value="" '
            'aria-label="Search operations"' in html
        )
        assert re.search(r"<summary>Me <span class=\"count\">\d+</span></summary>", html)
        assert '<a href="/op/Me.Get" class="op-link"' in html
        assert "<button" in html and ">Refresh</button>" in html

    def test_once_kept_the_page_shows_it_at_once(self, client, sandbox):
        client.get(reverse("catalog"), {"environment": "sandbox"}, headers=HTMX)

        html = client.get("/").content.decode()

        assert 'hx-trigger="load"' not in html
        assert '<a href="/op/Me.Get" class="op-link"' in html

    def test_without_javascript_the_whole_page(self, client, sandbox):
        response = client.get(reverse("catalog"), {"environment": "sandbox", "q": "me"})

        html = response.content.decode()
        assert html.startswith("<!doctype html>")
        assert 'id="composer"' in html and 'id="signin-form"' in html
        assert value_of(html, "catalog-search") == "me"
        links = re.findall(r'<a href="/op/([\w.]+)" class="op-link"', html)
        assert links[0] == "Me.Get"

    def test_another_environment(self, client, documents):
        documents.serve(json.dumps(minimal()))

        html = client.get(
            reverse("catalog"), {"environment": "docs"}, headers=HTMX
        ).content.decode()

        assert '<a href="/op/Things.Create?environment=docs" class="op-link"' in html
        assert text_of(html, "catalog-heading") == "Operations"
        assert 'name="environment" value="docs"' in html


class TestSearch:
    def test_results_only_as_typed(self, client, sandbox):
        response = client.get(
            reverse("catalog"),
            {"environment": "sandbox", "q": "me"},
            headers={**HTMX, "HX-Target": "catalog-results"},
        )

        html = response.content.decode()
        assert html.lstrip().startswith('<div id="catalog-results"')
        ids = re.findall(r'<span class="op-id">([\w.]+)<wbr>(\w+)</span>', html)
        ids = ["".join(parts) for parts in ids]
        assert ids[:3] == ["Me.Get", "Me.Save", "Me.Patch"]
        assert re.search(r"\d+ match(es)?", text_of(html, "catalog-results"))

    def test_no_match(self, client, sandbox):
        response = client.get(
            reverse("catalog"),
            {"environment": "sandbox", "q": "<xyzzy>"},
            headers={**HTMX, "HX-Target": "catalog-results"},
        )

        assert "No operation matches “&lt;xyzzy&gt;”." in response.content.decode()


class TestOperationPage:
    def test_its_own_url(self, client, sandbox):
        response = client.get(reverse("operation", args=["Users.List"]))

        html = response.content.decode()
        assert response.status_code == HTTPStatus.OK
        assert '<input type="hidden" name="operation" value="Users.List" data-compose>' in html
        assert value_of(html, "id_path") == "/v1/buyers/{buyerID}/users"
        assert re.search(r"<option selected>GET</option>", html)
        assert text_of(html, "op-id") == "Users.List"
        assert text_of(html, "op-roles").split() == [
            "Needs", "FullAccess", "or", "BuyerUserAdmin", "or", "BuyerUserReader", "·",
            "sign", "in", "with", "one", "of", "these", "roles", "to", "send", "it", "with",
            "a", "token",
        ]  # fmt: skip
        assert '<label for="op-path-0">buyerID</label>' in html
        assert 'name="op.path.buyerID"' in html
        assert 'aria-label="Lock buyerID"' in html
        assert (
            '<input type="checkbox" name="op.query.sortBy" value="!LastName" data-compose>' in html
        )
        assert 'name="filter_name"' in html and '<option value="xp."></option>' in html
        # The tree shows where it is.
        assert '<a href="/op/Users.List" class="op-link" aria-current="page" title=' in html
        assert re.search(r'<details class="tag" open>\s*<summary>Users ', html)

    def test_with_htmx_the_composer_only(self, client, sandbox):
        response = client.get(reverse("operation", args=["Buyers.Create"]), headers=HTMX)

        html = response.content.decode()
        assert html.lstrip().startswith('<section id="composer-card"')
        body = re.search(r'<textarea id="id_body"[^>]*>(.*?)</textarea>', html, re.S).group(1)
        assert json.loads(unescape(body)) == {
            "ID": "ID-1",
            "Name": "Buyer",
            "Active": True,
            "xp": {},
        }
        assert '<label for="op-body-1">Name</label>' in html
        assert 'data-body-field="DateCreated"' not in html  # read-only

    def test_an_unknown_operation(self, client, sandbox):
        response = client.get(reverse("operation", args=["Nope.Get"]))

        html = response.content.decode()
        assert response.status_code == HTTPStatus.NOT_FOUND
        assert text_of(html, "operation-missing") == (
            "Nope.Get is not an operation of Embedded sandbox. The request is sent as typed."
        )

    def test_when_the_document_cannot_be_loaded(self, client, refusing):
        response = client.get(reverse("operation", args=["Me.Get"]), {"environment": "refusing"})

        html = response.content.decode()
        assert response.status_code == HTTPStatus.BAD_GATEWAY
        assert "its operations could not be loaded" in text_of(html, "operation-missing")
        assert "connection refused" in text_of(html, "catalog-error")
        assert value_of(html, "id_path") == "/v1/me"  # raw mode, as before


class TestSendingAGeneratedForm:
    def test_path_and_query_parameters_and_filters(self, client, sandbox):
        sign_in(client, sandbox)
        create_buyers(sandbox, "b~1@x")

        response = send(
            client,
            path="/v1/buyers/{buyerID}/users",
            operation="Users.List",
            **{
                "op.path.buyerID": "b~1@x",
                "op.query.sortBy": "!LastName,Username",
                "op.query.pageSize": "5",
                "op.query.search": "",
                "filter_name": ["Active", ""],
                "filter_value": ["true", ""],
            },
        )

        html = response.content.decode()
        assert response.status_code == HTTPStatus.OK
        assert raw_request_line(html) == (
            "GET /sandbox/v1/buyers/b~1%40x/users?sortBy=!LastName,Username&pageSize=5&Active=true"
            " HTTP/1.1"
        )
        assert text_of(html, "result-status") == "200 OK"
        # The composer keeps what was typed.
        assert value_of(html, "id_path") == "/v1/buyers/{buyerID}/users"
        assert value_of(html, "op-path-0") == "b~1@x"
        assert value_of(html, "filter-name-0") == "Active"

    def test_a_missing_path_parameter_is_not_sent(self, client, sandbox):
        response = send(
            client, path="/v1/buyers/{buyerID}", operation="Buyers.Get", **{"op.path.buyerID": ""}
        )

        html = response.content.decode()
        assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
        assert text_of(html, "op-path-0-error") == "Enter buyerID: it is part of the path."
        assert text_of(html, "nothing-sent") == (
            "Nothing was sent: correct what is marked in the request and send again."
        )

    def test_the_body_from_the_example(self, client, sandbox):
        sign_in(client, sandbox)
        page = client.get(reverse("operation", args=["Buyers.Create"])).content.decode()
        body = unescape(re.search(r'<textarea id="id_body"[^>]*>(.*?)</textarea>', page, re.S)[1])

        response = send(
            client, method="POST", path="/v1/buyers", operation="Buyers.Create", body=body
        )

        assert text_of(response.content.decode(), "result-status") == "201 Created"


class TestRoles:
    def test_a_token_without_the_roles_is_warned_before_sending(self, client, sandbox):
        sign_in(client, sandbox, roles="DevCenterImpersonate MeAdmin")

        html = client.get(reverse("operation", args=["Buyers.Create"])).content.decode()

        warning = re.search(
            r'<div id="role-warning" class="alert alert-warning" role="alert">', html
        )
        assert warning
        assert " ".join(text_of(html, "role-warning").split()) == (
            "The token of Admin: demo-admin has none of the roles Buyers.Create needs, so the API "
            "will answer 403 Forbidden. You can still send it, or sign in again asking for them."
        )
        assert 'data-signin-roles="DevCenterImpersonate MeAdmin FullAccess BuyerAdmin"' in html

    def test_no_warning_with_the_role(self, client, sandbox):
        sign_in(client, sandbox)

        html = client.get(reverse("operation", args=["Buyers.Create"])).content.decode()

        assert 'id="role-warning"' not in html

    def test_the_403_explained_after_sending(self, client, sandbox):
        sign_in(client, sandbox, roles="DevCenterImpersonate MeAdmin")

        html = send(client, method="POST", path="/v1/buyers", operation="Buyers.Create",
                    body='{"Name": "x"}').content.decode()  # fmt: skip

        assert text_of(html, "result-status") == "403 Forbidden"
        explained = " ".join(text_of(html, "result-explanation").split())
        assert explained.startswith(
            "The token of Admin: demo-admin has none of the roles this operation needs: "
            "FullAccess or BuyerAdmin."
        )
        assert (
            "Sign in again asking for them Roles: DevCenterImpersonate MeAdmin FullAccess "
            "BuyerAdmin" in explained
        )

    def test_suggested_roles_come_from_the_document(self, client, sandbox):
        raw = requests.get(f"{sandbox.url}/v1/openapi/v3", timeout=10).json()
        enum = raw["components"]["schemas"]["ApiRole"]["enum"]

        datalist = client.get(reverse("catalog_roles"), {"environment": "sandbox"})
        page = client.get("/").content.decode()

        found = re.findall(r'<option value="([^"]+)">', datalist.content.decode())
        assert found == ["DevCenterImpersonate", "FullAccess", *sorted(set(enum) - {"FullAccess"})]
        assert (
            re.findall(
                r'<option value="([^"]+)"></option>',
                page.split('id="known-roles"')[1].split("</datalist>")[0],
            )
            == found
        )


class TestExplanations:
    def test_not_found(self, client, sandbox):
        sign_in(client, sandbox)

        html = send(client, path="/v1/buyers/{buyerID}", operation="Buyers.Get",
                    **{"op.path.buyerID": "nope"}).content.decode()  # fmt: skip

        assert " ".join(text_of(html, "result-explanation").split()) == (
            "There is no Buyer with the ID nope, or your token cannot see it. Check the ID (an ID "
            "picker lists the ones that exist)."
        )

    def test_validation_failure_marks_the_field(self, client, sandbox):
        sign_in(client, sandbox)

        html = send(client, method="POST", path="/v1/buyers", operation="Buyers.Create",
                    body='{"ID": "x"}', **{"op.view": "json"}).content.decode()  # fmt: skip

        assert text_of(html, "result-status") == "400 Bad Request"
        assert " ".join(text_of(html, "result-explanation").split()) == (
            "The API refused a value; the field is marked in the form: Name: Name is required."
        )
        name = re.search(r'<input id="op-body-1"[^>]*>', html)[0]
        assert 'data-body-field="Name"' in name and 'aria-invalid="true"' in name
        assert '<input type="radio" name="op.view" value="form" data-compose checked>' in html


class TestPaste:
    def test_a_url_of_the_environment_becomes_path_and_query_rows(self, client, sandbox):
        sign_in(client, sandbox)

        html = send(
            client, path=f"{sandbox.url}/v1/buyers?pageSize=1&search=a+b#x"
        ).content.decode()

        assert raw_request_line(html) == "GET /sandbox/v1/buyers?pageSize=1&search=a%20b HTTP/1.1"
        assert value_of(html, "id_path") == "/v1/buyers"
        assert [value_of(html, f"query-name-{i}") for i in range(3)] == ["pageSize", "search", ""]
        assert value_of(html, "query-value-1") == "a b"

    def test_a_path_with_a_query_string(self, client, sandbox):
        html = send(client, path="/v1/me?x=1", query_name=["y", ""], query_value=["2", ""])

        assert raw_request_line(html.content.decode()) == "GET /sandbox/v1/me?y=2&x=1 HTTP/1.1"

    @pytest.mark.parametrize("url", ["https://evil.example/v1/me?x=1", "//evil.example/v1/me"])
    def test_another_host_is_refused(self, client, sandbox, url):
        response = send(client, path=url)

        html = response.content.decode()
        assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
        assert text_of(html, "path-error") == (
            f"This URL is on evil.example, not on Embedded sandbox ({sandbox.url}): the console "
            "only calls the selected environment. Enter a path like /v1/me."
        )
        assert value_of(html, "id_path") == url


class TestNothingSent:
    def test_with_htmx_the_result_area_says_so_out_of_band(self, client, sandbox):
        response = send(client, htmx=True, method="POST", path="/v1/buyers", body="{nope")

        html = response.content.decode()
        assert response["HX-Retarget"] == "#composer-card"
        assert '<div id="nothing-sent" hx-swap-oob="true">' in html
        assert text_of(html, "nothing-sent") == (
            "Nothing was sent: correct what is marked in the request and send again. The result "
            "below is from an earlier request."
        )

    def test_a_sent_request_clears_it(self, client, sandbox):
        html = send(client, htmx=True).content.decode()

        assert '<div id="nothing-sent"></div>' in html


class TestLock:
    def test_lock_then_every_operation_taking_it_is_pre_filled(self, client, sandbox):
        data = {"environment": "sandbox", "lock": "buyerID", "op.path.buyerID": "b1"}

        locked = client.post(reverse("catalog_lock"), data, headers=HTMX)
        page = client.get(reverse("operation", args=["Users.Get"])).content.decode()
        unlocked = client.post(reverse("catalog_lock"), data, headers=HTMX)

        assert (
            locked.content.decode().lstrip().startswith('<button type="submit" id="lock-buyerID"')
        )
        assert 'aria-pressed="true"' in locked.content.decode()
        assert value_of(page, "op-path-0") == "b1"
        assert 'aria-pressed="true" aria-label="Lock buyerID"' in page
        assert 'aria-pressed="false"' in unlocked.content.decode()
        assert forms.locks(client.session, environments.get("sandbox")) == {}

    def test_nothing_to_lock(self, client, sandbox):
        data = {"environment": "sandbox", "lock": "buyerID", "op.path.buyerID": ""}

        html = client.post(reverse("catalog_lock"), data, headers=HTMX).content.decode()

        assert 'aria-pressed="false"' in html
        assert "Enter buyerID first to lock it." in html

    def test_without_javascript_the_page_with_what_was_typed(self, client, sandbox):
        data = compose_data(env="sandbox", path="/v1/buyers/{buyerID}", operation="Buyers.Get",
                            lock="buyerID", **{"op.path.buyerID": "b1"})  # fmt: skip

        response = client.post(reverse("catalog_lock"), data)

        html = response.content.decode()
        assert response.status_code == HTTPStatus.OK
        assert value_of(html, "id_path") == "/v1/buyers/{buyerID}"
        assert 'aria-pressed="true" aria-label="Lock buyerID"' in html

    @pytest.mark.parametrize("name", ["", "two words", "x" * 201, "a/b"])
    def test_not_a_parameter_name(self, client, sandbox, name):
        data = compose_data(env="sandbox", lock=name)

        response = client.post(reverse("catalog_lock"), data, headers=HTMX)

        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert forms.locks(client.session, environments.get("sandbox")) == {}

    def test_needs_its_csrf_token(self, sandbox):
        from django.test import Client

        client = Client(enforce_csrf_checks=True)
        response = client.post(reverse("catalog_lock"), {"environment": "sandbox", "lock": "x"})

        assert response.status_code == HTTPStatus.FORBIDDEN


class TestIdPickers:
    def ids(self, client, **params):
        headers = {**HTMX, "HX-Target": "op-path-0-picker", "HX-Trigger-Name": "op.path.buyerID"}
        query = {"environment": "sandbox", "operation": "Buyers.Get", **params}
        return client.get(reverse("catalog_ids"), query, headers=headers).content.decode()

    def test_the_ids_that_exist_with_the_users_token(self, client, sandbox):
        create_buyers(sandbox, "acme", "acme-2", "globex")
        sign_in(client, sandbox)

        html = self.ids(client, **{"op.path.buyerID": "acme"})

        assert re.findall(r'<option value="([^"]+)">([^<]*)</option>', html) == [
            ("acme", "Name of acme"),
            ("acme-2", "Name of acme-2"),
        ]
        assert '<datalist id="op-path-0-ids">' in html
        assert "2 from Buyers.List" in html

    def test_without_a_token(self, client, sandbox):
        html = self.ids(client, **{"op.path.buyerID": ""})

        assert "No suggestions: Buyers.List answered 401 Unauthorized" in html

    def test_a_parameter_that_needs_another_first(self, client, sandbox):
        headers = {**HTMX, "HX-Target": "op-path-1-picker", "HX-Trigger-Name": "op.path.userID"}
        query = {"environment": "sandbox", "operation": "Users.Get", "op.path.buyerID": ""}

        html = client.get(reverse("catalog_ids"), query, headers=headers).content.decode()

        assert "Enter buyerID first." in html

    def test_only_for_htmx_pickers(self, client, sandbox):
        response = client.get(reverse("catalog_ids"), {"environment": "sandbox"})

        assert response.status_code == HTTPStatus.BAD_REQUEST


class TestRefresh:
    def test_without_javascript_back_to_the_pane(self, client, sandbox):
        response = client.post(reverse("catalog_refresh"), {"environment": "sandbox"})

        assert response.status_code == HTTPStatus.FOUND
        assert response["Location"] == "/catalog?environment=sandbox"
        stamp = client.session[store.REFRESHED_KEY]["sandbox"]
        assert store.cached(environments.get("sandbox")).fetched_at == stamp

    def test_another_worker_with_an_older_copy_fetches_again(self, client, sandbox):
        env = environments.get("sandbox")
        older = store.get(env)
        client.post(reverse("catalog_refresh"), {"environment": "sandbox"})
        store._store(env, older)  # as another worker process would still keep it

        fresh = store.get(env, client.session)

        assert (
            fresh is not older
            and fresh.fetched_at >= client.session[store.REFRESHED_KEY]["sandbox"]
        )
