"""Xp indices over the API, and the database index each one keeps for list filters."""

from http import HTTPStatus

import pytest
from django.db import connection
from django.http import QueryDict

from sandbox.api import crud, listing
from sandbox.models import User, XpIndex
from sandbox.models.xp_indexes import INDEXED, _index_sql
from sandbox.resources.users import USERS
from tests.sandbox import factories
from tests.sandbox.api import api_for, error


@pytest.fixture
def marketplace(db):
    return factories.marketplace("mkt")


@pytest.fixture
def api(client, marketplace):
    return api_for(client, marketplace)


def index_name(thing_type, key, number=0):
    model, scope = INDEXED[thing_type][number]
    return _index_sql(model, scope, key.split("."))[0]


def database_indexes(model):
    with connection.cursor() as cursor:
        return set(connection.introspection.get_constraints(cursor, model._meta.db_table))


def users_filtered(marketplace, filters):
    """The buyer users list's queryset for `filters`, as Users.List builds it."""
    users = User.objects.filter(marketplace=marketplace, user_type="buyer", company_id="b1")
    return listing.filtered(
        users,
        QueryDict(filters),
        fields=crud.list_columns(USERS),
        searchable=USERS.searchable,
    )


def test_put_list_and_delete(api):
    for body in (
        {"ThingType": "User", "Key": "tier"},
        {"ThingType": "User", "Key": "tier"},
        {"ThingType": "Order", "Key": "Region.Code"},
    ):
        assert api.put("/xpindices", body).status_code == HTTPStatus.NO_CONTENT

    listed = api.get("/xpindices", sortBy="ThingType").json()

    assert listed["Items"] == [
        {"ThingType": "Order", "Key": "Region.Code"},
        {"ThingType": "User", "Key": "tier"},
    ]
    assert api.delete("/xpindices/User/tier").status_code == HTTPStatus.NO_CONTENT
    assert api.get("/xpindices").json()["Meta"]["TotalCount"] == 1
    response = api.delete("/xpindices/User/tier")
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert response.json() == error(
        "NotFound",
        "XpIndex not found: User/tier",
        {"ObjectType": "XpIndex", "ObjectID": "User/tier"},
    )


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"ThingType": "Widget", "Key": "a"}, "ThingType"),
        ({"ThingType": "User", "Key": "a..b"}, "Key"),
        ({"ThingType": "User", "Key": "a b"}, "Key"),
        ({"ThingType": "User", "Key": "a" * 201}, "Key"),
        ({"ThingType": "User"}, "Key"),
    ],
)
def test_bad_ones_are_refused(api, body, field):
    response = api.put("/xpindices", body)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json()["Errors"][0]["Data"]["Field"] == field
    assert XpIndex.objects.count() == 0


def test_a_few_per_thing_type(api):
    for n in range(10):
        api.put("/xpindices", {"ThingType": "User", "Key": f"k{n}"})

    response = api.put("/xpindices", {"ThingType": "User", "Key": "one-more"})

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert XpIndex.objects.count() == 10
    assert index_name("User", "one-more") not in database_indexes(User)


def test_the_database_index_lives_while_a_marketplace_has_it(client, api):
    other = api_for(client, factories.marketplace("other"))
    name = index_name("User", "tier")

    api.put("/xpindices", {"ThingType": "User", "Key": "tier"})
    other.put("/xpindices", {"ThingType": "User", "Key": "tier"})

    assert name in database_indexes(User)
    api.delete("/xpindices/User/tier")
    assert name in database_indexes(User)
    other.delete("/xpindices/User/tier")
    assert name not in database_indexes(User)


def test_companies_are_buyers_and_suppliers(api):
    api.put("/xpindices", {"ThingType": "Company", "Key": "region"})

    for number, (model, _) in enumerate(INDEXED["Company"]):
        assert index_name("Company", "region", number) in database_indexes(model)


def test_an_xp_filter_reads_the_index(api, marketplace):
    api.put("/xpindices", {"ThingType": "User", "Key": "tier"})
    users = users_filtered(marketplace, "xp.tier=gold")

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # a handful of rows: make it choose
            cursor.execute("SET LOCAL enable_seqscan = off")
        plan = users.explain()

    assert index_name("User", "tier") in plan


def test_filters_on_an_indexed_path_answer_as_before(api, marketplace):
    factories.user(marketplace, "g", user_type="buyer", company_id="b1", xp={"tier": "gold"})
    factories.user(marketplace, "s", user_type="buyer", company_id="b1", xp={"tier": "silver"})
    factories.user(marketplace, "n", user_type="buyer", company_id="b1", xp={"tier": 5})
    factories.user(marketplace, "t", user_type="buyer", company_id="b1", xp={"tier": True})
    factories.user(marketplace, "a", user_type="buyer", company_id="b1", xp={"x": {"y": "z"}})
    filters = ("xp.tier=gold", "xp.tier=gold|silver", "xp.tier=5", "xp.tier=>4")
    filters += ("xp.tier=true", "xp.tier=!gold", "xp.tier=gol*", "xp.x.y=z", "xp.x.y=!*")

    def answers():
        return [
            sorted(users_filtered(marketplace, one).values_list("oc_id", flat=True))
            for one in filters
        ]

    before = answers()
    api.put("/xpindices", {"ThingType": "User", "Key": "tier"})
    api.put("/xpindices", {"ThingType": "User", "Key": "x.y"})

    assert answers() == before
    assert before[:3] == [["g"], ["g", "s"], ["n"]]
    assert (before[4], before[6], before[7]) == (["t"], ["g"], ["a"])
