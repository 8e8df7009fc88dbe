from django.conf import settings
from django.core.management.base import BaseCommand

from sandbox.seeding.demo import DEMO_ROLES, seed_demo


class Command(BaseCommand):
    help = "Create the embedded sandbox's demo marketplace where it is missing."

    def add_arguments(self, parser):
        parser.add_argument(
            "--print-credentials",
            action="store_true",
            help="Print only what to sign in with (client ID, username, password, roles).",
        )

    def handle(self, *args, print_credentials=False, **options):
        report = seed_demo()
        if print_credentials:
            self.print_credentials()
            return
        if not report.created and not report.updated:
            self.stdout.write("Sandbox demo already seeded; nothing changed.")
            return
        for what in report.created:
            self.stdout.write(f"Created {what}")
        for what in report.updated:
            self.stdout.write(f"Updated {what}")

    def print_credentials(self):
        self.stdout.write(f"  Client ID:  {settings.SANDBOX_CLIENT_ID}")
        self.stdout.write(f"  Username:   {settings.SANDBOX_USERNAME}")
        self.stdout.write(f"  Password:   {settings.SANDBOX_PASSWORD}")
        self.stdout.write(f"  Roles:      {DEMO_ROLES}")
