"""The results of `make mutation` (scripts/mutation.sh): collected per module, reported together.

    mutation_report.py collect <module> <seconds>   (in a module's work directory) JSON on stdout
    mutation_report.py report <.tools/mutation> <seconds>   prints the table, writes report.md

A mutant is *killed* when a test fails (or times out) with it in place; it *survives* when
every test that runs its function passes; it has *no tests* when no test of tests/unit or
tests/contract runs its function at all. The score is killed / (killed + survived + no tests).
Every survivor must be accounted for in tests/MUTATION.md (a killed mutant needs nothing): the
report flags the ones that are not, matched by module, function and the mutated line.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

PACKAGE = "provider/mlserving_provider"
# Where scripts/mutation.sh puts the package in its work directory (mutmut's src/ layout).
MUTATED = "src/mlserving_provider"
KILLED = {1: "killed", 3: "killed", 36: "timeout", -24: "timeout", 24: "timeout", 152: "timeout", 255: "timeout"}
TARGET = 90.0
# The modules the issue sets the target for; the others are reported too.
TARGETED = re.compile(r"^(validation|clouds/(aws|azure)/\w+)$")


def status(exit_code: int | None) -> str:
    if exit_code in KILLED:
        return "killed"
    return {0: "survived", 5: "no tests", 33: "no tests", None: "not checked", 34: "skipped"}.get(
        exit_code, "suspicious"
    )


def collect(module: str, seconds: int) -> dict[str, Any]:
    """Read mutmut's results for one module in the current (work) directory."""
    from mutmut.mutation.diff_apply import get_diff_for_mutant

    path = f"{MUTATED}/{module}.py"
    meta = json.loads((Path("mutants") / f"{path}.meta").read_text())
    mutants = []
    for name, code in sorted(meta["exit_code_by_key"].items(), key=lambda kv: _order(kv[0])):
        entry: dict[str, Any] = {"name": name, "status": status(code)}
        if entry["status"] not in ("killed", "not checked"):
            diff = get_diff_for_mutant(name, path=path)
            entry["diff"] = diff
            entry["function"] = _function(name)
            entry["removed"] = [line[1:].strip() for line in diff.splitlines() if _changed(line, "-")]
            entry["added"] = [line[1:].strip() for line in diff.splitlines() if _changed(line, "+")]
        mutants.append(entry)
    return {"module": module, "seconds": seconds, "mutants": mutants}


def _changed(line: str, sign: str) -> bool:
    return line.startswith(sign) and not line.startswith(sign * 3)


def _order(name: str) -> tuple[str, int]:
    head, _, number = name.rpartition("__mutmut_")
    return head, int(number) if number.isdigit() else 0


def _function(name: str) -> str:
    """`mlserving_provider.validation.x_check_scaling__mutmut_3` -> `check_scaling`;
    methods are `xǁClassǁmethod__mutmut_1` -> `Class.method`."""
    head = name.rpartition("__mutmut_")[0].rpartition(".")[2]
    if head.startswith("xǁ"):
        return ".".join(head.removeprefix("xǁ").split("ǁ"))
    return head.removeprefix("x_")


def accounted(mutant: dict[str, Any], notes: str, module: str) -> bool:
    """A survivor is accounted for when tests/MUTATION.md names its module and function in a
    `### <module>: <function>` heading and quotes its mutated line (or removed line) below it."""
    pattern = re.compile(rf"^### `?{re.escape(module)}`?: `?{re.escape(mutant['function'])}`?\s*$", re.M)
    for match in pattern.finditer(notes):
        section = notes[match.end() :].split("\n### ", 1)[0]
        lines = mutant["added"] or mutant["removed"]
        if lines and all(line in section for line in lines):
            return True
    return False


def report(out: Path, seconds: int) -> int:
    results = [json.loads(p.read_text()) for p in sorted((out / "results").glob("*.json"))]
    notes_path = Path(__file__).resolve().parents[1] / "tests" / "MUTATION.md"
    notes = notes_path.read_text() if notes_path.exists() else ""
    rows, details, missing, below = [], [], 0, []
    for result in sorted(results, key=lambda r: r["module"]):
        module, mutants = result["module"], result["mutants"]
        counts = {
            s: sum(1 for m in mutants if m["status"] == s) for s in ("killed", "survived", "no tests", "not checked")
        }
        other = len(mutants) - sum(counts.values())
        scored = counts["killed"] + counts["survived"] + counts["no tests"]
        score = 100.0 * counts["killed"] / scored if scored else 100.0
        target = TARGETED.match(module) is not None
        if target and (score < TARGET or counts["not checked"]):
            below.append(module)
        rows.append(
            f"| {module} | {len(mutants)} | {counts['killed']} | {counts['survived']} | {counts['no tests']} | "
            f"{counts['not checked']} | {other} | {score:.1f} %{' (target 90 %)' if target else ''}"
            f"{' (partial)' if counts['not checked'] else ''} | {result['seconds']} s |"
        )
        for m in mutants:
            if m["status"] in ("killed", "not checked"):
                continue
            ok = accounted(m, notes, module)
            missing += not ok
            mark = "accounted for in tests/MUTATION.md" if ok else "NOT ACCOUNTED FOR in tests/MUTATION.md"
            details.append(f"#### {m['name']} ({m['status']}; {mark})\n\n```diff\n{m['diff']}\n```\n")
    table = [
        "| module | mutants | killed | survived | no tests | not checked | other | score | time |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        *rows,
    ]
    text = "\n".join(
        [
            "# Mutation testing (make mutation)",
            "",
            "mutmut against tests/unit and tests/contract; score = killed / (killed + survived + no tests).",
            f"This run: {seconds} s. Modules measured in earlier runs keep their last result.",
            "",
            *table,
            "",
            "## Survivors",
            "",
            *(details or ["None."]),
        ]
    )
    (out / "report.md").write_text(text + "\n")
    print("\n".join(table))
    print(f"\nsurvivors: {len(details)} ({missing} not accounted for in tests/MUTATION.md)")
    for m in (m for r in results for m in r["mutants"] if m["status"] not in ("killed", "not checked")):
        print(f"  {m['status']:9} {m['name']}: {' | '.join(m['added'] or ['(removed) ' + ' | '.join(m['removed'])])}")
    print(f"report: {out / 'report.md'}")
    if below:
        print(f"below the 90 % target or not fully checked: {', '.join(below)}")
    if below or missing:
        return 1
    return 0


def main(argv: list[str]) -> int:
    if argv[0] == "collect":
        json.dump(collect(argv[1], int(argv[2])), sys.stdout, indent=1)
        return 0
    return report(Path(argv[1]), int(argv[2]))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
