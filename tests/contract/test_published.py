"""The post-publish check (release_tools.published): what each fresh project asks its registry for,
and how a preview is judged. The installs and previews themselves run in the release workflow."""

from __future__ import annotations

import json
import re
import tomllib
from typing import Any

import pytest

from release_tools import ROOT
from release_tools.dist import docs_example
from release_tools.published import PY_DIST, PublishedError, _retried, consumers, planned_components


def test_each_project_asks_its_registry_for_exactly_the_released_version() -> None:
    projects = consumers("0.3.0-rc.2")
    package = json.loads(projects["typescript"].files["package.json"])
    assert package["dependencies"] == {"@mlserving/pulumi": "0.3.0-rc.2", "@pulumi/pulumi": "3.260.0"}
    assert projects["python"].files["requirements.txt"] == "pulumi-mlserving==0.3.0rc2\npulumi==3.260.0\n"
    assert "\nrequire github.com/mlserving/pulumi-mlserving/sdk v0.3.0-rc.2\n" in projects["go"].files["go.mod"]


def test_the_programs_are_the_docs_examples() -> None:
    projects = consumers("0.2.0")
    assert projects["typescript"].files["index.ts"] == docs_example("typescript")
    assert projects["python"].files["__main__.py"] == docs_example("python")
    assert projects["go"].files["main.go"] == docs_example("go")


def test_the_registry_names_are_the_sdks_names() -> None:
    assert json.loads((ROOT / "sdk/nodejs/package.json").read_text())["name"] == "@mlserving/pulumi"
    name = tomllib.loads((ROOT / "sdk/python/pyproject.toml").read_text())["project"]["name"]
    assert re.sub(r"[-_.]+", "-", name).lower() == PY_DIST
    assert (ROOT / "sdk/go.mod").read_text().startswith("module github.com/mlserving/pulumi-mlserving/sdk\n")


def step(token: str, op: str = "create") -> dict[str, Any]:
    return {"op": op, "newState": {"type": token}, "urn": f"urn:pulumi:s::p::{token}::x"}


def test_a_preview_must_plan_both_components() -> None:
    preview = {
        "steps": [
            step("pulumi:pulumi:Stack"),
            step("mlserving:index:MLServingPlatform"),
            step("mlserving:index:ModelRelease"),
            step("aws:s3/bucket:Bucket"),
        ]
    }
    assert planned_components(preview) == {
        "mlserving:index:MLServingPlatform": "create",
        "mlserving:index:ModelRelease": "create",
    }
    with pytest.raises(PublishedError, match=r"plans \['mlserving:index:MLServingPlatform'\], not both components"):
        planned_components({"steps": [step("mlserving:index:MLServingPlatform")]})


def test_a_preview_with_an_error_fails_with_its_message() -> None:
    preview = {
        "steps": [step("mlserving:index:MLServingPlatform"), step("mlserving:index:ModelRelease")],
        "diagnostics": [
            {"severity": "warning", "message": "a warning"},
            {"severity": "error", "message": "could not fetch plugin mlserving v0.2.0"},
        ],
    }
    with pytest.raises(
        PublishedError, match=r"the preview reported errors:\ncould not fetch plugin mlserving v0\.2\.0$"
    ):
        planned_components(preview)


def never() -> str:
    raise PublishedError("not found")


def test_an_install_is_retried_until_the_registry_serves_it() -> None:
    answers: list[str | None] = [None, None, "installed"]

    def install() -> str:
        answer = answers.pop(0)
        if answer is None:
            raise PublishedError("404")
        return answer

    assert _retried(install, "npm install", attempts=3, pause=0) == "installed"
    with pytest.raises(PublishedError, match=r"pip: still failing after 2 attempts:\nnot found"):
        _retried(never, "pip", attempts=2, pause=0)
