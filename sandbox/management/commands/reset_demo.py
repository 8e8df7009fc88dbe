from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from sandbox.models import Marketplace
from sandbox.seeding import generator
from sandbox.seeding.demo import MARKETPLACE_ID


class Command(BaseCommand):
    help = (
        "Put the demo marketplace back as it was seeded: delete it, with everything a demo"
        " changed in it, and seed it again. Other organizations are left alone."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--products",
            type=int,
            default=generator.PRODUCT_COUNT,
            help=f"Products in the demo catalog (default {generator.PRODUCT_COUNT:,}).",
        )

    def handle(self, *args, products=generator.PRODUCT_COUNT, **options):
        with transaction.atomic():
            deleted = Marketplace.objects.filter(oc_id=MARKETPLACE_ID).delete()[0]
            if deleted:
                self.stdout.write(f"Deleted the demo marketplace {MARKETPLACE_ID}.")
            call_command(
                "seed_sandbox", "--products", str(products), stdout=self.stdout, stderr=self.stderr
            )
