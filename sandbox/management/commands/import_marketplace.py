from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from sandbox.models import Account
from sandbox.seeding import seedfile
from sandbox.seeding.organization import import_marketplace

# Long kinds report their progress every this many records.
PROGRESS_STEP = 500


class Command(BaseCommand):
    help = (
        "Load a marketplace in OrderCloud's seeding format (YAML) into a new seller"
        " organization of the embedded sandbox."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The YAML file (@ordercloud/seeding format).")
        parser.add_argument(
            "--owner",
            help="Username of the developer account that owns the new organization"
            " (default: the demo account, SANDBOX_USERNAME).",
        )
        parser.add_argument("--name", help="The organization's name (default: the file's).")

    def handle(self, *args, file, owner=None, name=None, **options):
        username = owner or settings.SANDBOX_USERNAME
        account = Account.objects.filter(username=username).first()
        if account is None:
            hint = "" if owner else " (run `manage.py seed_sandbox` first, or give --owner)"
            raise CommandError(f"No developer account {username!r}{hint}.")
        path = Path(file)
        try:
            text = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from None
        try:
            sections = seedfile.read(text)
        except seedfile.FormatError as error:
            raise CommandError(f"{file} is {error}. Nothing was loaded.") from None
        self.stdout.write(f"Loading {file} into a new organization owned by {username}...")
        imported = import_marketplace(sections, account, name or path.stem, progress=self.progress)
        self.summarize(imported)

    def progress(self, name: str, done: int, total: int):
        if done and (done == total or done % PROGRESS_STEP == 0):
            self.stdout.write(f"  {name}: {done:,} of {total:,}")

    def summarize(self, imported):
        report, marketplace = imported.report, imported.marketplace
        for name, count in report.existing.items():
            self.stdout.write(f"  {name}: {count:,} found there already")
        if report.not_in_sandbox:
            names = ", ".join(
                f"{name} ({count:,})" for name, count in report.not_in_sandbox.items()
            )
            self.stdout.write(f"Not loaded, the sandbox does not have these resources yet: {names}")
        if report.unknown:
            names = ", ".join(f"{name} ({count:,})" for name, count in report.unknown.items())
            self.stdout.write(f"Not loaded, not names of the seeding format: {names}")
        for note in report.notes:
            self.stdout.write(note)
        for what in imported.added:
            self.stdout.write(f"Added {what}.")
        if report.failures:
            self.stderr.write(f"Could not load {len(report.failures):,} records:")
            for failure in report.failures:
                self.stderr.write(f"  {failure}")
        self.stdout.write(f"Organization ID: {marketplace.oc_id} ({marketplace.name})")
        self.stdout.write(
            f"Sign in with DevCenterImpersonate: username {marketplace.owner.username}, the"
            " account's password, roles DevCenterImpersonate FullAccess, on an API client"
            " marked * (with its client secret when it has one)"
        )
        self.stdout.write("API clients:")
        for client in imported.clients:
            mark = "*" if client.active and client.allow_seller else " "
            secret = " (has a client secret)" if client.client_secret else ""
            self.stdout.write(f"  {mark} {client.app_name}: {client.oc_id}{secret}")
        if report.failures:
            raise CommandError(
                f"{len(report.failures):,} records could not be loaded (listed above);"
                " the organization holds the rest."
            )
