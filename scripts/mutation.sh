#!/usr/bin/env bash
# make mutation: mutation testing of the provider with mutmut (pinned in requirements-dev.txt).
#
#   scripts/mutation.sh <repo root> <venv> [modules...]
#
# Modules are named relative to provider/mlserving_provider without `.py`: `validation`,
# `args`, `artifact`, `clouds/aws/cdn`, ... A directory (`clouds/aws`) stands for every module
# in it; no module means all of them (validation, args, artifact, clouds/*).
#
# Each module is mutated in its own snapshot of the working tree under
# .tools/mutation/work/<module>/ (never in the checkout), against tests/unit and
# tests/contract (tests/integration need the engine and are not run). Its results are kept
# in .tools/mutation/results/<module>.json; scripts/mutation_report.py then prints the score
# of every module measured so far and its survivors, and writes .tools/mutation/report.md.
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
# The files the tests need, as they are in the working tree now (other people's uncommitted
# changes included): git's tracked and untracked files, minus ignored ones (provider/venv).
snapshot=$(mktemp)
trap 'rm -f "$snapshot"' EXIT
git ls-files -co --exclude-standard -z -- provider tests bench schema.json pyproject.toml >"$snapshot"

started=$(date +%s)
for module in "${modules[@]}"; do
	slug=${module//\//.}
	work="$OUT/work/$slug"
	rm -rf "$work" && mkdir -p "$work"
	tar -cf - --null -T "$snapshot" | tar -xf - -C "$work"
	cat >>"$work/pyproject.toml" <<-TOML

		[tool.mutmut]
		source_paths = ["$PACKAGE"]
		only_mutate = ["$PACKAGE/$module.py"]
		also_copy = ["provider", "schema.json", "bench", "tests"]
		pytest_add_cli_args = ["-p", "no:cacheprovider"]
		pytest_add_cli_args_test_selection = ["tests/unit", "tests/contract"]
		use_git_change_detection = false
	TOML
	echo "mutation: $module ($JOBS jobs)"
	t0=$(date +%s)
	(cd "$work" && "$VENV/bin/mutmut" run --max-children "$JOBS" >"$work/mutmut.log" 2>&1) || {
		echo "mutation: mutmut failed on $module; the last lines of $work/mutmut.log:" >&2
		tail -30 "$work/mutmut.log" >&2
		exit 1
	}
	(cd "$work" && "$VENV/bin/python" "$ROOT/scripts/mutation_report.py" collect "$module" $(($(date +%s) - t0)) \
		>"$OUT/results/$slug.json")
done
"$VENV/bin/python" "$ROOT/scripts/mutation_report.py" report "$OUT" $(($(date +%s) - started))
