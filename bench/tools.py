"""Where the pinned Pulumi CLI and language hosts are, from the Makefile (their one source).

`make install` builds them into `.tools/pulumi-<PULUMI_VERSION>/bin`, or `PULUMI_BIN` names
another directory, as in the Makefile. What it could not build is listed, with the Go module
proxy's answer, in `.tools/pulumi-<PULUMI_VERSION>/MISSING`.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from bench.engine import ROOT

__all__ = ["PULUMI_VERSION", "TOOLS", "missing", "pulumi_bin", "which"]


def _makefile_version() -> str:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    match = re.search(r"^PULUMI_VERSION\s*:?=\s*(\S+)\s*$", makefile, re.MULTILINE)
    if match is None:
        raise SystemExit("bench: the Makefile sets no PULUMI_VERSION")
    return match.group(1)


PULUMI_VERSION = _makefile_version()
TOOLS = ROOT / ".tools" / f"pulumi-{PULUMI_VERSION}"


def pulumi_bin() -> Path:
    """The directory of the pulumi CLI and language hosts (`PULUMI_BIN` overrides, as in the Makefile)."""
    return Path(os.environ.get("PULUMI_BIN") or TOOLS / "bin")


def which(name: str) -> str | None:
    """`name` in the pulumi bin directory or on PATH."""
    return shutil.which(name, path=os.pathsep.join((str(pulumi_bin()), os.environ.get("PATH", ""))))


def missing(name: str) -> str:
    """What `make install` recorded about a tool it could not build ("" when nothing)."""
    listed = TOOLS / "MISSING"
    if not listed.exists():
        return ""
    for line in listed.read_text(encoding="utf-8").splitlines():
        if line.startswith(f"{name}:"):
            return " ".join(line.split(":", 1)[1].split())
    return ""
