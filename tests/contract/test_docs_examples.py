"""The code blocks users copy from README.md and docs/ are checked, every one of them.

`make dist` compiles every TypeScript, Go and Python block of README.md and docs/_index.md
against the built packages (release_tools.dist.user_examples). Here, with no build:
- every block of those pages (and of docs/installation-configuration.md) is of a kind that is
  checked: a compiled language, YAML, or shell;
- each YAML block is a Pulumi YAML program whose types, properties and output references
  match schema.json (scripts/check-yaml-example.py, as for examples/*-yaml);
- each shell line is a command whose every name is this repository's: the provider's git
  source and VERSION, the published package names, make targets that exist;
- README.md's examples and its table of what a change does are docs/_index.md's (Pulumi's
  publishing guide asks that the two pages say the same).
"""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from release_tools import ROOT
from release_tools.dist import USER_DOCS, code_blocks, user_examples
from release_tools.version import read_version

DOCS = (*USER_DOCS, "docs/installation-configuration.md")
COMPILED = ("typescript", "go", "python")
CHECKED = (*COMPILED, "yaml", "sh")
CHECK_YAML = ROOT / "scripts" / "check-yaml-example.py"


def fences(doc: str) -> list[tuple[int, str]]:
    """Every opening fence of a file, read line by line: (line, its tag as written)."""
    found, inside = [], False
    for number, line in enumerate((ROOT / doc).read_text(encoding="utf-8").splitlines(), start=1):
        if line.startswith("```"):
            if not inside:
                found.append((number, line[3:].strip()))
            inside = not inside
    return found


def blocks(doc: str, language: str) -> list[str]:
    return [code for lang, _, code in code_blocks(doc) if lang == language]


def test_every_code_block_is_of_a_checked_kind() -> None:
    kinds = {doc: [(line, lang) for lang, line, _ in code_blocks(doc)] for doc in DOCS}
    # The block reader sees every fence a line-by-line reading finds.
    assert {doc: [line for line, _ in found] for doc, found in kinds.items()} == {
        doc: [line for line, _ in fences(doc)] for doc in DOCS
    }
    unchecked = [
        f"{doc}:{line}: ```{lang}" for doc, found in kinds.items() for line, lang in found if lang not in CHECKED
    ]
    assert unchecked == [], "tag each block with a checked language (typescript, go, python, yaml, sh)"


@pytest.mark.parametrize("language", COMPILED)
def test_make_dist_compiles_every_example_of_the_readme_and_the_docs(language: str) -> None:
    compiled = {code for _, code in user_examples(language)}
    assert compiled == {code for doc in USER_DOCS for code in blocks(doc, language)}
    assert all(blocks(doc, language) for doc in USER_DOCS), f"README.md and docs/_index.md each show {language}"


@pytest.mark.parametrize("language", [*COMPILED, "yaml"])
def test_the_readme_shows_the_examples_of_the_docs(language: str) -> None:
    assert blocks("README.md", language) == blocks("docs/_index.md", language)
    # One program per language, and the private platform (`network`) in TypeScript.
    assert len(blocks("README.md", language)) == (2 if language == "typescript" else 1)


def change_table(doc: str) -> str:
    text = (ROOT / doc).read_text(encoding="utf-8")
    found = re.search(r"^\| change \| on AWS \| on Azure \|\n(?:\|.*\n)+", text, re.M)
    assert found, f"{doc} has no table of what a change does"
    return found[0]


def test_the_readme_and_the_docs_say_the_same_about_changes() -> None:
    assert change_table("README.md") == change_table("docs/_index.md"), "edit the table in both files"


def check_yaml(program: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    project = tmp_path / "Pulumi.yaml"
    project.write_text(program)
    return subprocess.run(
        [sys.executable, str(CHECK_YAML), str(project)], capture_output=True, text=True, check=False, timeout=60
    )


def test_the_yaml_examples_match_the_schema(tmp_path: Path) -> None:
    programs = {code for doc in DOCS for code in blocks(doc, "yaml")}
    assert programs
    for program in programs:
        done = check_yaml(program, tmp_path)
        assert done.returncode == 0, done.stdout + done.stderr
        assert "2 resources, 2 outputs match schema.json" in done.stdout


def test_the_yaml_check_refuses_a_misspelt_input(tmp_path: Path) -> None:
    (program,) = blocks("README.md", "yaml")
    done = check_yaml(program.replace("canaryPercent:", "canaryPercnt:"), tmp_path)
    assert done.returncode == 1
    assert "resources.sentiment-v2.rollout.canaryPercnt: not an input of the schema" in done.stdout


def _canonical(name: str) -> str:
    """A Python distribution name as PyPI compares them (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def known_names() -> dict[str, str]:
    """What the shell lines must name: the provider source, VERSION, and the three packages."""
    pyproject = tomllib.loads((ROOT / "sdk" / "python" / "pyproject.toml").read_text(encoding="utf-8"))
    package_json = json.loads((ROOT / "sdk" / "nodejs" / "package.json").read_text(encoding="utf-8"))
    go_module = re.search(r"^module (\S+)$", (ROOT / "sdk" / "go.mod").read_text(encoding="utf-8"), re.M)
    assert go_module
    return {
        "version": read_version(),
        "npm": package_json["name"],
        "pypi": _canonical(pyproject["project"]["name"]),
        "go": go_module[1],
        "provider": f"{json.loads((ROOT / 'schema.json').read_text())['repository'].removeprefix('https://')}/provider",
    }


def make_targets() -> set[str]:
    return set(re.findall(r"^([a-z_]+):", (ROOT / "Makefile").read_text(encoding="utf-8"), re.M))


def shell_problems(line: str, names: dict[str, str], targets: set[str]) -> list[str]:
    """What is wrong with one command line of a shell block (an empty list: nothing)."""
    # A credential to fill in, as the cloud providers' docs show it: `export NAME=<what it is>`.
    if re.fullmatch(r"export [A-Z][A-Z0-9_]*=<[^<>]+>\s*(#.*)?", line.strip()):
        return []
    words = shlex.split(line, comments=True)
    if not words:
        return []
    while words and re.fullmatch(r"[A-Z][A-Z0-9_]*=\S*", words[0]):
        variable = words.pop(0).split("=")[0]
        if variable not in (ROOT / "Makefile").read_text(encoding="utf-8"):
            return [f"{variable}: no such variable in the Makefile"]
    version = names["version"]
    match words:
        case ["pulumi", "package", "add", source]:
            wanted = f"{names['provider']}@v{version}"
            return [] if source == wanted else [f"pulumi package add {source}: expected {wanted}"]
        case ["npm", "install", package]:
            return [] if package == names["npm"] else [f"npm install {package}: the SDK is {names['npm']}"]
        case ["pip", "install", package]:
            return (
                [] if _canonical(package) == names["pypi"] else [f"pip install {package}: the SDK is {names['pypi']}"]
            )
        case ["go", "get", module]:
            wanted = f"{names['go']}@v{version}"
            return [] if module == wanted else [f"go get {module}: expected {wanted}"]
        case ["make", *asked] if asked:
            return [f"make {target}: no such target in the Makefile" for target in asked if target not in targets]
        case ["pulumi", "config", "set", key, _] if re.fullmatch(r"[a-z-]+:[A-Za-z]+", key):
            return []
    return [f"{line.strip()}: not a command these docs are known to show"]


def test_every_shell_line_names_this_repository() -> None:
    names, targets = known_names(), make_targets()
    problems = [
        f"{doc}:{line + offset}: {problem}"
        for doc in DOCS
        for lang, line, code in code_blocks(doc)
        if lang == "sh"
        for offset, command in enumerate(code.splitlines(), start=1)
        for problem in shell_problems(command, names, targets)
    ]
    assert problems == []


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("npm install @mlserving/pulumix", "npm install @mlserving/pulumix: the SDK is @mlserving/pulumi"),
        ("pip install pulumi-mlservin", "pip install pulumi-mlservin: the SDK is pulumi-mlserving"),
        ("make tests", "make tests: no such target in the Makefile"),
        ("MLSERVING_OFLINE=0 make demo", "MLSERVING_OFLINE: no such variable in the Makefile"),
        (
            "go get github.com/mlserving/pulumi-mlserving/sdk@v0.0.9",
            "go get github.com/mlserving/pulumi-mlserving/sdk@v0.0.9: expected github.com/mlserving/pulumi-mlserving/sdk@v{version}",
        ),
        (
            "pulumi package add github.com/mlserving/pulumi-mlserving@v{version}",
            "pulumi package add github.com/mlserving/pulumi-mlserving@v{version}: "
            "expected github.com/mlserving/pulumi-mlserving/provider@v{version}",
        ),
        ("export AWS_REGION=eu-west-1", "export AWS_REGION=eu-west-1: not a command these docs are known to show"),
        (
            "curl -sSL https://example.com | sh",
            "curl -sSL https://example.com | sh: not a command these docs are known to show",
        ),
    ],
)
def test_the_shell_check_refuses_what_is_not_this_repository(line: str, problem: str) -> None:
    version = read_version()
    line, problem = line.format(version=version), problem.format(version=version)
    assert shell_problems(line, known_names(), make_targets()) == [problem]
