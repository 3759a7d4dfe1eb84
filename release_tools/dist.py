"""`make dist`: the three SDK packages, built and checked as a user would receive them.

Into dist/:
- the Python wheel and sdist (`python -m build` of a copy of sdk/python with the LICENSE);
- the npm tarball (`npm pack` of the compiled sdk/nodejs/bin with package.json, README.md
  and LICENSE, as Pulumi's own providers pack it);
- the Go module zip of `github.com/mlserving/pulumi-mlserving/sdk` (x/mod/zip, as the Go
  module proxy makes it from the tag `sdk/v<version>`: sdk/ without the nested nodejs and
  python placeholder modules, plus the repository's LICENSE), in a file-proxy layout.

Each one must hold the README and the LICENSE, state the one version (VERSION) and carry
the plugin download URL (schema.json `pluginDownloadURL`). Then the examples users copy
(every TypeScript, Go and Python code block of README.md and docs/_index.md) are compiled
against what a user installs: the wheel is installed into a fresh venv, imported, and
`mypy --strict` checks the Python examples against it; the tarball is installed into a
fresh npm project whose TypeScript programs are those examples, compiled by tsc; and a
fresh Go module builds the Go examples against the module zip, served from a file proxy.
(The YAML and shell blocks are checked by tests/contract/test_docs_examples.py.)
dist/CONTENTS.txt lists every file of every artifact.

    python -m release_tools.dist [--skip-consumers]
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import time
import tomllib
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from release_tools import ROOT
from release_tools.sdk_files import SETUPTOOLS
from release_tools.version import pypi_version, read_version

__all__ = ["USER_DOCS", "Artifact", "build_all", "code_blocks", "main", "user_examples"]

DIST = ROOT / "dist"
BUILD = DIST / ".build"
GO_MODULE = "github.com/mlserving/pulumi-mlserving/sdk"
NPM_NAME = "@mlserving/pulumi"
PY_DIST = "pulumi_mlserving"
# The consumer projects' pins: the SDKs' own floor, as the examples pin them.
NODE_PINS = {"@pulumi/pulumi": "3.260.0"}
NODE_DEV_PINS = {"typescript": "5.9.3", "@types/node": "20.19.43"}
# The pages whose code blocks users copy; every TypeScript, Go and Python block is compiled here.
USER_DOCS = ("README.md", "docs/_index.md")
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.M | re.S)
LANGUAGES = {"ts": "typescript", "typescript": "typescript", "go": "go", "python": "python", "py": "python"}
LANGUAGES |= {"yaml": "yaml", "yml": "yaml", "sh": "sh", "bash": "sh", "shell": "sh"}


class DistError(Exception):
    """An artifact is missing something it must hold; the message says what and where."""


@dataclass
class Artifact:
    """One built file and what is in it."""

    path: Path
    kind: str
    files: list[str] = field(default_factory=list)
    checks: list[str] = field(default_factory=list)

    def need(self, condition: bool, what: str) -> None:
        if not condition:
            raise DistError(f"{self.path.name}: {what}")
        self.checks.append(what)


def run(argv: Sequence[str | Path], cwd: Path, env: dict[str, str] | None = None, timeout: float = 900) -> str:
    """Run a command; on failure raise DistError with its output."""
    done = subprocess.run(
        [str(a) for a in argv],
        cwd=cwd,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if done.returncode != 0:
        raise DistError(
            f"`{' '.join(str(a) for a in argv)}` failed ({done.returncode}) in {cwd}:\n{done.stdout}{done.stderr}"
        )
    return done.stdout + done.stderr


def schema() -> dict[str, object]:
    loaded: dict[str, object] = json.loads((ROOT / "schema.json").read_text(encoding="utf-8"))
    return loaded


def download_url() -> str:
    url = schema().get("pluginDownloadURL")
    if not isinstance(url, str) or not url:
        raise DistError("schema.json has no pluginDownloadURL")
    return url


def plugin_json_ok(artifact: Artifact, text: str, where: str, version: str, url: str) -> None:
    plugin = json.loads(text)
    artifact.need(plugin.get("name") == "mlserving" and plugin.get("resource") is True, f"{where} names the plugin")
    artifact.need(plugin.get("version") == version, f"{where} states version {version}")
    artifact.need(plugin.get("server") == url, f"{where} carries the plugin download URL {url}")


# ---------------------------------------------------------------- python


def build_python(version: str, url: str, license_text: str) -> list[Artifact]:
    stage = BUILD / "python"
    shutil.copytree(
        ROOT / "sdk" / "python",
        stage,
        ignore=shutil.ignore_patterns("build", "*.egg-info", ".mypy_cache", "__pycache__", "go.mod"),
    )
    shutil.copyfile(ROOT / "LICENSE", stage / "LICENSE")
    output = run([sys.executable, "-m", "build", "--sdist", "--wheel", "--outdir", DIST, stage], cwd=stage)
    # What setuptools says when the README that pyproject.toml names is missing (issue 14).
    if re.search(r"README\.md.{0,40}cannot be found|cannot find.{0,40}README", output, re.I):
        raise DistError(f"the Python build warned about its README:\n{output}")
    pyversion = pypi_version(version)
    readme = (ROOT / "sdk" / "python" / "README.md").read_text(encoding="utf-8")

    wheel = Artifact(DIST / f"{PY_DIST}-{pyversion}-py3-none-any.whl", "Python wheel")
    wheel.need(wheel.path.is_file(), "was built")
    with zipfile.ZipFile(wheel.path) as z:
        wheel.files = sorted(z.namelist())
        info = f"{PY_DIST}-{pyversion}.dist-info"
        metadata = z.read(f"{info}/METADATA").decode()
        wheel.need(f"\nVersion: {pyversion}\n" in metadata, f"METADATA states version {pyversion}")
        wheel.need("Description-Content-Type: text/markdown" in metadata, "METADATA's description is markdown")
        wheel.need(readme.strip() in metadata, "METADATA's description is the README")
        spdx = schema().get("license")
        wheel.need(f"\nLicense-Expression: {spdx}\n" in metadata, f"METADATA states the SPDX license {spdx}")
        wheel.need("\nLicense: " not in metadata, "METADATA has no legacy License field")
        licenses = [n for n in wheel.files if n.startswith(f"{info}/") and Path(n).name == "LICENSE"]
        wheel.need(len(licenses) == 1, "holds the LICENSE in its .dist-info")
        wheel.need(z.read(licenses[0]).decode() == license_text, "the LICENSE is the repository's")
        plugin_json_ok(wheel, z.read(f"{PY_DIST}/pulumi-plugin.json").decode(), "pulumi-plugin.json", version, url)
        wheel.need(f'return "{url}"' in z.read(f"{PY_DIST}/_utilities.py").decode(), "_utilities.py names the URL")

    sdist = Artifact(DIST / f"{PY_DIST}-{pyversion}.tar.gz", "Python sdist")
    sdist.need(sdist.path.is_file(), "was built")
    with tarfile.open(sdist.path) as t:
        sdist.files = sorted(m.name for m in t.getmembers() if m.isfile())
        top = f"{PY_DIST}-{pyversion}"

        def read(name: str) -> str:
            member = t.extractfile(f"{top}/{name}")
            assert member is not None
            return member.read().decode()

        sdist.need(read("README.md") == readme, "holds README.md")
        sdist.need(read("LICENSE") == license_text, "holds the LICENSE")
        build_system = tomllib.loads(read("pyproject.toml"))["build-system"]
        sdist.need(
            build_system.get("requires") == [f"setuptools=={SETUPTOOLS}"],
            f"pyproject.toml builds with setuptools=={SETUPTOOLS} (pinned)",
        )
        sdist.need(f"\nVersion: {pyversion}\n" in read("PKG-INFO"), f"PKG-INFO states version {pyversion}")
        plugin_json_ok(sdist, read(f"{PY_DIST}/pulumi-plugin.json"), "pulumi-plugin.json", version, url)
    return [wheel, sdist]


def python_consumer(wheel: Path, version: str, url: str) -> str:
    """pip install the wheel into a fresh venv, import it, and type-check the docs' Python examples against it."""
    venv = BUILD / "python-consumer" / "venv"
    run([sys.executable, "-m", "venv", venv], cwd=ROOT)
    run([venv / "bin" / "python", "-m", "pip", "install", "--quiet", "--disable-pip-version-check", wheel], cwd=ROOT)
    probe = (
        "import importlib.metadata as md, pulumi_mlserving as m\n"
        "from pulumi_mlserving import _utilities as u\n"
        "assert m.MLServingPlatform and m.ModelRelease and m.Cloud.AWS\n"
        "print(md.version('pulumi-mlserving'), u.get_plugin_download_url(), md.version('pulumi'))\n"
    )
    out = run([venv / "bin" / "python", "-c", probe], cwd=BUILD).split()
    if out[:2] != [pypi_version(version), url]:
        raise DistError(f"the installed wheel reports {out[:2]}, not {[pypi_version(version), url]}")
    # mypy of this environment, reading the packages installed in the consumer's venv (PEP 561).
    examples = user_examples("python")
    for name, code in examples:
        (venv.parent / f"{name}.py").write_text(code)
    mypy: list[str | Path] = [sys.executable, "-m", "mypy", "--strict", "--no-error-summary"]
    mypy += ["--cache-dir", venv.parent / ".mypy_cache"]
    files = [f"{name}.py" for name, _ in examples]
    run([*mypy, "--python-executable", venv / "bin" / "python", *files], cwd=venv.parent)
    names = ", ".join(name for name, _ in examples)
    return (
        f"pip install {wheel.name} into a fresh venv: import pulumi_mlserving ok ({out[0]}, pulumi {out[2]}); "
        f"mypy --strict of the Python examples ({names}) ok"
    )


# ---------------------------------------------------------------- npm


def build_npm(version: str, url: str, license_text: str) -> Artifact:
    sdk = ROOT / "sdk" / "nodejs"
    run(["npm", "install", "--no-audit", "--no-fund", "--loglevel=error"], cwd=sdk)
    run(["npx", "tsc"], cwd=sdk)
    stage = BUILD / "nodejs"
    shutil.copytree(sdk / "bin", stage)
    for name in ("package.json", "README.md"):
        shutil.copyfile(sdk / name, stage / name)
    shutil.copyfile(ROOT / "LICENSE", stage / "LICENSE")
    packed = json.loads(run(["npm", "pack", "--json", "--pack-destination", DIST], cwd=stage))
    artifact = Artifact(DIST / packed[0]["filename"], "npm tarball")
    artifact.files = sorted(f["path"] for f in packed[0]["files"])
    with tarfile.open(artifact.path) as t:

        def read(name: str) -> str:
            member = t.extractfile(f"package/{name}")
            assert member is not None
            return member.read().decode()

        manifest = json.loads(read("package.json"))
        artifact.need(manifest["name"] == NPM_NAME, f"package.json names {NPM_NAME}")
        artifact.need(manifest["version"] == version, f"package.json states version {version}")
        artifact.need(manifest["pulumi"]["version"] == version, f"package.json pulumi.version is {version}")
        artifact.need(manifest["pulumi"].get("server") == url, f"package.json pulumi.server is {url}")
        artifact.need(read("README.md") == (sdk / "README.md").read_text(encoding="utf-8"), "holds README.md")
        artifact.need(read("LICENSE") == license_text, "holds the LICENSE")
        artifact.need(f'pluginDownloadURL: "{url}"' in read("utilities.js"), "utilities.js names the URL")
        artifact.need("index.js" in artifact.files and "index.d.ts" in artifact.files, "holds index.js and index.d.ts")
    return artifact


def docs_example(language: str) -> str:
    """The docs' example in one language (docs/_index.md), so the docs are what compiles."""
    text = (ROOT / "docs" / "_index.md").read_text(encoding="utf-8")
    match = re.search(rf"{{{{% choosable language {language} %}}}}\n```\w+\n(.*?)```", text, re.S)
    if not match:
        raise DistError(f"docs/_index.md has no {language} example")
    return match[1]


def code_blocks(doc: str) -> list[tuple[str, int, str]]:
    """Every fenced code block of one file: (language, line of its opening fence, code).

    The language is the fence's tag through LANGUAGES (`ts` is `typescript`); a tag it does
    not know, or none, is kept as written (`""`), for the docs test to refuse.
    """
    text = (ROOT / doc).read_text(encoding="utf-8")
    return [(LANGUAGES.get(m[1], m[1]), text.count("\n", 0, m.start()) + 1, m[2]) for m in FENCE.finditer(text)]


def user_examples(language: str) -> list[tuple[str, str]]:
    """Every distinct `language` block of USER_DOCS: (a file name for it, its code).

    A block found in several places is compiled once, under the name of the first
    (`README_md_71`: README.md, the block that opens at line 71).
    """
    found: dict[str, str] = {}
    for doc in USER_DOCS:
        for lang, line, code in code_blocks(doc):
            if lang == language:
                found.setdefault(code, re.sub(r"\W", "_", doc) + f"_{line}")
    if not found:
        raise DistError(f"{' and '.join(USER_DOCS)} have no {language} example")
    return [(name, code) for code, name in found.items()]


def npm_consumer(tarball: Path) -> str:
    """npm install the tarball into a fresh project and compile every TypeScript example of the docs against it."""
    project = BUILD / "npm-consumer"
    project.mkdir(parents=True)
    manifest = {
        "name": "mlserving-dist-consumer",
        "private": True,
        "dependencies": {NPM_NAME: f"file:{tarball}", **NODE_PINS},
        "devDependencies": NODE_DEV_PINS,
    }
    (project / "package.json").write_text(json.dumps(manifest, indent=4))
    config = {"compilerOptions": {"strict": True, "target": "ES2022", "module": "commonjs", "noEmit": True}}
    examples = user_examples("typescript")
    (project / "tsconfig.json").write_text(
        json.dumps({**config, "files": [f"{name}.ts" for name, _ in examples]}, indent=4)
    )
    for name, code in examples:
        (project / f"{name}.ts").write_text(code)
    run(["npm", "install", "--no-audit", "--no-fund", "--loglevel=error"], cwd=project)
    run(["npx", "tsc", "-p", "."], cwd=project)
    installed = json.loads((project / "node_modules" / "@mlserving" / "pulumi" / "package.json").read_text())
    names = ", ".join(name for name, _ in examples)
    return (
        f"npm install {tarball.name} into a fresh project: "
        f"tsc of the TypeScript examples ({names}) ok ({installed['version']})"
    )


# ---------------------------------------------------------------- go


def gomodzip() -> Path:
    tool = BUILD / "gomodzip"
    run(["go", "build", "-o", tool, "."], cwd=ROOT / "scripts" / "gomodzip", env={"GOFLAGS": "-mod=mod"})
    return tool


def build_go(version: str, url: str, license_text: str) -> Artifact:
    sdk = ROOT / "sdk"
    stage = BUILD / "go-module"
    # sdk/ as the module: nested modules (nodejs/, python/ have their own go.mod) are not part of it.
    nested = {p.parent.name for p in sdk.glob("*/go.mod")}
    shutil.copytree(sdk, stage, ignore=lambda d, names: nested if Path(d) == sdk else set())
    shutil.copyfile(ROOT / "LICENSE", stage / "LICENSE")
    proxy = DIST / "goproxy" / GO_MODULE / "@v"
    proxy.mkdir(parents=True)
    tag = f"v{version}"
    zip_path = proxy / f"{tag}.zip"
    run([gomodzip(), GO_MODULE, tag, stage, zip_path], cwd=ROOT)
    shutil.copyfile(sdk / "go.mod", proxy / f"{tag}.mod")
    (proxy / f"{tag}.info").write_text(json.dumps({"Version": tag, "Time": time.strftime("%Y-%m-%dT%H:%M:%SZ")}))
    (proxy / "list").write_text(tag + "\n")
    artifact = Artifact(zip_path, "Go module zip")
    prefix = f"{GO_MODULE}@{tag}/"
    with zipfile.ZipFile(zip_path) as z:
        artifact.files = sorted(z.namelist())
        artifact.need(all(n.startswith(prefix) for n in artifact.files), f"every file is under {prefix}")
        artifact.need(
            not any(n.startswith((f"{prefix}nodejs/", f"{prefix}python/")) for n in artifact.files), "no nodejs/python"
        )
        artifact.need(z.read(f"{prefix}README.md").decode() == (sdk / "README.md").read_text(), "holds README.md")
        artifact.need(z.read(f"{prefix}LICENSE").decode() == license_text, "holds the LICENSE")
        plugin_json_ok(
            artifact, z.read(f"{prefix}go/mlserving/pulumi-plugin.json").decode(), "pulumi-plugin.json", version, url
        )
        utilities = z.read(f"{prefix}go/mlserving/internal/pulumiUtilities.go").decode()
        artifact.need(
            f'semver.MustParse("{version}")' in utilities, f"pulumiUtilities.go defaults to version {version}"
        )
        artifact.need(f'pulumi.PluginDownloadURL("{url}")' in utilities, "pulumiUtilities.go names the URL")
    return artifact


def go_consumer(version: str) -> str:
    """A fresh Go module builds every Go example of the docs against the module zip, served by a file proxy."""
    project = BUILD / "go-consumer"
    project.mkdir(parents=True)
    (project / "go.mod").write_text(f"module mlserving.local/consumer\n\ngo 1.25\n\nrequire {GO_MODULE} v{version}\n")
    examples = user_examples("go")
    for name, code in examples:  # one main package per example
        (project / name).mkdir()
        (project / name / "main.go").write_text(code)
    upstream = run(["go", "env", "GOPROXY"], cwd=project).strip()
    env = {
        "GOPROXY": f"file://{DIST / 'goproxy'},{upstream}",
        "GONOSUMDB": GO_MODULE,  # not published yet: no checksum database entry
        "GOFLAGS": "-mod=mod",
    }
    (project / "bin").mkdir()  # an existing directory: go build writes one program per example into it
    run(["go", "build", "-o", project / "bin", "./..."], cwd=project, env=env, timeout=1200)
    names = ", ".join(name for name, _ in examples)
    return f"go build of the Go examples ({names}) against {GO_MODULE}@v{version} from the module zip ok"


# ---------------------------------------------------------------- all


def build_all(consumers: bool = True) -> tuple[list[Artifact], list[str]]:
    version = read_version()
    url = download_url()
    license_text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    shutil.rmtree(DIST, ignore_errors=True)
    BUILD.mkdir(parents=True)
    python = build_python(version, url, license_text)
    npm = build_npm(version, url, license_text)
    go = build_go(version, url, license_text)
    artifacts = [*python, npm, go]
    used = []
    if consumers:
        used = [python_consumer(python[0].path, version, url), npm_consumer(npm.path), go_consumer(version)]
    lines = [f"mlserving {version} (VERSION); plugin download URL {url}", ""]
    for artifact in artifacts:
        lines.append(f"{artifact.kind}: dist/{artifact.path.relative_to(DIST)} ({len(artifact.files)} files)")
        lines += [f"  {name}" for name in artifact.files]
        lines.append("")
    (DIST / "CONTENTS.txt").write_text("\n".join(lines))
    return artifacts, used


def main(argv: list[str]) -> int:
    try:
        artifacts, used = build_all(consumers="--skip-consumers" not in argv)
    except DistError as err:
        print(f"dist: FAILED: {err}", file=sys.stderr)
        return 1
    for artifact in artifacts:
        print(f"dist: {artifact.kind}: dist/{artifact.path.relative_to(DIST)} ({len(artifact.files)} files)")
        for check in artifact.checks:
            print(f"  ok: {check}")
    for line in used:
        print(f"dist: {line}")
    print("dist: every file of every artifact is listed in dist/CONTENTS.txt")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
