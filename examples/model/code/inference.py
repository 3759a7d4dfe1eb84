"""Inference handler for the example sentiment model (SageMaker / Azure ML style).

The model is `sentiment.json` beside `code/`: a bag-of-words logistic regression
(weights per lower-cased word, a bias). Standard library only, so it runs in any
Python inference image. Requests are JSON: `{"text": "..."}` (what the API's GET
route sends from `?text=...`) or `{"instances": ["...", ...]}`.
"""

from __future__ import annotations

import json
import math
import os
import re
from typing import Any

TOKEN = re.compile(r"[a-z']+")
JSON = "application/json"


def model_fn(model_dir: str) -> dict[str, Any]:
    with open(os.path.join(model_dir, "sentiment.json"), encoding="utf-8") as f:
        model: dict[str, Any] = json.load(f)
    return model


def input_fn(request_body: str | bytes, request_content_type: str = JSON) -> list[str]:
    if request_content_type.split(";")[0].strip() != JSON:
        raise ValueError(f"unsupported content type {request_content_type!r}; send {JSON}")
    body = json.loads(request_body)
    if isinstance(body, dict) and isinstance(body.get("text"), str):
        return [body["text"]]
    if isinstance(body, dict) and isinstance(body.get("instances"), list):
        return [str(t) for t in body["instances"]]
    raise ValueError('expected {"text": "..."} or {"instances": ["...", ...]}')


def predict_fn(texts: list[str], model: dict[str, Any]) -> list[dict[str, Any]]:
    weights: dict[str, float] = model["weights"]
    results = []
    for text in texts:
        words = set(TOKEN.findall(text.lower()))
        z = model["bias"] + sum(weights.get(w, 0.0) for w in words)
        positive = 1.0 / (1.0 + math.exp(-z))
        results.append({"label": "positive" if positive >= 0.5 else "negative", "positive": round(positive, 4)})
    return results


def output_fn(prediction: list[dict[str, Any]], accept: str = JSON) -> str:
    return json.dumps({"predictions": prediction})


def predict(text: str, model_dir: str | None = None) -> dict[str, Any]:
    """One text in, one prediction out (for local use and tests)."""
    model = model_fn(model_dir or os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    return predict_fn([text], model)[0]


if __name__ == "__main__":
    import sys

    print(json.dumps(predict(" ".join(sys.argv[1:]) or "great product")))
