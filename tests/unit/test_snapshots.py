"""Every child resource, exactly: reference configurations against reviewed snapshots.

The other unit tests assert the settings a user relies on one by one; `make mutation` showed
what they leave loose: a constant no test reads (an alarm's comparison operator, a metric
query's id, the text of a description) can change silently. Here each reference configuration
(defaults, every setting tuned, every optional part off; on both clouds, with releases of each
rollout kind) is built under the mocks, and the whole result is compared with a JSON file in
tests/unit/snapshots/: every resource in registration order with its type, name, parent, inputs
and the resource options the engine acts on, every invoke, and the components' outputs.

A change to what the provider creates fails here with a diff. When the change is intended,
rewrite the files and review their diff like code:

    UPDATE_SNAPSHOTS=1 .venv/bin/python -m pytest tests/unit/test_snapshots.py

A missing file fails too (it is never written silently).
"""

from __future__ import annotations

import difflib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

import pytest

from tests import mocks
from tests.unit.conftest import Build

SNAPSHOTS = Path(__file__).parent / "snapshots"
AZ: dict[str, Any] = {"cloud": "azure", "azure": {"location": "westeurope"}}
V1 = {"name": "fraud-v1", "modelName": "fraud", "version": "1.0.0", "apiVersion": "v1"}
V2 = {"name": "fraud-v2", "modelName": "fraud", "version": "2.1.3", "apiVersion": "v2"}
TAGS = {"team": "ml", "cost-center": "4711"}
ENVIRONMENT = {"MODEL_THRESHOLD": "0.7", "LOG_LEVEL": "debug"}
INFERENCE_CACHE = {
    "defaultTtlSeconds": 30,
    "maxTtlSeconds": 120,
    "queryStringKeys": ["lang"],
    "headerKeys": ["Accept-Language"],
}
AZURE_VNET = "/subscriptions/00000000-0000-0000-0000-000000000009/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/ml"
TUNED_SCALING = {"minReplicas": 2, "maxReplicas": 6, "scaleInCooldownSeconds": 420, "scaleOutCooldownSeconds": 90}

# The settings both clouds' tuned platforms share.
TUNED_API_EVENTS_MONITORING: dict[str, Any] = {
    "api": {"throttleRateLimit": 12.5, "throttleBurstLimit": 25, "quota": {"limit": 1000, "period": "WEEK"}},
    "events": {"archiveRetentionDays": 7},
    "monitoring": {"latencyP99ThresholdMs": 250, "errorRatePercentThreshold": 2.5, "alarmEmail": "ml@example.com"},
}
EVERY_OPTIONAL_PART_OFF: dict[str, Any] = {
    "artifacts": {"versioning": False},
    "cdn": {"enabled": False},
    "api": {"requireApiKey": False},
    "events": {"enabled": False},
    "monitoring": {"enabled": False},
}

SCENARIOS: dict[str, tuple[dict[str, Any], list[dict[str, Any]]]] = {
    "aws-defaults": ({}, [V1]),
    "aws-tuned": (
        {
            "tags": TAGS,
            "artifacts": {
                "kmsKeyArn": "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
                "noncurrentVersionExpirationDays": 30,
                "retainOnDelete": False,
            },
            "cdn": {
                "artifactTtlSeconds": 86400,
                "inferenceCache": INFERENCE_CACHE,
                "priceClass": "PriceClass_All",
                "customDomain": "models.example.com",
                "certificateArn": "arn:aws:acm:us-east-1:123456789012:certificate/abcd-1234",
                "webAclArn": "arn:aws:wafv2:us-east-1:123456789012:global/webacl/ml/abcd",
                "geoRestriction": {"restrictionType": "allow", "locations": ["DE", "FR"]},
            },
            "scaling": {**TUNED_SCALING, "targetInvocationsPerReplica": 250},
            **TUNED_API_EVENTS_MONITORING,
        },
        [
            {
                **V1,
                "instanceType": "ml.g5.xlarge",
                "scaling": {"minReplicas": 1, "maxReplicas": 3, "targetInvocationsPerReplica": 40},
                "environment": ENVIRONMENT,
                "rollout": {"strategy": "canary", "canaryPercent": 25, "waitSeconds": 600, "newFleetReplicas": 2},
                "dataCapture": {"enabled": True, "samplingPercent": 50},
            },
            {**V2, "rollout": {"strategy": "linear", "linearStepPercent": 50, "waitSeconds": 300}},
        ],
    ),
    "aws-sparse": (
        {
            **EVERY_OPTIONAL_PART_OFF,
        },
        [{**V1, "serverless": {"memorySizeMb": 4096, "maxConcurrency": 5}}],
    ),
    # Issue 21: models in the VPC, a private API, the endpoints and the models' security group made by the provider.
    "aws-private": (
        {
            "network": {
                "public": False,
                "aws": {
                    "vpcId": "vpc-0a1b2c3d",
                    "subnetIds": ["subnet-0a1b2c3d", "subnet-0a1b2c3e"],
                    "routeTableIds": ["rtb-0a1b2c3d"],
                },
            },
        },
        [V1, {**V2, "dataCapture": {"enabled": True, "samplingPercent": 10}}],
    ),
    "azure-defaults": (AZ, [V1]),
    "azure-tuned": (
        {
            "cloud": "azure",
            "azure": {"location": "northeurope", "resourceGroupName": "ml-platform"},
            "tags": TAGS,
            "artifacts": {"noncurrentVersionExpirationDays": 30, "retainOnDelete": False},
            "cdn": {
                "artifactTtlSeconds": 86400,
                "inferenceCache": {**INFERENCE_CACHE, "headerKeys": []},
                "customDomain": "models.example.com",
            },
            "scaling": {**TUNED_SCALING, "targetCpuPercent": 55},
            **TUNED_API_EVENTS_MONITORING,
        },
        [
            {
                **V1,
                "instanceType": "Standard_DS4_v2",
                "scaling": {"minReplicas": 1, "maxReplicas": 3, "targetCpuPercent": 60},
                "environment": ENVIRONMENT,
                "rollout": {"strategy": "canary", "canaryPercent": 25, "waitSeconds": 600},
                "requestSettings": {"maxConcurrentRequestsPerInstance": 4, "requestTimeoutMs": 10000},
            },
            {**V2, "rollout": {"strategy": "allAtOnce", "autoRollback": False}},
        ],
    ),
    "azure-sparse": (
        {
            **AZ,
            **EVERY_OPTIONAL_PART_OFF,
        },
        [V1],
    ),
    # Issue 21: the workspace's managed network, its and the artifacts' private endpoints with their DNS zones,
    # API Management (Developer) injected in internal mode, Front Door for artifacts only.
    "azure-private": (
        {
            **AZ,
            "network": {
                "public": False,
                "azure": {
                    "subnetId": AZURE_VNET + "/subnets/endpoints",
                    "apiSubnetId": AZURE_VNET + "/subnets/apim",
                    "apiSku": "Developer",
                },
            },
        },
        [V1, {**V2, "rollout": {"strategy": "canary", "canaryPercent": 10, "autoRollback": False}}],
    ),
}


def recorded(recorder: mocks.Recorder, components: list[Any], tmp: Path) -> dict[str, Any]:
    """What a build registered and called, as plain JSON, without the paths of this machine.
    Resources are sorted by type and name, invokes by token and arguments: the SDK registers
    them as their inputs resolve, in an order that changes from run to run."""
    monitor = mocks.monitor()
    resources = []
    for r in sorted(recorder.resources, key=lambda r: (r.typ, r.name)):
        options = dict(monitor.options[r.name])
        options["dependencies"] = sorted(options["dependencies"])  # a set, sent in any order
        resources.append(
            {
                "type": r.typ,
                "name": r.name,
                "parent": monitor.parents[(r.typ, r.name)].partition("::")[2].partition("::")[2],
                "inputs": r.inputs,
                "options": {k: v for k, v in options.items() if v not in (None, False, [])},
            }
        )
    outputs = {
        mocks.resolve(component.urn).rpartition("::")[2]: {k: mocks.resolve(v) for k, v in component.outputs.items()}
        for component in components
    }
    text = json.dumps(
        {
            "resources": resources,
            "invokes": sorted(
                recorder.calls, key=lambda call: json.dumps(call, sort_keys=True, default=mocks.plain_json)
            ),
            "outputs": outputs,
        },
        sort_keys=True,
        default=mocks.plain_json,
    )
    # The packed artifacts' cache (artifact.py) is under the system's temporary directory.
    text = text.replace(str(tmp), "<tmp>").replace(str(Path(tempfile.gettempdir()) / "mlserving-artifacts"), "<cache>")
    snapshot: dict[str, Any] = json.loads(text)
    return snapshot


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_children_match_their_reviewed_snapshot(build: Build, tmp_path: Path, scenario: str) -> None:
    platform, releases = SCENARIOS[scenario]
    recorder, built, made = build(platform, [dict(r) for r in releases])
    got = json.dumps(recorded(recorder, [built, *made], tmp_path), indent=1, sort_keys=True) + "\n"
    path = SNAPSHOTS / f"{scenario}.json"
    if os.environ.get("UPDATE_SNAPSHOTS") == "1":
        path.parent.mkdir(exist_ok=True)
        path.write_text(got)
    assert path.exists(), f"no snapshot {path}: write it with UPDATE_SNAPSHOTS=1 and review it"
    want = path.read_text()
    if got != want:
        diff = difflib.unified_diff(want.splitlines(), got.splitlines(), "snapshot", "built", lineterm="", n=2)
        pytest.fail(f"{scenario} differs from {path.name}:\n" + "\n".join(list(diff)[:120]))
