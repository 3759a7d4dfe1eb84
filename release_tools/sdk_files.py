"""The files of each SDK package that `pulumi package gen-sdk` does not write, made by `make generate`.

- python: `sdk/python/README.md`, the README the generated pyproject.toml names
  (`readme = "README.md"`), copied from the README codegen writes into the package
  directory from the schema's `language.python.readme`. Without it the build warns
  `README.md cannot be found`.
- go: `sdk/README.md`, the README of the Go module (its root is `sdk/`, tagged
  `sdk/v<version>`), the schema's `language.nodejs.readme`: Go codegen takes no README.
- nodejs, python: a `go.mod` of a placeholder module, so the Go module at `sdk/` (and the
  zip the Go module proxy makes of it) leaves out the other languages' SDKs, as a nested
  module is left out of its parent.

The LICENSE is not copied into sdk/: `make dist` adds it to the npm and Python packages,
and the Go module proxy adds the repository's root LICENSE to a module in a subdirectory.

    python -m release_tools.sdk_files {nodejs,python,go}
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

from release_tools import ROOT

__all__ = ["PLACEHOLDER_GO_MOD", "sdk_readme", "write_sdk_files"]

PLACEHOLDER_GO_MOD = "module fake_{language}_module // Exclude this directory from the Go module at sdk/\n\ngo 1.17\n"


def sdk_readme(root: Path = ROOT) -> str:
    """The SDK packages' README: the schema's `language.nodejs.readme` (the same as python's)."""
    schema = json.loads((root / "schema.json").read_text(encoding="utf-8"))
    readme: str = schema["language"]["nodejs"]["readme"]
    return readme


def write_sdk_files(language: str, root: Path = ROOT) -> list[Path]:
    """Write the files codegen leaves out of `sdk/<language>`; return their paths."""
    sdk = root / "sdk"
    written: list[Path] = []
    if language in ("nodejs", "python"):
        go_mod = sdk / language / "go.mod"
        go_mod.write_text(PLACEHOLDER_GO_MOD.format(language=language), encoding="utf-8")
        written.append(go_mod)
    if language == "python":
        readme = sdk / "python" / "README.md"
        shutil.copyfile(sdk / "python" / "pulumi_mlserving" / "README.md", readme)
        written.append(readme)
    elif language == "go":
        readme = sdk / "README.md"
        readme.write_text(sdk_readme(root), encoding="utf-8")
        written.append(readme)
    elif language != "nodejs":
        raise SystemExit(f"release_tools.sdk_files: unknown language {language!r} (nodejs, python or go)")
    return written


if __name__ == "__main__":
    for path in write_sdk_files(sys.argv[1]):
        print(f"  {path.relative_to(ROOT)}")
