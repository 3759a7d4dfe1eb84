"""`make bench`: measure the provider and end-to-end previews; print and write the table.

    .venv/bin/python -m bench [--runs 5] [--preview-runs 3] [--out .tools/bench/results.md]

Figures are medians of several runs with their min and max. Rows that need the Pulumi
CLI and fakecloud (the test double standing in for the cloud provider plugins) say
`NOT RUN: <reason>` when those are missing: they are never reported as measured.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import sys
from pathlib import Path

from bench.engine import ROOT
from bench.preview_rows import preview_rows
from bench.provider_rows import provider_rows
from bench.table import Row, render


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs of each provider-level measure (default 5)")
    parser.add_argument("--preview-runs", type=int, default=3, help="runs of each pulumi preview (default 3)")
    parser.add_argument("--releases", type=int, default=50, help="releases of the memory and largest preview rows")
    parser.add_argument("--skip-preview", action="store_true", help="only the provider-level rows")
    parser.add_argument("--out", type=Path, default=ROOT / ".tools" / "bench" / "results.md")
    args = parser.parse_args()

    print(f"bench: provider-level rows ({args.runs} runs each)", flush=True)
    rows: list[Row] = provider_rows(args.runs, args.releases)
    if args.skip_preview:
        rows.append(Row("pulumi preview rows", "s", not_measured="NOT RUN: --skip-preview"))
    else:
        print(f"bench: pulumi preview rows ({args.preview_runs} runs each)", flush=True)
        rows += preview_rows(args.preview_runs, args.releases)

    table = render(rows)
    cpu = os.cpu_count()
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    header = (
        f"# mlserving benchmark\n\n"
        f"{datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC; Python {platform.python_version()}; "
        f"{platform.system()} {platform.machine()}, {cpu} CPUs, load average at the end {load}. "
        f"Median of the runs, with min and max. "
        f"Targets are measured here, never asserted in tests.\n\n"
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(header + table + "\n", encoding="utf-8")
    print(table)
    try:
        shown = args.out.resolve().relative_to(ROOT)
    except ValueError:
        shown = args.out
    print(f"bench: table written to {shown}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
