"""One version, written once: VERSION, and every place that follows it (release_tools.version)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from release_tools import ROOT
from release_tools.version import (
    SEMVER,
    Release,
    changelog_section,
    pypi_version,
    python_round_trip,
    read_version,
    releasable,
    release_of_tag,
    set_version,
    stale,
    stated_versions,
)

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


# ---------------------------------------------------------------- what can be released


@pytest.mark.parametrize("version", ["0.1.0", "1.2.0-alpha.1", "1.2.0-beta.0", "1.2.0-rc.12"])
def test_a_release_or_a_named_prerelease_can_be_released(version: str) -> None:
    assert releasable(version) is None
    # What the published Python SDK asks the engine for is the git tag's version again.
    assert python_round_trip(pypi_version(version)) == version


@pytest.mark.parametrize(
    ("version", "why"),
    [
        ("1.2.0-preview.1", "the Python SDK would ask for its plugin at v1.2.0-rc.1, not v1.2.0-preview.1"),
        ("1.2.0-rc1", "the Python SDK would ask for its plugin at v1.2.0-rc.1, not v1.2.0-rc1"),
        ("1.2.0-beta", "the Python SDK would ask for its plugin at v1.2.0-beta.0, not v1.2.0-beta"),
        ("1.2.0-rc.01", "the Python SDK would ask for its plugin at v1.2.0-rc.1, not v1.2.0-rc.01"),
        ("1.2.0-dev.3", "a development build is not released"),
        ("1.2.0-nightly.1", "PyPI cannot carry it (not a PEP 440 version)"),
    ],
)
def test_a_prerelease_of_another_name_is_refused_with_the_reason(version: str, why: str) -> None:
    assert releasable(version) == f"a prerelease is named -alpha.N, -beta.N or -rc.N (got {version!r}): {why}"


def test_build_metadata_and_non_semver_are_refused() -> None:
    assert releasable("1.2.0+build.5") == (
        "a release version has no build metadata: PyPI refuses local versions (got '1.2.0+build.5')"
    )
    assert releasable("1.2") == "the version must be semver such as 0.2.0 (got '1.2')"


def test_set_and_read_refuse_a_prerelease_of_another_name(copy: Path) -> None:
    with pytest.raises(
        SystemExit, match=r"a prerelease is named -alpha\.N, -beta\.N or -rc\.N \(got '0\.2\.0-pre\.1'\)"
    ):
        set_version("0.2.0-pre.1", copy)
    assert (copy / "VERSION").read_text() == read_version() + "\n"
    (copy / "VERSION").write_text("0.2.0-rc1\n")
    with pytest.raises(
        SystemExit, match=r"^VERSION: a prerelease is named -alpha\.N, -beta\.N or -rc\.N \(got '0\.2\.0-rc1'\)"
    ):
        read_version(copy)


def test_the_release_of_a_tag(copy: Path) -> None:
    set_version("0.2.0", copy)
    assert release_of_tag("v0.2.0", copy) == Release("0.2.0", "0.2.0", prerelease=False, npm_dist_tag="latest")
    set_version("0.3.0-rc.2", copy)
    rc = release_of_tag("v0.3.0-rc.2", copy)
    assert rc == Release("0.3.0-rc.2", "0.3.0rc2", prerelease=True, npm_dist_tag="rc")
    assert rc.outputs() == "version=0.3.0-rc.2\npypi-version=0.3.0rc2\nprerelease=true\nnpm-dist-tag=rc\n"
    with pytest.raises(SystemExit, match=r"the tag 'v0\.3\.0' is not v \+ VERSION \(v0\.3\.0-rc\.2\)"):
        release_of_tag("v0.3.0", copy)
    with pytest.raises(SystemExit, match=r"the tag 'sdk/v0\.3\.0-rc\.2' is not v \+ VERSION"):
        release_of_tag("sdk/v0.3.0-rc.2", copy)


def test_the_release_notes_are_the_changelog_section(copy: Path) -> None:
    (copy / "CHANGELOG.md").write_text(
        "# Changelog\n\n## [Unreleased]\n\n## [0.2.0] - 2026-12-01\n\n### Fixed\n\n- a fix\n\n"
        "## [0.1.0] - 2026-11-29\n\nThe first.\n\n[0.2.0]: https://example.invalid/v0.2.0\n"
    )
    assert changelog_section("0.2.0", copy) == "### Fixed\n\n- a fix\n"
    assert changelog_section("0.1.0", copy) == "The first.\n"
    with pytest.raises(SystemExit, match=r"CHANGELOG\.md has no section ## \[0\.3\.0\]"):
        changelog_section("0.3.0", copy)
    with pytest.raises(SystemExit, match=r"CHANGELOG\.md's section ## \[Unreleased\] is empty"):
        changelog_section("Unreleased", copy)


def test_this_versions_release_notes_exist() -> None:
    assert changelog_section(read_version()).strip()
