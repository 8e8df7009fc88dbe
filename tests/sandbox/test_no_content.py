"""204 No Content under /sandbox/: no body and no Content-Type, whichever view answers."""

from http import HTTPStatus

import pytest

from sandbox.models import User
from tests.sandbox import factories
from tests.sandbox.api import api_for


@pytest.fixture
def api(client, db):
    marketplace = factories.marketplace("mkt")
    factories.user(marketplace, "u1", user_type=User.Type.BUYER, company_id="b1")
    api = api_for(client, marketplace)
    api.put("/buyers/b1", {"ID": "b1", "Name": "Buyer", "Active": True})
    api.post("/buyers/b1/usergroups", {"ID": "g1", "Name": "Group"})
    return api


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("DELETE", "/buyers/b1", None),
        ("DELETE", "/adminusers/admin/tokens", None),
        ("DELETE", "/buyers/b1/users/u1/tokens", None),
        ("POST", "/buyers/b1/usergroups/assignments", {"UserGroupID": "g1", "UserID": "u1"}),
    ],
)
def test_a_204_has_no_body_and_no_content_type(api, method, path, body):
    response = api.call(method, path, body)

    assert response.status_code == HTTPStatus.NO_CONTENT
    assert response.content == b""
    assert "Content-Type" not in response.headers
