"""The cloud-side state of fakecloud (a TEST DOUBLE): what the stand-in cloud holds, apart from Pulumi's state.

A real provider's `Read` asks the cloud, so `pulumi refresh` sees changes made behind
Pulumi's back. fakecloud keeps one record per resource it created (token, id, URN and
the outputs it returned) and its `Read` answers from that record. With
`FAKECLOUD_STATE=<dir>` the records live in `<dir>/<package>.json`, shared by every
fakecloud process of a run and kept between runs, so a test can change the cloud in
between (`python -m tests.fakecloud.drift`); without it they live in the process only.

A deleted resource leaves a tombstone: the cloud remembers that the name existed and is
gone, which is how a SageMaker endpoint finds that its endpoint configuration was deleted
(see rules.py, AWS-2). Files under `<dir>/alarms/` name the endpoints whose CloudWatch
alarm fires during their next deployment (see server.py, the rollback simulation).
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

__all__ = ["ALARMS", "STATE_ENV", "CloudState", "Record", "key"]

STATE_ENV = "FAKECLOUD_STATE"
ALARMS = "alarms"
"""The folder (in the state directory) of `<endpoint name>` files: that endpoint's alarm fires."""


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

    def put(self, token: str, rid: str, urn: str, outputs: Mapping[str, Any], inputs: Mapping[str, Any]) -> None:
        with self._records(write=True) as records:
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

    def delete(self, token: str, rid: str, urn: str) -> None:
        with self._records(write=True) as records:
            old = Record.from_json(records[key(token, urn, rid)]) if key(token, urn, rid) in records else None
            outputs, inputs = (old.outputs, old.inputs) if old else ({}, {})
            records[key(token, urn, rid)] = Record(token, rid, urn, outputs, True, inputs).to_json()

    def all(self) -> list[Record]:
        with self._records(write=False) as records:
            return [Record.from_json(data) for data in records.values()]

    def replace(self, record: Record) -> None:
        with self._records(write=True) as records:
            records[key(record.token, record.urn, record.id)] = record.to_json()

    # ------------------------------------------------------------ alarms (the rollback trigger)

    def alarm_path(self, endpoint_name: str) -> Path | None:
        return self.directory / ALARMS / endpoint_name if self.directory else None

    def take_alarm(self, endpoint_name: str) -> bool:
        """True (once) if a test made this endpoint's alarm fire during its next deployment."""
        path = self.alarm_path(endpoint_name)
        if path is None or not path.exists():
            return False
        path.unlink(missing_ok=True)
        return True
