"""Rows of the benchmark table: measured figures (median, min, max) or the reason none were taken."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field

__all__ = ["Row", "render"]


@dataclass
class Row:
    """One measure: its samples, or why it was not measured (`NOT RUN: ...`, `n/a: ...`)."""

    measure: str
    unit: str
    samples: list[float] = field(default_factory=list)
    target: str = ""
    # When set, decides whether the target is met from the median.
    limit: float | None = None
    not_measured: str = ""
    note: str = ""
    # CPU seconds (user + system) of the measured process(es), which load on the machine
    # inflates far less than wall-clock time.
    cpu: list[float] = field(default_factory=list)

    @property
    def measured(self) -> bool:
        return bool(self.samples) and not self.not_measured

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    def verdict(self) -> str:
        if not self.measured or self.limit is None:
            return ""
        return "met" if self.median < self.limit else "MISSED"

    def cells(self) -> list[str]:
        if not self.measured:
            return [
                self.measure,
                self.not_measured or "NOT RUN: no samples",
                "",
                "",
                "",
                "",
                self.target,
                "",
                self.note,
            ]
        return [
            self.measure,
            _fmt(self.median, self.unit),
            _fmt(min(self.samples), self.unit),
            _fmt(max(self.samples), self.unit),
            str(len(self.samples)),
            _fmt(statistics.median(self.cpu), "s") if self.cpu else "",
            self.target,
            self.verdict(),
            self.note,
        ]


HEADER = ["measure", "median", "min", "max", "runs", "CPU (median)", "target", "verdict", "note"]


def _fmt(value: float, unit: str) -> str:
    if unit == "s":
        return f"{value:.3f} s"
    if unit == "MB":
        return f"{value:.0f} MB"
    if unit == "x":
        return f"{value:.2f}x"
    return f"{value:.3g} {unit}".strip()


def render(rows: Sequence[Row]) -> str:
    """A Markdown table (which also reads well in a terminal)."""
    lines = [[*HEADER], ["---"] * len(HEADER), *(row.cells() for row in rows)]
    widths = [max(len(line[i]) for line in lines) for i in range(len(HEADER))]
    out = []
    for line in lines:
        if line[0] == "---":
            out.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
        else:
            out.append("| " + " | ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)) + " |")
    return "\n".join(out)
