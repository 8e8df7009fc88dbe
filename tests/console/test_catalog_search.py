"""Search operations: exact and prefix matches first, every term must match."""

import json

import pytest

from console.catalog import document
from console.catalog.search import search
from tests.console.synthetic_openapi import document_bytes


def op(operation_id, path, tag, summary, method="get"):
    return path, method, {"operationId": operation_id, "tags": [tag], "summary": summary}


@pytest.fixture(scope="module")
def catalog():
    paths = {}
    for path, method, raw in [
        op("Incrementors.List", "/incrementors", "Incrementors", "Get a list of incrementors."),
        op("Me.ListAddresses", "/me/addresses", "Me", "Get a list of me addresses."),
        op("Me.Get", "/me", "Me", "Get the Current Authenticated User"),
        op("Users.Create", "/buyers/{buyerID}/users", "Users", "Create a new user.", "post"),
        op("Buyers.Create", "/buyers", "Buyers", "Create a new buyer.", "post"),
        op("Buyers.List", "/buyers", "Buyers", "Get a list of buyers."),
        op("UserGroups.List", "/buyers/{buyerID}/usergroups", "User Groups", "List groups."),
        op("Orders.Submit", "/orders/{direction}/{orderID}/submit", "Orders", "Submit an order."),
    ]:
        paths.setdefault(path, {})[method] = raw
    return document.parse(json.dumps({"paths": paths}).encode())


def ids(results):
    return [op.operation_id for op in results.operations]


class TestRanking:
    def test_exact_before_prefix_before_anywhere(self, catalog):
        # Me.Get: "me" is its tag and a part of its operationId; shorter first among those.
        # Incrementors.List only has "me" inside a word.
        assert ids(search(catalog, "me")) == ["Me.Get", "Me.ListAddresses", "Incrementors.List"]

    def test_the_whole_operation_id(self, catalog):
        assert ids(search(catalog, "me.get")) == ["Me.Get"]
        assert ids(search(catalog, "ME.GET")) == ["Me.Get"]

    def test_a_prefix_of_a_name_before_a_path_segment(self, catalog):
        # Buyers.* start with "buy"; Users.Create and UserGroups.List only have /buyers/ in
        # their path.
        assert ids(search(catalog, "buy")) == [
            "Buyers.List",
            "Buyers.Create",
            "Users.Create",
            "UserGroups.List",
        ]

    def test_every_term_must_match_and_the_best_sum_wins(self, catalog):
        assert ids(search(catalog, "create buyer")) == ["Buyers.Create", "Users.Create"]

    def test_a_tag_with_spaces(self, catalog):
        assert ids(search(catalog, "user groups")) == ["UserGroups.List"]
        assert ids(search(catalog, "usergroups")) == ["UserGroups.List"]

    def test_summary_words_and_paths(self, catalog):
        assert ids(search(catalog, "authenticated")) == ["Me.Get"]
        assert ids(search(catalog, "/orders/")) == ["Orders.Submit"]
        assert ids(search(catalog, "direction")) == ["Orders.Submit"]  # a {parameter}

    def test_no_match_and_blank(self, catalog):
        assert search(catalog, "xyzzy").total == 0
        assert search(catalog, "   ").operations == ()

    def test_results_are_capped(self, catalog):
        results = search(catalog, "e", limit=2)

        assert len(results.operations) == 2
        assert results.total == 8


class TestOnAnOrderCloudSizedDocument:
    def test_answers_each_keystroke_of_a_query(self):
        # How fast is measured in bench/ (3-6 ms a search), not asserted here.
        catalog = document.parse(document_bytes())
        firsts = [
            ids(search(catalog, typed))[0] for typed in ["buyers", "buyers c", "buyers create"]
        ]

        assert firsts[-1] == "Buyers.Create"
        assert all(first.startswith("Buyers.") for first in firsts)
