"""Snippets executed for real against the embedded sandbox, with a real token substituted.

curl, Python requests and ordercloud-python run here; JavaScript fetch and the OrderCloud
JavaScript SDK run with Node (a failure, not a skip, in CI when Node or npm is missing).
"""

import json
import os
import re
import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from console import contexts, environments, history, snippets
from console.catalog import document as document_module
from console.catalog import store as catalog_store
from console.compose import Composed, Row

JS_SDK = "ordercloud-javascript-sdk@12.0.0"
NODE_DIR = Path(sys.prefix) / "node-sdk"  # inside the virtualenv that runs the tests

pytestmark = pytest.mark.django_db(transaction=True)


def _needs(tool):
    path = shutil.which(tool)
    if path is None:
        message = f"{tool} is not installed"
        if os.environ.get("CI", "").lower() not in ("", "0", "false", "no"):
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture
def signed_in(sandbox):
    client = Client()
    client.post(
        reverse("signin"),
        {
            "environment": "sandbox",
            "client_id": sandbox.client_id,
            "username": sandbox.username,
            "password": sandbox.password,
            "roles": "DevCenterImpersonate FullAccess",
        },
    )
    auth = contexts.get_auth(client.session)
    assert auth is not None
    for buyer in ("snippet-a", "snippet-b", "snippet-c"):
        created = Composed("sandbox", "PUT", f"/v1/buyers/{buyer}", body='{"Name": "Snippets"}')
        client.post(reverse("send"), _post_fields(created))
        assert history.last(client.session).status in (200, 201)
    return client, auth.access_token


@pytest.fixture(scope="session")
def node_sdk():
    """The OrderCloud JavaScript SDK, installed once into .venv/node-sdk (npm registry)."""
    _needs("node")
    npm = _needs("npm")
    if not (NODE_DIR / "node_modules" / "ordercloud-javascript-sdk").exists():
        NODE_DIR.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [npm, "install", "--no-audit", "--no-fund", "--prefix", str(NODE_DIR), JS_SDK],
            check=True,
            capture_output=True,
            timeout=300,
        )
    return NODE_DIR


REQUESTS = {
    "me": ("GET", "/v1/me", [], ""),
    "list": ("GET", "/v1/buyers", [("sortBy", "ID"), ("page", "1"), ("pageSize", "2")], ""),
    "patch": ("PATCH", "/v1/buyers/{buyer}", [], '{"xp": {"Snippet": "yes & \\"quoted\\""}}'),
}


def _composed(name, buyer_id):
    method, path, query, body = REQUESTS[name]
    return Composed(
        environment_id="sandbox",
        method=method,
        path=path.format(buyer=buyer_id),
        query=tuple(Row(*pair) for pair in query),
        body=body,
    )


def _post_fields(composed):
    return {
        "environment": composed.environment_id,
        "method": composed.method,
        "path": composed.path,
        "query_name": [row.name for row in composed.query],
        "query_value": [row.value for row in composed.query],
        "header_name": [],
        "header_value": [],
        "body": composed.body,
    }


def _console_body(client, composed):
    """The JSON the console got for this request (sent through it, kept in the history)."""
    client.post(reverse("send"), _post_fields(composed))
    entry = history.last(client.session)
    assert entry.status == 200, bytes(entry.body)
    return json.loads(bytes(entry.body))


def _snippet(client, fmt, composed):
    response = client.post(reverse("export", args=[fmt]), _post_fields(composed))
    assert response.status_code == 200, response.content
    text = response.content.decode()
    assert "Bearer eyJ" not in text and "eyJhbG" not in text  # a placeholder, never the token
    return text


def _run(args, token, cwd=None, stdin=None):
    done = subprocess.run(
        args,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=cwd,
        env={**os.environ, "ORDERCLOUD_TOKEN": token},
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def _dates(value):
    """JSON with ISO 8601 datetimes parsed, so that equal instants compare equal."""
    if isinstance(value, dict):
        return {k: _dates(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_dates(v) for v in value]
    if isinstance(value, str) and len(value) >= 19 and value[4] == "-" and "T" in value:
        try:
            return datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return value
    return value


def _buyer_id(client):
    return _console_body(client, _composed("list", ""))["Items"][0]["ID"]


@pytest.mark.parametrize("name", sorted(REQUESTS))
def test_curl_and_python_requests_give_what_the_console_got(signed_in, name):
    client, token = signed_in
    composed = _composed(name, _buyer_id(client))
    expected = _console_body(client, composed)

    curl = _run(["bash", "-c", _snippet(client, "curl", composed)], token)
    python = _run([sys.executable, "-c", _snippet(client, "python", composed)], token)

    assert json.loads(curl) == expected
    status, _, body = python.partition("\n")
    assert status == "200 OK"
    assert json.loads(body) == expected


@pytest.mark.parametrize("name", sorted(REQUESTS))
def test_ordercloud_python_gives_what_the_console_got(signed_in, name):
    client, token = signed_in
    composed = _composed(name, _buyer_id(client))
    expected = _console_body(client, composed)

    code = _snippet(client, "python-sdk", composed)
    output = _run([sys.executable, "-c", code], token)

    assert "client." in code and "AccessToken(" in code
    got = json.loads(output)
    # The SDK's models keep what the API sent (extra="allow"); compare what both have.
    assert _dates(got) == _dates(_subset(expected, got))


def _subset(expected, got):
    if isinstance(expected, dict) and isinstance(got, dict):
        return {k: _subset(expected[k], got[k]) for k in got if k in expected}
    if isinstance(expected, list) and isinstance(got, list):
        return [_subset(e, g) for e, g in zip(expected, got, strict=True)]
    return expected


@pytest.mark.parametrize("name", sorted(REQUESTS))
def test_javascript_fetch_and_sdk_give_what_the_console_got(signed_in, node_sdk, name):
    client, token = signed_in
    composed = _composed(name, _buyer_id(client))
    expected = _console_body(client, composed)
    node = ["node", "--input-type=module"]

    fetched = _run(node, token, stdin=_snippet(client, "javascript", composed))
    sdk = _run(node, token, cwd=node_sdk, stdin=_snippet(client, "javascript-sdk", composed))

    status, _, body = fetched.partition("\n")
    assert status == "200 OK"
    assert json.loads(body) == expected
    assert json.loads(sdk) == expected


def test_sdk_names_exist_for_every_operation_of_the_sandbox(sandbox, node_sdk):
    from ordercloud import SyncOrderCloudClient

    operations = snippets.operations(environments.get("sandbox"))
    assert len(operations) > 100
    client = SyncOrderCloudClient.create(client_id="x", client_secret="")
    try:
        missing = [
            op.id
            for op in operations
            if not callable(
                getattr(
                    getattr(client, snippets._snake(op.resource), None),
                    snippets._snake(op.action),
                    None,
                )
            )
        ]
    finally:
        client.close()
    assert missing == []
    calls = [[op.resource, op.action] for op in operations]
    script = (
        'import * as sdk from "ordercloud-javascript-sdk";'
        f"const calls = {json.dumps(calls)};"
        "console.log(JSON.stringify(calls.filter(([r, a]) => typeof sdk[r]?.[a] !== 'function')"
        ".map(c => c.join('.'))));"
    )
    done = subprocess.run(
        ["node", "--input-type=module"],
        input=script,
        capture_output=True,
        text=True,
        cwd=node_sdk,
        timeout=60,
        check=True,
    )
    assert json.loads(done.stdout) == []


def test_no_sdk_call_for_a_path_that_is_no_operation(signed_in):
    client, _ = signed_in
    composed = Composed(environment_id="sandbox", method="GET", path="/v1/not-an-operation")

    response = client.post(reverse("export", args=["python-sdk"]), _post_fields(composed))

    assert response.status_code == 404
    assert "is not an operation of Embedded sandbox's API document" in response.content.decode()


def test_operations_from_an_ordercloud_document_match_method_and_path():
    document = {
        "servers": [{"url": "https://sandboxapi.ordercloud.io/v1"}],
        "paths": {
            "/me": {"get": {"operationId": "Me.Get"}},
            "/me/addresses/{addressID}": {"get": {"operationId": "Me.GetAddress"}},
            "/me/addresses/assignments": {"get": {"operationId": "Me.ListAddressAssignments"}},
            "/buyers/{buyerID}/users": {
                "get": {
                    "operationId": "Users.List",
                    "parameters": [
                        {"name": "page", "in": "query"},
                        {"name": "userGroupID", "in": "query"},
                    ],
                },
            },
        },
    }
    catalog = document_module.parse(json.dumps(document).encode())
    operations = snippets.operations_of(catalog)
    env = environments.get("sandbox")

    def match(method, path):
        return next(
            (op.id, params) for op in operations if (params := op.match(method, path)) is not None
        )

    assert match("GET", "/v1/me") == ("Me.Get", {})
    assert match("GET", "/v1/me/addresses/assignments") == ("Me.ListAddressAssignments", {})
    assert match("GET", "/v1/me/addresses/a%20b") == ("Me.GetAddress", {"addressID": "a b"})
    users = next(op for op in operations if op.id == "Users.List")
    composed = Composed(
        "sandbox",
        "GET",
        "/v1/buyers/b1/users",
        query=(Row("userGroupID", "g1"), Row("pageSize", "5"), Row("xp.Tier", "gold")),
    )
    code = snippets.python_sdk(env, composed, users, {"buyerID": "b1"})
    assert 'client.users.list("b1", user_group_id="g1", page_size=5, filters={' in code
    assert '"xp.Tier": "gold",' in code
    js = snippets.javascript_sdk(env, composed, users, {"buyerID": "b1"})
    assert 'Users.List("b1", {\n  "userGroupID": "g1",\n  "pageSize": 5,' in js


def test_a_link_names_the_operation_once_the_api_document_was_read(signed_in):
    client, _ = signed_in
    fields = _post_fields(_composed("me", ""))
    catalog_store.clear()  # the live server (and so the document's address) outlives a test

    before = client.post(reverse("export", args=["link"]), fields).content.decode()
    client.post(reverse("export", args=["python-sdk"]), fields)
    after = client.post(reverse("export", args=["link"]), fields).content.decode()

    assert "operation=" not in before
    assert "&operation=Me.Get&" in after


def test_a_link_opens_the_operations_form_with_its_values(signed_in):
    client, _ = signed_in
    composed = Composed("sandbox", "GET", "/v1/buyers/snippet-a", query=(Row("xp.Tier", "gold"),))
    client.post(reverse("export", args=["python-sdk"]), _post_fields(composed))  # reads it

    link = client.post(reverse("export", args=["link"]), _post_fields(composed)).content.decode()
    html = Client().get(link.strip().removeprefix("http://testserver")).content.decode()

    assert "&operation=Buyers.Get&" in link
    assert 'name="operation" value="Buyers.Get"' in html
    assert re.search(r'name="op\.path\.buyerID"[^>]*value="snippet-a"', html)
    assert 'value="/v1/buyers/{buyerID}"' in html
    assert re.search(r'name="query_name"[^>]*value="xp\.Tier"', html)
