"""The package version, written once in `VERSION`; every other place follows it.

`VERSION` (one line, semver without a leading `v`) is the single source. The places that
state the version follow it:
- written by `set`: schema.json's `version`, provider/PulumiPlugin.yaml's `version`, the
  dev project's pyproject.toml, and the install lines of README.md and docs/ that pin a
  tag (`.../provider@v<version>`, `.../sdk@v<version>`);
- generated from schema.json by `make generate`: the SDKs' package.json, pyproject.toml,
  pulumi-plugin.json files and the Go SDK's default version;
- written by a person: the CHANGELOG.md section `## [<version>]`.

    python -m release_tools.version check      # every place agrees with VERSION, or exit 1
    python -m release_tools.version set 0.2.0  # write VERSION and the places `set` owns
    python -m release_tools.version release v0.2.0  # (the release workflow) the tag is VERSION's; its facts
    python -m release_tools.version notes 0.2.0     # the CHANGELOG.md section of a version

A release version is `MAJOR.MINOR.PATCH` or a prerelease `MAJOR.MINOR.PATCH-alpha.N`,
`-beta.N` or `-rc.N`, with no build metadata: those are the forms that survive the trip to
PyPI and back. The Python SDK is published as the PEP 440 version (`1.2.0-rc.1` -> `1.2.0rc1`)
and, at run time, turns its own version back into semver to ask the engine for the plugin
(`_utilities._get_semver_version`: `a` -> `alpha.N`, `b` -> `beta.N`, `rc` -> `rc.N`), which
the CLI fetches from the git tag `v<that version>`. Any other prerelease name (`-preview.1`,
`-rc1`, `-beta`) comes back different from the tag, so that SDK could not find its plugin;
PyPI refuses build metadata (`+...`, a local version) outright.

`set` also keeps the schema of the version being left as compat/schema-v<old>.json (from
the tag v<old> when it exists), the baseline of the compatibility gate
(release_tools.compat); then run `make generate` and write the CHANGELOG section.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from packaging.version import InvalidVersion, Version

from release_tools import ROOT

__all__ = [
    "PRERELEASE",
    "SEMVER",
    "Release",
    "Stated",
    "changelog_section",
    "pypi_version",
    "python_round_trip",
    "read_version",
    "releasable",
    "release_of_tag",
    "set_version",
    "stale",
    "stated_versions",
]

SEMVER = re.compile(
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z.-]+)?$"
)
# An install line that pins a release tag of this repository: the provider (`pulumi package
# add .../provider@v0.1.0`) or the Go module (`go get .../sdk@v0.1.0`).
PINNED_TAG = re.compile(
    r"(github\.com/mlserving/pulumi-mlserving/(?:provider|sdk)[\w/.-]*@v)([0-9][0-9A-Za-z.+-]*[0-9A-Za-z])"
)
DOCS = ("README.md", "docs/_index.md", "docs/installation-configuration.md")
PRERELEASE = re.compile(r"^(alpha|beta|rc)\.(0|[1-9]\d*)$")
"""The prerelease names the Python SDK maps back to the git tag (see the module's docstring)."""


@dataclass(frozen=True)
class Stated:
    """What one place says the version is (`None`: it states none)."""

    place: str
    value: str | None
    expected: str
    """What it must say: the version, or its PEP 440 form for Python packages."""

    @property
    def ok(self) -> bool:
        return self.value == self.expected


def python_round_trip(version: str) -> str | None:
    """The semver version the Python SDK published as `version` asks the engine for, or None when
    PyPI cannot carry `version` at all (the mapping of the generated `_utilities._get_semver_version`)."""
    try:
        parsed = Version(version)
    except InvalidVersion:
        return None
    release = ".".join(str(part) for part in parsed.release)
    if parsed.pre is not None:
        kind = {"a": "alpha", "b": "beta", "rc": "rc"}[parsed.pre[0]]
        return f"{release}-{kind}.{parsed.pre[1]}"
    if parsed.dev is not None:
        return f"{release}-dev.{parsed.dev}"
    if parsed.local is not None:
        return f"{release}-{parsed.local}"
    return release


def releasable(version: str) -> str | None:
    """Why `version` cannot be released, or None when it can (see the module's docstring)."""
    match = SEMVER.match(version)
    if not match:
        return f"the version must be semver such as 0.2.0 (got {version!r})"
    if "+" in version:
        return f"a release version has no build metadata: PyPI refuses local versions (got {version!r})"
    if match[4] is not None and not PRERELEASE.match(match[4]):
        back = python_round_trip(version)
        if back is None:
            why = "PyPI cannot carry it (not a PEP 440 version)"
        elif back != version:
            why = f"the Python SDK would ask for its plugin at v{back}, not v{version}"
        else:
            why = "a development build is not released"
        return f"a prerelease is named -alpha.N, -beta.N or -rc.N (got {version!r}): {why}"
    return None


def read_version(root: Path = ROOT) -> str:
    """The version in `VERSION`; a `SystemExit` naming the file when it is not a release version."""
    text = (root / "VERSION").read_text(encoding="utf-8").strip()
    if not SEMVER.match(text):
        raise SystemExit(f"VERSION must hold one semver version such as 0.1.0 (got {text!r})")
    why = releasable(text)
    if why:
        raise SystemExit(f"VERSION: {why}")
    return text


@dataclass(frozen=True)
class Release:
    """What the release workflow needs to know about the version a tag releases."""

    version: str
    pypi_version: str
    prerelease: bool
    npm_dist_tag: str
    """`latest` for a release; the prerelease kind (`alpha`, `beta`, `rc`) for a prerelease, so
    `npm install @mlserving/pulumi` keeps giving the last release."""

    def outputs(self) -> str:
        """The facts as `key=value` lines for `$GITHUB_OUTPUT`."""
        return (
            f"version={self.version}\npypi-version={self.pypi_version}\n"
            f"prerelease={str(self.prerelease).lower()}\nnpm-dist-tag={self.npm_dist_tag}\n"
        )


def release_of_tag(tag: str, root: Path = ROOT) -> Release:
    """The release a tag `v<version>` makes; a SystemExit unless it is `v` + VERSION and releasable."""
    version = read_version(root)
    if tag != f"v{version}":
        raise SystemExit(f"the tag {tag!r} is not v + VERSION (v{version}): tag the commit whose VERSION it names")
    pre = SEMVER.match(version)
    kind = pre[4].split(".")[0] if pre and pre[4] else None
    return Release(version, pypi_version(version), kind is not None, kind or "latest")


def changelog_section(version: str, root: Path = ROOT) -> str:
    """The body of CHANGELOG.md's `## [<version>]` section (the GitHub Release's notes), without the heading."""
    text = _text(root / "CHANGELOG.md")
    heading = re.search(rf"^## \[{re.escape(version)}\][^\n]*\n", text, re.M)
    if heading is None:
        raise SystemExit(f"CHANGELOG.md has no section ## [{version}]")
    end = re.search(r"^(## |\[[^\]]+\]: )", text[heading.end() :], re.M)
    body = text[heading.end() : heading.end() + end.start() if end else len(text)].strip()
    if not body:
        raise SystemExit(f"CHANGELOG.md's section ## [{version}] is empty")
    return body + "\n"


def pypi_version(version: str) -> str:
    """The PEP 440 form Python packages carry (`1.2.0-alpha.1` -> `1.2.0a1`), as Pulumi's codegen writes it."""
    return str(Version(version))


def _json(path: Path, *keys: str) -> str | None:
    if not path.exists():
        return None
    value: object = json.loads(path.read_text(encoding="utf-8"))
    for key in keys:
        if not isinstance(value, dict) or key not in value:
            return None
        value = value[key]
    return value if isinstance(value, str) else None


def _toml_project_version(path: Path) -> str | None:
    if not path.exists():
        return None
    project = tomllib.loads(path.read_text(encoding="utf-8")).get("project", {})
    version = project.get("version")
    return version if isinstance(version, str) else None


def _regex(path: Path, pattern: str) -> list[str]:
    """Every value the pattern's group 1 finds (none: an empty list)."""
    if not path.exists():
        return []
    return re.findall(pattern, path.read_text(encoding="utf-8"), re.MULTILINE)


def stated_versions(root: Path = ROOT) -> list[Stated]:
    """Every place that states the version, with what it states."""
    version = read_version(root)
    stated: list[Stated] = []

    def one(place: str, value: str | None, expected: str = version) -> None:
        stated.append(Stated(place, value, expected))

    def each(place: str, values: list[str]) -> None:
        # A place that must state the version, perhaps several times: each occurrence counts.
        if not values:
            one(place, None)
        for value in values:
            one(place, value)

    one("schema.json version", _json(root / "schema.json", "version"))
    each("provider/PulumiPlugin.yaml version", _regex(root / "provider/PulumiPlugin.yaml", r"^version:\s*(\S+)\s*$"))
    one("pyproject.toml [project] version", _toml_project_version(root / "pyproject.toml"))
    one("sdk/nodejs/package.json version", _json(root / "sdk/nodejs/package.json", "version"))
    one("sdk/nodejs/package.json pulumi.version", _json(root / "sdk/nodejs/package.json", "pulumi", "version"))
    one(
        "sdk/python/pyproject.toml [project] version",
        _toml_project_version(root / "sdk/python/pyproject.toml"),
        pypi_version(version),
    )
    for plugin_json in ("sdk/python/pulumi_mlserving/pulumi-plugin.json", "sdk/go/mlserving/pulumi-plugin.json"):
        one(f"{plugin_json} version", _json(root / plugin_json, "version"))
    each(
        "sdk/go/mlserving/internal/pulumiUtilities.go default version",
        _regex(root / "sdk/go/mlserving/internal/pulumiUtilities.go", r'semver\.MustParse\("([^"]*)"\)'),
    )
    for doc in DOCS:
        each(f"{doc} pinned tag", [m[1] for m in PINNED_TAG.findall(_text(root / doc))])
    each("CHANGELOG.md section", [v for v in _regex(root / "CHANGELOG.md", r"^## \[([^\]]+)\]") if v == version])
    return stated


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8") if path.exists() else ""


def stale(root: Path = ROOT) -> list[Stated]:
    """The places that do not state the version."""
    return [s for s in stated_versions(root) if not s.ok]


def _replace(path: Path, pattern: str, replacement: Callable[[re.Match[str]], str], count: int = 0) -> None:
    text = path.read_text(encoding="utf-8")
    new, found = re.subn(pattern, replacement, text, count=count, flags=re.MULTILINE)
    if not found:
        raise SystemExit(f"release_tools.version: {path} states no version to replace ({pattern})")
    path.write_text(new, encoding="utf-8")


def set_version(new: str, root: Path = ROOT) -> list[str]:
    """Write `new` to VERSION and to every place `set` owns; return what is left to do."""
    why = releasable(new)
    if why:
        raise SystemExit(why)
    old = read_version(root)
    if new != old:
        _keep_baseline(old, root)
    (root / "VERSION").write_text(new + "\n", encoding="utf-8")
    # schema.json: only the top-level key (two spaces of indentation), never a property's.
    _replace(root / "schema.json", r'^(  "version": ")[^"]*(",?)$', lambda m: f"{m[1]}{new}{m[2]}", count=1)
    _replace(root / "provider/PulumiPlugin.yaml", r"^(version:\s*)\S+", lambda m: f"{m[1]}{new}", count=1)
    _replace(root / "pyproject.toml", r'^(version = ")[^"]*(")', lambda m: f"{m[1]}{new}{m[2]}", count=1)
    for doc in DOCS:
        if (root / doc).exists() and PINNED_TAG.search(_text(root / doc)):
            _replace(root / doc, PINNED_TAG.pattern, lambda m: f"{m[1]}{new}")
    return [f"{s.place}: {s.value} (want {s.expected})" for s in stale(root)]


def _keep_baseline(old: str, root: Path) -> None:
    """Keep compat/schema-v<old>.json: the schema at tag v<old> if there is one, else schema.json as it is."""
    baseline = root / "compat" / f"schema-v{old}.json"
    tagged = subprocess.run(
        ["git", "show", f"v{old}:schema.json"], cwd=root, capture_output=True, text=True, check=False
    )
    text = tagged.stdout if tagged.returncode == 0 else (root / "schema.json").read_text(encoding="utf-8")
    baseline.parent.mkdir(exist_ok=True)
    baseline.write_text(text, encoding="utf-8")


def main(argv: list[str]) -> int:
    if argv[:1] == ["check"] and len(argv) == 1:
        version = read_version()
        bad = stale()
        for s in stated_versions():
            print(f"  {'ok  ' if s.ok else 'DIFF'} {s.place}: {s.value}")
        if bad:
            print(
                f"version: {len(bad)} place(s) do not state VERSION {version}: run "
                f"`python -m release_tools.version set {version}`, `make generate`, and write the CHANGELOG.md section",
                file=sys.stderr,
            )
            return 1
        print(f"version: every place states {version} (VERSION)")
        return 0
    if argv[:1] == ["set"] and len(argv) == 2:
        left = set_version(argv[1])
        print(
            f"version: VERSION, schema.json, provider/PulumiPlugin.yaml, pyproject.toml and the docs' tags "
            f"now say {argv[1]}"
        )
        for line in left:
            print(f"  still to do: {line}")
        if left:
            print("  run `make generate` (the SDKs) and add a `## [<version>]` section to CHANGELOG.md")
        return 0
    if argv[:1] == ["release"] and len(argv) == 2:
        print(release_of_tag(argv[1]).outputs(), end="")
        return 0
    if argv[:1] == ["notes"] and len(argv) == 2:
        print(changelog_section(argv[1]), end="")
        return 0
    print(
        "usage: python -m release_tools.version {check | set <version> | release v<version> | notes <version>}",
        file=sys.stderr,
    )
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
