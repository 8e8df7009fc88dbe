"""Every "one per" row under a constraint: address assignments had none (concurrent saves
could make several rows, after which every save failed), so the duplicates are merged
into the newest one first. Users get the end of their PasswordConfig lockout."""

from django.db import migrations, models
from django.db.models import Max


def keep_newest_address_assignment(apps, schema_editor):
    """One row per (address, user, user group): the last written (highest key) stays."""
    rows = apps.get_model("sandbox", "AddressAssignment").objects
    duplicates = (
        rows.values("address_id", "user_id", "user_group_id")
        .annotate(newest=Max("pk"), count=models.Count("pk"))
        .filter(count__gt=1)
    )
    for group in duplicates:
        rows.filter(
            address_id=group["address_id"],
            user_id=group["user_id"],
            user_group_id=group["user_group_id"],
        ).exclude(pk=group["newest"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("sandbox", "0006_catalog"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="locked_until",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(keep_newest_address_assignment, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="addressassignment",
            constraint=models.UniqueConstraint(
                condition=models.Q(("user__isnull", False)),
                fields=("address", "user"),
                name="sandbox_address_assignment_user_once",
            ),
        ),
        migrations.AddConstraint(
            model_name="addressassignment",
            constraint=models.UniqueConstraint(
                condition=models.Q(("user_group__isnull", False)),
                fields=("address", "user_group"),
                name="sandbox_address_assignment_group_once",
            ),
        ),
        migrations.AddConstraint(
            model_name="addressassignment",
            constraint=models.UniqueConstraint(
                condition=models.Q(("user__isnull", True), ("user_group__isnull", True)),
                fields=("address",),
                name="sandbox_address_assignment_buyer_once",
            ),
        ),
    ]
