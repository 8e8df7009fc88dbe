"""Migration 0007_integrity merges the address assignments that concurrent saves
duplicated before it, keeping the newest of each, and then adds the constraints."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("sandbox", "0006_catalog")]
AFTER = [("sandbox", "0007_integrity")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_duplicates_are_merged_into_the_newest_then_constrained():
    apps = migrate(BEFORE)
    try:
        model = apps.get_model
        account = model("sandbox", "Account").objects.create(username="dev", password="x")
        mkt = model("sandbox", "Marketplace").objects.create(oc_id="m", name="M", owner=account)
        user = model("sandbox", "User").objects.create(
            marketplace=mkt, user_type="buyer", company_id="b1", oc_id="u1", username="u1"
        )
        group = model("sandbox", "UserGroup").objects.create(
            marketplace=mkt, group_type="buyer", company_id="b1", oc_id="g1", name="G"
        )
        address = model("sandbox", "Address").objects.create(
            marketplace=mkt, owner_type="buyer", company_id="b1", oc_id="a1"
        )
        other = model("sandbox", "Address").objects.create(
            marketplace=mkt, owner_type="buyer", company_id="b1", oc_id="a2"
        )
        rows = model("sandbox", "AddressAssignment").objects
        for n in range(3):  # what 3 concurrent saves made; the last one written wins
            for target in ({"user": user}, {"user_group": group}, {}):
                rows.create(
                    marketplace=mkt, address=address, is_shipping=n == 2, is_billing=n < 2, **target
                )
        rows.create(marketplace=mkt, address=other, user=user, is_billing=True)

        apps = migrate(AFTER)

        kept = apps.get_model("sandbox", "AddressAssignment").objects
        found = [
            (row.address.oc_id, row.user_id, row.user_group_id, row.is_shipping, row.is_billing)
            for row in kept.all()
        ]
        assert sorted(found, key=str) == sorted(
            [
                ("a1", user.pk, None, True, False),
                ("a1", None, group.pk, True, False),
                ("a1", None, None, True, False),
                ("a2", user.pk, None, False, True),
            ],
            key=str,
        )
        for target in ({"user_id": user.pk}, {"user_group_id": group.pk}, {}):
            with pytest.raises(IntegrityError), transaction.atomic():
                kept.create(marketplace_id=mkt.pk, address_id=address.pk, **target)
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
