"""After a release is published: each SDK from its public registry, in a fresh project, previewed.

For TypeScript (npm), Python (PyPI) and Go (the Go module proxy), a new project outside the
repository gets the SDK at exactly the released version from its registry, the docs' example
(docs/_index.md) as its program with examples/model as `./model`, then `pulumi install` and
`pulumi preview` on a local backend. The preview must plan both components and no error.

What this proves that `make dist` cannot: the registries serve what was published, under the
names and versions the docs give, and the mlserving provider plugin comes the way a user gets
it: the CLI fetches it from the SDKs' plugin download URL (the git tag `v<version>`) and the
provider makes its own environment. The cloud is fakecloud, the test double of the aws,
azure-native and random plugins (`scripts/engine-env.sh` puts it in PULUMI_HOME), so the
preview needs no credentials; the caller allows plugin downloads for the git route:

    eval "$(MLSERVING_OFFLINE=1 scripts/engine-env.sh "$PWD" "$(dirname "$(command -v pulumi)")" .venv)"
    unset PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION
    python -m release_tools.published 0.2.0 [typescript python go]

The registries may take minutes to serve a new version: each install is retried.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from release_tools import ROOT
from release_tools.dist import GO_MODULE, NODE_DEV_PINS, NODE_PINS, NPM_NAME, docs_example
from release_tools.version import pypi_version

__all__ = ["LANGUAGES", "Consumer", "consumers", "planned_components", "verify"]

LANGUAGES = ("typescript", "python", "go")
COMPONENTS = {"mlserving:index:MLServingPlatform", "mlserving:index:ModelRelease"}
PY_DIST = "pulumi-mlserving"
PULUMI_PIN = NODE_PINS["@pulumi/pulumi"]
ATTEMPTS, PAUSE = 10, 30.0


class PublishedError(Exception):
    """A published SDK could not be installed or previewed; the message has the command and its output."""


@dataclass(frozen=True)
class Consumer:
    """A new project of one language that takes the SDK from its registry."""

    language: str
    runtime: str
    files: dict[str, str]
    install: tuple[str, ...]
    """The command that fetches the SDK from its registry (retried while the registry catches up)."""


def consumers(version: str) -> dict[str, Consumer]:
    """The three projects, each asking for exactly `version` (npm and Go) or its PEP 440 form (PyPI)."""
    package_json = {
        "name": "mlserving-published-typescript",
        "private": True,
        "main": "index.ts",
        "dependencies": {NPM_NAME: version, **NODE_PINS},
        "devDependencies": NODE_DEV_PINS,
    }
    return {
        "typescript": Consumer(
            "typescript",
            "runtime:\n  name: nodejs\n  options:\n    packagemanager: npm\n",
            {"package.json": json.dumps(package_json, indent=4) + "\n", "index.ts": docs_example("typescript")},
            ("npm", "install", "--prefer-online", "--no-audit", "--no-fund", "--loglevel=error"),
        ),
        "python": Consumer(
            "python",
            "runtime:\n  name: python\n  options:\n    toolchain: pip\n    virtualenv: venv\n",
            {
                "requirements.txt": f"{PY_DIST}=={pypi_version(version)}\npulumi=={PULUMI_PIN}\n",
                "__main__.py": docs_example("python"),
            },
            ("pulumi", "install"),
        ),
        "go": Consumer(
            "go",
            "runtime: go\n",
            {
                "go.mod": f"module mlserving.local/published\n\ngo 1.25\n\nrequire {GO_MODULE} v{version}\n",
                "main.go": docs_example("go"),
            },
            ("go", "mod", "tidy"),
        ),
    }


def planned_components(preview: dict[str, Any]) -> dict[str, str]:
    """`type -> op` of the components a `pulumi preview --json` plans; a PublishedError on any error diagnostic."""
    errors = [d.get("message", "") for d in preview.get("diagnostics", []) if d.get("severity") == "error"]
    if errors:
        raise PublishedError("the preview reported errors:\n" + "\n".join(errors))
    planned = {
        step["newState"]["type"]: step["op"]
        for step in preview.get("steps", [])
        if step.get("newState", {}).get("type") in COMPONENTS
    }
    if set(planned) != COMPONENTS:
        raise PublishedError(f"the preview plans {sorted(planned)}, not both components {sorted(COMPONENTS)}")
    return planned


def _run(argv: Sequence[str], cwd: Path, env: dict[str, str], timeout: float = 1800) -> str:
    done = subprocess.run(list(argv), cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False)
    if done.returncode != 0:
        raise PublishedError(
            f"`{' '.join(argv)}` failed ({done.returncode}) in {cwd}:\n{(done.stdout + done.stderr)[-6000:]}"
        )
    return done.stdout


def _retried(action: Callable[[], str], what: str, attempts: int = ATTEMPTS, pause: float = PAUSE) -> str:
    """`action`, tried again while a registry does not serve the new version yet."""
    for attempt in range(1, attempts + 1):
        try:
            return action()
        except PublishedError as err:
            if attempt == attempts:
                raise PublishedError(f"{what}: still failing after {attempts} attempts:\n{err}") from err
            print(f"  {what}: attempt {attempt} failed, again in {pause:.0f} s", flush=True)
            time.sleep(pause)
    raise AssertionError("unreachable")


def verify(version: str, language: str, base: Path) -> str:
    """Install the published SDK of one language into a new project under `base` and preview it."""
    consumer = consumers(version)[language]
    project = base / language
    project.mkdir(parents=True)
    (project / "Pulumi.yaml").write_text(f"name: published-{language}\n{consumer.runtime}")
    for name, text in consumer.files.items():
        (project / name).write_text(text)
    shutil.copytree(
        ROOT / "examples" / "model", project / "model", ignore=shutil.ignore_patterns("venv", "__pycache__")
    )
    state = base / f"state-{language}"
    state.mkdir()
    env = {
        **os.environ,
        "PULUMI_BACKEND_URL": f"file://{state}",
        "PULUMI_CONFIG_PASSPHRASE": "published",
        "GOFLAGS": "-mod=mod",
    }
    _retried(lambda: _run(consumer.install, project, env), f"{language}: {' '.join(consumer.install)}")
    _run(["pulumi", "stack", "init", "published"], project, env)
    preview = json.loads(_run(["pulumi", "preview", "--json", "--non-interactive"], project, env))
    planned = planned_components(preview)
    steps = len(preview.get("steps", []))
    return f"{language}: the published SDK {version} previews: {steps} steps, {', '.join(sorted(planned))} planned"


def main(argv: list[str]) -> int:
    if not argv or any(lang not in LANGUAGES for lang in argv[1:]):
        print(f"usage: python -m release_tools.published <version> [{' '.join(LANGUAGES)}]", file=sys.stderr)
        return 2
    version, languages = argv[0], argv[1:] or list(LANGUAGES)
    failed = 0
    with tempfile.TemporaryDirectory(prefix="mlserving-published-") as tmp:
        for language in languages:
            try:
                print(f"published: {verify(version, language, Path(tmp))}", flush=True)
            except (PublishedError, subprocess.TimeoutExpired, ValueError) as err:
                print(f"published: {language}: FAILED: {err}", file=sys.stderr, flush=True)
                failed += 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
