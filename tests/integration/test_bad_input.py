"""A bad input in a TypeScript program: the engine names the property paths and nothing changes.

tests/integration/bad-input-ts deploys a small platform and one release whose
`apiVersion` and `rollout.canaryPercent` come from config. After a good `up`, both are
set to invalid values: `pulumi preview` and `pulumi up` fail with every problem and its
property path, fakecloud (the test double) sees no create, update or delete, and the
exported state is exactly what it was.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.integration.engine import ROOT, Workspace, resource_key

pytestmark = pytest.mark.timeout(900)

PROGRAM = ROOT / "tests" / "integration" / "bad-input-ts"
PROBLEMS = [
    "error: mlserving:index:ModelRelease resource 'sentiment' has a problem: invalid inputs for ModelRelease:",
    "- 'apiVersion' must be 'v' and a number from 1 to 999, like 'v1' (got '2')",
    "- 'rollout.canaryPercent' must be between 1 and 50 (got 80)",
    # The engine's own rendering of InputPropertiesError (CLI 3.274), a line per property path.
    "- property apiVersion with value \"2\" has a problem: 'apiVersion' must be 'v' and a number from 1 to 999, like 'v1' (got '2')",
    "- property rollout.canaryPercent with value 80 has a problem: 'rollout.canaryPercent' must be between 1 and 50 (got 80)",
]


@pytest.fixture(scope="module")
def deployed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    if not (PROGRAM / "node_modules").is_dir():
        pytest.fail(f"{PROGRAM.relative_to(ROOT)} is not installed (make test_integration runs npm install there)")
    workspace = Workspace(PROGRAM, Path(tmp_path_factory.mktemp("bad-input-ts")))
    workspace.prepare()
    workspace.pulumi("up", "--yes", "--skip-preview", check=True)
    yield workspace
    workspace.pulumi("destroy", "--yes", "--skip-preview")
    workspace.remove()


def normalized(resource: dict[str, Any]) -> dict[str, Any]:
    """A resource with its dependency lists sorted."""
    out = dict(resource)
    if "dependencies" in out:
        out["dependencies"] = sorted(out["dependencies"])
    if "propertyDependencies" in out:
        out["propertyDependencies"] = {k: sorted(v) for k, v in out["propertyDependencies"].items()}
    return out


def lines(output: str) -> list[str]:
    return [line.strip() for line in output.splitlines()]


def test_bad_inputs_fail_preview_and_up_with_property_paths_and_change_nothing(deployed: Workspace) -> None:
    before = deployed.export()
    assert len(before) > 30
    assert ("aws:apigateway/stage:Stage", "sentiment-stage") in {resource_key(r) for r in before}

    deployed.pulumi("config", "set", "apiVersion", "2", check=True)
    deployed.pulumi("config", "set", "canaryPercent", "80", check=True)
    preview = deployed.pulumi("preview", "--diff")
    assert preview.code != 0
    printed = lines(preview.output)
    for problem in PROBLEMS:
        assert problem in printed, f"{problem!r} not in the preview output:\n{preview.output[-4000:]}"
    assert "Traceback" not in preview.output
    assert preview.mutations() == []
    assert not [c for c in preview.calls if c["method"] == "Create" and c["name"].startswith("sentiment")]

    up = deployed.pulumi("up", "--yes", "--skip-preview")
    assert up.code != 0
    for problem in PROBLEMS:
        assert problem in lines(up.output)
    assert up.mutations() == [], "a bad input creates, updates and deletes nothing"
    # The engine may write resources and their dependency lists in another order; each
    # resource is otherwise exactly as it was.
    old = {r["urn"]: normalized(r) for r in before}
    new = {r["urn"]: normalized(r) for r in deployed.export()}
    assert sorted(urn for urn in old.keys() | new.keys() if old.get(urn) != new.get(urn)) == []
