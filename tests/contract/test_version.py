"""One version, written once: VERSION, and every place that follows it (release_tools.version)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from release_tools import ROOT
from release_tools.version import SEMVER, pypi_version, read_version, set_version, stale, stated_versions

# The places that must state the version; dropping one from the check fails here.
PLACES = [
    "schema.json version",
    "provider/PulumiPlugin.yaml version",
    "pyproject.toml [project] version",
    "sdk/nodejs/package.json version",
    "sdk/nodejs/package.json pulumi.version",
    "sdk/python/pyproject.toml [project] version",
    "sdk/python/pulumi_mlserving/pulumi-plugin.json version",
    "sdk/go/mlserving/pulumi-plugin.json version",
    "sdk/go/mlserving/internal/pulumiUtilities.go default version",
    "README.md pinned tag",
    "docs/_index.md pinned tag",
    "docs/installation-configuration.md pinned tag",
    "CHANGELOG.md section",
]
# What `set` writes; the rest follows with `make generate` (SDKs) or by hand (CHANGELOG).
SET_WRITES = {
    "schema.json version",
    "provider/PulumiPlugin.yaml version",
    "pyproject.toml [project] version",
    "README.md pinned tag",
    "docs/_index.md pinned tag",
    "docs/installation-configuration.md pinned tag",
}
COPIED = [
    "VERSION",
    "schema.json",
    "provider/PulumiPlugin.yaml",
    "pyproject.toml",
    "README.md",
    "CHANGELOG.md",
    "docs/_index.md",
    "docs/installation-configuration.md",
    "sdk/nodejs/package.json",
    "sdk/python/pyproject.toml",
    "sdk/python/pulumi_mlserving/pulumi-plugin.json",
    "sdk/go/mlserving/pulumi-plugin.json",
    "sdk/go/mlserving/internal/pulumiUtilities.go",
]


def test_version_file_holds_one_semver_version() -> None:
    text = (ROOT / "VERSION").read_text(encoding="utf-8")
    assert text == read_version() + "\n"
    assert SEMVER.match(read_version())


def test_every_place_states_the_version() -> None:
    stated = stated_versions()
    assert sorted({s.place for s in stated}) == sorted(PLACES)
    assert [f"{s.place}: {s.value}" for s in stale()] == []
    assert all(s.value for s in stated)


def test_the_provider_reports_the_version() -> None:
    from mlserving_provider._schema import PACKAGE_VERSION

    assert read_version() == PACKAGE_VERSION


def test_pypi_version_is_what_pulumi_codegen_writes() -> None:
    assert pypi_version("0.1.0") == "0.1.0"
    assert pypi_version("1.2.0-alpha.3") == "1.2.0a3"
    assert pypi_version("2.0.0-rc.1") == "2.0.0rc1"


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """The files that state the version, in a git repository of their own (no tags)."""
    for name in COPIED:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, tmp_path / name)
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    return tmp_path


def test_a_stale_place_is_found(copy: Path) -> None:
    plugin = copy / "provider/PulumiPlugin.yaml"
    plugin.write_text(plugin.read_text().replace(f"version: {read_version()}", "version: 9.9.9"))
    assert [(s.place, s.value) for s in stale(copy)] == [("provider/PulumiPlugin.yaml version", "9.9.9")]


def test_set_writes_every_place_it_owns_and_names_the_rest(copy: Path) -> None:
    old = read_version()
    left = set_version("0.2.0", copy)
    assert (copy / "VERSION").read_text() == "0.2.0\n"
    stated = stated_versions(copy)
    assert {s.place for s in stated if s.value == "0.2.0"} == SET_WRITES
    assert {s.place for s in stale(copy)} == set(PLACES) - SET_WRITES
    assert len(left) == len(stale(copy))
    # Only the top-level version of the schema moved.
    before = json.loads((ROOT / "schema.json").read_text())
    after = json.loads((copy / "schema.json").read_text())
    assert after == {**before, "version": "0.2.0"}
    # The schema of the version left behind is kept as the compatibility gate's baseline.
    assert json.loads((copy / "compat" / f"schema-v{old}.json").read_text()) == before


def test_set_refuses_a_version_that_is_not_semver(copy: Path) -> None:
    with pytest.raises(SystemExit, match=r"the version must be semver such as 0\.2\.0 \(got 'v0\.2'\)"):
        set_version("v0.2", copy)
    assert (copy / "VERSION").read_text() == read_version() + "\n"
