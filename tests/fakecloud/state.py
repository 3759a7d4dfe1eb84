"""The cloud-side state of fakecloud (a TEST DOUBLE): what the stand-in cloud holds, apart from Pulumi's state.

A real provider's `Read` asks the cloud, so `pulumi refresh` sees changes made behind
Pulumi's back. fakecloud keeps one record per resource it created (token, id, URN and
the outputs it returned) and its `Read` answers from that record. With
`FAKECLOUD_STATE=<dir>` the records live in `<dir>/<package>.json`, shared by every
fakecloud process of a run and kept between runs, so a test can change the cloud in
between (`python -m tests.fakecloud.drift`); without it they live in the process only.

A deleted resource leaves a tombstone: the cloud remembers that the name existed and is
gone, which is how a SageMaker endpoint finds that its endpoint configuration was deleted
(see rules.py, AWS-2). A resource Pulumi retains (retainOnDelete) or forgets is never
deleted here: the cloud still holds it, refuses to create it twice (rules.py, AWS-8,
Azure-6) and answers a `get` or an `import` of its id. A KMS key's tombstone keeps its
`keyState` (PendingDeletion, rules.py AWS-10), which kms.py reads. The records of a URN,
tombstones included, count its creations: what the next one draws (its id, random values,
autoname) is seeded with that count (rules.py, Draw), so it never repeats an earlier one's.

What a test arranges for the next calls lives beside the records (drift.py writes them):
- `alarms/<endpoint name>`: the endpoint's CloudWatch alarm fires during its next deployment
  (server.py, the rollback simulation);
- `fail-update/<endpoint name>`: the endpoint's next UpdateEndpoint starts, the provider's wait
  fails, and SageMaker goes back to the configuration it ran (one-shot);
- `invoke-failures/<token>.json`: every invoke of that token fails with this error until cleared;
- `quotas.json`: quotas raised for this account (rules.py AWS-9a, AWS-9b), by rule key.
"""

from __future__ import annotations

import copy
import fcntl
import json
import os
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = [
    "ALARMS",
    "FAIL_UPDATE",
    "INVOKE_FAILURES",
    "QUOTAS",
    "STATE_ENV",
    "CloudState",
    "Record",
    "key",
    "token_file",
]

STATE_ENV = "FAKECLOUD_STATE"
ALARMS = "alarms"
"""The folder (in the state directory) of `<endpoint name>` files: that endpoint's alarm fires."""
FAIL_UPDATE = "fail-update"
"""The folder of `<endpoint name>` files: that endpoint's next update fails after it started."""
INVOKE_FAILURES = "invoke-failures"
"""The folder of `<token>.json` files: {status, code, message} of the error every invoke of it gets."""
QUOTAS = "quotas.json"
"""Raised quotas, `{rule key: value}`."""


def key(token: str, urn: str, rid: str) -> str:
    """A record's key: ids alone are not unique (two usage plan keys of one API key share its id), and
    a replacement that creates first has two resources under one URN for a while."""
    return f"{token}|{urn}|{rid}"


@dataclass(frozen=True)
class Record:
    """One resource as the stand-in cloud holds it."""

    token: str
    id: str
    urn: str
    outputs: Mapping[str, Any]
    deleted: bool = False
    inputs: Mapping[str, Any] = field(default_factory=dict)
    """The settings the resource was last given, as the cloud holds them now (what a provider's Read
    reconstructs as the resource's inputs)."""

    def to_json(self) -> dict[str, Any]:
        return {
            "token": self.token,
            "id": self.id,
            "urn": self.urn,
            "outputs": self.outputs,
            "inputs": self.inputs,
            "deleted": self.deleted,
        }

    @staticmethod
    def from_json(data: Mapping[str, Any]) -> Record:
        return Record(
            token=str(data["token"]),
            id=str(data["id"]),
            urn=str(data["urn"]),
            outputs=dict(data.get("outputs") or {}),
            deleted=bool(data.get("deleted", False)),
            inputs=dict(data.get("inputs") or {}),
        )


class CloudState:
    """Records of one package's resources, in a file when a state directory is given, else in memory."""

    def __init__(self, package: str, directory: Path | None = None) -> None:
        self.package = package
        self.directory = directory
        self._memory: dict[str, dict[str, Any]] = {}
        self._lock = threading.Lock()

    @staticmethod
    def from_env(package: str) -> CloudState:
        directory = os.environ.get(STATE_ENV)
        return CloudState(package, Path(directory) if directory else None)

    @property
    def path(self) -> Path | None:
        return self.directory / f"{self.package}.json" if self.directory else None

    @contextmanager
    def _records(self, write: bool) -> Iterator[dict[str, dict[str, Any]]]:
        """The records, locked (across threads, and across processes through the file)."""
        with self._lock:
            path = self.path
            if path is None:
                yield self._memory
                return
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path, "a+", encoding="utf-8") as f:
                fcntl.flock(f, fcntl.LOCK_EX if write else fcntl.LOCK_SH)
                try:
                    f.seek(0)
                    text = f.read()
                    records: dict[str, dict[str, Any]] = json.loads(text) if text.strip() else {}
                    yield records
                    if write:
                        f.seek(0)
                        f.truncate()
                        f.write(json.dumps(records, sort_keys=True, indent=1))
                        f.flush()
                finally:
                    fcntl.flock(f, fcntl.LOCK_UN)

    def put(
        self,
        token: str,
        rid: str,
        urn: str,
        outputs: Mapping[str, Any],
        inputs: Mapping[str, Any],
        adopt: bool = False,
    ) -> None:
        """Record the resource. `adopt` (an update): a resource this URN imported or read under another
        URN is one cloud resource, which this URN now manages, so its record moves here."""
        with self._records(write=True) as records:
            if adopt:
                records.pop(_resolve(records, token, urn, rid), None)
            record = Record(token, rid, urn, copy.deepcopy(dict(outputs)), inputs=copy.deepcopy(dict(inputs)))
            records[key(token, urn, rid)] = record.to_json()

    def record(self, token: str, urn: str, rid: str) -> Record | None:
        """The record of this resource (a tombstone if it was deleted), or None if the cloud never saw it."""
        with self._records(write=False) as records:
            data = records.get(key(token, urn, rid))
        return Record.from_json(data) if data is not None else None

    def get(self, token: str, rid: str) -> Record | None:
        """The cloud's resource of this type and id (a live one before a tombstone), for cross-resource lookups."""
        with self._records(write=False) as records:
            found = sorted(
                (Record.from_json(data) for data in records.values() if data["token"] == token and data["id"] == rid),
                key=lambda r: (r.deleted, r.urn),
            )
        return found[0] if found else None

    def delete(self, token: str, rid: str, urn: str, kept: Mapping[str, Any] | None = None) -> None:
        """Leave a tombstone (with `kept` merged into its outputs: what the cloud still says of it). A
        resource this URN imported under another URN is the one deleted."""
        with self._records(write=True) as records:
            found = _resolve(records, token, urn, rid)
            old = Record.from_json(records[found]) if found in records else None
            outputs, inputs = (dict(old.outputs), old.inputs) if old else ({}, {})
            record = Record(token, rid, old.urn if old else urn, {**outputs, **(kept or {})}, True, inputs)
            records[found] = record.to_json()

    def delete_keys(self, keys: list[str]) -> None:
        """Tombstone these records (state.key), e.g. the children a delete took with it."""
        with self._records(write=True) as records:
            for k in keys:
                if k in records:
                    records[k] = {**records[k], "deleted": True}

    def all(self) -> list[Record]:
        with self._records(write=False) as records:
            return [Record.from_json(data) for data in records.values()]

    def replace(self, record: Record) -> None:
        with self._records(write=True) as records:
            records[key(record.token, record.urn, record.id)] = record.to_json()

    # ------------------------------------------------------------ what a test arranged (drift.py)

    def alarm_path(self, endpoint_name: str) -> Path | None:
        return self.directory / ALARMS / endpoint_name if self.directory else None

    def take_alarm(self, endpoint_name: str) -> bool:
        """True (once) if a test made this endpoint's alarm fire during its next deployment."""
        return self.take(ALARMS, endpoint_name)

    def take(self, folder: str, name: str) -> bool:
        """True (once) if a test left `<folder>/<name>` for the next call."""
        path = self.directory / folder / name if self.directory else None
        if path is None or not path.exists():
            return False
        path.unlink(missing_ok=True)
        return True

    def invoke_failure(self, token: str) -> dict[str, Any] | None:
        """The error a test made every invoke of `token` fail with (drift.py `fail-invoke`), or None."""
        path = self.directory / INVOKE_FAILURES / f"{token_file(token)}.json" if self.directory else None
        if path is None or not path.exists():
            return None
        failure: dict[str, Any] = json.loads(path.read_text())
        return failure

    def quotas(self) -> dict[str, int]:
        """Quotas a test raised (drift.py `quota`), by rule key."""
        path = self.directory / QUOTAS if self.directory else None
        if path is None or not path.exists():
            return {}
        return {str(k): int(v) for k, v in json.loads(path.read_text()).items()}


def token_file(token: str) -> str:
    """A file name for an invoke token (`azure-native:machinelearningservices:getModelVersion`)."""
    return token.replace("/", "_").replace(":", "_")


def _resolve(records: Mapping[str, Any], token: str, urn: str, rid: str) -> str:
    """The key of this URN's record, or, if it has none, of the one live record of this type and id that
    another URN holds (an import or a `get` reads a resource under a new URN); else this URN's key."""
    exact = key(token, urn, rid)
    if exact in records:
        return exact
    others = [k for k, data in records.items() if data["token"] == token and data["id"] == rid and not data["deleted"]]
    return others[0] if len(others) == 1 else exact
