#!/usr/bin/env bash
# make mutation: mutation testing of the provider with mutmut (pinned in requirements-dev.txt).
#
#   scripts/mutation.sh <repo root> <venv> [modules...]
#
# Modules are named relative to provider/mlserving_provider without `.py`: `validation`,
# `args`, `artifact`, `clouds/aws/cdn`, ... A directory (`clouds/aws`) stands for every module
# in it; no module means all of them (validation, args, artifact, clouds/*).
#
# The modules are mutated in a snapshot of the working tree under .tools/mutation/work/ (never
# in the checkout), against tests/unit and tests/contract (tests/integration need the engine
# and are not run). Each module's results are kept in .tools/mutation/results/<module>.json;
# scripts/mutation_report.py then prints the score of every module measured so far and its
# survivors, and writes .tools/mutation/report.md. MUTATION_JOBS (default: every core) and
# MUTATION_FUZZ_EXAMPLES (default 200 per fuzz test) tune a run.
set -euo pipefail

ROOT=$1
VENV=$2
shift 2
PACKAGE=provider/mlserving_provider
OUT="$ROOT/.tools/mutation"
# Mutants run in parallel on every core unless MUTATION_JOBS says otherwise.
JOBS=${MUTATION_JOBS:-$(nproc)}
# Fewer hypothesis examples per fuzz test than `make test` (1000), so one mutant takes seconds.
export FUZZ_EXAMPLES=${MUTATION_FUZZ_EXAMPLES:-200}

cd "$ROOT"
all_modules() {
	for f in validation args artifact; do echo "$f"; done
	find "$PACKAGE/clouds" -name '*.py' -not -name '__init__.py' -printf '%P\n' | sed 's/\.py$//; s|^|clouds/|' | sort
	find "$PACKAGE/clouds" -mindepth 2 -name '__init__.py' -printf '%P\n' | sed 's/\.py$//; s|^|clouds/|' | sort
}
modules=()
if [ $# -eq 0 ]; then
	mapfile -t modules < <(all_modules)
else
	for m in "$@"; do
		m=${m%.py}
		if [ -d "$PACKAGE/$m" ]; then
			mapfile -t -O "${#modules[@]}" modules < <(all_modules | grep "^$m/")
		elif [ -f "$PACKAGE/$m.py" ]; then
			modules+=("$m")
		else
			echo "mutation: no module $PACKAGE/$m.py" >&2
			exit 2
		fi
	done
fi

mkdir -p "$OUT/results" "$OUT/work"
# The repository as it is in the working tree now (uncommitted changes included): git's
# tracked and untracked files, minus ignored ones (.venv, .tools, provider/venv): about 2 MB.
snapshot=$(mktemp)
trap 'rm -f "$snapshot"' EXIT
git ls-files -co --exclude-standard -z >"$snapshot"
# What mutmut copies into mutants/ besides the package: every top-level entry and provider/'s
# files, except the package itself (see below).
also_copy=$(tr '\0' '\n' <"$snapshot" | grep -v "^$PACKAGE/" |
	awk -F/ '$1 == "provider" { print $1 "/" $2; next } { print $1 }' | sort -u | sed 's/.*/"&"/' | paste -sd, -)

started=$(date +%s)
# One mutmut run for every module asked for: mutmut runs the whole suite once first, to learn
# which tests reach which function (minutes), then only those tests per mutant.
work="$OUT/work"
rm -rf "$work" && mkdir -p "$work/mutants/provider"
tar -cf - --null -T "$snapshot" | tar -xf - -C "$work"
# mutmut names a module by its path below ./, src/ or source/, and the tests import
# `mlserving_provider`: the package moves to src/, which comes first on the tests' path, and
# provider/mlserving_provider links to it (the mutated copy, under mutants/), so the provider
# processes the contract tests start run the mutants too.
mkdir -p "$work/src" && mv "$work/$PACKAGE" "$work/src/"
ln -s ../src/mlserving_provider "$work/$PACKAGE"
ln -s ../src/mlserving_provider "$work/mutants/$PACKAGE"
sed -i 's|^pythonpath = \["provider", "."\]|pythonpath = ["src", "provider", "."]|' "$work/pyproject.toml"
grep -q '^pythonpath = \["src", ' "$work/pyproject.toml" || { echo "mutation: pyproject.toml's pythonpath changed" >&2; exit 1; }
# Each mutant runs the tests that reach its function, the strongest then the fastest first (by the times mutmut
# measured), so a killed mutant costs seconds; only a survivor runs all of them.
cat >"$work/conftest.py" <<'PY'
"""make mutation only: run the tests of a mutant strongest and fastest first (scripts/mutation.sh)."""

import json
import os
from pathlib import Path
from typing import Any


def _load_cloud_sdks() -> None:
    """Load the cloud SDK modules the provider uses, here in mutmut's fork server: they load
    lazily on first use (seconds for azure-native), which every forked mutant would repeat."""
    import importlib
    import pkgutil
    import re
    import types

    import mlserving_provider.clouds as clouds

    for info in pkgutil.walk_packages(clouds.__path__, "mlserving_provider.clouds."):
        module = importlib.import_module(info.name)
        source = Path(module.__file__ or "").read_text()
        for alias, value in list(vars(module).items()):
            if isinstance(value, types.ModuleType) and value.__name__.startswith("pulumi_"):
                getattr(value, "__all__", None)  # loads it: `from pulumi_azure_native import cdn`
                for sub in set(re.findall(rf"\b{re.escape(alias)}\.([a-z][a-z0-9_]*)\.[A-Z]", source)):
                    getattr(getattr(value, sub), "__all__", None)  # pulumi_aws's `aws.sagemaker.Endpoint`


_load_cloud_sdks()


def pytest_collection_modifyitems(items: list[Any]) -> None:
    stats = Path("mutmut-stats.json")
    if not stats.exists() or os.environ.get("MUTANT_UNDER_TEST", "") in ("", "stats", "fail"):
        return
    durations = json.loads(stats.read_text())["duration_by_test"]
    items.sort(key=lambda item: (_rank(item.nodeid), durations.get(item.nodeid, 0.0)))


# The tests that kill most mutants for their time run first: the snapshots of every child
# resource, then the exact-error tables of the validation layer; then the rest, fastest first.
FIRST = ("tests/unit/test_snapshots.py", "tests/unit/test_validation.py", "tests/unit/test_bad_inputs.py")


def _rank(nodeid: str) -> int:
    path = nodeid.partition("::")[0]
    return FIRST.index(path) if path in FIRST else len(FIRST)
PY
also_copy="$also_copy,\"conftest.py\""
# fakecloud's launchers (tests/fakecloud/bin) run <repository>/.venv/bin/python.
ln -s "$VENV" "$work/.venv"
ln -s "$VENV" "$work/mutants/.venv"
only=$(for m in "${modules[@]}"; do printf '"src/mlserving_provider/%s.py"\n' "$m"; done | paste -sd, -)
cat >>"$work/pyproject.toml" <<TOML

[tool.mutmut]
source_paths = ["src/mlserving_provider"]
only_mutate = [$only]
also_copy = [$also_copy]
# Subprocesses of the contract tests are reaped after the session in mutmut's process, which
# the unraisable-exception plugin would turn into an error of the whole run.
pytest_add_cli_args = ["-p", "no:cacheprovider", "-p", "no:unraisableexception"]
pytest_add_cli_args_test_selection = ["tests/unit", "tests/contract"]
use_git_change_detection = false
# The tests start gRPC servers and clients, which a process forked from the test run inherits
# half-initialised (workers hang): fork each mutant from a fresh server process instead.
process_isolation = "forkserver"
TOML
# The contract tests start the provider as a process in provider/, where the mutated code looks
# for mutmut's configuration too (and carries the mutant under test, so those tests count).
printf '[mutmut]\nsource_paths = ../src/mlserving_provider\n' >"$work/mutants/provider/setup.cfg"
echo "mutation: ${modules[*]} ($JOBS jobs, FUZZ_EXAMPLES=$FUZZ_EXAMPLES); log: $work/mutmut.log"
(cd "$work" && "$VENV/bin/mutmut" run --max-children "$JOBS" >"$work/mutmut.log" 2>&1) || {
	echo "mutation: mutmut failed; the last lines of $work/mutmut.log:" >&2
	tail -40 "$work/mutmut.log" >&2
	exit 1
}
seconds=$(($(date +%s) - started))
for module in "${modules[@]}"; do
	(cd "$work" && "$VENV/bin/python" "$ROOT/scripts/mutation_report.py" collect "$module" "$seconds" \
		>"$OUT/results/${module//\//.}.json")
done
"$VENV/bin/python" "$ROOT/scripts/mutation_report.py" report "$OUT" "$seconds"
