"""Where the sandbox is served: at the root of its own pool (`sandbox.wsgi`), like an
OrderCloud host, and under /sandbox/ on the console's host; and its landing page at both."""

import re
from html import unescape
from http import HTTPStatus
from urllib.parse import urljoin

import requests

from sandbox import collect, coverage, reference
from sandbox.api import openapi
from sandbox.seeding.demo import DEMO_ROLES

TIMEOUT = 10


def sign_in(sandbox):
    response = requests.post(
        f"{sandbox.url}/oauth/token",
        data={
            "grant_type": "password",
            "client_id": sandbox.client_id,
            "username": sandbox.username,
            "password": sandbox.password,
            "scope": DEMO_ROLES,
        },
        timeout=TIMEOUT,
    )
    assert response.status_code == HTTPStatus.OK, response.text
    return response.json()["access_token"]


def text_of(page: str) -> str:
    """The page's text without tags, spaces collapsed."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", page)).split())


def links_of(page: str) -> list[str]:
    return re.findall(r'<a href="([^"]*)"', page)


def assert_landing_page(response, base_url, sandbox):
    assert response.status_code == HTTPStatus.OK
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    page = response.content.decode()
    text = text_of(page)
    assert "Embedded OrderCloud sandbox" in text
    assert f"Base URL {base_url} " in text
    assert f"API {base_url}/v1 " in text
    assert f"Token URL {base_url}/oauth/token " in text
    assert f"Client ID {sandbox.client_id} " in text
    assert f"Username {sandbox.username} " in text
    assert f"Password {sandbox.password} " in text
    assert f"Roles {DEMO_ROLES} " in text
    assert links_of(page) == ["v1/openapi/v3", "coverage"]
    assert "<script" not in page
    return page


class TestTheSandboxPoolAtItsRoot:
    def test_token_then_me_as_on_an_ordercloud_host(self, sandbox_pool):
        token = sign_in(sandbox_pool)

        me = requests.get(
            f"{sandbox_pool.url}/v1/me",
            headers={"Authorization": f"Bearer {token}"},
            timeout=TIMEOUT,
        )

        assert me.status_code == HTTPStatus.OK
        assert me.json()["Username"] == "demo-admin"

    def test_its_openapi_document_names_the_root(self, sandbox_pool):
        response = requests.get(f"{sandbox_pool.url}/v1/openapi/v3", timeout=TIMEOUT)

        assert response.status_code == HTTPStatus.OK
        document = response.json()
        assert document["servers"][0]["url"] == f"{sandbox_pool.url}/v1"
        flows = document["components"]["securitySchemes"]["OAuth2"]["flows"]
        assert flows["password"]["tokenUrl"] == f"{sandbox_pool.url}/oauth/token"
        assert document == openapi.document(
            sandbox_pool.url, collect.operations(), collect.schemas()
        )

    def test_unknown_paths_are_orderclouds_not_found(self, sandbox_pool):
        for path in ("/v1/widgets", "/sandbox/v1/me", "/favicon.ico"):
            response = requests.get(f"{sandbox_pool.url}{path}", timeout=TIMEOUT)

            assert response.status_code == HTTPStatus.NOT_FOUND, path
            assert response.json() == {
                "Errors": [
                    {"ErrorCode": "NotFound", "Message": f"No such route: {path}", "Data": None}
                ]
            }

    def test_landing_page_at_the_root(self, sandbox_pool):
        response = requests.get(f"{sandbox_pool.url}/", timeout=TIMEOUT)

        page = assert_landing_page(response, sandbox_pool.url, sandbox_pool)
        for link in links_of(page):
            assert urljoin(response.url, link) == f"{sandbox_pool.url}/{link}"
        document = requests.get(urljoin(response.url, "v1/openapi/v3"), timeout=TIMEOUT)
        assert document.json()["servers"][0]["url"] == f"{sandbox_pool.url}/v1"


class TestTheConsolesHost:
    def test_landing_page_under_sandbox(self, sandbox):
        response = requests.get(f"{sandbox.console_url}/sandbox/", timeout=TIMEOUT)

        page = assert_landing_page(response, f"{sandbox.console_url}/sandbox", sandbox)
        for link in links_of(page):
            assert urljoin(response.url, link) == f"{sandbox.console_url}/sandbox/{link}"

    def test_sandbox_without_the_slash_redirects_to_the_page(self, client):
        response = client.get("/sandbox")

        assert response.status_code == HTTPStatus.MOVED_PERMANENTLY
        assert response["Location"] == "/sandbox/"

    def test_landing_page_names_the_demos_shoppers(self, client):
        text = text_of(client.get("/sandbox/").content.decode())

        assert (
            "Shoppers Buyer users of the demo marketplace's three buyers, who see different"
            " products ( GET /v1/me/products ). Client ID 5E7D0C1A-2B3C-4D5E-8F90-A1B2C3D4E5F6"
            " Demo Storefront Usernames alice , adam , bella , ben , cora , caleb , chloe"
            " Password shopper-password Roles Shopper MeAdmin MeAddressAdmin MeXpAdmin"
            " PasswordReset"
        ) in text

    def test_landing_page_names_the_host_it_is_reached_by(self, client, settings):
        settings.ALLOWED_HOSTS = ["console.example"]

        response = client.get("/sandbox/", HTTP_HOST="console.example:8443", secure=True)

        text = text_of(response.content.decode())
        assert "Base URL https://console.example:8443/sandbox " in text
        assert "Token URL https://console.example:8443/sandbox/oauth/token " in text

    def test_head_answers_like_get_without_a_body(self, client):
        response = client.head("/sandbox/")

        assert response.status_code == HTTPStatus.OK
        assert response["Content-Type"] == "text/html; charset=utf-8"
        assert response.content == b""

    def test_other_methods_are_orderclouds_not_found(self, client, db):
        for method in ("post", "put", "delete"):
            response = getattr(client, method)("/sandbox/")

            assert response.status_code == HTTPStatus.NOT_FOUND, method
            assert response.json() == {
                "Errors": [
                    {"ErrorCode": "NotFound", "Message": "No such route: /sandbox/", "Data": None}
                ]
            }


class TestTheCoveragePage:
    def test_lists_every_reference_operation_with_the_totals(self, client):

        response = client.get("/sandbox/coverage")

        assert response.status_code == HTTPStatus.OK
        page = response.content.decode()
        text = text_of(page)
        data = coverage.coverage()
        assert f"{data.implemented} of {len(reference.operations())} operations implemented" in text
        for operation_id in reference.operations():
            assert f"<code>{operation_id}</code>" in page, operation_id
        served = {operation.operation_id for operation in collect.operations()}
        implemented = re.findall(r'<tr class="implemented">\s*<td><code>([^<]+)</code>', page)
        assert set(implemented) == served
        assert "<script" not in page

    def test_is_linked_from_the_landing_page_at_the_pools_root(self, sandbox_pool):
        response = requests.get(f"{sandbox_pool.url}/coverage", timeout=TIMEOUT)

        assert response.status_code == HTTPStatus.OK
        assert "Coverage of OrderCloud's API" in text_of(response.content.decode())

    def test_other_methods_are_orderclouds_not_found(self, client, db):
        response = client.post("/sandbox/coverage")

        assert response.status_code == HTTPStatus.NOT_FOUND
        assert response.json()["Errors"][0]["ErrorCode"] == "NotFound"
