from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sandbox.models import Marketplace
from sandbox.seeding import seedfile
from sandbox.seeding.exporter import export


class Command(BaseCommand):
    help = "Write a seller organization of the embedded sandbox in OrderCloud's seeding format."

    def add_arguments(self, parser):
        parser.add_argument("organization_id", help="The organization's (marketplace's) ID.")
        parser.add_argument("file", help="The YAML file to write; - for standard output.")

    def handle(self, *args, organization_id, file, **options):
        marketplace = Marketplace.objects.filter(oc_id=organization_id).first()
        if marketplace is None:
            raise CommandError(f"No organization {organization_id!r}.")
        counts = []
        sections = export(marketplace, progress=lambda name, count: counts.append((name, count)))
        text = seedfile.write(sections)
        if file == "-":
            self.stdout.write(text, ending="")
            return
        try:
            Path(file).write_text(text, encoding="utf-8")
        except OSError as error:
            raise CommandError(f"Cannot write {file}: {error.strerror}.") from None
        written = ", ".join(f"{name} {count:,}" for name, count in counts if count)
        self.stdout.write(f"Wrote {organization_id} to {file}: {written}")
