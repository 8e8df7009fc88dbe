import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from sandbox.models import Marketplace
from sandbox.seeding import generator
from sandbox.seeding.calls import operation
from sandbox.seeding.demo import MARKETPLACE_ID
from sandbox.seeding.importer import load

PROGRESS_STEP = 1000


class Command(BaseCommand):
    help = (
        "Add N generated products, with price schedules and catalog and category"
        " assignments (for benchmarks), to the demo marketplace or another organization."
    )

    def add_arguments(self, parser):
        parser.add_argument("count", type=int, help="How many products to add.")
        parser.add_argument(
            "--organization",
            default=MARKETPLACE_ID,
            help=f"The organization's ID (default: {MARKETPLACE_ID}).",
        )

    def handle(self, *args, count, organization, **options):
        if count < 1:
            raise CommandError("Give a number of products above 0.")
        marketplace = Marketplace.objects.filter(oc_id=organization).first()
        if marketplace is None:
            raise CommandError(f"No organization {organization!r}.")
        products = operation("Products.Create")
        if products is None:
            raise CommandError("The sandbox does not have products yet.")
        numbers = (
            generator.product_number(product_id)
            for product_id in products.resource.model.objects.filter(
                marketplace=marketplace
            ).values_list("oc_id", flat=True)
        )
        start = max((number for number in numbers if number is not None), default=0)
        buyers = marketplace.buyers.values_list("oc_id", flat=True)
        sections = generator.added_products(count, start=start, buyers=list(buyers))
        started = time.monotonic()
        with transaction.atomic():
            report = load(sections, marketplace, progress=self.progress, only_missing=True)
        for failure in report.failures:
            self.stderr.write(f"Could not load {failure}")
        added = report.loaded.get("Products", 0)
        self.stdout.write(
            f"Added {added:,} products to {organization} in {time.monotonic() - started:.1f} s."
        )

    def progress(self, name: str, done: int, total: int):
        if name == "Products" and done and (done == total or done % PROGRESS_STEP == 0):
            self.stdout.write(f"  Products: {done:,} of {total:,}")
