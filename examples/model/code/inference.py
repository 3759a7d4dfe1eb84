"""Inference handler for the example sentiment model (SageMaker / Azure ML style).

The model is `sentiment.json` beside `code/`: a bag-of-words logistic regression
(weights per lower-cased word, a bias). Standard library only, so it runs in any
Python inference image. Requests are JSON: `{"text": "..."}` (what the API's GET
route sends from `?text=...`) or `{"instances": ["...", ...]}`.

Where the files are. SageMaker unpacks `model.tar.gz` into the model directory
(`/opt/ml/model`). On Azure, mlserving registers the same files, unpacked, and Azure ML
mounts them under the deployment's model mount path (also `/opt/ml/model`), possibly
one or more directories down (its documentation shows both `<mount>/<model>/<version>/`
and the registered folder's own name). So the model file is looked for in the model
directory and below it; a directory holding only `model.tar.gz` (a model registered
from the tarball itself, which Azure ML mounts as it is) is unpacked first.
"""

from __future__ import annotations

import json
import math
import os
import re
import tarfile
import tempfile
from typing import Any

TOKEN = re.compile(r"[a-z']+")
JSON = "application/json"
MODEL_FILE = "sentiment.json"
TARBALL = "model.tar.gz"


def find_model_file(model_dir: str) -> str:
    """The path of `sentiment.json` in the model directory or below it (see the module docstring)."""
    for root, dirs, files in os.walk(model_dir):
        dirs.sort()
        if MODEL_FILE in files:
            return os.path.join(root, MODEL_FILE)
    for root, dirs, files in os.walk(model_dir):
        dirs.sort()
        if TARBALL in files:
            unpacked = tempfile.mkdtemp(prefix="sentiment-model-")
            with tarfile.open(os.path.join(root, TARBALL)) as tar:
                # The `data` filter where this Python has it (3.8.17+, 3.9.17+, 3.10.12+, 3.11.4+).
                safe = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}
                tar.extractall(unpacked, **safe)  # type: ignore[arg-type]
            return find_model_file(unpacked)
    raise FileNotFoundError(f"no {MODEL_FILE} (nor {TARBALL}) in {model_dir!r} or below it")


def model_fn(model_dir: str) -> dict[str, Any]:
    with open(find_model_file(model_dir), encoding="utf-8") as f:
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
