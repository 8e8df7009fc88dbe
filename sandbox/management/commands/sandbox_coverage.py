from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from sandbox import coverage

DEFAULT_OUTPUT = Path(settings.BASE_DIR) / "docs" / "sandbox-coverage.md"


class Command(BaseCommand):
    help = "Write docs/sandbox-coverage.md: every OrderCloud operation, implemented or not."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", type=Path, default=DEFAULT_OUTPUT, help="Where to write the page."
        )

    def handle(self, *args, output: Path, **options):
        output.write_text(coverage.markdown(), encoding="utf-8")
        data = coverage.coverage()
        self.stdout.write(
            f"Wrote {output}: {data.implemented} of {data.total} OrderCloud operations implemented."
        )
