"""The README's workflow from scratch: `pulumi package add <repo>/provider` in a new project.

For TypeScript, Go and Python: a new project in a temporary directory (the files
`pulumi new <language>` would write; its templates are not reachable offline), then
what a user types:

    pulumi install
    pulumi package add <repo>/provider     # generates sdks/mlserving and wires it in
    <write a few lines using both components>
    go mod tidy                            # Go only: require the new import
    pulumi preview

`package add` must record the package in Pulumi.yaml and wire the local SDK into the
language's own manifest (package.json, go.mod, requirements.txt); `preview` must plan
the platform and the release, with their children under them, the artifact uploaded
from the program's relative `./model` path. fakecloud (a test double) stands in for the
aws and random plugins the provider uses.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pulumi
import pytest
from mlserving_provider.artifact import prepare_artifact

from tests.integration.engine import ROOT, TIMINGS, has_host

pytestmark = pytest.mark.timeout(1500)

PROVIDER = ROOT / "provider"
MODEL = ROOT / "examples" / "model"
IMAGE = "763104351884.dkr.ecr.eu-west-1.amazonaws.com/pytorch-inference:2.3-cpu-py311"
GO_SDK_MODULE = "github.com/mlserving/pulumi-mlserving/sdk/go"


@dataclass(frozen=True)
class Language:
    name: str
    runtime: str
    """Pulumi.yaml `runtime:` block."""
    files: dict[str, str]
    """The new project's files (what `pulumi new` writes), before `package add`."""
    program: tuple[str, str]
    """(file, text) written after `package add`: both components, as a user would."""

    @property
    def host(self) -> str:
        return str(re.findall(r"(?:name: |runtime: )(\w+)", self.runtime)[0])

    @property
    def missing_hosts(self) -> list[str]:
        """`pulumi install`, `package add` and `preview` in a project directory need its language's host,
        and `package add` of a PulumiPlugin.yaml provider needs the python host."""
        return [f"pulumi-language-{h}" for h in sorted({self.host, "python"}) if not has_host(h)]


TYPESCRIPT = Language(
    name="typescript",
    runtime="runtime:\n  name: nodejs\n  options:\n    packagemanager: npm\n",
    files={
        "package.json": json.dumps(
            {
                "name": "new-typescript",
                "main": "index.ts",
                "dependencies": {"@pulumi/pulumi": "3.260.0"},
                "devDependencies": {"@types/node": "20.19.43", "typescript": "5.9.3"},
            },
            indent=4,
        ),
        "tsconfig.json": json.dumps(
            {
                "compilerOptions": {
                    "strict": True,
                    "target": "ES2022",
                    "module": "commonjs",
                    "moduleResolution": "node",
                },
                "files": ["index.ts"],
            },
            indent=4,
        ),
        "index.ts": 'import * as pulumi from "@pulumi/pulumi";\n',
    },
    program=(
        "index.ts",
        f"""import * as pulumi from "@pulumi/pulumi";
import * as mlserving from "@mlserving/pulumi";

const platform = new mlserving.MLServingPlatform("ml", {{ cloud: mlserving.Cloud.Aws }});
const release = new mlserving.ModelRelease("sentiment-v1", {{
    platform,
    modelName: "sentiment",
    version: "1.0.0",
    apiVersion: "v1",
    artifact: new pulumi.asset.FileArchive("./model"),
    image: "{IMAGE}",
}});
export const apiBaseUrl = platform.apiBaseUrl;
export const invokeUrl = release.invokeUrl;
""",
    ),
)

GO = Language(
    name="go",
    runtime="runtime: go\n",
    files={
        "go.mod": "module new-go\n\ngo 1.25\n\nrequire github.com/pulumi/pulumi/sdk/v3 v3.260.0\n",
        "main.go": """package main

import "github.com/pulumi/pulumi/sdk/v3/go/pulumi"

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error { return nil })
}
""",
    },
    program=(
        "main.go",
        f"""package main

import (
	"github.com/mlserving/pulumi-mlserving/sdk/go/mlserving"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

func main() {{
	pulumi.Run(func(ctx *pulumi.Context) error {{
		platform, err := mlserving.NewMLServingPlatform(ctx, "ml", &mlserving.MLServingPlatformArgs{{Cloud: mlserving.CloudAws}})
		if err != nil {{
			return err
		}}
		release, err := mlserving.NewModelRelease(ctx, "sentiment-v1", &mlserving.ModelReleaseArgs{{
			Platform:   platform,
			ModelName:  "sentiment",
			Version:    "1.0.0",
			ApiVersion: "v1",
			Artifact:   pulumi.NewFileArchive("./model"),
			Image:      pulumi.String("{IMAGE}"),
		}})
		if err != nil {{
			return err
		}}
		ctx.Export("apiBaseUrl", platform.ApiBaseUrl)
		ctx.Export("invokeUrl", release.InvokeUrl)
		return nil
	}})
}}
""",
    ),
)

PYTHON = Language(
    name="python",
    runtime="runtime:\n  name: python\n  options:\n    toolchain: pip\n    virtualenv: venv\n",
    files={"requirements.txt": "pulumi==3.260.0\n", "__main__.py": "import pulumi\n"},
    program=(
        "__main__.py",
        f"""import pulumi
import pulumi_mlserving as mlserving

platform = mlserving.MLServingPlatform("ml", cloud=mlserving.Cloud.AWS)
release = mlserving.ModelRelease(
    "sentiment-v1",
    platform=platform,
    model_name="sentiment",
    version="1.0.0",
    api_version="v1",
    artifact=pulumi.FileArchive("./model"),
    image="{IMAGE}",
)
pulumi.export("apiBaseUrl", platform.api_base_url)
pulumi.export("invokeUrl", release.invoke_url)
""",
    ),
)


class CommandError(Exception):
    """A step of the workflow failed; the message has the command and its output."""


class Project:
    """A new project in a temporary directory with its own file backend."""

    def __init__(self, language: Language, base: Path) -> None:
        self.language = language
        self.dir = base / f"new-{language.name}"
        self.dir.mkdir()
        state = base / "state"
        state.mkdir()
        self.env = {**os.environ, "PULUMI_BACKEND_URL": f"file://{state}", "PULUMI_CONFIG_PASSPHRASE": "package-add"}

    def run(self, *args: str, timeout: float = 900) -> str:
        """Run a command in the project and return its stdout; raise CommandError with its output if it fails."""
        started = time.monotonic()
        done = subprocess.run(
            args, cwd=self.dir, env=self.env, capture_output=True, text=True, timeout=timeout, check=False
        )
        TIMINGS.append((f"package-add-{self.language.name}", " ".join(args[:3]), time.monotonic() - started))
        if done.returncode != 0:
            raise CommandError(
                f"`{' '.join(args)}` failed ({done.returncode}) in the new {self.language.name} project:\n"
                f"{(done.stdout + done.stderr)[-6000:]}"
            )
        return done.stdout

    def write(self, name: str, text: str) -> None:
        (self.dir / name).write_text(text)

    def read(self, name: str) -> str:
        return (self.dir / name).read_text()


@dataclass
class Flow:
    """What each step of one language's workflow produced, or where it stopped."""

    project: Project
    steps: dict[str, Any] = field(default_factory=dict)
    failure: str | None = None

    def need(self, step: str) -> Any:
        if step not in self.steps:
            pytest.fail(f"{self.project.language.name}: '{step}' was not reached: {self.failure}", pytrace=False)
        return self.steps[step]


def run_flow(project: Project) -> Flow:
    """The README's workflow in a new project: install, package add, a program, preview."""
    flow = Flow(project)
    language = project.language
    try:
        project.write("Pulumi.yaml", f"name: new-{language.name}\n{language.runtime}")
        for name, text in language.files.items():
            project.write(name, text)
        shutil.copytree(MODEL, project.dir / "model")
        project.run("pulumi", "install")
        flow.steps["package add"] = project.run("pulumi", "package", "add", str(PROVIDER))
        project.write(*language.program)
        if language is GO:
            project.run("go", "mod", "tidy")
        project.run("pulumi", "stack", "init", "dev")
        flow.steps["preview"] = json.loads(project.run("pulumi", "preview", "--json", "--non-interactive"))
    except (CommandError, subprocess.TimeoutExpired, OSError, ValueError) as err:  # reported by the tests
        flow.failure = f"{type(err).__name__}: {err}"
    return flow


@pytest.fixture(scope="session")
def flows(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Flow]:
    """The three languages' workflows, side by side (each has its own directory and backend)."""
    projects = [
        Project(lang, tmp_path_factory.mktemp(f"package-add-{lang.name}"))
        for lang in LANGUAGES
        if not lang.missing_hosts
    ]
    with ThreadPoolExecutor(max_workers=max(1, len(projects))) as pool:
        return {flow.project.language.name: flow for flow in pool.map(run_flow, projects)}


@pytest.fixture(scope="session")
def model_sha256() -> str:
    return prepare_artifact(pulumi.FileArchive(str(MODEL))).sha256


LANGUAGES = [TYPESCRIPT, GO, PYTHON]
NAMES = [
    pytest.param(
        lang.name,
        id=lang.name,
        marks=[
            pytest.mark.skip(
                reason=f"NOT RUN: pulumi package add in a new {lang.name} project: needs {', '.join(lang.missing_hosts)}, "
                "which the Go module proxy does not serve here"
            )
        ]
        if lang.missing_hosts
        else [],
    )
    for lang in LANGUAGES
]


@pytest.mark.parametrize("name", NAMES)
def test_package_add_records_the_package_and_wires_the_local_sdk(flows: dict[str, Flow], name: str) -> None:
    flow = flows[name]
    added: str = flow.need("package add")
    project = flow.project
    assert re.search(
        rf"^packages:\n  mlserving: {re.escape(str(PROVIDER))}$", project.read("Pulumi.yaml"), re.MULTILINE
    )
    assert (project.dir / "sdks" / "mlserving").is_dir()
    if name == "typescript":
        manifest = json.loads(project.read("package.json"))
        assert manifest["dependencies"]["@mlserving/pulumi"] == "file:sdks/mlserving"
        assert 'import * as mlserving from "@mlserving/pulumi";' in added
    elif name == "go":
        go_mod = project.read("go.mod")
        assert re.search(rf"^replace {re.escape(GO_SDK_MODULE)} => \./sdks/mlserving$", go_mod, re.MULTILINE), go_mod
        assert f'"{GO_SDK_MODULE}/mlserving"' in added
    else:
        assert "sdks/mlserving" in project.read("requirements.txt").splitlines()
        assert "import pulumi_mlserving" in added


@pytest.mark.parametrize("name", NAMES)
def test_preview_plans_both_components_and_their_children(flows: dict[str, Flow], name: str, model_sha256: str) -> None:
    preview: dict[str, Any] = flows[name].need("preview")
    planned = {(s["newState"]["type"], s["urn"].split("::")[-1]): s for s in preview["steps"]}
    assert {s["op"] for s in preview["steps"]} == {"create"}
    stack_urn = next(s["urn"] for (t, _), s in planned.items() if t == "pulumi:pulumi:Stack")
    platform = planned[("mlserving:index:MLServingPlatform", "ml")]
    release = planned[("mlserving:index:ModelRelease", "sentiment-v1")]
    assert platform["newState"]["parent"] == stack_urn
    assert release["newState"]["parent"] == stack_urn

    def children(component: dict[str, Any]) -> set[tuple[str, str]]:
        return {key for key, s in planned.items() if s["newState"].get("parent") == component["urn"]}

    assert {
        ("aws:s3/bucket:Bucket", "ml-artifacts"),
        ("aws:cloudfront/distribution:Distribution", "ml-cdn"),
        ("aws:apigateway/restApi:RestApi", "ml-api"),
        ("aws:cloudwatch/eventBus:EventBus", "ml-bus"),
        ("random:index/randomPassword:RandomPassword", "ml-api-key-value"),
    } <= children(platform)
    assert {
        ("aws:s3/bucketObjectv2:BucketObjectv2", "sentiment-v1-artifact"),
        ("aws:sagemaker/model:Model", "sentiment-v1-model"),
        ("aws:sagemaker/endpoint:Endpoint", "sentiment-v1-endpoint"),
        ("aws:apigateway/stage:Stage", "sentiment-v1-stage"),
    } <= children(release)
    # The artifact came from the program's own ./model (a relative path), content-addressed.
    artifact = planned[("aws:s3/bucketObjectv2:BucketObjectv2", "sentiment-v1-artifact")]
    assert artifact["newState"]["inputs"]["key"] == f"models/sentiment/v1/1.0.0/{model_sha256}/model.tar.gz"
    # And nothing of the cloud is planned outside the two components.
    assert all(
        s["newState"].get("parent") in (platform["urn"], release["urn"])
        for (t, _), s in planned.items()
        if t.startswith(("aws:", "random:"))
    )
