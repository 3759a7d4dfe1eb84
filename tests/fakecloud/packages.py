"""Which plugins fakecloud stands in for, at the versions the SDKs ask for.

The versions are read from provider/requirements.txt (the pins of the Python SDKs the
component provider uses), so fakecloud always answers to exactly the plugin versions
the engine will look for; they are never written down twice.
"""

from __future__ import annotations

import re
from pathlib import Path

__all__ = ["PACKAGES", "REQUIREMENTS", "ROOT", "plugin_versions"]

ROOT = Path(__file__).resolve().parents[2]
REQUIREMENTS = ROOT / "provider" / "requirements.txt"

# Pulumi package name -> the pip distribution of its SDK.
PACKAGES = {"aws": "pulumi-aws", "azure-native": "pulumi-azure-native", "random": "pulumi-random"}


def plugin_versions(requirements: Path = REQUIREMENTS) -> dict[str, str]:
    """`{package: version}` for every package in PACKAGES, from `name==version` pins."""
    pins: dict[str, str] = {}
    for line in requirements.read_text().splitlines():
        match = re.fullmatch(r"\s*([A-Za-z0-9_.-]+)\s*==\s*([0-9][A-Za-z0-9.+-]*)\s*(#.*)?", line)
        if match:
            pins[match.group(1).lower()] = match.group(2)
    missing = [dist for dist in PACKAGES.values() if dist not in pins]
    if missing:
        raise ValueError(f"{requirements} pins no version of {', '.join(missing)}")
    return {package: pins[dist] for package, dist in PACKAGES.items()}
