"""Run every benchmark and print its figures; `--record` also writes them to bench/README.md.

Usage: make bench   (or: .venv/bin/python bench/run.py [--record] [name ...])
"""

import os
import platform
import sys
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "console.settings")

import django  # noqa: E402

django.setup()

from bench import (  # noqa: E402
    catalog,
    me_products,
    proxy_overhead,
    sandbox_lists,
    token_grant,
    viewer,
)

BENCHMARKS = {
    "proxy_overhead": proxy_overhead.run,
    "token_grant": token_grant.run,
    "sandbox_lists": sandbox_lists.run,
    "catalog": catalog.run,
    "me_products": me_products.run,
    "viewer": viewer.run,
}
README = ROOT / "bench" / "README.md"
START, END = "<!-- results:start -->", "<!-- results:end -->"


def main(argv):
    record = "--record" in argv
    names = [a for a in argv if not a.startswith("--")] or list(BENCHMARKS)
    lines = [
        f"Last run: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, Python {platform.python_version()}, "
        f"{os.cpu_count()} cores.",
        "",
    ]
    for name in names:
        print(f"running {name} ...", flush=True)
        figures = BENCHMARKS[name]()
        lines.append(f"### {name}")
        lines.append("")
        lines.append("| figure | value |")
        lines.append("| --- | --- |")
        for key, value in figures.items():
            shown = f"{value:.2f}" if isinstance(value, float) else str(value)
            lines.append(f"| {key} | {shown} |")
            print(f"  {key:28} {shown}")
        lines.append("")
    if record:
        text = README.read_text()
        head, _, rest = text.partition(START)
        _, _, tail = rest.partition(END)
        README.write_text(f"{head}{START}\n" + "\n".join(lines) + f"\n{END}{tail}")
        print(f"recorded in {README.relative_to(ROOT)}")


if __name__ == "__main__":
    main(sys.argv[1:])
