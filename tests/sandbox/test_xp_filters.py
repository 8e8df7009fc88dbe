"""xp filters over values of every JSON type give the same answers on SQLite and on
PostgreSQL: a number compares with numbers, anything else with strings; wildcards match
strings; null and missing values match no comparison; `!` is the exact complement."""

import pytest

from sandbox.models import Buyer
from tests.sandbox import factories
from tests.sandbox.api import api_for

SCORES = {
    "n10": 10,
    "n5": 5,
    "f25": 2.5,
    "s7": "7",
    "sabc": "abc",
    "sB": "B",
    "t": True,
    "f": False,
    "nul": None,
    "obj": {"a": 1},
    "arr": [1],
}
EVERYONE = sorted([*SCORES, "missing"])


def everyone_but(*ids):
    return [one for one in EVERYONE if one not in ids]


@pytest.fixture(params=["no index", "indexed"])
def api(request, client, db):
    marketplace = factories.marketplace("mkt")
    Buyer.objects.create(marketplace=marketplace, oc_id="b1", name="Buyer")
    for oc_id, score in SCORES.items():
        factories.user(marketplace, oc_id, user_type="buyer", company_id="b1", xp={"score": score})
    factories.user(marketplace, "missing", user_type="buyer", company_id="b1", xp={"x": 1})
    api = api_for(client, marketplace)
    if request.param == "indexed":
        assert api.put("/xpindices", {"ThingType": "User", "Key": "score"}).status_code == 204
    return api


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # comparisons with a number: numbers only (not "7", not true, not null)
        (">5", ["n10"]),
        (">=5", ["n10", "n5"]),
        ("<5", ["f25"]),
        ("<=2.5", ["f25"]),
        (">6", ["n10"]),
        # comparisons with anything else: strings only, byte order ("7" < "B" < "a")
        (">a", ["sabc"]),
        ("<a", ["s7", "sB"]),
        (">=B", ["sB", "sabc"]),
        # equality: the string it spells, the number, the boolean
        ("5", ["n5"]),
        ("2.5", ["f25"]),
        ("7", ["s7"]),
        ("abc", ["sabc"]),
        ("ABC", []),
        ("true", ["t"]),
        ("false", ["f"]),
        ("null", []),
        ("5|abc", ["n5", "sabc"]),
        # wildcards: strings only, case-insensitive
        ("a*", ["sabc"]),
        ("*B*", ["sB", "sabc"]),
        ("1*", []),
        ("7*", ["s7"]),
        # present / absent (null counts as absent)
        ("*", everyone_but("missing", "nul")),
        ("!*", ["missing", "nul"]),
        # negation: the complement, missing and null included
        ("!>5", everyone_but("n10")),
        ("!5", everyone_but("n5")),
        ("!a*", everyone_but("sabc")),
    ],
)
def test_xp_filter(api, value, expected):
    response = api.get("/buyers/b1/users", **{"xp.score": value, "pageSize": "100"})

    assert response.status_code == 200
    assert sorted(item["ID"] for item in response.json()["Items"]) == sorted(expected)


def test_repeated_comparisons_make_a_numeric_range(api):
    response = api.client.get(
        "/sandbox/v1/buyers/b1/users?xp.score=>2&xp.score=<10",
        headers={"Authorization": f"Bearer {api.token}"},
    )

    assert sorted(item["ID"] for item in response.json()["Items"]) == ["f25", "n5"]
