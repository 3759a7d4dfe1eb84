"""Change fakecloud's cloud-side state behind Pulumi's back (fakecloud is a TEST DOUBLE).

    python -m tests.fakecloud.drift [--state DIR] show
    python -m tests.fakecloud.drift [--state DIR] set <resource> <property.path> <value>
    python -m tests.fakecloud.drift [--state DIR] delete <resource>
    python -m tests.fakecloud.drift [--state DIR] alarm <endpoint name>
    python -m tests.fakecloud.drift [--state DIR] fail-update <endpoint name>
    python -m tests.fakecloud.drift [--state DIR] fail-invoke <token> [<code> [<message>]] [--status N]
    python -m tests.fakecloud.drift [--state DIR] clear-invoke <token>
    python -m tests.fakecloud.drift [--state DIR] quota <rule key> <value>

`<resource>` is a URN, the name in a URN, a resource id or a physical name (the `name`,
`bucket`, ... output). `<value>` is JSON if it parses as JSON, else a string. The state
directory defaults to $FAKECLOUD_STATE. After `set` or `delete`, `pulumi refresh` reports
the drift and `pulumi up` repairs it (a deleted KMS key is PendingDeletion, a deleted Azure
resource takes its children: rules.py AWS-10, Azure-9); `alarm` makes the endpoint's CloudWatch
alarm fire during its next deployment, so SageMaker rolls it back (server.py, `_deploy`).

`fail-update`: the endpoint's next UpdateEndpoint starts, the AWS provider's InService wait fails
(its 60-minute timeout), and SageMaker goes back to the configuration the endpoint ran; the
provider saves the requested inputs anyway (rules.py Bridge-1). One-shot.
`fail-invoke`: every invoke of `<token>` (getModelVersion, getEnvironmentVersion,
getOnlineDeployment, cloudcontrol getResource) fails with this error (default: 500
InternalServerError) instead of answering, until `clear-invoke`: what a provider that falls back
only on not-found must not take for not-found (rules.py Azure-8, AWS-11).
`quota`: raise a quota of the account (rules.py AWS-9a, AWS-9b), as Service Quotas would.
"""

from __future__ import annotations

import argparse
import copy
import dataclasses
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.fakecloud.packages import PACKAGES
from tests.fakecloud.rules import Call, Effect, judge
from tests.fakecloud.state import (
    ALARMS,
    FAIL_UPDATE,
    INVOKE_FAILURES,
    QUOTAS,
    STATE_ENV,
    CloudState,
    Record,
    token_file,
)

__all__ = ["MATCHES", "NAME_OUTPUTS", "delete", "find", "main", "set_property"]

NAME_OUTPUTS = ("name", "bucket", "accountName", "endpointName", "serviceName", "workspaceName")


MATCHES: tuple[Callable[[Record, str], bool], ...] = (
    lambda record, ref: ref == record.urn,
    lambda record, ref: ref in (record.id, record.identifier),
    lambda record, ref: ref == record.urn.split("::")[-1],
    lambda record, ref: ref in [record.outputs.get(k) for k in NAME_OUTPUTS],
)
"""How a reference names a resource, most exact first: URN, id (or what the cloud names it: an S3 object's
`<bucket>/<key>`, rules.py AWS-12), the name in the URN, a physical name."""


def find(directory: Path, ref: str) -> tuple[CloudState, Record]:
    """The one live record that `ref` names, in any package's state."""
    live = [
        (state, record)
        for state in (CloudState(package, directory) for package in PACKAGES)
        for record in state.all()
        if not record.deleted
    ]
    found: list[tuple[CloudState, Record]] = []
    for matches in MATCHES:
        found = [(state, record) for state, record in live if matches(record, ref)]
        if found:
            break
    if len(found) != 1:
        urns = ", ".join(record.urn for _, record in found) or "none"
        raise SystemExit(f"fakecloud drift: {ref!r} names {len(found)} live resources ({urns}); name exactly one")
    return found[0]


def set_property(outputs: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """The outputs with the (dotted) property set."""
    out = copy.deepcopy(outputs)
    *parents, last = path.split(".")
    node = out
    for step in parents:
        child = node.get(step)
        if not isinstance(child, dict):
            child = {}
            node[step] = child
        node = child
    node[last] = value
    return out


def delete(state: CloudState, record: Record) -> None:
    """Delete a resource behind Pulumi's back, as the cloud deletes it (what it keeps, what goes with it)."""
    call = Call(
        package=state.package,
        token=record.token,
        name=record.urn.split("::")[-1],
        news={**record.inputs, **record.outputs},
        id=record.id,
        lookup=state.get,
        records=state.all,
    )
    kept = [verdict for _, verdict in judge([Effect.DELETE], call)]
    state.delete(record.token, record.id, record.urn, {"keyState": kept[-1]} if kept else None, record.identifier)
    state.delete_keys([k for _, k in judge([Effect.CASCADE], call)])


def _parse(value: str) -> Any:
    try:
        return json.loads(value)
    except json.JSONDecodeError:
        return value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Change fakecloud's (a test double's) cloud-side state")
    parser.add_argument("--state", type=Path, default=os.environ.get(STATE_ENV), help=f"default: ${STATE_ENV}")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("show")
    setter = commands.add_parser("set")
    setter.add_argument("resource")
    setter.add_argument("property")
    setter.add_argument("value")
    deleter = commands.add_parser("delete")
    deleter.add_argument("resource")
    alarm = commands.add_parser("alarm")
    alarm.add_argument("endpoint")
    fail_update = commands.add_parser("fail-update")
    fail_update.add_argument("endpoint")
    fail_invoke = commands.add_parser("fail-invoke")
    fail_invoke.add_argument("token")
    fail_invoke.add_argument("code", nargs="?", default="InternalServerError")
    fail_invoke.add_argument("message", nargs="?", default="fakecloud (a test double): the service failed the request")
    fail_invoke.add_argument("--status", type=int, default=500)
    clear_invoke = commands.add_parser("clear-invoke")
    clear_invoke.add_argument("token")
    quota = commands.add_parser("quota")
    quota.add_argument("rule")
    quota.add_argument("value", type=int)
    args = parser.parse_args(argv)
    if not args.state:
        parser.error(f"no state directory: give --state or set {STATE_ENV}")
    directory: Path = args.state
    if args.command == "show":
        for package in PACKAGES:
            for record in CloudState(package, directory).all():
                print(json.dumps(record.to_json(), sort_keys=True))
    elif args.command == "set":
        state, record = find(directory, args.resource)
        value = _parse(args.value)
        outputs = set_property(dict(record.outputs), args.property, value)
        # A setting the resource is given changes its inputs too (a refresh reads both back).
        given = args.property.split(".")[0] in record.inputs
        inputs = set_property(dict(record.inputs), args.property, value) if given else dict(record.inputs)
        state.replace(dataclasses.replace(record, outputs=outputs, inputs=inputs))
        print(f"fakecloud (test double): {record.urn} {args.property} = {args.value}", file=sys.stderr)
    elif args.command == "delete":
        state, record = find(directory, args.resource)
        delete(state, record)
        print(f"fakecloud (test double): {record.urn} deleted behind Pulumi's back", file=sys.stderr)
    elif args.command in ("alarm", "fail-update"):
        folder, what = (
            (ALARMS, "'s alarm fires during its next deployment")
            if args.command == "alarm"
            else (FAIL_UPDATE, "'s next update fails after it started")
        )
        path = directory / folder / args.endpoint
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"{args.endpoint}{what}\n")
        print(f"fakecloud (test double): {args.endpoint}{what}", file=sys.stderr)
    elif args.command == "fail-invoke":
        path = directory / INVOKE_FAILURES / f"{token_file(args.token)}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        failure = {"status": args.status, "code": args.code, "message": args.message}
        path.write_text(json.dumps(failure, sort_keys=True))
        print(f"fakecloud (test double): every {args.token} fails with {args.status} {args.code}", file=sys.stderr)
    elif args.command == "clear-invoke":
        (directory / INVOKE_FAILURES / f"{token_file(args.token)}.json").unlink(missing_ok=True)
        print(f"fakecloud (test double): {args.token} answers again", file=sys.stderr)
    else:
        path = directory / QUOTAS
        quotas = json.loads(path.read_text()) if path.exists() else {}
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({**quotas, args.rule: args.value}, sort_keys=True))
        print(f"fakecloud (test double): quota {args.rule} = {args.value}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
