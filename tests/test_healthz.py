from http import HTTPStatus


def test_healthz_answers_ok_with_the_database_reachable(client, db):
    response = client.get("/healthz")

    assert response.status_code == HTTPStatus.OK
    assert response.content == b"ok"
    assert response["Cache-Control"].startswith("max-age=0")


def test_healthz_is_get_only(client, db):
    assert client.post("/healthz").status_code == HTTPStatus.METHOD_NOT_ALLOWED
