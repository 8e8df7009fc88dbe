"""What a buyer user sees of the catalog (`sandbox.domain.visibility`), on models alone."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sandbox.domain import visibility
from tests.sandbox import catalog_factories as make
from tests.sandbox import factories


@pytest.fixture
def marketplace(db):
    return factories.marketplace("mkt")


@pytest.fixture
def shop(marketplace):
    """Buyer b1 with users alice (in group vip) and bob, buyer b2 with carol; an active
    catalog given to b1 (no view-all settings)."""
    b1, b2 = make.buyer(marketplace, "b1"), make.buyer(marketplace, "b2")
    alice = make.buyer_user(marketplace, "alice")
    bob = make.buyer_user(marketplace, "bob")
    carol = make.buyer_user(marketplace, "carol", buyer_id="b2")
    vip = make.group(marketplace, "vip", alice)
    catalog = make.catalog(marketplace, "cat")
    assignment = make.give_catalog(catalog, b1)
    return locals()


def products_seen(user, catalogs=None):
    """What the user sees, the same as sets and row by row."""
    as_sets, per_row = (
        sorted(
            visibility.visible_products(user, catalogs, per_row=per_row).values_list(
                "oc_id", flat=True
            )
        )
        for per_row in (False, True)
    )
    assert as_sets == per_row
    return as_sets


def categories_seen(user):
    return sorted(visibility.visible_categories(user).values_list("oc_id", flat=True))


class TestThroughTheCatalog:
    def test_view_all_products_shows_every_active_product_in_the_catalog(self, marketplace, shop):
        shop["assignment"].view_all_products = True
        shop["assignment"].save()
        make.product(marketplace, "in", shop["catalog"])
        make.product(marketplace, "inactive", shop["catalog"], active=False)
        make.product(marketplace, "elsewhere")

        assert products_seen(shop["alice"]) == ["in"]
        assert products_seen(shop["bob"]) == ["in"]
        assert products_seen(shop["carol"]) == []

    def test_an_inactive_or_unassigned_catalog_shows_nothing(self, marketplace, shop):
        shop["assignment"].view_all_products = True
        shop["assignment"].save()
        make.product(marketplace, "p", shop["catalog"])
        other = make.catalog(marketplace, "other")
        make.give_catalog(other, shop["b2"], products=True)
        make.product(marketplace, "q", other)

        shop["catalog"].active = False
        shop["catalog"].save()

        assert products_seen(shop["alice"]) == []
        assert products_seen(shop["carol"]) == ["q"]

    def test_without_view_all_products_a_product_in_the_catalog_is_not_enough(
        self, marketplace, shop
    ):
        make.product(marketplace, "p", shop["catalog"])

        assert products_seen(shop["alice"]) == []


class TestThroughProductAssignments:
    def test_to_the_buyer_or_one_of_the_users_groups(self, marketplace, shop):
        for_buyer = make.product(marketplace, "for-buyer", shop["catalog"])
        for_vip = make.product(marketplace, "for-vip", shop["catalog"])
        make.give_product(for_buyer, shop["b1"])
        make.give_product(for_vip, shop["b1"], shop["vip"])

        assert products_seen(shop["alice"]) == ["for-buyer", "for-vip"]
        assert products_seen(shop["bob"]) == ["for-buyer"]
        assert products_seen(shop["carol"]) == []

    def test_needs_the_product_in_a_catalog_of_the_buyer(self, marketplace, shop):
        floating = make.product(marketplace, "floating")
        make.give_product(floating, shop["b1"])

        assert products_seen(shop["alice"]) == []

    def test_a_catalog_filter_keeps_the_products_in_it(self, marketplace, shop):
        second = make.catalog(marketplace, "second")
        make.give_catalog(second, shop["b1"], products=True)
        first_only = make.product(marketplace, "first-only", shop["catalog"])
        make.give_product(first_only, shop["b1"])
        make.product(marketplace, "second-only", second)

        seen = products_seen(shop["alice"])
        in_first = products_seen(
            shop["alice"], visibility.visible_catalogs(shop["alice"]).filter(oc_id="cat")
        )

        assert seen == ["first-only", "second-only"]
        assert in_first == ["first-only"]


class TestThroughCategories:
    def test_a_category_assignment_with_view_all_products(self, marketplace, shop):
        shoes = make.category(shop["catalog"], "shoes")
        make.put_in(shoes, make.product(marketplace, "boot"))
        make.give_category(shoes, shop["b1"], products=True)

        assert products_seen(shop["alice"]) == ["boot"]
        assert products_seen(shop["carol"]) == []

    def test_to_a_group_only_its_members(self, marketplace, shop):
        shoes = make.category(shop["catalog"], "shoes")
        make.put_in(shoes, make.product(marketplace, "boot"))
        make.give_category(shoes, shop["b1"], shop["vip"], products=True)

        assert products_seen(shop["alice"]) == ["boot"]
        assert products_seen(shop["bob"]) == []

    def test_subcategories_inherit_the_nearest_setting_up_the_tree(self, marketplace, shop):
        top = make.category(shop["catalog"], "top")
        middle = make.category(shop["catalog"], "middle", top)
        bottom = make.category(shop["catalog"], "bottom", middle)
        make.put_in(top, make.product(marketplace, "p-top"))
        make.put_in(middle, make.product(marketplace, "p-middle"))
        make.put_in(bottom, make.product(marketplace, "p-bottom"))
        make.give_category(top, shop["b1"], products=True)
        make.give_category(middle, shop["b1"], products=False)

        assert products_seen(shop["alice"]) == ["p-top"]

        make.give_category(bottom, shop["b1"], shop["vip"], products=True)

        assert products_seen(shop["alice"]) == ["p-bottom", "p-top"]
        assert products_seen(shop["bob"]) == ["p-top"]

    def test_a_null_setting_inherits_and_the_catalog_is_the_last_resort(self, marketplace, shop):
        top = make.category(shop["catalog"], "top")
        make.put_in(top, make.product(marketplace, "p"))
        make.give_category(top, shop["b1"], visible=True, products=None)

        assert products_seen(shop["alice"]) == []

        shop["assignment"].view_all_products = True
        shop["assignment"].save()

        assert products_seen(shop["alice"]) == ["p"]

    def test_an_inactive_category_hides_its_whole_subtree(self, marketplace, shop):
        top = make.category(shop["catalog"], "top", active=False)
        child = make.category(shop["catalog"], "child", top)
        make.put_in(child, make.product(marketplace, "p"))
        make.give_category(child, shop["b1"], products=True)

        assert products_seen(shop["alice"]) == []

    def test_true_wins_between_the_buyers_and_a_groups_at_one_category(self, marketplace, shop):
        shoes = make.category(shop["catalog"], "shoes")
        make.put_in(shoes, make.product(marketplace, "boot"))
        make.give_category(shoes, shop["b1"], products=False)
        make.give_category(shoes, shop["b1"], shop["vip"], products=True)

        assert products_seen(shop["alice"]) == ["boot"]
        assert products_seen(shop["bob"]) == []

    def test_a_category_of_an_unassigned_catalog_shows_nothing(self, marketplace, shop):
        other = make.catalog(marketplace, "other")
        shoes = make.category(other, "shoes")
        make.put_in(shoes, make.product(marketplace, "boot"))
        make.give_category(shoes, shop["b1"], products=True)

        assert products_seen(shop["alice"]) == []


class TestCategories:
    def test_view_all_categories_shows_the_active_ones(self, marketplace, shop):
        shop["assignment"].view_all_categories = True
        shop["assignment"].save()
        top = make.category(shop["catalog"], "top")
        make.category(shop["catalog"], "child", top)
        hidden = make.category(shop["catalog"], "hidden", active=False)
        make.category(shop["catalog"], "under-hidden", hidden)

        assert categories_seen(shop["alice"]) == ["child", "top"]
        assert categories_seen(shop["carol"]) == []

    def test_a_category_assignment_overrides_the_catalog_for_its_subtree(self, marketplace, shop):
        shop["assignment"].view_all_categories = True
        shop["assignment"].save()
        make.category(shop["catalog"], "top")
        secret = make.category(shop["catalog"], "secret")
        make.category(shop["catalog"], "secret-child", secret)
        make.give_category(secret, shop["b1"], visible=False)
        make.give_category(secret, shop["b1"], shop["vip"], visible=True)

        assert categories_seen(shop["alice"]) == ["secret", "secret-child", "top"]
        assert categories_seen(shop["bob"]) == ["top"]

    def test_without_view_all_categories_only_assigned_subtrees(self, marketplace, shop):
        top = make.category(shop["catalog"], "top")
        make.category(shop["catalog"], "child", top)
        make.category(shop["catalog"], "other")
        make.give_category(top, shop["b1"], visible=True)

        assert categories_seen(shop["alice"]) == ["child", "top"]


def test_the_rules_run_in_the_database_in_a_few_queries(marketplace, shop):
    """The catalogs and categories the rules start from, then the products: the same
    queries for 3 products as for 30."""
    shoes = make.category(shop["catalog"], "shoes")
    make.give_category(shoes, shop["b1"], products=True)

    def queries_for(count):
        for n in range(count):
            make.put_in(shoes, make.product(marketplace, f"p{count}-{n:02}"))
        with CaptureQueriesContext(connection) as queries:
            seen = visibility.visible_products(shop["alice"]).count()
        return seen, len(queries.captured_queries)

    few, many = queries_for(3), queries_for(27)

    assert (few[0], many[0]) == (3, 30)
    assert few[1] == many[1] == 4
