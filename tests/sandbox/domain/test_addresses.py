"""Which addresses a buyer user sees (`sandbox.domain.addresses.visible`), on models alone."""

import pytest

from sandbox.domain import addresses
from sandbox.models import Address, AddressAssignment, User, UserGroup, UserGroupAssignment
from tests.sandbox import factories


@pytest.fixture
def marketplace(db):
    return factories.marketplace("mkt")


def buyer_user(marketplace, oc_id, buyer_id="b1"):
    return factories.user(marketplace, oc_id, user_type=User.Type.BUYER, company_id=buyer_id)


def group(marketplace, oc_id, *members, buyer_id="b1"):
    created = UserGroup.objects.create(
        marketplace=marketplace, group_type=User.Type.BUYER, company_id=buyer_id, oc_id=oc_id
    )
    for user in members:
        UserGroupAssignment.objects.create(marketplace=marketplace, user_group=created, user=user)
    return created


def address(marketplace, oc_id, *, owner_type=User.Type.BUYER, buyer_id="b1", owner_user=None):
    return Address.objects.create(
        marketplace=marketplace,
        owner_type=owner_type,
        company_id=buyer_id,
        owner_user=owner_user,
        oc_id=oc_id,
    )


def assign(address, *, user=None, user_group=None, shipping=False, billing=False):
    AddressAssignment.objects.create(
        marketplace=address.marketplace,
        address=address,
        user=user,
        user_group=user_group,
        is_shipping=shipping,
        is_billing=billing,
    )


def seen(user):
    """{ID: (shipping, billing, editable)} of what `user` sees."""
    return {
        a.oc_id: (a.shipping, a.billing, a.editable)
        for a in addresses.visible(user).order_by("oc_id")
    }


def test_own_addresses_and_the_buyers_assigned_to_the_user_a_group_or_everyone(marketplace):
    alice, bob = buyer_user(marketplace, "alice"), buyer_user(marketplace, "bob")
    team = group(marketplace, "team", alice)
    group(marketplace, "others", bob)
    assign(address(marketplace, "alice-own", owner_user=alice), user=alice, shipping=True)
    address(marketplace, "bob-own", owner_user=bob)
    assign(address(marketplace, "to-alice"), user=alice, billing=True)
    assign(address(marketplace, "to-team"), user_group=team, shipping=True)
    assign(address(marketplace, "to-everyone"))
    assign(address(marketplace, "to-bob"), user=bob)
    address(marketplace, "unassigned")

    assert seen(alice) == {
        "alice-own": (True, False, True),
        "to-alice": (False, True, False),
        "to-everyone": (False, False, False),
        "to-team": (True, False, False),
    }
    assert seen(bob) == {
        "bob-own": (False, False, True),
        "to-bob": (False, False, False),
        "to-everyone": (False, False, False),
    }


def test_flags_from_every_assignment_that_applies(marketplace):
    alice = buyer_user(marketplace, "alice")
    team = group(marketplace, "team", alice)
    shared = address(marketplace, "shared")
    assign(shared, user_group=team, shipping=True)
    assign(shared, billing=True)

    assert seen(alice) == {"shared": (True, True, False)}


def test_nothing_of_another_buyer_or_marketplace_nor_admin_addresses(marketplace):
    alice = buyer_user(marketplace, "alice")
    assign(address(marketplace, "other-buyer", buyer_id="b2"))
    assign(address(marketplace, "admin", owner_type=User.Type.ADMIN, buyer_id=""))
    elsewhere = factories.marketplace("elsewhere")
    assign(address(elsewhere, "other-marketplace"))

    assert seen(alice) == {}
