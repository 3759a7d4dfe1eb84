"""`make install` on a Pulumi user's machine: scripts/build-pulumi-cli.sh against a user's install.

The official Pulumi install puts `pulumi`, every `pulumi-language-*` host and
`pulumi-language-python-exec` side by side in one directory on PATH. The script must use that
install as it is (links in .tools/pulumi-<version>/bin, nothing built, no Go), refuse a CLI older
than the pinned one with what to do, and run every go command it still needs inside its tools
module (a `go list -m` or `go get` outside a module fails with "go.mod file not found").

Each test copies the script into a scratch repository and runs it with a PATH that holds only
the fake install, a stub `go` that records every call (and refuses it where Go is forbidden)
and the few system tools the script uses: no network, nothing of this repository's .tools.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from release_tools import ROOT
from tests.integration.engine import has_host

PINNED = re.findall(r"^PULUMI_VERSION\s*:=\s*(\S+)$", (ROOT / "Makefile").read_text(encoding="utf-8"), re.M)[0]
YAML_PINNED = re.findall(r"^PULUMI_YAML_VERSION\s*:=\s*(\S+)$", (ROOT / "Makefile").read_text(encoding="utf-8"), re.M)[
    0
]
HOSTS = ("python", "nodejs", "go")
OFFICIAL = (
    "pulumi",
    *(f"pulumi-language-{h}" for h in (*HOSTS, "yaml")),
    "pulumi-language-python-exec",
)
SYSTEM_TOOLS = (
    "bash", "cat", "dirname", "head", "install", "ln", "mkdir", "readlink", "rm", "sed", "sort", "tail", "touch", "tr",
)  # fmt: skip
REFUSED = (
    "go: {module}@v{version}: reading https://proxy.invalid/{module}/@v/v{version}.info: 403 Forbidden\n"
    "\tserver response: not available"
)


def executable(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return path


@dataclass
class Machine:
    """A scratch repository holding the script, a user's Pulumi install and a stub `go`."""

    tmp: Path

    @property
    def repo(self) -> Path:
        return self.tmp / "repo"

    @property
    def install(self) -> Path:
        """Where the official install script puts everything: ~/.pulumi/bin."""
        return self.tmp / "home" / ".pulumi" / "bin"

    @property
    def tools(self) -> Path:
        return self.repo / ".tools" / f"pulumi-{PINNED}"

    @property
    def bin(self) -> Path:
        return self.tools / "bin"

    @property
    def go_calls(self) -> Path:
        return self.tmp / "go-calls.log"

    def user_install(self, cli_version: str, leave_out: tuple[str, ...] = ()) -> None:
        for name in OFFICIAL:
            if name in leave_out:
                continue
            if name == "pulumi":
                executable(self.install / name, f'#!/bin/sh\n[ "$1" = version ] && echo v{cli_version}\nexit 0\n')
            else:
                executable(self.install / name, f"#!/bin/sh\necho {name} from the user install\n")

    def stub_go(self, proxy_refuses_hosts: bool) -> None:
        """`go`: every call recorded as `<cwd has go.mod: module|no-module> <args>`. Go is forbidden
        (exit 97) unless `proxy_refuses_hosts`: then `go get` of a host answers as our proxy does."""
        refuse = ""
        if proxy_refuses_hosts:
            refuse = (
                'if [ "$1" = get ]; then\n'
                '  mod="${2%@*}"; ver="${2##*@v}"\n'
                f"  printf '%s\\n' \"{REFUSED.format(module='$mod', version='$ver')}\" >&2\n"
                "  exit 1\n"
                "fi\n"
            )
        executable(
            self.tmp / "stubs" / "go",
            "#!/bin/sh\n"
            "if [ -f go.mod ]; then where=module; else where=no-module; fi\n"
            f'echo "$where $*" >> "{self.go_calls}"\n'
            f"{refuse}"
            'echo "go is forbidden in this test: go $*" >&2\n'
            "exit 97\n",
        )

    def path(self, *first: Path) -> str:
        system = self.tmp / "system"
        if not system.is_dir():
            system.mkdir()
            for tool in SYSTEM_TOOLS:
                found = shutil.which(tool)
                assert found, f"the test needs {tool} on PATH"
                (system / tool).symlink_to(found)
        return os.pathsep.join(str(p) for p in (*first, self.tmp / "stubs", system))

    def run(self, path: str | None = None) -> subprocess.CompletedProcess[str]:
        script = self.repo / "scripts" / "build-pulumi-cli.sh"
        if not script.exists():
            script.parent.mkdir(parents=True)
            shutil.copy2(ROOT / "scripts" / "build-pulumi-cli.sh", script)
        env = {
            "PATH": path if path is not None else self.path(self.install),
            "HOME": str(self.tmp / "home"),
            "PULUMI_VERSION": PINNED,
            "PULUMI_YAML_VERSION": YAML_PINNED,
        }
        return subprocess.run(
            ["bash", str(script)], cwd=self.repo, env=env, capture_output=True, text=True, timeout=60, check=False
        )

    def calls(self) -> list[str]:
        return self.go_calls.read_text(encoding="utf-8").splitlines() if self.go_calls.exists() else []

    def links(self) -> dict[str, str]:
        """bin/'s entries: name -> what each links to (relative to the scratch directory)."""
        if not self.bin.is_dir():
            return {}
        return {p.name: str(Path(os.readlink(p)).relative_to(self.tmp)) for p in sorted(self.bin.iterdir())}


@pytest.fixture
def machine(tmp_path: Path) -> Machine:
    return Machine(tmp_path)


def test_a_user_install_is_used_as_it_is_and_go_is_never_called(
    machine: Machine, monkeypatch: pytest.MonkeyPatch
) -> None:
    machine.user_install("3.280.0")
    machine.stub_go(proxy_refuses_hosts=False)
    done = machine.run()
    assert done.returncode == 0, done.stderr
    assert machine.calls() == []
    assert machine.links() == {name: f"home/.pulumi/bin/{name}" for name in sorted(OFFICIAL)}
    assert (machine.tools / "HOSTS").read_text() == "python nodejs go\n"
    assert (machine.tools / "SOURCE").read_text() == f"linked from {machine.install}/pulumi (v3.280.0)\n"
    assert not (machine.tools / "MISSING").exists()
    install = machine.install
    lines = done.stdout.splitlines()
    # How long it took: seconds, whatever the machine.
    lines[5] = re.sub(r", in \d+ s$", ", in <n> s", lines[5])
    assert lines == [
        f"pulumi CLI: using {install}/pulumi (v3.280.0 >= v{PINNED})",
        f"pulumi-language-yaml: using {install}/pulumi-language-yaml (shipped with the CLI)",
        f"pulumi-language-python: using {install}/pulumi-language-python",
        f"pulumi-language-nodejs: using {install}/pulumi-language-nodejs",
        f"pulumi-language-go: using {install}/pulumi-language-go",
        f"pulumi CLI v{PINNED}: ready: v3.280.0 (linked from {install}/pulumi (v3.280.0)), in <n> s",
        "hosts: python nodejs go: make test also runs the host-only tests (pulumi up in each example directory, "
        "pulumi package add in TypeScript, Go and Python)",
    ]
    # What the integration tests decide by (engine.has_host) with the engine's PATH, .tools first:
    # the host-only tests run.
    monkeypatch.setenv("PATH", str(machine.bin))
    assert [h for h in HOSTS if has_host(h)] == list(HOSTS)


def test_a_second_run_does_nothing(machine: Machine) -> None:
    machine.user_install("3.280.0")
    machine.stub_go(proxy_refuses_hosts=False)
    assert machine.run().returncode == 0
    again = machine.run()
    assert again.returncode == 0, again.stderr
    assert again.stdout == (
        f"pulumi CLI v{PINNED}: ready in .tools/pulumi-{PINNED} (v3.280.0, linked from {machine.install}/pulumi "
        "(v3.280.0)); hosts: python nodejs go\n"
    )
    assert machine.calls() == []


def test_the_install_is_found_through_a_link_to_its_cli(machine: Machine) -> None:
    """A package manager's bin/ may hold only a link to the CLI: the hosts are beside what it links to."""
    machine.user_install("3.280.0")
    machine.stub_go(proxy_refuses_hosts=False)
    linked = machine.tmp / "usr-local-bin"
    linked.mkdir()
    (linked / "pulumi").symlink_to(machine.install / "pulumi")
    done = machine.run(machine.path(linked))
    assert done.returncode == 0, done.stderr
    assert machine.calls() == []
    assert machine.links() == {
        "pulumi": "usr-local-bin/pulumi",
        **{name: f"home/.pulumi/bin/{name}" for name in OFFICIAL if name != "pulumi"},
    }
    assert (machine.tools / "HOSTS").read_text() == "python nodejs go\n"


def test_a_cli_older_than_the_pinned_one_is_refused_with_what_to_do(machine: Machine) -> None:
    machine.user_install("3.250.0")
    machine.stub_go(proxy_refuses_hosts=False)
    done = machine.run()
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.splitlines()[:3] == [
        f"ERROR: the Pulumi CLI on PATH, {machine.install}/pulumi, is v3.250.0: older than v{PINNED}, the CLI this",
        "repository is built and tested with. A CLI may be newer than the pinned versions, never older.",
        "Nothing was installed. Either:",
    ]
    assert f"`pulumi self upgrade`, or the official install script\n    with `--version {PINNED}`" in done.stderr
    assert "take its directory off PATH for `make install` and `make test`" in done.stderr
    assert machine.calls() == []
    assert machine.links() == {}
    assert not (machine.tools / ".built").exists()


def test_a_missing_host_is_tried_from_the_proxy_inside_the_tools_module(machine: Machine) -> None:
    """No nodejs host and a python host without its exec script: go runs only inside a module."""
    machine.user_install("3.280.0", leave_out=("pulumi-language-nodejs", "pulumi-language-python-exec"))
    machine.stub_go(proxy_refuses_hosts=True)
    done = machine.run()
    assert done.returncode == 0, done.stderr
    nodejs = "github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3"
    assert machine.calls() == [f"module get {nodejs}@v{PINNED}"]
    assert (machine.tools / "HOSTS").read_text() == "go\n"
    install = machine.install
    assert (machine.tools / "MISSING").read_text().splitlines() == [
        f"pulumi-language-python: found {install}/pulumi-language-python, but no pulumi-language-python-exec "
        "beside it (the host cannot run a program without it)",
        f"pulumi-language-nodejs: not built: go: {nodejs}@v{PINNED}: 403 Forbidden server response: not available ",
    ]
    assert sorted(machine.links()) == ["pulumi", "pulumi-language-go", "pulumi-language-yaml"]
