"""The git route: a clone of the repository at HEAD is a working plugin, with nothing built.

What `pulumi package add github.com/mlserving/pulumi-mlserving/provider@v<version>` gets
is the repository at a tag, as git has it: no provider/venv, no .venv, no node_modules, no
built SDK. The provider must make its own environment from provider/requirements.txt.

1. HEAD is cloned into a temporary directory and `make install` is skipped.
2. A TypeScript program (examples/aws-typescript, unchanged, run in-process through the
   Automation API: scripts/inline) points at `<clone>/provider` (its `plugins.providers`
   path) and previews: the engine starts the clone's launcher
   (provider/pulumi-resource-mlserving), which creates `<clone>/provider/venv` from
   requirements.txt, then serves the components. The preview must plan the platform and
   both releases, and the clone's venv must hold exactly the pinned requirements.
3. Where the nodejs and python language hosts exist: a new TypeScript project runs
   `pulumi package add <another fresh clone>/provider` and previews, as the README says.
   Without them it prints NOT RUN (never counted as passed).

The program's SDK is the one `make install_examples` built (what npm would serve); the
plugin comes from the clone. fakecloud (a test double) stands in for the aws and random
plugins the provider uses.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from tests.integration.engine import PROVIDER_ENV, ROOT, Workspace, has_host
from tests.integration.test_package_add import TYPESCRIPT, Project

pytestmark = pytest.mark.timeout(1800)

MISSING_HOSTS = [f"pulumi-language-{h}" for h in ("nodejs", "python") if not has_host(h)]
# Nothing that `make install` or a build makes may be in the clone before the engine runs.
BUILD_OUTPUTS = (".venv", "provider/venv", "sdk/nodejs/bin", "sdk/nodejs/node_modules", ".tools", "examples/model/venv")


def clone_head(into: Path) -> Path:
    """`git clone` of this repository's HEAD: committed files only, as a tag would give them."""
    subprocess.run(["git", "clone", "--quiet", "--no-hardlinks", str(ROOT), str(into)], check=True, timeout=300)
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True)
    cloned = subprocess.run(["git", "rev-parse", "HEAD"], cwd=into, capture_output=True, text=True, check=True)
    assert cloned.stdout == head.stdout
    return into


def requirement_pins(provider: Path) -> set[str]:
    """`name==version` of every line of requirements.txt, names normalised as pip freeze prints them."""
    pins = set()
    for line in (provider / "requirements.txt").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, version = line.split("==")
            pins.add(f"{re.sub(r'[-_.]+', '-', name).lower()}=={version}")
    return pins


def frozen(venv: Path) -> set[str]:
    listed = subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "freeze", "--disable-pip-version-check"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    return {re.sub(r"^([^=]+)", lambda m: re.sub(r"[-_.]+", "-", m[1]).lower(), line) for line in listed}


def stamp_of(provider: Path) -> Path:
    """The launcher's record that the venv was made from this very requirements.txt (its cksum)."""
    with (provider / "requirements.txt").open("rb") as requirements:
        cksum = subprocess.run(["cksum"], stdin=requirements, capture_output=True, text=True, check=True)
    return provider / "venv" / f".mlserving-requirements-{cksum.stdout.split()[0]}"


def planned(preview: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {(s["newState"]["type"], s["urn"].split("::")[-1]): s for s in preview["steps"]}


def test_a_fresh_clone_makes_its_own_environment_and_previews(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    clone = clone_head(tmp_path / "clone")
    provider = clone / "provider"
    assert [p for p in BUILD_OUTPUTS if (clone / p).exists()] == []
    assert os.access(provider / "pulumi-resource-mlserving", os.X_OK)

    monkeypatch.setenv(PROVIDER_ENV, str(provider))
    workspace = Workspace(ROOT / "examples" / "aws-typescript", tmp_path / "program")
    workspace.prepare()
    assert (workspace.root / "provider").resolve() == provider.resolve()
    started = time.time()
    run = workspace.pulumi("preview", "--json", timeout=1500)
    assert run.code == 0, run.output[-6000:]

    steps = planned(run.json())
    assert {s["op"] for s in steps.values()} == {"create"}
    platform = steps[("mlserving:index:MLServingPlatform", "ml")]
    releases = [steps[("mlserving:index:ModelRelease", name)] for name in ("sentiment-v1", "sentiment-v2")]
    children = {key for key, s in steps.items() if s["newState"].get("parent") == platform["urn"]}
    assert {("aws:s3/bucket:Bucket", "ml-artifacts"), ("aws:apigateway/restApi:RestApi", "ml-api")} <= children
    for release in releases:
        name = release["urn"].split("::")[-1]
        assert steps[("aws:sagemaker/endpoint:Endpoint", f"{name}-endpoint")]["newState"]["parent"] == release["urn"]

    # The clone's launcher made provider/venv during this preview, from requirements.txt.
    venv = provider / "venv"
    assert stamp_of(provider).is_file()
    assert venv.stat().st_mtime >= started - 1
    pins = requirement_pins(provider)
    assert pins <= frozen(venv), sorted(pins - frozen(venv))
    assert not (provider / "venv.lock").exists()
    with capsys.disabled():
        print(
            f"\n  git route: clone of HEAD at {clone.name}/ with no venv and no build outputs; preview "
            f"{run.seconds:.0f} s (the launcher made provider/venv from requirements.txt: "
            f"{', '.join(sorted(pins))}); planned {len(steps)} resources: the platform 'ml' and releases "
            "'sentiment-v1', 'sentiment-v2'"
        )


@pytest.mark.skipif(
    bool(MISSING_HOSTS),
    reason=f"NOT RUN: pulumi package add <fresh clone>/provider in a new TypeScript project: needs "
    f"{', '.join(MISSING_HOSTS)}, which the Go module proxy does not serve here",
)
def test_package_add_of_a_fresh_clone(tmp_path: Path) -> None:
    clone = clone_head(tmp_path / "clone")
    provider = clone / "provider"
    assert not (provider / "venv").exists()
    project = Project(TYPESCRIPT, tmp_path)
    project.write("Pulumi.yaml", f"name: new-{TYPESCRIPT.name}\n{TYPESCRIPT.runtime}")
    for name, text in TYPESCRIPT.files.items():
        project.write(name, text)
    shutil.copytree(ROOT / "examples" / "model", project.dir / "model")
    project.run("pulumi", "install")
    project.run("pulumi", "package", "add", str(provider))
    assert re.search(rf"^packages:\n  mlserving: {re.escape(str(provider))}$", project.read("Pulumi.yaml"), re.M)
    assert json.loads(project.read("package.json"))["dependencies"]["@mlserving/pulumi"] == "file:sdks/mlserving"
    project.write(*TYPESCRIPT.program)
    project.run("pulumi", "stack", "init", "dev")
    preview = json.loads(project.run("pulumi", "preview", "--json", "--non-interactive"))
    steps = planned(preview)
    assert ("mlserving:index:MLServingPlatform", "ml") in steps
    assert ("mlserving:index:ModelRelease", "sentiment-v1") in steps
    assert stamp_of(provider).is_file()
    assert requirement_pins(provider) <= frozen(provider / "venv")
