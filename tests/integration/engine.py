"""Running the real Pulumi CLI on a program, offline, with fakecloud (a test double) as the cloud.

A program's preview, up, refresh and destroy run through one of two drivers:
- "host": `pulumi <command>` in the program's directory; the CLI starts the program's
  language host (pulumi-language-<runtime>), as a user's `pulumi up` does.
- "inline": a harness in the program's own language (scripts/inline) runs the
  program's own code, unchanged, in-process through the Automation API, which needs no
  language host; the CLI gets the same arguments (see the harnesses' docstrings).
Every other command (stack, config, export) is the plain CLI in the program's directory.
YAML programs always use the host: pulumi-language-yaml is built by `make install`.

Each program runs from a private copy of the repository layout: a temporary directory
holding a copy of the program and symbolic links to provider/, sdk/, .venv/ and
examples/model, so every relative path in the program (`../../provider`, `../model`)
means what it means in the repository, while stack files and state stay out of it.
Each `Workspace` has its own file backend; every command's fakecloud calls are
recorded to their own file.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Self

import pytest

__all__ = ["OPERATIONS", "ROOT", "TIMINGS", "Phases", "Run", "Workspace", "has_host", "resource_key", "runtime_of"]

ROOT = Path(__file__).resolve().parents[2]
# Shared through the repository root: the program copy links to them.
LINKED = ("provider", "sdk", ".venv", "examples/model")
INSTALLED = ("node_modules", "venv")
PROVIDER_ENV = "MLSERVING_IT_PROVIDER"
"""Set to another provider directory to run the programs against it instead of provider/."""
OPERATIONS = ("preview", "up", "refresh", "destroy")
"""The commands that run the program: through the workspace's driver."""
INLINE = ROOT / "scripts" / "inline"
TIMINGS: list[tuple[str, str, float]] = []
"""(program, command, seconds) of every CLI command, for the session summary."""


@dataclass(frozen=True)
class Run:
    """One CLI command: what it printed, its exit code and the fakecloud calls it caused."""

    args: tuple[str, ...]
    code: int
    stdout: str
    stderr: str
    seconds: float
    calls: tuple[dict[str, Any], ...]

    @property
    def output(self) -> str:
        return self.stdout + self.stderr

    def json(self) -> Any:
        return json.loads(self.stdout)

    def mutations(self) -> list[tuple[str, str, str]]:
        """(method, type, name) of every real (not preview) Create, Update and Delete."""
        return sorted(
            (c["method"], c["type"], c["name"])
            for c in self.calls
            if c["method"] in ("Create", "Update", "Delete") and not c.get("preview", False)
        )


@dataclass
class Phases:
    """What each phase of a workspace's run produced, or where it stopped."""

    workspace: Workspace
    phases: dict[str, Any] = field(default_factory=dict)
    failure: str | None = None

    def need(self, phase: str) -> Any:
        """A phase's result; a test of a phase that was not reached fails with why."""
        if phase not in self.phases:
            pytest.fail(f"{self.workspace.name}: '{phase}' was not reached: {self.failure}", pytrace=False)
        return self.phases[phase]

    def run(self, steps: Callable[[Self], None]) -> Self:
        """Prepare the workspace, run `steps(self)` and remove the stack; a failure is kept for the tests
        of the phases not reached (so scenarios can run side by side in threads)."""
        try:
            self.workspace.prepare()
            steps(self)
            self.workspace.remove()
        except Exception as err:  # reported by the tests of the phases not reached
            self.failure = f"{type(err).__name__}: {err}"
        return self

    def drift(self, *args: str) -> None:
        """`python -m tests.fakecloud.drift --state <the workspace's cloud state> <args>`: change the stand-in
        cloud behind Pulumi's back."""
        done = subprocess.run(
            [sys.executable, "-m", "tests.fakecloud.drift", "--state", str(self.workspace.cloud_state), *args],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, f"drift {' '.join(args)} failed:\n{done.stdout}{done.stderr}"


def resource_key(resource: Mapping[str, Any]) -> tuple[str, str]:
    """(type, name) of a resource in an exported state."""
    return resource["type"], resource["urn"].split("::")[-1]


@dataclass
class Workspace:
    """A program in a private copy of the repository layout, with its own stack and backend."""

    program: Path
    """The program's directory in the repository (examples/aws-python, ...)."""
    base: Path
    driver: str = "inline"
    """"inline" (the Automation API, no language host) or "host" (the language host); YAML: always "host"."""
    stack: str = "itest"
    files: dict[str, str] = field(default_factory=dict)
    """Files written over the program copy before the harness is built (bench/: generated programs)."""
    env: dict[str, str] = field(default_factory=dict)
    counter: int = 0
    installed_from: Path | None = None
    """Where the program's installed dependencies (node_modules, venv) are, if not beside it: a test
    program borrows an example's."""

    def __post_init__(self) -> None:
        if runtime_of(self.program) == "yaml":
            self.driver = "host"

    @property
    def name(self) -> str:
        return self.program.name

    @property
    def cloud_state(self) -> Path:
        """fakecloud's cloud-side state directory for this workspace (tests.fakecloud.drift changes it)."""
        return self.base / "cloud"

    @property
    def runtime(self) -> str:
        return runtime_of(self.program)

    @property
    def root(self) -> Path:
        return self.base / "repo"

    @property
    def cwd(self) -> Path:
        return self.root / self.program.relative_to(ROOT)

    def prepare(self) -> None:
        for linked in LINKED:
            link = self.root / linked
            link.parent.mkdir(parents=True, exist_ok=True)
            link.symlink_to(ROOT / linked)
        if os.environ.get(PROVIDER_ENV):  # e.g. a `git worktree` of another commit, to bisect
            (self.root / "provider").unlink()
            (self.root / "provider").symlink_to(Path(os.environ[PROVIDER_ENV]).resolve())
        for source in _program_files(self.program):
            target = self.cwd / source.relative_to(self.program)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
        self.cwd.mkdir(parents=True, exist_ok=True)
        for name, text in self.files.items():
            (self.cwd / name).write_text(text, encoding="utf-8")
        # The dependencies `make install_examples` installed (git-ignored, so not copied).
        for installed in INSTALLED:
            source = (self.installed_from or self.program) / installed
            if source.is_dir():
                (self.cwd / installed).symlink_to(source)
        if self.driver == "inline":
            self._build_inline()
        state = self.base / "state"
        state.mkdir()
        self.env = {
            **os.environ,
            "PULUMI_BACKEND_URL": f"file://{state}",
            "PULUMI_CONFIG_PASSPHRASE": "integration",
            # fakecloud's cloud-side state, shared by every plugin process of this workspace and
            # kept between commands: refresh reads it, and tests change it behind Pulumi's back.
            "FAKECLOUD_STATE": str(self.cloud_state),
        }
        self.pulumi("stack", "init", check=True)

    def _build_inline(self) -> None:
        """Put the inline harness beside the program copy and build it (TypeScript: tsc; Go: go build)."""
        if self.runtime == "nodejs":
            shutil.copy2(INLINE / "inline.ts", self.cwd / "inline.ts")
            config = {"extends": "./tsconfig.json", "compilerOptions": {"outDir": ".inline"}}
            (self.cwd / "tsconfig.inline.json").write_text(json.dumps({**config, "files": ["index.ts", "inline.ts"]}))
            _build(["node_modules/.bin/tsc", "-p", "tsconfig.inline.json"], self.cwd)
        elif self.runtime == "go":
            shutil.copy2(INLINE / "inline_harness.go", self.cwd / "zz_inline_harness.go")
            build = ["go", "build", "-mod=mod", "-tags", "mlserving_inline", "-o", ".inline/program", "."]
            _build(build, self.cwd)

    def command(self, *args: str) -> tuple[str, ...]:
        """The argv of `pulumi <args> --stack <stack>` for this workspace's driver."""
        full = (*args, "--stack", self.stack, "--non-interactive")
        if self.driver == "host" or args[0] not in OPERATIONS:
            return ("pulumi", *full)
        harness = {
            "python": (str(self.cwd / "venv" / "bin" / "python"), str(INLINE / "inline.py")),
            "nodejs": ("node", ".inline/inline.js"),
            "go": ("./.inline/program",),
        }
        return (*harness[self.runtime], *full)

    def pulumi(self, *args: str, check: bool = False, timeout: float = 900) -> Run:
        """Run `pulumi <args> --stack <stack>` in the program copy, through the driver."""
        self.counter += 1
        record = self.base / f"calls-{self.counter:02d}-{args[0]}.jsonl"
        full = self.command(*args)
        started = time.monotonic()
        done = subprocess.run(
            full,
            cwd=self.cwd,
            env={**self.env, "FAKECLOUD_RECORD": str(record)},
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        seconds = time.monotonic() - started
        TIMINGS.append(
            (f"{self.name} ({self.driver})", " ".join(args[:2]) if args[0] in ("config", "stack") else args[0], seconds)
        )
        calls = tuple(json.loads(line) for line in record.read_text().splitlines()) if record.exists() else ()
        run = Run(full, done.returncode, done.stdout, done.stderr, seconds, calls)
        if check and run.code != 0:
            raise AssertionError(f"{' '.join(full)} failed ({run.code}) in {self.name}:\n{run.output[-6000:]}")
        return run

    def export(self) -> list[dict[str, Any]]:
        """The stack's resources (`pulumi stack export --show-secrets`)."""
        state = self.pulumi("stack", "export", "--show-secrets", check=True).json()
        return list(state["deployment"].get("resources") or [])

    def outputs(self) -> dict[str, Any]:
        return dict(self.pulumi("stack", "output", "--json", "--show-secrets", check=True).json())

    def remove(self) -> None:
        self.pulumi("stack", "rm", "--yes", "--force")


def runtime_of(program: Path) -> str:
    """The `runtime:` of a program's Pulumi.yaml (`runtime: go` or `runtime:\n  name: python`)."""
    text = (program / "Pulumi.yaml").read_text()
    match = re.search(r"^runtime:\s*(?:name:\s*)?(\w+)\s*$|^runtime:\s*\n\s+name:\s*(\w+)", text, re.MULTILINE)
    assert match, f"{program}/Pulumi.yaml names no runtime"
    return match.group(1) or match.group(2)


def has_host(runtime: str) -> bool:
    """Whether the CLI can run programs of this runtime from their directory."""
    return shutil.which(f"pulumi-language-{runtime}") is not None


def _build(argv: list[str], cwd: Path) -> None:
    done = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, check=False, timeout=900)
    if done.returncode != 0:
        raise AssertionError(f"{' '.join(argv)} failed in {cwd}:\n{done.stdout}{done.stderr}")


def _program_files(program: Path) -> Iterable[Path]:
    """The program's files that git would keep (tracked or not ignored): no stacks, builds, node_modules."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "--", str(program.relative_to(ROOT))],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    return [ROOT / line for line in sorted(set(listed)) if (ROOT / line).is_file()]
