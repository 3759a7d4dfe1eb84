"""The engine's wire format for property values: structs, unknowns and secrets.

Values cross gRPC as `google.protobuf.Struct`s. Special values are objects tagged with
the signature key: secrets (`{sig: SECRET_SIG, value: ...}`), assets, archives and
resource references; an unknown (a value not known during a preview) is the string
`UNKNOWN`. fakecloud keeps special objects as they are and only looks inside secrets.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from google.protobuf import json_format, struct_pb2

__all__ = [
    "SECRET_SIG",
    "SIG",
    "UNKNOWN",
    "canonical",
    "contains_unknown",
    "digest",
    "from_struct",
    "is_secret",
    "masked",
    "reveal",
    "secret",
    "to_struct",
]

UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
SIG = "4dabf18193072939515e22adb298388d"
SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270"


def from_struct(struct: struct_pb2.Struct) -> dict[str, Any]:
    """A Struct as plain Python values (numbers become floats, as on the wire)."""
    return dict(json_format.MessageToDict(struct))


def to_struct(values: Mapping[str, Any]) -> struct_pb2.Struct:
    struct = struct_pb2.Struct()
    struct.update(dict(values))
    return struct


def secret(value: Any) -> dict[str, Any]:
    return {SIG: SECRET_SIG, "value": value}


def is_secret(value: Any) -> bool:
    return isinstance(value, dict) and value.get(SIG) == SECRET_SIG


def reveal(value: Any) -> Any:
    """The value inside a secret (deeply), for deriving names and ids."""
    if is_secret(value):
        return reveal(value.get("value"))
    if isinstance(value, dict):
        return {k: reveal(v) for k, v in value.items()}
    if isinstance(value, list):
        return [reveal(v) for v in value]
    return value


def masked(value: Any) -> Any:
    """The value with every secret replaced by `"[secret]"`, for recordings."""
    if is_secret(value):
        return "[secret]"
    if isinstance(value, dict):
        return {k: masked(v) for k, v in value.items()}
    if isinstance(value, list):
        return [masked(v) for v in value]
    return value


def contains_unknown(value: Any) -> bool:
    if value == UNKNOWN:
        return True
    if isinstance(value, dict):
        return any(contains_unknown(v) for v in value.values())
    if isinstance(value, list):
        return any(contains_unknown(v) for v in value)
    return False


def canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def digest(*parts: Any) -> str:
    """A stable hex digest of the given values."""
    return hashlib.sha256("\n".join(canonical(p) for p in parts).encode()).hexdigest()
