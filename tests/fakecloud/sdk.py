"""What the real providers' Python SDKs say about a resource type's inputs, for fakecloud (a TEST DOUBLE).

fakecloud takes facts about inputs from the installed pulumi-aws, pulumi-azure-native and
pulumi-random SDKs, never from our own code: the inputs a type requires (the `<Type>Args`
parameters without a default) and the names of all its inputs. Importing an SDK module
costs a second or so, and each engine command starts fresh plugin processes, so the
answers are cached in a file per package version in the system's temporary directory.
"""

from __future__ import annotations

import fcntl
import importlib
import importlib.metadata
import inspect
import json
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

from tests.fakecloud.packages import PACKAGES

__all__ = ["SDK_MODULES", "input_names", "required_inputs"]

SDK_MODULES = {"aws": "pulumi_aws", "azure-native": "pulumi_azure_native", "random": "pulumi_random"}

_lock = threading.Lock()
_tables: dict[str, dict[str, dict[str, list[str]]]] = {}


def _introspect(package: str, token: str) -> dict[str, list[str]]:
    """{"required": [...], "inputs": [...]}: Pulumi names of the `<Type>Args` parameters."""
    import pulumi._types

    _, module_path, kind = token.split(":")
    module = module_path.split("/")[0]
    name = SDK_MODULES[package] + ("" if module == "index" else f".{module}")
    try:
        # The Args class of the resource's own module. When a nested input type has the name
        # `<Kind>Args` (pulumi_aws.s3.BucketServerSideEncryptionConfigurationArgs is the legacy
        # Bucket's block, pulumi_azure_native.monitor.ActionGroupArgs an action rule's), the SDK
        # names the resource's `<Kind>InitArgs`.
        resource_cls = getattr(importlib.import_module(name), kind)
        own = sys.modules[resource_cls.__module__]
        args_cls: Any = getattr(own, f"{kind}InitArgs", None) or getattr(own, f"{kind}Args")
    except (ImportError, AttributeError, KeyError):
        return {"required": [], "inputs": []}
    names = pulumi._types.input_type_py_to_pulumi_names(args_cls)
    params = [p for p in inspect.signature(args_cls.__init__).parameters.values() if p.kind == p.KEYWORD_ONLY]
    return {
        "required": [names.get(p.name, p.name) for p in params if p.default is inspect.Parameter.empty],
        "inputs": [names.get(p.name, p.name) for p in params],
    }


def _cache_file(package: str) -> Path:
    version = importlib.metadata.version(PACKAGES[package])
    return Path(tempfile.gettempdir()) / f"fakecloud-sdk-inputs-v3-{package}-{version}.json"


def _entry(package: str, token: str) -> dict[str, list[str]]:
    with _lock:
        table = _tables.setdefault(package, {})
        if token in table:
            return table[token]
        with open(_cache_file(package), "a+", encoding="utf-8") as f:
            fcntl.flock(f, fcntl.LOCK_EX)
            try:
                f.seek(0)
                text = f.read()
                table.update(json.loads(text) if text.strip() else {})
                if token not in table:
                    table[token] = _introspect(package, token)
                    f.seek(0)
                    f.truncate()
                    f.write(json.dumps(table, sort_keys=True))
            finally:
                fcntl.flock(f, fcntl.LOCK_UN)
        return table[token]


def required_inputs(package: str, token: str) -> list[str]:
    """The inputs the package's Python SDK requires for `token` (empty for a type it does not know)."""
    return list(_entry(package, token)["required"])


def input_names(package: str, token: str) -> list[str]:
    """Every input the package's Python SDK accepts for `token`."""
    return list(_entry(package, token)["inputs"])
