from django.conf import settings
from django.core.management.base import BaseCommand

from sandbox.models import Account
from sandbox.passwords import check_password
from sandbox.seed import DEMO_ROLES, seed_demo


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
        if not report.created:
            self.stdout.write("Sandbox demo already seeded; nothing changed.")
            return
        for what in report.created:
            self.stdout.write(f"Created {what}")

    def print_credentials(self):
        password = settings.SANDBOX_PASSWORD
        account = Account.objects.get(username=settings.SANDBOX_USERNAME)
        # Seeding never resets a password, so SANDBOX_PASSWORD may have changed since.
        if not check_password(password, account.password):
            password = "(the one it was first seeded with, not SANDBOX_PASSWORD)"
        self.stdout.write(f"  Client ID:  {settings.SANDBOX_CLIENT_ID}")
        self.stdout.write(f"  Username:   {settings.SANDBOX_USERNAME}")
        self.stdout.write(f"  Password:   {password}")
        self.stdout.write(f"  Roles:      {DEMO_ROLES}")
