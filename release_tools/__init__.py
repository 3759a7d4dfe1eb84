"""Release tooling: the one version, the schema compatibility gate, the SDK files codegen leaves out, `make dist`.

Run as modules from the repository root (`python -m release_tools.version check`); the
Makefile calls them. Nothing here is shipped.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["ROOT"]

ROOT = Path(__file__).resolve().parents[1]
"""The repository root."""
