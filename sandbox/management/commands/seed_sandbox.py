import time

from django.conf import settings
from django.core.management.base import BaseCommand

from sandbox.models import Marketplace
from sandbox.seeding import generator
from sandbox.seeding.demo import (
    DEMO_ROLES,
    MARKETPLACE_ID,
    seed_demo,
    seed_demo_content,
    storefront_client,
)
from sandbox.seeding.demo_orders import seed_demo_orders
from sandbox.seeding.lock import one_seeder_at_a_time


class Command(BaseCommand):
    help = "Create the embedded sandbox's demo marketplace where it is missing."

    def add_arguments(self, parser):
        parser.add_argument(
            "--print-credentials",
            action="store_true",
            help="Print only what to sign in with (client ID, username, password, roles).",
        )
        parser.add_argument(
            "--products",
            type=int,
            default=generator.PRODUCT_COUNT,
            help=f"Products in the demo catalog (default {generator.PRODUCT_COUNT:,}).",
        )

    def handle(self, *args, **options):
        # Instances started together seed one after the other (the later ones find it done).
        with one_seeder_at_a_time():
            self.seed(**options)

    def seed(self, *, print_credentials=False, products=generator.PRODUCT_COUNT, **options):
        report = seed_demo()
        if print_credentials:
            self.print_credentials()
            return
        started = time.monotonic()
        content = seed_demo_content(products=products)
        seconds = time.monotonic() - started
        for what in report.created:
            self.stdout.write(f"Created {what}")
        for what in report.updated:
            self.stdout.write(f"Updated {what}")
        if content.loaded:
            loaded = ", ".join(f"{name} {count:,}" for name, count in content.loaded.items())
            self.stdout.write(f"Loaded the demo's buyers and catalog in {seconds:.1f} s: {loaded}")
            if content.not_in_sandbox:
                names = ", ".join(content.not_in_sandbox)
                self.stdout.write(
                    f"Not in the demo, as the sandbox does not have them yet: {names}"
                )
        for failure in content.failures:
            self.stderr.write(f"Could not load {failure}")
        orders = seed_demo_orders(Marketplace.objects.get(oc_id=MARKETPLACE_ID))
        if orders:
            self.stdout.write(f"Added the demo's order history: {len(orders)} orders")
        if not report.created and not report.updated and not content.loaded and not orders:
            self.stdout.write("Sandbox demo already seeded; nothing changed.")

    def print_credentials(self):
        self.stdout.write(f"  Client ID:  {settings.SANDBOX_CLIENT_ID}")
        self.stdout.write(f"  Username:   {settings.SANDBOX_USERNAME}")
        self.stdout.write(f"  Password:   {settings.SANDBOX_PASSWORD}")
        self.stdout.write(f"  Roles:      {DEMO_ROLES}")
        client = storefront_client()
        if client is None:
            return
        self.stdout.write("")
        self.stdout.write(f"  Shoppers (buyer users) sign in on {client.app_name}:")
        self.stdout.write(f"  Client ID:  {client.oc_id}")
        users = ", ".join(username for _, username, *_ in generator.USERS)
        self.stdout.write(f"  Usernames:  {users}")
        self.stdout.write(f"  Password:   {generator.SHOPPER_PASSWORD}")
        self.stdout.write(f"  Roles:      {' '.join(generator.SHOPPER_ROLES)}")
