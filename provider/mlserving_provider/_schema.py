"""schema.json, the package's contract, loaded once and served verbatim."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

__all__ = ["PACKAGE_VERSION", "SCHEMA", "SCHEMA_PATH", "SCHEMA_TEXT", "resource_spec", "type_spec"]

# schema.json sits at the repository root, next to provider/.
SCHEMA_PATH = Path(__file__).resolve().parents[2] / "schema.json"
SCHEMA_TEXT: str = SCHEMA_PATH.read_text(encoding="utf-8")
SCHEMA: dict[str, Any] = json.loads(SCHEMA_TEXT)
PACKAGE_VERSION: str = SCHEMA["version"]


def resource_spec(token: str) -> dict[str, Any]:
    """The schema entry of a resource token."""
    spec: dict[str, Any] = SCHEMA["resources"][token]
    return spec


def type_spec(token: str) -> dict[str, Any]:
    """The schema entry of a type token (`mlserving:index:Scaling`)."""
    spec: dict[str, Any] = SCHEMA["types"][token]
    return spec
