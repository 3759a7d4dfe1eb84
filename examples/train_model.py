"""Trains the example sentiment model: bag-of-words logistic regression, stdlib only.

    python3 examples/train_model.py    # rewrites examples/model/sentiment.json

Deterministic (fixed data, order, step size and epochs), so the artifact, its SHA-256
and therefore its content-addressed key only change when this file changes.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

POSITIVE = [
    "great product, works perfectly",
    "i love it, excellent quality",
    "amazing service and fast delivery",
    "really good value, very happy",
    "fantastic experience, highly recommend",
    "the best purchase this year",
    "wonderful, friendly and helpful staff",
    "it is awesome and easy to use",
    "superb quality, i am delighted",
    "nice design and great battery",
    "pleasant surprise, works well",
    "happy with the result, good job",
]
NEGATIVE = [
    "terrible product, broke after a day",
    "i hate it, awful quality",
    "horrible service and slow delivery",
    "really bad value, very disappointed",
    "worst experience, do not recommend",
    "a waste of money this year",
    "rude, unfriendly and unhelpful staff",
    "it is useless and hard to use",
    "poor quality, i am annoyed",
    "ugly design and bad battery",
    "nasty surprise, does not work",
    "unhappy with the result, broken",
]
EPOCHS = 300
LEARNING_RATE = 0.5
L2 = 0.001
TOKEN = re.compile(r"[a-z']+")


def tokens(text: str) -> list[str]:
    return TOKEN.findall(text.lower())


def train() -> dict[str, object]:
    data = [(tokens(t), 1.0) for t in POSITIVE] + [(tokens(t), 0.0) for t in NEGATIVE]
    vocabulary = sorted({w for words, _ in data for w in words})
    weights = dict.fromkeys(vocabulary, 0.0)
    bias = 0.0
    for _ in range(EPOCHS):
        for words, label in data:
            z = bias + sum(weights[w] for w in set(words))
            error = 1.0 / (1.0 + math.exp(-z)) - label
            bias -= LEARNING_RATE * error
            for w in set(words):
                weights[w] -= LEARNING_RATE * (error + L2 * weights[w])
    return {
        "kind": "bag-of-words-logistic-regression",
        "labels": ["negative", "positive"],
        "bias": round(bias, 6),
        "weights": {w: round(v, 6) for w, v in weights.items() if abs(v) >= 1e-6},
    }


def main() -> None:
    out = Path(__file__).resolve().parent / "model" / "sentiment.json"
    out.write_text(json.dumps(train(), indent=1, sort_keys=True) + "\n")
    print(f"wrote {out.relative_to(Path.cwd()) if out.is_relative_to(Path.cwd()) else out}")


if __name__ == "__main__":
    main()
