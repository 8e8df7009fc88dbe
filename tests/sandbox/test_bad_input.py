"""Client input that once produced a 500: each now a 400 (or 404) in OrderCloud's shape."""

from http import HTTPStatus

import pytest
from django.test import override_settings

from tests.sandbox import factories
from tests.sandbox.api import api_for, error


@pytest.fixture
def api(client, db):
    return api_for(client, factories.marketplace("mkt"))


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_a_body_over_the_upload_limit_is_a_400(api):
    response = api.post("/buyers", {"ID": "b1", "Name": "Buyer", "xp": {"k": "v" * 1000}})

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json() == error("Request.InvalidRequestBody", "The request body is too large.")
