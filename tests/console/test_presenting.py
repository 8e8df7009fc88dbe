"""Presentation mode (?present=1) and the page's title and pre-filled sign-in."""

from http import HTTPStatus

import pytest

from console import presenting
from tests.console.test_views import value_of

CLIENT_ID = "8836BE8D-710A-4D2D-98BF-EDBE7227E3BB"


class TestMask:
    def test_ids_of_secrets_and_tokens_are_masked(self):
        text = (
            "grant_type=password&username=demo&password=********"
            f"&client_id={CLIENT_ID}&scope=FullAccess\n"
            "Authorization: Bearer eyJhbG…bXyE\n"
            f'{{"ID": "{CLIENT_ID}", "ClientSecret": "s3cr3t", "access_token": "eyJhbG…abcd",'
            ' "Username": "demo-admin", "ClientID": "my-app"}'
        )

        masked = presenting.mask(text)

        assert CLIENT_ID not in masked
        assert "s3cr3t" not in masked
        assert "eyJhbG" not in masked
        assert "my-app" not in masked
        assert "client_id=••••••••&scope=FullAccess" in masked
        assert "username=demo&" in masked
        assert '"Username": "demo-admin"' in masked


@pytest.mark.django_db
class TestPresentationMode:
    def test_off_by_default(self, client):
        html = client.get("/").content.decode()

        assert "<body>" in html
        assert 'aria-pressed="false">Presentation mode</button>' in html
        assert '<input type="hidden" name="present" value="1">' in html

    def test_on_in_the_url(self, client):
        html = client.get("/?present=1").content.decode()

        assert '<body class="is-presenting">' in html
        assert "<title>Presenting · Signed out · OrderCloud API Console</title>" in html
        assert 'aria-pressed="true">Presentation mode</button>' in html
        assert '<input type="hidden" name="present" value="0">' in html

    def test_a_link_from_a_presenting_page_keeps_it_in_the_url(self, client):
        response = client.get(
            "/getting-started", headers={"Referer": "http://testserver/?present=1"}
        )

        assert response.status_code == HTTPStatus.FOUND
        assert response["Location"] == "/getting-started?present=1"

    def test_a_redirect_after_a_post_keeps_it(self, client):
        response = client.post("/signout/all", headers={"Referer": "http://testserver/?present=1"})

        assert response.status_code == HTTPStatus.SEE_OTHER
        assert response["Location"] == "/?present=1"

    def test_another_sites_referer_does_not_count(self, client):
        response = client.get("/", headers={"Referer": "http://elsewhere.example/?present=1"})

        assert response.status_code == HTTPStatus.OK
        assert "<body>" in response.content.decode()

    def test_off_in_the_url_wins_over_the_referer(self, client):
        response = client.get("/?present=0", headers={"Referer": "http://testserver/?present=1"})

        assert "<body>" in response.content.decode()

    def test_htmx_follows_the_current_url(self, client):
        response = client.get(
            "/getting-started",
            headers={"HX-Request": "true", "HX-Current-URL": "http://testserver/?present=1"},
        )

        assert response.status_code == HTTPStatus.OK
        assert '<body class="is-presenting">' in response.content.decode()


@pytest.mark.django_db
def test_use_in_console_fills_in_the_sign_in(client):
    html = client.get(
        "/?environment=sandbox&client_id=MY-CLIENT&username=newcomer%40example.com"
    ).content.decode()

    assert value_of(html, "id_client_id") == "MY-CLIENT"
    assert value_of(html, "id_username") == "newcomer@example.com"
    assert value_of(html, "id_roles") == "DevCenterImpersonate FullAccess"
