"""manage.py add_products: generated products for benchmarks, visible to buyers."""

import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from sandbox.models import (
    CatalogAssignment,
    CategoryProductAssignment,
    Marketplace,
    PriceSchedule,
    Product,
    ProductCatalogAssignment,
)
from sandbox.seeding.demo import seed_demo, seed_demo_content
from tests.sandbox.conftest import post_token
from tests.sandbox.test_seed import visible_products

DATA = Path(__file__).parent / "data" / "marketplace.yml"


def run(*args):
    out = StringIO()
    call_command("add_products", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
class TestAddProducts:
    def test_adds_products_the_demos_buyers_see(self, client):
        seed_demo()
        seed_demo_content(products=24)
        before = {name: visible_products(client, name) for name in ("alice", "bella")}

        out = run("30")

        assert re.fullmatch(
            r"  Products: 30 of 30\nAdded 30 products to demo-marketplace in \d+\.\d s\.\n", out
        )
        marketplace = Marketplace.objects.get(oc_id="demo-marketplace")
        added = Product.objects.filter(marketplace=marketplace).order_by("oc_id")
        assert added.count() == 54
        new = added.exclude(oc_id__in=[*before["alice"], *before["bella"]])
        assert new.count() == 30
        for product in new:
            assert PriceSchedule.objects.filter(
                marketplace=marketplace, oc_id=product.default_price_schedule_id
            ).exists()
            assert ProductCatalogAssignment.objects.filter(product=product).count() == 1
            assert CategoryProductAssignment.objects.filter(product=product).count() == 1
        after = {name: visible_products(client, name) for name in ("alice", "bella")}
        assert len(after["alice"] - before["alice"]) + len(after["bella"] - before["bella"]) == 30

    def test_numbers_go_on_from_the_last_product(self):
        seed_demo()
        seed_demo_content(products=24)

        run("5")
        run("5")

        numbers = sorted(
            int(product_id.rsplit("-", 1)[1])
            for product_id in Product.objects.values_list("oc_id", flat=True)
        )
        assert numbers == list(range(1, 35))

    def test_another_organization_gets_the_catalogs_for_its_buyers(self, client):
        seed_demo()
        call_command("import_marketplace", str(DATA), stdout=StringIO())
        marketplace = Marketplace.objects.exclude(oc_id="demo-marketplace").get()

        out = run("12", "--organization", marketplace.oc_id)

        assert out.splitlines()[-1].startswith(f"Added 12 products to {marketplace.oc_id} in ")
        assignments = CatalogAssignment.objects.filter(
            marketplace=marketplace, catalog__oc_id__in=["apparel-outdoor", "office-home"]
        )
        assert sorted((a.catalog.oc_id, a.buyer.oc_id) for a in assignments) == [
            ("apparel-outdoor", "acme"),
            ("apparel-outdoor", "globex"),
            ("office-home", "acme"),
            ("office-home", "globex"),
        ]
        token = post_token(
            client,
            grant_type="password",
            client_id="0E6C7B5A-1F3D-4B8E-9C2A-7D4E5F6A7B8C",
            username="amy",
            password="amy-password-1",
        ).json()["access_token"]
        products = client.get(
            "/sandbox/v1/me/products",
            {"catalogID": "apparel-outdoor", "pageSize": 100},
            headers={"Authorization": f"Bearer {token}"},
        ).json()
        assert products["Meta"]["TotalCount"] == 12  # the first 12 leaves are apparel

    def test_refusals(self):
        seed_demo()

        with pytest.raises(CommandError, match="No organization 'nope'"):
            run("3", "--organization", "nope")
        with pytest.raises(CommandError, match="Give a number of products above 0"):
            run("0")
