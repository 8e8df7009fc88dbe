"""Parsing environments' OpenAPI documents: the sandbox's own, an OrderCloud-sized one, and
documents that are wrong in every way we could think of (a clear message, never a 500)."""

import json
from http import HTTPStatus

import pytest
import requests
from django.urls import reverse

from console import environments
from console.catalog import document, store
from tests.console.synthetic_openapi import document_bytes
from tests.console.test_views import HTMX, text_of


def minimal(**extra):
    """A valid document with one operation, Things.Create, and whatever extra says."""
    doc = {
        "openapi": "3.0.1",
        "info": {"title": "T", "version": "1"},
        "servers": [{"url": "https://api.example.invalid/v1"}],
        "paths": {
            "/things": {
                "post": {
                    "operationId": "Things.Create",
                    "tags": ["Things"],
                    "summary": "Create a thing.",
                    "requestBody": {
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}
                        }
                    },
                    "security": [{"OAuth2": ["FullAccess", "ThingAdmin"]}],
                }
            }
        },
        "components": {
            "schemas": {
                "Thing": {
                    "type": "object",
                    "properties": {"ID": {"type": "string"}, "Name": {"type": "string"}},
                }
            }
        },
    }
    doc.update(extra)
    return doc


@pytest.mark.django_db(transaction=True)
class TestTheSandboxDocument:
    def test_fetched_through_the_transport_and_parsed(self, sandbox):
        env = environments.get("sandbox")
        raw = requests.get(f"{sandbox.url}/v1/openapi/v3", timeout=10).json()

        loaded = store.get(env)

        catalog = loaded.catalog
        assert loaded.error == ""
        assert loaded.url == f"{sandbox.url}/v1/openapi/v3"
        assert len(catalog.operations) == sum(len(item) for item in raw["paths"].values())
        assert catalog.base_path == "/v1"  # servers[0] is {sandbox}/v1, the env is {sandbox}
        assert catalog.problems == ()
        me = catalog.get("Me.Get")
        assert (me.method, me.path, me.tag, me.roles) == ("GET", "/me", "Me", ())
        create = catalog.get("Buyers.Create")
        assert (create.method, create.path, create.roles) == (
            "POST",
            "/buyers",
            ("FullAccess", "BuyerAdmin"),
        )
        assert [(f.name, f.required, f.read_only) for f in create.body.fields][:2] == [
            ("ID", False, False),
            ("Name", True, False),
        ]
        assert "DateCreated" in [f.name for f in create.body.fields]
        assert "DateCreated" not in [f.name for f in create.body.writable]
        example = json.loads(create.body.example)
        assert "DateCreated" not in example and example["Name"]
        assert set(raw["components"]["schemas"]["ApiRole"]["enum"]) == set(catalog.roles)
        assert [t.name for t in catalog.tags][0] == raw["tags"][0]["name"]

    def test_a_list_operation(self, sandbox):
        catalog = store.get(environments.get("sandbox")).catalog

        op = catalog.get("Users.List")

        assert op.path == "/buyers/{buyerID}/users"
        assert op.is_list
        assert [(p.name, p.location, p.required) for p in op.path_params] == [
            ("buyerID", "path", True)
        ]
        params = {p.name: p for p in op.query_params}
        assert params["sortBy"].type == "array" and "!LastName" in params["sortBy"].enum
        assert params["searchType"].enum  # an enum: choices in the form
        assert params["filters"].type == "object"
        assert "LastName" in op.response_fields
        assert op.response_schema == "List<User>"

    def test_kept_until_refreshed(self, sandbox):
        env = environments.get("sandbox")
        first = store.get(env)

        again = store.get(env)
        refreshed = store.refresh(env)

        assert again is first
        assert refreshed is not first and refreshed.catalog is not None
        assert store.get(env) is refreshed


class TestAnOrderCloudSizedDocument:
    def test_parsed(self):
        raw = document_bytes()

        catalog = document.parse(raw)

        assert len(raw) > 1_000_000
        assert len(catalog.operations) == 402
        assert len(catalog.tags) == 62
        assert catalog.problems == ()
        assert catalog.base_path == "/v1"
        assert "FullAccess" in catalog.roles and len(catalog.roles) == 81
        users = catalog.get("Users.Create")
        assert users.path == "/buyers/{buyerID}/users"
        assert users.roles == ("FullAccess", "UserAdmin")
        assert json.loads(users.body.example) == {"ID": "", "Name": "", "Active": False, "xp": {}}
        # Parent is an allOf of another schema: an object field; Self is read-only.
        fields = {f.name: f for f in users.body.fields}
        assert fields["Parent"].type == "object" and not fields["Parent"].read_only
        assert fields["Self"].read_only
        assert fields["Status"].enum == ("Open", "Closed", "Pending")
        assert fields["Name"].required


@pytest.mark.django_db
class TestBadDocuments:
    """Each one: a clear message in the pane, and raw mode still there."""

    @pytest.mark.parametrize(
        ("body", "message"),
        [
            ("{nope", "The document is not valid JSON: Expecting property name enclosed in "
             "double quotes (line 1, column 2)."),
            ("", "The document is not valid JSON: Expecting value (line 1, column 1)."),
            (b"\xff\xfe{", "The document is not valid JSON:"),
            ("[1, 2]", "The document is not an OpenAPI document: it is not a JSON object."),
            ('{"openapi": "3.0.1"}', "The document has no paths: it describes no operations."),
            ('{"paths": {}}', "The document has no paths: it describes no operations."),
            ('{"paths": []}', "The document has no paths: it describes no operations."),
            ('{"paths": {"/a": {"get": {"summary": "no id"}}}}',
             "The document's paths describe no operations with an operationId."),
            ("[" * 100_000 + "]" * 100_000,
             "The document is not usable: its JSON is nested too deeply."),
        ],
    )  # fmt: skip
    def test_unusable(self, client, documents, body, message):
        documents.serve(body)

        response = client.get(reverse("catalog"), {"environment": "docs"}, headers=HTMX)

        html = response.content.decode()
        assert response.status_code == HTTPStatus.OK
        assert message in " ".join(text_of(html, "catalog-error").split())
        assert "Any path can still be typed in the composer." in text_of(html, "catalog-error")
        assert 'id="catalog-search"' not in html

    def test_a_document_over_the_size_cap(self, client, documents, settings):
        settings.UPSTREAM_MAX_BYTES = 100_000
        documents.serve(json.dumps(minimal(padding="x" * 200_000)))

        html = client.get(
            reverse("catalog"), {"environment": "docs"}, headers=HTMX
        ).content.decode()

        assert (
            "The document is larger than the console's 97.7\xa0KB limit (UPSTREAM_MAX_BYTES)."
            in text_of(html, "catalog-error")
        )

    def test_an_error_status(self, client, documents):
        documents.serve('{"Errors": []}', status=500)

        html = client.get(
            reverse("catalog"), {"environment": "docs"}, headers=HTMX
        ).content.decode()

        url = f"{documents.env.base_url}/v1/openapi/v3"
        assert f"{url} answered 500 Internal Server Error." in text_of(html, "catalog-error")

    def test_an_unreachable_environment(self, client, refusing):
        html = client.get(reverse("catalog"), {"environment": "refusing"}, headers=HTMX)

        assert (
            f"No response from Refusing server ({refusing.base_url}): connection refused."
            in text_of(html.content.decode(), "catalog-error")
        )

    def test_a_failure_is_kept_for_a_while_and_refresh_retries(self, client, documents):
        documents.serve("{nope")
        client.get(reverse("catalog"), {"environment": "docs"}, headers=HTMX)
        documents.serve(json.dumps(minimal()))

        kept = client.get(reverse("catalog"), {"environment": "docs"}, headers=HTMX)
        refreshed = client.post(reverse("catalog_refresh"), {"environment": "docs"}, headers=HTMX)

        assert 'id="catalog-error"' in kept.content.decode()
        assert len(documents.hits) == 2
        assert 'id="catalog-error"' not in refreshed.content.decode()
        assert "Things.Create" in refreshed.content.decode()

    def test_a_ref_cycle_is_reported_and_the_rest_kept(self, client, documents):
        doc = minimal()
        doc["components"]["schemas"] = {
            "Thing": {"$ref": "#/components/schemas/Loop"},
            "Loop": {"$ref": "#/components/schemas/Thing"},
        }
        documents.serve(json.dumps(doc))

        loaded = store.get(documents.env)
        html = client.get(
            reverse("catalog"), {"environment": "docs"}, headers=HTMX
        ).content.decode()

        assert loaded.catalog.problems == (
            "$ref cycle: #/components/schemas/Thing → #/components/schemas/Loop → "
            "#/components/schemas/Thing.",
        )
        assert loaded.catalog.get("Things.Create").body.fields == ()
        assert "1 problem in the document" in html
        assert "Things.Create" in html

    def test_a_schema_that_includes_itself(self):
        doc = minimal()
        doc["components"]["schemas"]["Thing"] = {
            "allOf": [{"$ref": "#/components/schemas/Thing"}],
            "properties": {"Name": {"type": "string"}},
        }

        catalog = document.parse(json.dumps(doc).encode())

        assert catalog.problems == ("$ref cycle through allOf: a schema includes itself.",)
        assert [f.name for f in catalog.get("Things.Create").body.fields] == ["Name"]

    @pytest.mark.parametrize(
        ("ref", "problem"),
        [
            ("https://evil.example/schema.json", "The $ref 'https://evil.example/schema.json' is "
             "not inside the document: ignored."),
            ("#/components/schemas/Missing",
             "The $ref #/components/schemas/Missing points at nothing in the document."),
            ("#/paths/~1things/post/x/0", "The $ref #/paths/~1things/post/x/0 points at nothing"
             " in the document."),
        ],
    )  # fmt: skip
    def test_refs_that_lead_nowhere(self, ref, problem):
        doc = minimal()
        body = doc["paths"]["/things"]["post"]["requestBody"]["content"]["application/json"]
        body["schema"] = {"$ref": ref}

        catalog = document.parse(json.dumps(doc).encode())

        assert catalog.problems == (problem,)
        assert catalog.get("Things.Create").body.fields == ()

    def test_odd_shapes_are_skipped_not_fatal(self):
        doc = minimal()
        doc["paths"].update(
            {
                "/a": {"get": {"operationId": "bad id with spaces"}},
                "/b": {"get": {"operationId": "Things.Create"}},  # taken
                "/c": "not an object",
                "/d": {"get": {"operationId": "D.Get", "parameters": "nope", "tags": [3]}},
                "/e/{x}": {
                    "parameters": [{"name": "x", "in": "path"}, "junk", {"in": "query"}],
                    "get": {
                        "operationId": "E.Get",
                        "security": [{"OAuth2": ["A", 3, None]}, "junk"],
                        "responses": {"200": {"content": {"application/json": {"schema": 5}}}},
                    },
                },
                "oauth/certs/{ID}": {"get": {"operationId": "Certs.Get"}},
            }
        )
        doc["servers"] = "nope"
        doc["tags"] = [{"name": 7}, "junk"]

        catalog = document.parse(json.dumps(doc).encode())

        assert [op.operation_id for op in catalog.operations] == [
            "Things.Create",
            "D.Get",
            "E.Get",
            "Certs.Get",
        ]
        assert catalog.problems == (
            "Operations without a usable operationId (letters, digits, . _ -) are left out.",
            "The operationId Things.Create is used twice: kept once.",
        )
        assert catalog.get("D.Get").tag == "Other"
        assert [(p.name, p.location) for p in catalog.get("E.Get").parameters] == [("x", "path")]
        assert catalog.get("E.Get").roles == ("A",)
        assert catalog.get("Certs.Get").path == "/oauth/certs/{ID}"
        assert catalog.base_path == ""

    def test_huge_counts_are_capped(self, monkeypatch):
        monkeypatch.setattr(document, "MAX_OPERATIONS", 50)
        doc = minimal()
        doc["paths"] = {f"/p{i}": {"get": {"operationId": f"P.Get{i}"}} for i in range(80)}

        catalog = document.parse(json.dumps(doc).encode())

        assert len(catalog.operations) == 50
        assert catalog.problems == ("Only the first 50 operations are listed.",)


@pytest.mark.django_db
class TestEscaping:
    def test_nothing_from_the_document_is_html(self, client, documents):
        doc = minimal()
        op = doc["paths"]["/things"]["post"]
        op["summary"] = "<script>alert(1)</script>"
        op["description"] = "<img src=x onerror=alert(2)>"
        op["tags"] = ["<b>Tag</b>"]
        op["parameters"] = [
            {"name": "kind", "in": "query", "schema": {"type": "string", "enum": ["<i>x</i>"]}}
        ]
        documents.serve(json.dumps(doc))

        pane = client.get(reverse("catalog"), {"environment": "docs"}).content.decode()
        form = client.get(reverse("operation", args=["Things.Create"]), {"environment": "docs"})

        for html in (pane, form.content.decode()):
            assert "<script>alert(1)" not in html and "<b>Tag</b>" not in html
            assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        html = form.content.decode()
        assert "<img src=x" not in html and "&lt;img src=x onerror=alert(2)&gt;" in html
        assert "<option>&lt;i&gt;x&lt;/i&gt;</option>" in html
