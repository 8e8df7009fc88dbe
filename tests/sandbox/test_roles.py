import pytest

from sandbox.api.spec import API_ROLES
from sandbox.auth.roles import available_roles, granted_roles, has_role, parse_scope
from sandbox.models import User
from tests.sandbox import factories


@pytest.mark.parametrize(
    ("scope", "parsed"),
    [
        (None, None),
        ("", None),
        ("  \t ", None),
        ("FullAccess", ["FullAccess"]),
        (" MeAdmin  Shopper MeAdmin\tCanFly ", ["MeAdmin", "Shopper", "CanFly"]),
    ],
)
def test_parse_scope(scope, parsed):
    assert parse_scope(scope) == parsed


class TestGrantedRoles:
    def test_no_request_means_everything_available(self):
        assert granted_roles(None, ["Shopper", "CanFly"]) == ["Shopper", "CanFly"]

    def test_requested_and_available(self):
        assert granted_roles(["MeAdmin", "Shopper"], ["Shopper", "OrderReader"]) == ["Shopper"]

    def test_full_access_implies_api_roles_only(self):
        granted = granted_roles(["OrderAdmin", "CanFly", "Nonsense"], ["FullAccess"])

        assert granted == ["OrderAdmin"]

    def test_dev_center_impersonate_only_when_impersonating(self):
        requested = ["DevCenterImpersonate", "FullAccess"]

        assert granted_roles(requested, ["FullAccess"]) == ["FullAccess"]
        assert granted_roles(requested, ["FullAccess"], impersonating=True) == requested
        assert granted_roles(requested, ["DevCenterImpersonate"]) == []

    def test_full_access_is_in_the_api_roles(self):
        assert "FullAccess" in API_ROLES and "DevCenterImpersonate" not in API_ROLES


class TestHasRole:
    def test_no_roles_needed(self):
        assert has_role((), [])

    def test_one_of_the_allowed(self):
        assert has_role(("Shopper",), ["MeAdmin", "Shopper"])
        assert not has_role(("Shopper",), ["MeAdmin"])

    def test_full_access_satisfies_api_roles_not_custom_ones(self):
        assert has_role(("FullAccess",), ["ProductAdmin"])
        assert not has_role(("FullAccess",), ["CanFly"])


@pytest.mark.django_db
class TestAvailableRoles:
    def test_levels(self):
        marketplace = factories.marketplace("m")
        admin = factories.user(marketplace, "admin")
        buyer = factories.user(marketplace, "bert", user_type=User.Type.BUYER, company_id="b1")
        supplier = factories.user(marketplace, "sue", user_type=User.Type.SUPPLIER, company_id="s1")
        factories.profile(marketplace, "a-market", ["OrderAdmin"])
        factories.profile(marketplace, "b-buyer", ["Shopper"], ["CanBuy"], buyer_id="b1")
        factories.profile(
            marketplace, "c-bert", ["MeAdmin", "Shopper"], buyer_id="b1", user_id="bert"
        )
        factories.profile(marketplace, "d-other-buyer", ["BuyerAdmin"], buyer_id="b2")
        factories.profile(marketplace, "e-supplier", ["SupplierReader"], supplier_id="s1")
        factories.profile(marketplace, "f-admin", ["ProductAdmin"], user_id="admin")
        factories.profile(marketplace, "g-group", ["CatalogAdmin"], user_group_id="g")

        assert available_roles(admin) == ["OrderAdmin", "ProductAdmin"]
        assert available_roles(buyer) == ["Shopper", "MeAdmin", "CanBuy"]
        assert available_roles(supplier) == ["SupplierReader"]

    def test_a_custom_role_named_like_a_role_is_listed_once(self):
        marketplace = factories.marketplace("m")
        admin = factories.user(marketplace, "admin")
        factories.profile(marketplace, "p", ["MeAdmin"], ["MeAdmin", "CanFly"])

        assert available_roles(admin) == ["MeAdmin", "CanFly"]
