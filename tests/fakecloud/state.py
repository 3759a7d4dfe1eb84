"""The cloud-side state of fakecloud (a TEST DOUBLE): what the stand-in cloud holds, apart from Pulumi's state.

A real provider's `Read` asks the cloud, so `pulumi refresh` sees changes made behind
Pulumi's back. fakecloud keeps one record per resource it created (token, id, URN and
the outputs it returned) and its `Read` answers from that record. With
`FAKECLOUD_STATE=<dir>` the records live in `<dir>/<package>.json`, shared by every
fakecloud process of a run and kept between runs, so a test can change the cloud in
between (`python -m tests.fakecloud.drift`); without it they live in the process only.

A record is the resource the cloud names, which is not always what its id names: an S3
object's id is its key, yet two buckets hold two objects of one key (rules.py, AWS-12). Such a
record carries its `identity` (the provider's import id, `<bucket>/<key>`), by which it is kept
and found; the Pulumi-facing id stays the provider's.

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


def key(token: str, urn: str, identifier: str) -> str:
    """A record's key: its type, its URN (a replacement that creates first has two resources under one
    URN for a while) and what the cloud names it (`Record.identifier`: its id, or, where the id is unique
    only within a parent, its identity, rules.py AWS-12)."""
    return f"{token}|{urn}|{identifier}"


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
    identity: str = ""
    """What the cloud names the resource where its id is unique only within a parent (rules.py, AWS-12:
    an S3 object's `<bucket>/<key>`); empty where the id names it."""

    @property
    def identifier(self) -> str:
        """What the cloud names the resource: its identity, else its id."""
        return self.identity or self.id

    @property
    def key(self) -> str:
        """Its key in the records (`key`)."""
        return key(self.token, self.urn, self.identifier)

    def to_json(self) -> dict[str, Any]:
        return {
            "token": self.token,
            "id": self.id,
            "urn": self.urn,
            "outputs": self.outputs,
            "inputs": self.inputs,
            "deleted": self.deleted,
            **({"identity": self.identity} if self.identity else {}),
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
            identity=str(data.get("identity") or ""),
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
        identity: str | None = None,
    ) -> None:
        """Record the resource, under what the cloud names it (`identity`, rules.py AWS-12; None: its id):
        a resource of that name this URN held before is the same one, written again (an S3 PutObject of a
        bucket's key). `adopt` (an update): a resource this URN imported or read under another URN is one
        cloud resource, which this URN now manages, so its record moves here."""
        with self._records(write=True) as records:
            if adopt:
                records.pop(_resolve(records, token, urn, rid, identity), None)
            record = Record(
                token,
                rid,
                urn,
                copy.deepcopy(dict(outputs)),
                inputs=copy.deepcopy(dict(inputs)),
                identity=identity if identity is not None and identity != rid else "",
            )
            records[record.key] = record.to_json()

    def record(self, token: str, urn: str, rid: str, identity: str | None = None) -> Record | None:
        """This URN's record of the resource (a tombstone if it was deleted), or None if the cloud never saw
        it. `identity` (rules.py AWS-12) says which, where the id is unique only within a parent; without it
        the one record of this URN and id answers."""
        with self._records(write=False) as records:
            found = _own(records, token, urn, rid, identity)
            data = records.get(found) if found is not None else None
        return Record.from_json(data) if data is not None else None

    def get(self, token: str, rid: str, identity: str | None = None) -> Record | None:
        """The cloud's resource of this type named so (a live one before a tombstone), whichever URN holds
        it, for cross-resource lookups, a `get` and an import. `identity` (rules.py AWS-12) names it where
        the id is unique only within a parent; without it, `rid` is what the cloud names it, which for such a
        resource is the provider's import id (`<bucket>/<key>`), as an import gives it."""
        with self._records(write=False) as records:
            found = sorted(
                (
                    record
                    for record in map(Record.from_json, records.values())
                    if record.token == token and _names(record, rid, identity)
                ),
                key=lambda r: (r.deleted, r.urn),
            )
        return found[0] if found else None

    def delete(
        self, token: str, rid: str, urn: str, kept: Mapping[str, Any] | None = None, identity: str | None = None
    ) -> None:
        """Leave a tombstone (with `kept` merged into its outputs: what the cloud still says of it) on the
        resource the cloud names so (`identity`, rules.py AWS-12; None: by its id). A resource this URN
        imported under another URN is the one deleted."""
        with self._records(write=True) as records:
            found = _resolve(records, token, urn, rid, identity)
            old = Record.from_json(records[found]) if found in records else None
            outputs, inputs = (dict(old.outputs), old.inputs) if old else ({}, {})
            named = old.identity if old else (identity if identity is not None and identity != rid else "")
            record = Record(token, rid, old.urn if old else urn, {**outputs, **(kept or {})}, True, inputs, named)
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
            records[record.key] = record.to_json()

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


def _names(record: Record, rid: str, identity: str | None) -> bool:
    """Is `record` the resource of id `rid` that the cloud names `identity` (None: the one it names `rid`)?"""
    if identity is None:
        return record.identifier == rid
    return record.id == rid and record.identifier == identity


def _own(records: Mapping[str, Any], token: str, urn: str, rid: str, identity: str | None) -> str | None:
    """The key of this URN's record of the resource: the one the cloud names `identity`, or, when that is
    not known, the one record of this URN and id (the live one, if a tombstone shares its id)."""
    if identity is not None:
        exact = key(token, urn, identity)
        return exact if exact in records else None
    mine = [
        (k, Record.from_json(data))
        for k, data in records.items()
        if data["token"] == token and data["urn"] == urn and data["id"] == rid
    ]
    live = [k for k, record in mine if not record.deleted]
    if len(mine) == 1:
        return mine[0][0]
    return live[0] if len(live) == 1 else None


def _resolve(records: Mapping[str, Any], token: str, urn: str, rid: str, identity: str | None = None) -> str:
    """The key of this URN's record, or, if it has none, of the one live record of this type and name that
    another URN holds (an import or a `get` reads a resource under a new URN); else this URN's key."""
    own = _own(records, token, urn, rid, identity)
    if own is not None:
        return own
    others = [
        k
        for k, data in records.items()
        if data["token"] == token and not data["deleted"] and _names(Record.from_json(data), rid, identity)
    ]
    return others[0] if len(others) == 1 else key(token, urn, identity if identity is not None else rid)
