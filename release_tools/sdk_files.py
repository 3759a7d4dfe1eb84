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

And what it writes differently:
- python: the generated `pyproject.toml` states the license as a `[project.license] text`
  table, which setuptools deprecates (PEP 639: `license` is an SPDX expression string), and
  builds with any `setuptools>=61.0`. It becomes `license = "<schema license>"` and
  `requires = ["setuptools==<SETUPTOOLS>"]`: the newest setuptools that still runs on the
  SDK's oldest Python (`requires-python = ">=3.9"`) and reads PEP 639 (77.0 or newer).
- go: `sdk/go.mod` (codegen writes none; go commands keep its requirements) asks for the
  lowest Go that builds it: the highest `go` directive in its module graph, which is the
  Pulumi Go SDK's own at the pinned version (`go list -m all` in a copy of the module).

The LICENSE is not copied into sdk/: `make dist` adds it to the npm and Python packages,
and the Go module proxy adds the repository's root LICENSE to a module in a subdirectory.

    python -m release_tools.sdk_files {nodejs,python,go}
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

from packaging.licenses import canonicalize_license_expression

from release_tools import ROOT

__all__ = [
    "PLACEHOLDER_GO_MOD",
    "SETUPTOOLS",
    "go_floor",
    "lowest_go",
    "sdk_readme",
    "with_go_directive",
    "with_spdx_license_and_pinned_build",
    "write_sdk_files",
]

PLACEHOLDER_GO_MOD = "module fake_{language}_module // Exclude this directory from the Go module at sdk/\n\ngo 1.17\n"
SETUPTOOLS = "82.0.1"
"""The Python SDK's build backend: the newest setuptools for Python 3.9 (82.x; 83 and later need
3.10), and new enough for PEP 639 license expressions (77.0 or newer)."""
# What Pulumi's Python codegen writes (pkg/v3 codegen/python: genPyprojectTOML).
_LICENSE_TABLE = re.compile(r'^(?P<indent>[ \t]*)\[project\.license\]\n[ \t]*text = "(?P<license>[^"]*)"\n', re.M)
_BUILD_REQUIRES = re.compile(r'^(?P<indent>[ \t]*)requires = \["setuptools[^"]*"\]$', re.M)
_GO_DIRECTIVE = re.compile(r"^go (\S+)$", re.M)


def sdk_readme(root: Path = ROOT) -> str:
    """The SDK packages' README: the schema's `language.nodejs.readme` (the same as python's)."""
    schema = json.loads((root / "schema.json").read_text(encoding="utf-8"))
    readme: str = schema["language"]["nodejs"]["readme"]
    return readme


def with_spdx_license_and_pinned_build(pyproject: str) -> str:
    """The generated pyproject.toml with `license = "<SPDX>"` and the pinned build backend.

    A SystemExit names what is missing when codegen's output no longer has the expected form."""
    table = _LICENSE_TABLE.search(pyproject)
    if table is None:
        raise SystemExit("release_tools.sdk_files: the generated pyproject.toml has no [project.license] text table")
    spdx = canonicalize_license_expression(table["license"])
    # The table sat at the end of [project]'s keys (its sub-tables follow): the key takes its place there.
    text = _LICENSE_TABLE.sub(lambda m: f'{m["indent"]}license = "{spdx}"\n', pyproject, count=1)
    text, found = _BUILD_REQUIRES.subn(lambda m: f'{m["indent"]}requires = ["setuptools=={SETUPTOOLS}"]', text)
    if found != 1:
        raise SystemExit("release_tools.sdk_files: the generated pyproject.toml's build-system requires no setuptools")
    parsed = tomllib.loads(text)
    if parsed["project"].get("license") != spdx or parsed["build-system"]["requires"] != [f"setuptools=={SETUPTOOLS}"]:
        raise SystemExit(f"release_tools.sdk_files: the rewritten pyproject.toml does not read as intended:\n{text}")
    return text


def _go_version_key(version: str) -> tuple[int, ...]:
    """`1.26.6` -> (1, 26, 6); `1.26` (a language version) is `1.26.0`; `1.21rc1` sorts before `1.21.0`."""
    release = re.match(r"\d+(?:\.\d+)*", version)
    if release is None:
        raise ValueError(f"not a go version: {version!r}")
    parts = [int(p) for p in release[0].split(".")] + [0] * 3
    return (*parts[:3], 0 if release[0] != version else 1)


def lowest_go(listing: str) -> tuple[str, str]:
    """(go version, `module version` that asks for it) from `go list -m -f '{{.Path}} {{.Version}} {{.GoVersion}}' all`:
    the highest `go` directive of the module graph, below which go refuses to build the module."""
    best: tuple[str, str] | None = None
    for line in listing.splitlines():
        fields = line.split()
        if len(fields) != 3:
            continue  # the main module (no version) or a module whose go.mod states no go version
        path, version, go = fields
        if best is None or _go_version_key(go) > _go_version_key(best[0]):
            best = (go, f"{path} {version}")
    if best is None:
        raise SystemExit("release_tools.sdk_files: go list -m all named no module with a go version")
    return best


def go_floor(sdk: Path) -> tuple[str, str]:
    """`lowest_go` of the Go module at `sdk`, listed in a copy (go list may rewrite go.mod and go.sum)."""
    with tempfile.TemporaryDirectory() as tmp:
        for name in ("go.mod", "go.sum"):
            if (sdk / name).exists():
                shutil.copyfile(sdk / name, Path(tmp) / name)
        listed = subprocess.run(
            ["go", "list", "-m", "-f", "{{.Path}} {{.Version}} {{.GoVersion}}", "all"],
            cwd=tmp,
            env={**os.environ, "GOFLAGS": "-mod=mod"},
            capture_output=True,
            text=True,
            check=False,
        )
    if listed.returncode != 0:
        raise SystemExit(f"release_tools.sdk_files: go list -m all in a copy of {sdk}/go.mod failed:\n{listed.stderr}")
    return lowest_go(listed.stdout)


def with_go_directive(go_mod: str, go: str) -> str:
    """go.mod with its `go` directive set to `go` (the `toolchain` line, if any, is left to go)."""
    text, found = _GO_DIRECTIVE.subn(f"go {go}", go_mod, count=1)
    if not found:
        raise SystemExit("release_tools.sdk_files: sdk/go.mod has no go directive")
    return text


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
        pyproject = sdk / "python" / "pyproject.toml"
        pyproject.write_text(
            with_spdx_license_and_pinned_build(pyproject.read_text(encoding="utf-8")), encoding="utf-8"
        )
        written.append(pyproject)
    elif language == "go":
        readme = sdk / "README.md"
        readme.write_text(sdk_readme(root), encoding="utf-8")
        written.append(readme)
        go_mod = sdk / "go.mod"
        go, asked_by = go_floor(sdk)
        go_mod.write_text(with_go_directive(go_mod.read_text(encoding="utf-8"), go), encoding="utf-8")
        print(f"  sdk/go.mod: go {go}, the lowest Go that builds it ({asked_by} asks for it)")
        written.append(go_mod)
    elif language != "nodejs":
        raise SystemExit(f"release_tools.sdk_files: unknown language {language!r} (nodejs, python or go)")
    return written


if __name__ == "__main__":
    for path in write_sdk_files(sys.argv[1]):
        print(f"  {path.relative_to(ROOT)}")
