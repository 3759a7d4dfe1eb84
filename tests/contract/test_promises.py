"""The promises ledger (tests/PROMISES.md) lists every promise schema.json makes about day two.

A description sentence that says "never", "always", "keeps", "before" or "retained" is a promise
about retention, ordering, rollback, quotas or naming that users rely on. Each such sentence must
be a row of the ledger, word for word, with the tests that prove it; each test the ledger names
must exist. So a new promise without a test, or a test renamed away from its promise, fails here.
A row also says where its sentence is in the schema (its JSON path), and that must be right.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
LEDGER = ROOT / "tests" / "PROMISES.md"
PROMISE = re.compile(r"\b(never|always|keeps|before|retained)\b", re.IGNORECASE)
# A sentence ends at . ! or ? followed by whitespace and a capital letter, a backtick or a parenthesis.
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z`(])")
TEST_REF = re.compile(r"`(tests/[\w/]+\.py)::(\w+)`")
CELL_SPLIT = re.compile(r"(?<!\\)\|")


def descriptions(node: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """(JSON path, description) of every description in the schema."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "description" and isinstance(value, str):
                yield path or "/", value
            else:
                yield from descriptions(value, f"{path}/{key}")
    elif isinstance(node, list):
        for value in node:
            yield from descriptions(value, path)


def promises() -> dict[str, str]:
    """Every promise sentence of schema.json (whitespace collapsed), with where it is."""
    found: dict[str, str] = {}
    for path, text in descriptions(json.loads((ROOT / "schema.json").read_text())):
        for sentence in SENTENCE_END.split(" ".join(text.split())):
            if PROMISE.search(sentence):
                found.setdefault(sentence, path)
    return found


def row(line: str) -> tuple[str, str, list[tuple[str, str]]] | None:
    """One ledger row: (promise sentence, where it is in the schema, the tests named for it), or None.

    A row is a table line whose first cell starts with `>`; cells are split at each `|` that is
    not escaped (`\\|` is a `|` inside a cell, as Markdown tables write it)."""
    if not line.startswith("|"):
        return None
    cells = [c.strip().replace("\\|", "|") for c in CELL_SPLIT.split(line.strip().strip("|"))]
    if len(cells) < 3 or not cells[0].startswith(">"):
        return None
    return cells[0].removeprefix(">").strip(), cells[1].strip("`"), TEST_REF.findall(cells[-1])


def ledger_rows() -> list[tuple[str, str, list[tuple[str, str]]]]:
    """Every row of the ledger, in order."""
    return [found for line in LEDGER.read_text().splitlines() if (found := row(line)) is not None]


def ledger() -> dict[str, list[tuple[str, str]]]:
    """The ledger's rows: promise sentence -> the tests named for it (file, function)."""
    return {sentence: tests for sentence, _, tests in ledger_rows()}


def test_every_promise_of_the_schema_is_in_the_ledger() -> None:
    missing = {sentence: path for sentence, path in promises().items() if sentence not in ledger()}
    assert missing == {}, "add these schema sentences to tests/PROMISES.md with the tests that prove them"


def test_every_ledger_row_is_a_promise_the_schema_makes() -> None:
    stale = set(ledger()) - set(promises())
    assert stale == set(), "these ledger rows are no longer in schema.json: update or remove them"


def test_every_row_is_listed_once_and_says_where_its_promise_is() -> None:
    rows = ledger_rows()
    sentences = [sentence for sentence, _, _ in rows]
    assert sorted(s for s in set(sentences) if sentences.count(s) > 1) == []
    found = promises()
    wrong = {sentence: (where, found[sentence]) for sentence, where, _ in rows if where != found.get(sentence, where)}
    assert wrong == {}, "the ledger's 'where' (left) is not the schema path of the sentence (right)"


def test_every_promise_names_tests_that_exist() -> None:
    problems = []
    for sentence, tests in ledger().items():
        if not tests:
            problems.append(f"no test named for: {sentence}")
        for file, function in tests:
            source = ROOT / file
            if not source.is_file() or not re.search(rf"^\s*(async )?def {function}\(", source.read_text(), re.M):
                problems.append(f"{file}::{function} does not exist (for: {sentence})")
    assert problems == []


def test_the_ledger_finds_promises() -> None:
    """The extraction itself: it sees the words in a sentence and splits sentences where they end."""
    text = "Kept on destroy. The key is never deleted. Models are retained (free). Nothing here."
    assert [s for s in SENTENCE_END.split(text) if PROMISE.search(s)] == [
        "The key is never deleted.",
        "Models are retained (free).",
    ]


def test_a_row_is_split_at_unescaped_pipes() -> None:
    line = (
        r"| > Codes match `4\d\|5\d`. | `/types/x` | `tests/unit/test_a.py::test_b`, `tests/unit/test_a.py::test_c` |"
    )
    assert row(line) == (
        "Codes match `4\\d|5\\d`.",
        "/types/x",
        [("tests/unit/test_a.py", "test_b"), ("tests/unit/test_a.py", "test_c")],
    )
    assert row("| promise | where | tests |") is None
    assert row("> not a table line") is None
