"""Every registered operation, walked from `sandbox.collect`: success, 404, 403 and 400."""

from http import HTTPStatus

import pytest
from django.db import transaction
from django.test import Client

from sandbox import collect
from sandbox.api.spec import Operation
from sandbox.models import User
from tests.sandbox import factories
from tests.sandbox.api import Api, api_for, error

CRUD = ("List", "Create", "Get", "Save", "Delete", "Patch")
OPERATIONS = collect.operations()
CRUD_OPERATIONS = [op for op in OPERATIONS if op.kind in CRUD]
GUARDED = [op for op in OPERATIONS if op.roles]
WITH_BODY = [op for op in OPERATIONS if op.request is not None]


def can_miss(operation) -> bool:
    """Whether the operation answers 404 for something in its path: the object itself, or
    (List, Create) a parent; not a PUT that creates what is missing."""
    if operation.kind in ("List", "Create"):
        return bool(operation.resource.parents)
    return not (operation.kind == "Save" and operation.resource.save_creates)


def takes_input(operation) -> bool:
    """A body to validate, or a list's query."""
    return operation.request is not None or operation.kind == "List"


MISSABLE = [op for op in CRUD_OPERATIONS if can_miss(op)]
WITH_INPUT = [op for op in CRUD_OPERATIONS if takes_input(op)]
PARENT_IDS = {
    "buyerID": "b1",
    "supplierID": "s1",
    "catalogID": "c1",
    "productID": "p1",
    "specID": "sp1",
    # Orders as the marketplace receives them (an admin creates them for a buyer user).
    "direction": "Incoming",
    "orderID": "o1",
}


def op_id(operation):
    return operation.operation_id


def sample(field, n):
    if field.type == "boolean":
        return True
    if field.type in ("integer", "number"):
        return field.example if field.example is not None else 1
    if field.type == "array":
        return ["FullAccess"] if field.items == "ApiRole" else ["x"]
    if field.type == "object":
        return {}
    if field.type == "datetime":
        return "2024-01-01T00:00:00Z"
    text = f"{field.example or field.name}-{n}"
    return text[: field.max_length] if field.max_length else text


# Fields naming objects that must exist: the ones the `api` fixture creates.
REFERENCES = {
    "LineItem": {"ProductID": "p1"},
    "ImpersonationConfig": {
        "BuyerID": "b1",
        "SecurityProfileID": "p1",
        "ClientID": "mkt-client-FullAccess",
    },
    "ApprovalRule": {"ApprovingGroupID": "g1"},
    "SellerApprovalRule": {"ApprovingGroupID": "ag1", "ApprovalType": "Order"},
}


def value_of(resource, name, n):
    """A valid value: the existing object a reference names, else a sample."""
    references = REFERENCES.get(resource.name, {})
    return references[name] if name in references else sample(resource.field(name), n)


# Fields a body needs beyond the required ones: an Incoming order names its buyer user.
CONTEXT = {"Order": {"FromUserID": "u1"}}


def valid_body(resource, n=1, object_id=None):
    body = {name: value_of(resource, name, n) for name in resource.required}
    body.update(CONTEXT.get(resource.name, {}))
    if object_id and not resource.id_generated_only:
        body["ID"] = object_id
    return body


def writable(resource, found):
    read_only = {field.name for field in resource.fields if field.read_only}
    return {name: value for name, value in found.items() if name not in read_only}


def path_of(operation, object_id="x1", **overrides):
    values = {**PARENT_IDS, **overrides}
    if operation.resource is not None:
        values[operation.resource.id_param] = object_id
    path = operation.path
    for name in operation.path_params:
        path = path.replace(f"{{{name}}}", values.get(name, "x"))
    return path


@pytest.fixture
def marketplace(db):
    """A marketplace of its own (not the one `api` works in): only roles matter there."""
    return factories.marketplace("roles")


@pytest.fixture(scope="module")
def module_api(django_db_setup, django_db_blocker):
    """The objects the operations' paths and bodies reference, made once per test process
    in a transaction rolled back at the end; each test runs in a savepoint of it (as
    Django's TestCase.setUpTestData does), so what a test changes is undone. Making them
    for each of the ~600 tests cost more than the tests themselves."""
    with django_db_blocker.unblock(), transaction.atomic():
        api = api_for(Client(), factories.marketplace("mkt"))
        for path, body in (
            ("/buyers", {"ID": "b1", "Name": "B"}),
            ("/suppliers", {"ID": "s1", "Name": "S"}),
            ("/securityprofiles", {"ID": "p1", "Name": "P"}),
            ("/catalogs", {"ID": "c1", "Name": "C"}),
            ("/products", {"ID": "p1", "Name": "P"}),
            ("/specs", {"ID": "sp1", "Name": "S"}),
            ("/buyers/b1/usergroups", {"ID": "g1", "Name": "Approvers"}),
            ("/usergroups", {"ID": "ag1", "Name": "Seller approvers"}),
            (
                "/buyers/b1/users",
                {
                    "ID": "u1",
                    "Username": "u1",
                    "FirstName": "U",
                    "LastName": "One",
                    "Email": "u@x.io",
                    "Active": True,
                },
            ),
        ):
            assert api.post(path, body).status_code == 201
        # An order of u1's (an unsubmitted one: the admin's FullAccess reads carts), and p1
        # orderable by u1: active, priced, in a catalog b1 sees whole.
        for method, path, body in (
            (
                "POST",
                "/priceschedules",
                {"ID": "ps1", "Name": "PS", "PriceBreaks": [{"Quantity": 1, "Price": 2}]},
            ),
            ("PATCH", "/products/p1", {"Active": True, "DefaultPriceScheduleID": "ps1"}),
            ("PATCH", "/catalogs/c1", {"Active": True}),
            (
                "POST",
                "/catalogs/assignments",
                {"CatalogID": "c1", "BuyerID": "b1", "ViewAllProducts": True},
            ),
            ("POST", "/catalogs/productassignments", {"CatalogID": "c1", "ProductID": "p1"}),
            ("POST", "/orders/Incoming", {"ID": "o1", "FromUserID": "u1"}),
        ):
            assert api.call(method, path, body).status_code < 300, (
                path,
                api.call(method, path, body).content,
            )
        yield api
        transaction.set_rollback(True)


@pytest.fixture
def api(client, module_api, db):
    return Api(client, module_api.token)


def generated_variant(api, option_id):
    """Variants are not created but generated: one per option of a variant spec."""
    spec = {"ID": "variant-spec", "Name": "Size", "DefinesVariant": True}
    if api.get("/specs/variant-spec").status_code == HTTPStatus.NOT_FOUND:
        assert api.post("/specs", spec).status_code == HTTPStatus.CREATED
        body = {"SpecID": "variant-spec", "ProductID": "p1"}
        assert api.post("/specs/productassignments", body).status_code == 204
    option = {"ID": option_id, "Value": option_id}
    assert api.post("/specs/variant-spec/options", option).status_code == HTTPStatus.CREATED
    assert api.post("/products/p1/variants/generate").status_code == HTTPStatus.CREATED
    return api.get(f"/products/p1/variants/p1-{option_id}").json()


def create(api, resource, object_id="x1", n=1):
    if "Create" not in resource.kinds:
        return generated_variant(api, object_id)
    collection = path_of(Operation("", "", resource.path, "", "", (), "", 0, resource))
    response = api.post(collection, valid_body(resource, n, object_id))
    assert response.status_code == HTTPStatus.CREATED, response.content
    return response.json()


class TestCrud:
    @pytest.mark.parametrize("operation", CRUD_OPERATIONS, ids=op_id)
    def test_success(self, api, operation):
        resource = operation.resource
        existing = create(api, resource)
        object_id = existing["ID"]
        path = path_of(operation, object_id)

        match operation.kind:
            case "List":
                response = api.get(path)
                assert response.json()["Meta"]["TotalCount"] >= 1
                assert existing in response.json()["Items"]
            case "Create":
                response = api.post(path, valid_body(resource, 2, "x2"))
                assert response.json() == {**response.json(), **valid_body(resource, 2, "x2")}
                assert api.get(f"{path}/{response.json()['ID']}").json() == response.json()
            case "Get":
                response = api.get(path)
                assert response.json() == existing
            case "Save":
                body = valid_body(resource, 3, object_id)
                if "Create" not in resource.kinds:  # a PUT replaces what was generated
                    body = {**writable(resource, existing), **body}
                response = api.put(path, body)
                # LastUpdated (an order's) moves with every write.
                moving = {k: v for k, v in response.json().items() if k == "LastUpdated"}
                assert response.json() == {**existing, **body, **moving}
            case "Patch":
                response = api.patch(
                    path,
                    {"xp": {"patched": True}}
                    if "xp" in (f.name for f in resource.fields)
                    else {resource.required[0]: value_of(resource, resource.required[0], 4)},
                )
                assert response.json()["ID"] == object_id
            case "Delete":
                response = api.delete(path)
                assert response.content == b""
                assert api.get(path).status_code == HTTPStatus.NOT_FOUND
        assert response.status_code == operation.status

    @pytest.mark.parametrize("operation", MISSABLE, ids=op_id)
    def test_not_found(self, api, operation):
        resource = operation.resource
        if operation.kind in ("List", "Create"):
            parent = resource.parents[0]
            path = path_of(operation, **{parent.param: "missing"})
            expected = (parent.object_type, "missing")
        else:
            path = path_of(operation, "missing")
            expected = (resource.name, "missing")
        body = valid_body(resource) if operation.request else None

        response = api.call(operation.method, path, body)

        assert response.status_code == HTTPStatus.NOT_FOUND
        assert response.json() == error(
            "NotFound",
            f"{expected[0]} not found: {expected[1]}",
            {"ObjectType": expected[0], "ObjectID": expected[1]},
        )

    @pytest.mark.parametrize("operation", WITH_INPUT, ids=op_id)
    def test_invalid_input(self, api, operation):
        resource = operation.resource
        create(api, resource)
        path = path_of(operation, create(api, resource, "x2", 2)["ID"])
        if operation.request is None:  # a List
            response = api.get(path, sortBy="NoSuchField")

            assert response.status_code == HTTPStatus.BAD_REQUEST
            assert response.json()["Errors"][0]["ErrorCode"] == "List.InvalidProperty"
            return
        cases = [({**valid_body(resource, 5), "NoSuchField": 1}, "NoSuchField")]
        for field in resource.fields:
            if field.read_only or field.attr is None:
                continue
            wrong = 12 if field.type in ("string", "datetime", "array") else "text"
            cases.append(({**valid_body(resource, 5), field.name: wrong}, field.name))
            if field.max_length:
                long = "x" * (field.max_length + 1)
                cases.append(({**valid_body(resource, 5), field.name: long}, field.name))
        if operation.kind != "Patch":
            for name in resource.required:
                cases.append(({**valid_body(resource, 5), name: None}, name))

        for body, field_name in cases:
            response = api.call(operation.method, path, body)

            assert response.status_code == HTTPStatus.BAD_REQUEST, (field_name, response.content)
            assert response.json()["Errors"][0]["ErrorCode"] == "ValidationFailure"
            assert response.json()["Errors"][0]["Data"]["Field"] == field_name


@pytest.mark.parametrize("operation", GUARDED, ids=op_id)
def test_refused_without_a_role(client, marketplace, operation):
    outsider = api_for(client, marketplace, ["WebhookReader"])  # a role no operation here takes

    response = outsider.call(
        operation.method, path_of(operation), {} if operation.request else None
    )

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert response.json() == error(
        "Auth.InsufficientRoles",
        "User does not have role(s) required to perform this action.",
        {"SufficientRoles": list(operation.roles)},
    )


@pytest.mark.parametrize("operation", GUARDED, ids=op_id)
def test_allowed_with_each_listed_role(client, marketplace, operation):
    user = None
    if operation.user_types == (User.Type.BUYER,):  # buyer users only
        user = factories.user(marketplace, "buyer", user_type=User.Type.BUYER, company_id="b1")
    for role in operation.roles:
        response = api_for(client, marketplace, [role], user=user).call(
            operation.method, path_of(operation), {} if operation.request else None
        )

        assert response.status_code != HTTPStatus.FORBIDDEN, (role, response.content)


@pytest.mark.parametrize("operation", WITH_BODY, ids=op_id)
def test_a_body_that_is_not_json_is_refused(api, operation):
    for raw, content_type in (
        ("{", "application/json"),
        ("[1]", "application/json"),
        ('{"a": NaN}', "application/json"),
        ("{}", "text/plain"),
        (b"\xff\xfe", "application/json"),
    ):
        response = api.call(operation.method, path_of(operation), raw, content_type=content_type)

        assert response.status_code == HTTPStatus.BAD_REQUEST, raw
        assert response.json()["Errors"][0]["ErrorCode"] == "Request.InvalidRequestBody"
