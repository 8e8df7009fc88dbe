"""A small shop for the order tests: buyer b1 with users alice and bob (Shopper), buyer b2
with carol; catalog c1 given to b1 with every product; products tee ($10, $8 from 10,
on sale at $9 from 1 while the sale runs), mug ($5, inventory of 3) and hidden (in no
catalog); supplier s1 sells widget (DefaultSupplierID s1, $2)."""

from dataclasses import dataclass

from sandbox.models import Address, Marketplace, Supplier, User
from tests.sandbox import catalog_factories as cf
from tests.sandbox import factories
from tests.sandbox.api import Api, api_for


@dataclass
class Shop:
    marketplace: Marketplace
    admin: Api
    alice: Api
    bob: Api
    carol: Api
    alice_user: User


def shop(client) -> Shop:
    marketplace = factories.marketplace("mkt")
    b1, b2 = cf.buyer(marketplace, "b1"), cf.buyer(marketplace, "b2")
    catalog = cf.catalog(marketplace, "c1")
    cf.give_catalog(catalog, b1, products=True)
    cf.give_catalog(catalog, b2, products=True)
    tee = cf.schedule(marketplace, "tee-price", (1, 10), (10, 8))
    mug = cf.schedule(marketplace, "mug-price", (1, 5))
    widget = cf.schedule(marketplace, "widget-price", (1, 2))
    cf.product(marketplace, "tee", catalog, default_schedule=tee)
    cf.product(
        marketplace,
        "mug",
        catalog,
        default_schedule=mug,
        inventory={"Enabled": True, "QuantityAvailable": 3, "OrderCanExceed": False},
    )
    cf.product(marketplace, "hidden", default_schedule=mug)
    Supplier.objects.create(marketplace=marketplace, oc_id="s1", name="S1", active=True)
    cf.product(marketplace, "widget", catalog, default_schedule=widget, default_supplier_id="s1")
    alice = cf.buyer_user(marketplace, "alice", "b1")
    bob = cf.buyer_user(marketplace, "bob", "b1")
    carol = cf.buyer_user(marketplace, "carol", "b2")
    Address.objects.create(
        marketplace=marketplace,
        owner_type=User.Type.BUYER,
        company_id="b1",
        oc_id="hq",
        street1="1 Main St",
        city="Minneapolis",
        state="MN",
        zip="55401",
        country="US",
    )
    shopper = factories.api_client(marketplace, "shop-client")
    return Shop(
        marketplace,
        api_for(client, marketplace),
        api_for(client, marketplace, ("Shopper",), user=alice, api_client=shopper),
        api_for(client, marketplace, ("Shopper",), user=bob, api_client=shopper),
        api_for(client, marketplace, ("Shopper",), user=carol, api_client=shopper),
        alice,
    )
