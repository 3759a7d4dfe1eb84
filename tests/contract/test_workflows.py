"""The GitHub workflows (.github/workflows): what the release and CI promise, held by their structure.

actionlint and zizmor (make lint) check the workflows' syntax and security; these tests hold
what neither knows: the CLI they install is the one the Makefile pins, every action is pinned by
commit, and the release publishes in the order CONTRIBUTING.md describes.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml  # type: ignore[import-untyped]  # PyYAML: a dependency of pulumi

from release_tools import ROOT

WORKFLOWS = ROOT / ".github" / "workflows"
PINNED_CLI = re.findall(r"^PULUMI_VERSION\s*:=\s*(\S+)$", (ROOT / "Makefile").read_text(encoding="utf-8"), re.M)[0]


def load(name: str) -> dict[Any, Any]:
    loaded: dict[Any, Any] = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    return loaded


def steps(workflow: dict[Any, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def version(text: str) -> tuple[int, ...]:
    return tuple(int(p) for p in text.lstrip("v").split("."))


@pytest.mark.parametrize("path", sorted(WORKFLOWS.glob("*.yml")), ids=lambda p: p.name)
def test_every_action_is_pinned_by_commit_with_its_version(path: Path) -> None:
    uses = re.findall(r"^\s*(?:- )?uses: (\S+)(.*)$", path.read_text(encoding="utf-8"), re.M)
    assert uses
    for action, comment in uses:
        assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", action), f"{path.name}: {action} is not pinned by commit"
        assert re.fullmatch(r" # v\d+(\.\d+)*", comment), f"{path.name}: {action} has no '# v<version>' comment"


@pytest.mark.parametrize("name", ["ci.yml", "release.yml"])
def test_the_official_cli_installed_is_the_makefiles_pin(name: str) -> None:
    installs = [s for s in steps(load(name)) if s.get("uses", "").startswith("pulumi/actions@")]
    assert installs
    assert {s["with"]["pulumi-version"] for s in installs} == {PINNED_CLI}


def test_ci_runs_the_readmes_two_commands_on_pushes_and_pull_requests() -> None:
    ci = load("ci.yml")
    assert {"push", "pull_request"} <= set(ci[True])  # YAML 1.1 reads the key `on` as True
    runs = [s.get("run", "") for s in ci["jobs"]["test"]["steps"]]
    assert "make install" in runs
    assert any(r.startswith("make test") for r in runs)
    assert any("NOT RUN|BLOCKED" in r for r in runs), "CI must fail when a host-only test did not run"
    assert [s.get("run") for s in ci["jobs"]["mutation"]["steps"] if s.get("run")] == ["make install", "make mutation"]


def test_the_release_publishes_the_go_tag_only_after_npm_and_pypi_behind_the_same_environment() -> None:
    jobs = load("release.yml")["jobs"]
    assert {jobs[j]["environment"] for j in ("pypi", "npm", "go", "github-release", "private-registry")} == {"release"}
    assert set(jobs["go"]["needs"]) == {"build", "pypi", "npm"}
    assert set(jobs["github-release"]["needs"]) == {"build", "go"}
    assert set(jobs["published"]["needs"]) == {"build", "pypi", "npm", "go"}
    assert "prerelease == 'false'" in jobs["private-registry"]["if"]


def test_the_publishers_meet_their_registries_minimums() -> None:
    release = (WORKFLOWS / "release.yml").read_text(encoding="utf-8")
    pypi = re.findall(r"uses: pypa/gh-action-pypi-publish@[0-9a-f]{40} # (v[\d.]+)", release)
    assert len(pypi) == 1
    assert version(pypi[0]) >= (1, 12, 4), "PEP 639 metadata needs v1.12.4 or later"
    npm = load("release.yml")["jobs"]["npm"]["steps"]
    node = [s["with"]["node-version"] for s in npm if s.get("uses", "").startswith("actions/setup-node@")]
    assert node == ["24"], "npm trusted publishing needs Node >= 22.14.0 with npm >= 11.5.1 (Node 24.5+ bundles it)"
    publish = next(s["run"] for s in npm if "npm publish" in s.get("run", ""))
    assert '--tag "${DIST_TAG}"' in publish
