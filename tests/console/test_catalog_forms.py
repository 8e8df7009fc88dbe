"""The generated form of an operation, and that form back into a request (no HTTP)."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.sessions.backends.signed_cookies import SessionStore

from console import compose, environments
from console.catalog import document, forms
from console.compose import Composed, Row
from console.contexts import AuthContext
from tests.console.synthetic_openapi import document_bytes


@pytest.fixture(scope="module")
def catalog():
    return document.parse(document_bytes())


@pytest.fixture
def env():
    return environments.get("sandbox")


def auth(*roles, env_id="sandbox"):
    return AuthContext(
        id="c1",
        name="Admin: u",
        environment_id=env_id,
        grant="password",
        client_id="C",
        username="u",
        user="u",
        user_type="admin",
        roles=roles,
        expires_at=datetime.now(UTC) + timedelta(hours=1),
        access_token="t" * 40,
    )


def typed(composed, **fields):
    """composed with these generated inputs typed ("op.path.buyerID": "b1", ...)."""
    rows = [Row(name, value) for name, values in fields.items() for value in values]
    return Composed(**{**composed.__dict__, "params": (*composed.params, *rows)})


class TestComposedFor:
    def test_an_operation_fills_the_composer(self, catalog, env):
        op = catalog.get("Users.Create")

        composed = forms.composed_for(catalog, op, env, locks={})

        assert composed.environment_id == "sandbox"
        assert composed.method == "POST"
        assert composed.path == "/v1/buyers/{buyerID}/users"
        assert composed.operation == "Users.Create"
        assert composed.params == ()
        # The schema's example, without its read-only DateCreated.
        assert json.loads(composed.body) == {"ID": "", "Name": "", "Active": False, "xp": {}}

    def test_no_body_for_get_and_delete(self, catalog, env):
        for operation_id in ["Users.Get", "Users.Delete", "Users.List"]:
            op = catalog.get(operation_id)
            assert forms.composed_for(catalog, op, env, locks={}).body == ""

    def test_locked_values_are_pre_filled(self, catalog, env):
        op = catalog.get("Users.Get")

        composed = forms.composed_for(catalog, op, env, locks={"buyerID": "b1", "other": "x"})

        assert composed.params == (Row("op.path.buyerID", "b1"),)


class TestOperationForm:
    def test_path_parameters(self, catalog, env):
        op = catalog.get("Users.Get")
        composed = typed(forms.composed_for(catalog, op, env, {}), **{"op.path.buyerID": ["b1"]})

        form = forms.operation_form(catalog, op, composed, {}, None, {"buyerID": "b1"})

        buyer, user = form.path_fields
        assert (buyer.name, buyer.input_name, buyer.kind, buyer.value) == (
            "buyerID",
            "op.path.buyerID",
            "text",
            "b1",
        )
        assert buyer.param.required and user.param.required
        assert buyer.locked and not user.locked
        # ID pickers: buyerID from the top-level list, userID from the collection before it.
        assert buyer.picker.operation_id == "Buyers.List"
        assert user.picker.operation_id == "Users.List"
        assert form.query_fields == () and not form.filters and form.body_inputs == ()

    def test_list_parameters(self, catalog, env):
        op = catalog.get("Users.List")
        composed = typed(
            forms.composed_for(catalog, op, env, {}),
            **{"op.query.sortBy": ["!Name,ID"], "op.query.page": ["2"]},
        )

        form = forms.operation_form(catalog, op, composed, {}, None, {})

        fields = {f.name: f for f in form.query_fields}
        assert list(fields) == ["search", "searchOn", "sortBy", "page", "pageSize"]
        assert fields["search"].kind == "text" and fields["search"].picker is None
        assert fields["searchOn"].kind == "multi"
        assert fields["sortBy"].kind == "multi"
        # The order clicked is kept, and shown as positions.
        assert fields["sortBy"].chosen == ("!Name", "ID")
        assert fields["sortBy"].value == "!Name,ID"
        assert dict(fields["sortBy"].options) == {
            "ID": 2,
            "Name": 0,
            "DateCreated": 0,
            "!ID": 0,
            "!Name": 1,
            "!DateCreated": 0,
        }
        assert (fields["page"].kind, fields["page"].value) == ("number", "2")
        assert form.filters  # the filters parameter is rows, not an input
        assert form.filter_fields[:3] == ("ID", "Name", "Active")
        assert form.filter_fields[-1] == "xp."

    def test_multi_values_without_javascript_come_one_per_checkbox(self, catalog, env):
        op = catalog.get("Users.List")
        composed = typed(
            forms.composed_for(catalog, op, env, {}), **{"op.query.sortBy": ["ID", "!Name"]}
        )

        form = forms.operation_form(catalog, op, composed, {}, None, {})

        assert {f.name: f for f in form.query_fields}["sortBy"].chosen == ("ID", "!Name")

    def test_enums_are_choices(self, sandbox_like):
        op = sandbox_like.get("Things.List")
        composed = Composed(environment_id="sandbox", operation="Things.List")

        form = forms.operation_form(sandbox_like, op, composed, {}, None, {})

        fields = {f.name: f for f in form.query_fields}
        assert (fields["level"].kind, fields["level"].choices) == (
            "select",
            ("User", "Group", "Company"),
        )
        assert (fields["flag"].kind, fields["flag"].choices) == ("select", ("true", "false"))
        direction = form.path_fields[0]
        assert (direction.kind, direction.picker) == ("select", None)

    def test_the_body_as_a_form(self, catalog, env):
        op = catalog.get("Users.Create")
        composed = forms.composed_for(catalog, op, env, {})
        body = json.loads(composed.body)
        composed = Composed(
            **{
                **composed.__dict__,
                "body": json.dumps({**body, "Name": "Ann", "xp": {"a": 1}, "UserField1": 3}),
            }
        )

        form = forms.operation_form(catalog, op, composed, {"op.body.Name": "Too short."}, None, {})

        inputs = {i.field.name: i for i in form.body_inputs}
        assert "DateCreated" not in inputs and "Self" not in inputs  # read-only
        assert (inputs["Name"].kind, inputs["Name"].value, inputs["Name"].error) == (
            "text",
            "Ann",
            "Too short.",
        )
        assert inputs["Name"].field.required and not inputs["ID"].field.required
        assert (inputs["Active"].kind, inputs["Active"].value) == ("select", "false")
        assert (inputs["Status"].kind, inputs["Status"].choices) == (
            "select",
            ("Open", "Closed", "Pending"),
        )
        assert (inputs["xp"].kind, inputs["xp"].value) == ("json", '{\n  "a": 1\n}')
        assert (inputs["UserField1"].kind, inputs["UserField1"].value) == ("number", "3")
        assert inputs["UserField0"].value == ""  # not in the body
        assert inputs["Parent"].kind == "json"
        assert form.body_view == "form"  # a field the API refused is marked there

    def test_a_body_that_is_not_an_object_has_no_form_view(self, catalog, env):
        op = catalog.get("Users.Create")
        composed = Composed(environment_id="sandbox", operation=op.operation_id, body="[1,")

        form = forms.operation_form(catalog, op, composed, {}, None, {})

        assert form.body_inputs == ()
        assert form.body_note == (
            "The body is not a JSON object: fix it in the JSON view to use the form."
        )


class TestRoleWarning:
    @pytest.mark.parametrize(
        ("token", "warned"),
        [
            (auth("UserAdmin"), False),
            (auth("FullAccess"), False),
            (auth("MeAdmin", "Shopper"), True),
            (auth(), True),
            (auth("MeAdmin", env_id="elsewhere"), False),  # not signed in here
            (None, False),
        ],
    )
    def test_when_the_token_has_none_of_the_roles(self, catalog, token, warned):
        op = catalog.get("Users.Create")  # FullAccess or UserAdmin
        composed = Composed(environment_id="sandbox", operation=op.operation_id)

        form = forms.operation_form(catalog, op, composed, {}, token, {})

        assert form.role_warning is warned
        assert form.signed_in is (token is not None and token.environment_id == "sandbox")

    def test_sign_in_again_asks_for_the_roles_held_and_needed(self, catalog):
        op = catalog.get("Users.Create")
        composed = Composed(environment_id="sandbox", operation=op.operation_id)

        form = forms.operation_form(catalog, op, composed, {}, auth("MeAdmin"), {})

        assert form.roles_to_ask == "MeAdmin FullAccess UserAdmin"

    def test_an_operation_any_token_may_call(self):
        catalog = document.parse(json.dumps({"paths": {"/me": {"get": {"operationId": "Me.Get",
                                 "security": [{"OAuth2": []}]}}}}).encode())  # fmt: skip
        composed = Composed(environment_id="sandbox", operation="Me.Get")

        form = forms.operation_form(catalog, catalog.get("Me.Get"), composed, {}, auth(), {})

        assert not form.role_warning


class TestFill:
    def test_path_parameters_go_into_the_path_encoded(self):
        composed = Composed(
            environment_id="sandbox",
            path="/v1/buyers/{buyerID}/users/{userID}",
            params=(Row("op.path.buyerID", " b 1/x "), Row("op.path.userID", "ü?#")),
        )

        filled, errors = forms.fill(composed)

        assert errors == {}
        assert filled.path == "/v1/buyers/b%201%2Fx/users/%C3%BC%3F%23"
        assert compose.validate(filled) == {}

    @pytest.mark.parametrize(
        ("params", "errors"),
        [
            ((Row("op.path.buyerID", ""),),
             {"op.path.buyerID": "Enter buyerID: it is part of the path."}),
            ((Row("op.path.buyerID", ".."),), {"op.path.buyerID": "buyerID cannot be ..."}),
            ((), {"path": "Replace {buyerID} in the path with a value."}),
        ],
    )  # fmt: skip
    def test_a_missing_path_parameter(self, params, errors):
        composed = Composed(environment_id="sandbox", path="/v1/buyers/{buyerID}", params=params)

        assert forms.fill(composed)[1] == errors

    def test_query_parameters_and_filters_follow_the_typed_rows(self):
        composed = Composed(
            environment_id="sandbox",
            path="/v1/buyers",
            query=(Row("extra", "1"), Row()),
            params=(
                Row("op.query.search", " acme "),
                Row("op.query.searchOn", ""),
                Row("op.query.sortBy", "!Name"),
                Row("op.query.sortBy", "ID"),
                Row("op.query.page", "2"),
                Row("op.view", "form"),
            ),
            filters=(Row("Active", "true"), Row(), Row("xp.tier", "gold|silver")),
        )

        filled, errors = forms.fill(composed)

        assert errors == {}
        assert filled.query_pairs == [
            ("extra", "1"),
            ("search", "acme"),
            ("sortBy", "!Name,ID"),
            ("page", "2"),
            ("Active", "true"),
            ("xp.tier", "gold|silver"),
        ]
        url = compose.build_url(environments.get("sandbox"), filled.path, filled.query_pairs)
        assert url.endswith("/v1/buyers?extra=1&search=acme&sortBy=!Name,ID&page=2&Active=true"
                            "&xp.tier=gold%7Csilver")  # fmt: skip

    def test_half_filled_filter_rows(self):
        composed = Composed(
            environment_id="sandbox",
            path="/v1/buyers",
            filters=(Row("", "x"), Row("Name", " ")),
        )

        assert forms.fill(composed)[1] == {
            "filter-0": "Enter the field to filter on, e.g. Name or xp.color.",
            "filter-1": "Enter a value for Name, e.g. Acme* or !*.",
        }

    def test_a_raw_request_is_unchanged(self):
        composed = Composed(environment_id="sandbox", path="/v1/me", query=(Row("a", "b"),))

        assert forms.fill(composed) == (composed, {})


class TestLocks:
    def test_lock_and_unlock(self, env):
        session = SessionStore()

        locked = forms.toggle_lock(session, env, "buyerID", " b1 ")
        kept = forms.locks(session, env)
        unlocked = forms.toggle_lock(session, env, "buyerID", "b2")

        assert locked is True and kept == {"buyerID": "b1"}
        assert unlocked is False and forms.locks(session, env) == {}

    def test_nothing_to_lock(self, env):
        session = SessionStore()

        assert forms.toggle_lock(session, env, "buyerID", "  ") is False
        assert forms.locks(session, env) == {}

    def test_per_environment_and_robust_to_odd_session_data(self, env, settings):
        session = SessionStore()
        forms.toggle_lock(session, env, "buyerID", "b1")

        other = environments.get("uswest-sandbox")
        assert forms.locks(session, other) == {}
        session[forms.LOCKS_KEY] = {"sandbox": ["not", "a", "dict"]}
        assert forms.locks(session, env) == {}


class TestPickers:
    def test_the_list_behind_an_id(self, catalog):
        users_get = catalog.get("Users.Get")
        by_name = {p.name: p for p in users_get.parameters}

        assert forms.picker_for(catalog, users_get, by_name["buyerID"]).path == "/buyers"
        assert forms.picker_for(catalog, users_get, by_name["userID"]).path == (
            "/buyers/{buyerID}/users"
        )

    def test_a_query_parameter_prefers_the_list_beside_the_operation(self):
        def listing(operation_id, params=()):
            page = {"name": "page", "in": "query", "schema": {"type": "integer"}}
            return {"get": {"operationId": operation_id, "parameters": [*params, page]}}

        user_group = {"name": "userGroupID", "in": "query", "schema": {"type": "string"}}
        catalog = document.parse(json.dumps({"paths": {
            "/buyers/{buyerID}/users": listing("Users.List", [user_group]),
            "/buyers/{buyerID}/usergroups": listing("UserGroups.List"),
            "/usergroups": listing("AdminUserGroups.List"),
            "/adminusers": listing("AdminUsers.List", [user_group]),
        }}).encode())  # fmt: skip

        def picker(operation_id):
            op = catalog.get(operation_id)
            return forms.picker_for(catalog, op, op.query_params[0]).operation_id

        assert picker("Users.List") == "UserGroups.List"
        assert picker("AdminUsers.List") == "AdminUserGroups.List"

    def test_the_list_call(self, catalog, env):
        users = catalog.get("Users.List")

        composed, why = forms.picker_request(catalog, users, env, {"buyerID": "b1"}, "ann")
        missing, why_missing = forms.picker_request(catalog, users, env, {}, "ann")

        assert why == "" and composed.path == "/v1/buyers/b1/users"
        assert composed.query_pairs == [("pageSize", "20"), ("search", "ann")]
        assert missing is None and why_missing == "Enter buyerID first."

    def test_options_from_a_list_page(self):
        body = json.dumps(
            {"Items": [{"ID": "b1", "Name": "Acme"}, {"ID": 7, "Username": "ann"}, {"x": 1}, 3]}
        ).encode()

        assert forms.picker_options(body) == [("b1", "Acme"), ("7", "ann")]
        assert forms.picker_options(b"not json") == []
        assert forms.picker_options(b'{"Items": "no"}') == []


@pytest.fixture(scope="module")
def sandbox_like():
    """Enums by $ref, a boolean and an enum path parameter, as OrderCloud's document has."""
    doc = {
        "paths": {
            "/things/{direction}": {
                "get": {
                    "operationId": "Things.List",
                    "parameters": [
                        {"name": "direction", "in": "path", "required": True,
                         "schema": {"$ref": "#/components/schemas/OrderDirection"}},
                        {"name": "level", "in": "query",
                         "schema": {"$ref": "#/components/schemas/PartyType"}},
                        {"name": "flag", "in": "query", "schema": {"type": "boolean"}},
                    ],
                }
            }
        },
        "components": {
            "schemas": {
                "OrderDirection": {"type": "string", "enum": ["Incoming", "Outgoing", "All"]},
                "PartyType": {"type": "string", "enum": ["User", "Group", "Company"]},
            }
        },
    }  # fmt: skip
    return document.parse(json.dumps(doc).encode())
