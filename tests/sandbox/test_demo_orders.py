"""The demo's order history (seed_sandbox) and `manage.py reset_demo`."""

from io import StringIO

import pytest
from django.core.management import call_command

from sandbox.models import Order, Shipment, User
from sandbox.seeding import generator
from sandbox.seeding.demo import MARKETPLACE_ID
from tests.sandbox import factories
from tests.sandbox.api import Api

PRODUCTS = "60"


def seed(*command):
    out = StringIO()
    call_command(*(command or ("seed_sandbox",)), "--products", PRODUCTS, stdout=out)
    return out.getvalue()


def history():
    return [
        (o.oc_id, o.from_user_oc_id, o.status, o.total, o.line_item_count, o.date_submitted)
        for o in Order.objects.filter(marketplace__oc_id=MARKETPLACE_ID).order_by("oc_id")
    ]


def shopper(client, username):
    user = User.objects.get(marketplace__oc_id=MARKETPLACE_ID, oc_id=username)
    api_client = user.marketplace.api_clients.get(app_name=generator.STOREFRONT_APP_NAME)
    return Api(client, factories.access_token(api_client, user, ("Shopper",)))


@pytest.mark.django_db
class TestDemoOrders:
    def test_every_status_with_shipments(self):
        seed()

        statuses = set(Order.objects.values_list("status", flat=True))

        assert statuses == set(Order.Status.values)
        assert all(total > 0 for *_, total, _count, _date in history())
        completed = Order.objects.filter(status="Completed")
        assert all(o.line_items.filter(quantity_shipped__lt=1).count() == 0 for o in completed)
        assert Shipment.objects.count() == 3

    def test_the_same_on_every_run_and_kept_when_seeded_again(self):
        seed()
        first = history()
        Order.objects.filter(oc_id="DEMO-1002").update(comments="changed")

        assert "order history" not in seed()
        assert history() == first
        assert Order.objects.get(oc_id="DEMO-1002").comments == "changed"

    def test_a_shopper_sees_its_orders_and_shipments(self, client):
        seed()
        alice = shopper(client, "alice")

        orders = alice.get("/me/orders", sortBy="ID").json()["Items"]
        shipments = alice.get("/me/shipments").json()["Items"]

        assert [(o["ID"], o["Status"]) for o in orders] == [
            ("DEMO-1001", "Completed"),
            ("DEMO-1008", "Unsubmitted"),
        ]
        assert [s["ID"] for s in shipments] == ["DEMO-1001-1"]


@pytest.mark.django_db
def test_reset_demo_restores_the_seeded_state(client):
    seed()
    before = history()
    alice = shopper(client, "alice")
    assert alice.delete("/orders/Outgoing/DEMO-1008").status_code == 204
    assert alice.post("/orders/Outgoing", {"ID": "after-the-demo"}).status_code == 201

    out = seed("reset_demo")

    assert out.splitlines()[0] == f"Deleted the demo marketplace {MARKETPLACE_ID}."
    assert history() == before
    assert not Order.objects.filter(oc_id="after-the-demo").exists()
