"""GET /sandbox/v1/openapi/v3: the sandbox's own OpenAPI document, generated from the
operations `sandbox.collect` gathers; it lists every routed operation and nothing the
sandbox does not route."""

import re
from http import HTTPStatus

import pytest
from django.urls import URLPattern, URLResolver
from openapi_spec_validator import validate

from sandbox import collect, reference, urls, views
from sandbox.api.spec import API_ROLES

DOCUMENT_URL = "/sandbox/v1/openapi/v3"
BASE = "http://testserver/sandbox"
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
# Routes that are not API operations: the landing page, the token endpoint (the security
# scheme's tokenUrl) and the document itself.
NOT_OPERATIONS = {"", "coverage", "oauth/token", "v1/openapi/v3"}


@pytest.fixture
def document(client):
    return client.get(DOCUMENT_URL).json()


def operations(document):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            yield path, method.upper(), operation


def by_id(document):
    return {operation["operationId"]: operation for _, _, operation in operations(document)}


def concrete(path: str) -> str:
    """`/buyers/{buyerID}/users` -> `/buyers/buyerID-1/users`."""
    return re.sub(r"\{(\w+)\}", r"\1-1", path)


def unauthenticated_call(client, method, path):
    return client.generic(method, f"/sandbox/v1{path}", b"{}", content_type="application/json")


class TestDocument:
    def test_served_without_a_token_as_json(self, client):
        response = client.get(DOCUMENT_URL)

        assert response.status_code == HTTPStatus.OK
        assert response["Content-Type"] == "application/json"
        assert response.json()["openapi"].startswith("3.0")

    def test_validates_as_openapi_3(self, document):
        validate(document)

    def test_servers_and_token_url_are_the_sandboxs_own(self, client, settings):
        settings.ALLOWED_HOSTS = ["sandbox.example"]

        document = client.get(DOCUMENT_URL, HTTP_HOST="sandbox.example:8123").json()

        assert document["servers"][0]["url"] == "http://sandbox.example:8123/sandbox/v1"
        flows = document["components"]["securitySchemes"]["OAuth2"]["flows"]
        assert flows["password"]["tokenUrl"] == "http://sandbox.example:8123/sandbox/oauth/token"
        assert flows["clientCredentials"]["tokenUrl"] == flows["password"]["tokenUrl"]
        assert set(flows["password"]["scopes"]) == API_ROLES

    def test_only_get_and_head(self, client):
        assert client.head(DOCUMENT_URL).status_code == HTTPStatus.OK
        response = client.post(DOCUMENT_URL)

        assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED
        assert response.json()["Errors"][0]["ErrorCode"] == "MethodNotAllowed"

    def test_generated_once_per_base_url(self):
        assert views.openapi_json(BASE) is views.openapi_json(BASE)


class TestOperations:
    def test_one_per_registered_operation_and_token_endpoint(self, document):
        documented = [operation["operationId"] for _, _, operation in operations(document)]

        assert len(documented) == len(set(documented))
        expected = [op.operation_id for op in collect.operations()]
        assert sorted(documented) == sorted(expected)
        tokens = {"Users.GetAccessToken", "AdminUsers.RevokeUserTokens"}
        tokens |= {"Users.RevokeUserTokens", "SupplierUsers.RevokeUserTokens"}
        assert tokens <= set(documented)

    def test_paths_methods_tags_summaries_and_roles_from_the_operations(self, document):
        documented = by_id(document)

        for op in collect.operations():
            operation = documented[op.operation_id]
            assert document["paths"][op.path][op.method.lower()] is operation
            assert operation["tags"] == [op.tag]
            assert operation["summary"] == op.summary
            assert operation["security"] == [{"OAuth2": list(op.roles)}]
            assert str(op.status) in operation["responses"]

    def test_buyers_list(self, document):
        operation = by_id(document)["Buyers.List"]

        assert document["paths"]["/buyers"]["get"] is operation
        assert operation["summary"] == "Get a list of buyers."
        assert operation["tags"] == ["Buyers"]
        assert operation["security"] == [{"OAuth2": ["FullAccess", "BuyerAdmin", "BuyerReader"]}]
        parameters = {p["name"]: p for p in operation["parameters"]}
        assert list(parameters) == [
            "search",
            "searchOn",
            "searchType",
            "sortBy",
            "page",
            "pageSize",
            "filters",
        ]
        assert parameters["searchOn"]["schema"]["items"]["enum"] == ["Name", "ID"]
        assert parameters["sortBy"]["schema"]["items"]["enum"] == [
            "ID",
            "Name",
            "DateCreated",
            "!ID",
            "!Name",
            "!DateCreated",
        ]
        assert parameters["pageSize"]["schema"] == {"type": "integer", "minimum": 1, "maximum": 100}
        assert all(p["in"] == "query" and not p["required"] for p in parameters.values())
        assert operation["responses"]["200"]["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/ListBuyer"
        }
        assert set(operation["responses"]) == {"200", "400", "401", "403"}

    def test_create_user(self, document):
        operation = by_id(document)["Users.Create"]

        assert document["paths"]["/buyers/{buyerID}/users"]["post"] is operation
        assert operation["parameters"] == [
            {
                "name": "buyerID",
                "in": "path",
                "description": "ID of the buyer.",
                "required": True,
                "schema": {"type": "string"},
            }
        ]
        assert operation["requestBody"] == {
            "required": True,
            "content": {
                "application/json": {
                    "schema": {
                        "allOf": [{"$ref": "#/components/schemas/User"}],
                        "required": ["Username", "FirstName", "LastName", "Email", "Active"],
                    }
                }
            },
        }
        assert set(operation["responses"]) == {"201", "400", "401", "403", "404", "409"}
        assert operation["responses"]["404"] == {"$ref": "#/components/responses/404"}

    def test_explicit_token_operations(self, document):
        documented = by_id(document)

        token = documented["Users.GetAccessToken"]
        assert document["paths"]["/buyers/{buyerID}/users/{userID}/accesstoken"]["post"] is token
        assert token["security"] == [{"OAuth2": ["FullAccess", "BuyerImpersonation"]}]
        body = token["requestBody"]["content"]["application/json"]["schema"]
        assert body["allOf"] == [{"$ref": "#/components/schemas/ImpersonateTokenRequest"}]
        assert body["required"] == ["ClientID", "Roles"]
        assert token["responses"]["200"]["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/AccessToken"
        }
        revoke = documented["AdminUsers.RevokeUserTokens"]
        assert document["paths"]["/adminusers/{userID}/tokens"]["delete"] is revoke
        assert revoke["security"] == [{"OAuth2": ["FullAccess", "AdminUserAdmin"]}]
        assert "204" in revoke["responses"]

    def test_me_get_needs_a_token_but_no_role(self, document):
        assert by_id(document)["Me.Get"]["security"] == [{"OAuth2": []}]

    def test_move_has_its_required_orders_parameter(self, document):
        parameters = by_id(document)["Users.Move"]["parameters"]

        assert [p["name"] for p in parameters] == ["buyerID", "userID", "newBuyerID", "orders"]
        assert parameters[2]["description"] == "ID of the new buyer."
        assert parameters[3]["required"] is True
        assert parameters[3]["schema"]["enum"] == ["None", "Unsubmitted", "All"]


class TestSchemas:
    def test_buyer(self, document):
        buyer = document["components"]["schemas"]["Buyer"]

        assert list(buyer["properties"]) == [
            "ID",
            "Name",
            "DefaultCatalogID",
            "Active",
            "DateCreated",
            "xp",
        ]
        assert buyer["properties"]["ID"] == {"type": "string", "maxLength": 100, "example": "ID-1"}
        assert buyer["properties"]["DateCreated"] == {
            "type": "string",
            "format": "date-time",
            "readOnly": True,
            "nullable": True,
        }
        assert buyer["properties"]["xp"]["type"] == "object"
        assert buyer["additionalProperties"] is False
        assert buyer["example"] == {"ID": "ID-1", "Name": "Buyer", "Active": True, "xp": {}}

    def test_user_password_is_write_only(self, document):
        password = document["components"]["schemas"]["User"]["properties"]["Password"]

        assert password["writeOnly"] is True
        assert password["format"] == "password"

    def test_nested_objects_and_roles_by_reference(self, document):
        schemas = document["components"]["schemas"]

        me = schemas["MeUser"]["properties"]
        assert me["Buyer"]["allOf"] == [{"$ref": "#/components/schemas/MeBuyer"}]
        assert me["Buyer"]["readOnly"] is True
        profile = schemas["SecurityProfile"]["properties"]
        assert profile["Roles"]["items"] == {"$ref": "#/components/schemas/ApiRole"}
        assert set(schemas["ApiRole"]["enum"]) == API_ROLES

    def test_list_pages(self, document):
        schemas = document["components"]["schemas"]

        assert schemas["ListBuyer"]["properties"] == {
            "Meta": {"$ref": "#/components/schemas/Meta"},
            "Items": {"type": "array", "items": {"$ref": "#/components/schemas/Buyer"}},
        }
        assert set(schemas["Meta"]["required"]) == {
            "Page",
            "PageSize",
            "TotalCount",
            "TotalPages",
            "ItemRange",
        }

    def test_every_reference_resolves(self, document):
        text = str(document)
        schemas = document["components"]["schemas"]
        responses = document["components"]["responses"]

        for name in re.findall(r"#/components/schemas/(\w+)", text):
            assert name in schemas
        for code in re.findall(r"#/components/responses/(\w+)", text):
            assert code in responses

    def test_errors_in_ordercloud_shape(self, document):
        responses = document["components"]["responses"]

        assert set(responses) == {"400", "401", "403", "404", "409"}
        error = document["components"]["schemas"]["ErrorList"]["properties"]["Errors"]
        assert set(error["items"]["properties"]) == {"ErrorCode", "Message", "Data"}


# --- the document against the routes -------------------------------------------------------


def shape(path: str) -> str:
    """A path with its parameters unnamed: `/buyers/{}/users`."""
    return re.sub(r"\{\w+\}|<str:\w+>", "{}", path)


def documented_route(document, method, route):
    for template, item in document["paths"].items():
        if shape(template) == shape(route.removeprefix("v1")) and method.lower() in item:
            return template
    return None


def routed_patterns():
    """(Django route, concrete /v1 path) of every pattern in sandbox.urls but the fallback
    and the developer dashboard's (not OrderCloud API operations)."""
    for pattern in urls.urlpatterns:
        assert isinstance(pattern, URLPattern) and not isinstance(pattern, URLResolver)
        route = str(pattern.pattern)
        if pattern.name == "not-found" or route in NOT_OPERATIONS or route.startswith("dashboard/"):
            continue
        assert route.startswith("v1/"), route
        yield route, re.sub(r"<str:(\w+)>", r"\1-1", route.removeprefix("v1"))


@pytest.mark.django_db
class TestRouting:
    def test_every_documented_operation_is_routed(self, client, document):
        """Without a token each documented operation answers 401: routed, method allowed
        (the fallback answers 404, a wrong method 405)."""
        for path, method, operation in operations(document):
            response = unauthenticated_call(client, method, concrete(path))

            assert response.status_code == HTTPStatus.UNAUTHORIZED, operation["operationId"]
            assert response.json()["Errors"][0]["ErrorCode"] == "InvalidToken"

    def test_every_routed_method_is_documented_or_not_implemented(self, client, document):
        """A routed method is documented (401 without a token) or one of OrderCloud's that
        the sandbox lacks (501 naming it, whoever calls); every other method is a 405."""
        found, missing = set(), set()

        for route, path in routed_patterns():
            for method in METHODS:
                response = unauthenticated_call(client, method, path)
                if response.status_code == HTTPStatus.METHOD_NOT_ALLOWED:
                    continue
                if response.status_code == HTTPStatus.NOT_IMPLEMENTED:
                    missing.add(response.json()["Errors"][0]["Data"]["OperationID"])
                    continue
                assert response.status_code == HTTPStatus.UNAUTHORIZED, (method, route)
                template = documented_route(document, method, route)
                assert template, (method, route)
                found.add((template, method))

        assert found == {(path, method) for path, method, _ in operations(document)}
        served = {operation.operation_id for operation in collect.operations()}
        assert missing == {
            operation_id
            for operation_id, facts in reference.operations().items()
            if operation_id not in served and facts["path"].startswith("/")
        }

    def test_paths_ordercloud_lacks_fall_through_to_not_found(self, client):
        response = unauthenticated_call(client, "GET", "/widgets")

        assert response.status_code == HTTPStatus.NOT_FOUND
        assert response.json()["Errors"][0]["ErrorCode"] == "NotFound"


NOT_IMPLEMENTED = sorted(
    set(reference.operations()) - {operation.operation_id for operation in collect.operations()}
)


@pytest.mark.django_db
@pytest.mark.parametrize("operation_id", [o for o in NOT_IMPLEMENTED if o != "Certs.GetPublicKey"])
def test_an_operation_not_implemented_yet_answers_501_naming_it(client, operation_id):
    facts = reference.operation(operation_id)

    response = unauthenticated_call(client, facts["method"], concrete(facts["path"]))

    assert response.status_code == HTTPStatus.NOT_IMPLEMENTED
    assert response.json() == {
        "Errors": [
            {
                "ErrorCode": "NotImplemented",
                "Message": f"{operation_id} is part of OrderCloud's API but not implemented"
                " by the embedded sandbox yet.",
                "Data": {"OperationID": operation_id},
            }
        ]
    }
