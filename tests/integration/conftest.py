"""The engine tests need the pulumi CLI and the offline environment of `make test_integration`."""

from __future__ import annotations

import os
import shutil
from collections import defaultdict
from typing import Any

import pytest

from tests.integration.engine import TIMINGS


def pytest_configure(config: pytest.Config) -> None:
    if not shutil.which("pulumi") or os.environ.get("MLSERVING_OFFLINE") != "1":
        raise pytest.UsageError(
            "tests/integration run through 'make test_integration' (the pulumi CLI on PATH and the offline "
            "environment of 'make env', with the fakecloud test double in place)"
        )


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not TIMINGS:
        return
    per_program: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for program, command, seconds in TIMINGS:
        per_program[program].append((command, seconds))
    terminalreporter.section("engine command timings (seconds; the examples ran side by side)")
    for program, runs in sorted(per_program.items()):
        parts = ", ".join(
            f"{command} {seconds:.1f}" for command, seconds in runs if not command.startswith(("config", "stack"))
        )
        total = sum(seconds for _, seconds in runs)
        terminalreporter.write_line(f"{program}: total {total:.1f} — {parts}")
