"""Changes behind Pulumi's back, through the real engine, with fakecloud (a TEST DOUBLE) as the cloud.

Each workspace gives fakecloud its own cloud-side state (`FAKECLOUD_STATE`, engine.py's
`Workspace.cloud_state`): what the stand-in cloud holds, which its Read answers from and
which `python -m tests.fakecloud.drift` changes between two commands.

- Drift (issue 13, 5), on examples/aws-python and examples/azure-python: after `up`, settings
  of the artifact store are changed out of band (its public access, and on AWS a tag on the
  bucket, on Azure the minimum TLS version). `refresh` reports exactly those resources and
  properties, `up` sets them back (fakecloud records the Updates), and `refresh
  --expect-no-changes` is then clean.
- An alarm rollback (issue 11 AWS 2), on examples/aws-python: the v2 endpoint's alarm fires
  during the rollout of a `v2Version` bump, so SageMaker (fakecloud) ends the deployment on the
  endpoint's old configuration. `up` fails with the provider's message naming both
  configurations, and nothing the endpoint runs on is deleted; the next `up --refresh` retries the
  rollout and converges; destroy keeps every model and endpoint configuration.

The scenarios run side by side, each with its own stack, backend and cloud state.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import pytest

from tests.fakecloud.state import CloudState, Record
from tests.integration.engine import ROOT, Phases, Run, Workspace, resource_key

pytestmark = pytest.mark.timeout(1800)

ENDPOINT = "aws:sagemaker/endpoint:Endpoint"
CONFIG = "aws:sagemaker/endpointConfiguration:EndpointConfiguration"
MODEL = "aws:sagemaker/model:Model"
V2 = "sentiment-v2"
PACKAGES = {"aws-python": "aws", "azure-python": "azure-native"}
"""The fakecloud package whose cloud-side state a drift example changes."""
ABSENT = object()
"""A property the program does not set (a tag added out of band is removed again)."""


@dataclass(frozen=True)
class Drift:
    """One setting changed behind Pulumi's back."""

    resource: str
    """The resource as `drift` names it: the name in its URN."""
    token: str
    path: str
    """The (dotted) property path `drift set` changes."""
    value: Any
    program: Any
    """What the program sets at `path` (ABSENT: nothing), which `up` must put back."""

    @property
    def key(self) -> tuple[str, str]:
        return self.token, self.resource

    @property
    def reported(self) -> str:
        """The top-level property the engine names in the diff."""
        return self.path.split(".")[0]


DRIFTS: dict[str, tuple[Drift, ...]] = {
    "aws-python": (
        # A security setting: the bucket may be made public by a bucket policy again.
        Drift(
            "ml-artifacts-public-access",
            "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
            "blockPublicPolicy",
            False,
            True,
        ),
        Drift("ml-artifacts", "aws:s3/bucket:Bucket", "tags.owner", "someone-else", ABSENT),
    ),
    "azure-python": (
        Drift("ml-artifacts", "azure-native:storage:StorageAccount", "allowBlobPublicAccess", True, False),
        Drift("ml-artifacts", "azure-native:storage:StorageAccount", "minimumTlsVersion", "TLS1_0", "TLS1_2"),
    ),
}


@dataclass
class Scenario(Phases):
    """What each phase of one scenario produced, or where it stopped."""

    def records(self, package: str) -> list[Record]:
        """What the stand-in cloud holds now (tombstones included)."""
        return CloudState(package, self.workspace.cloud_state).all()


def at(values: Mapping[str, Any], path: str) -> Any:
    """The value at a dotted path, or ABSENT."""
    node: Any = values
    for step in path.split("."):
        if not isinstance(node, Mapping) or step not in node:
            return ABSENT
        node = node[step]
    return node


def live(records: list[Record], token: str) -> dict[str, Record]:
    """The cloud's live resources of one type, by id."""
    return {r.id: r for r in records if r.token == token and not r.deleted}


def step_key(step: Mapping[str, Any]) -> tuple[str, str]:
    urn = str(step["urn"])
    return urn.split("::")[-2].split("$")[-1], urn.split("::")[-1]


# ---------------------------------------------------------------- the scenarios


def run_drift(scenario: Scenario) -> None:
    ws, phases = scenario.workspace, scenario.phases
    ws.pulumi("up", "--yes", "--skip-preview", check=True)
    for drift in DRIFTS[ws.name]:
        scenario.drift("set", drift.resource, drift.path, json.dumps(drift.value))
    phases["drifted"] = scenario.records(PACKAGES[ws.name])
    phases["report"] = ws.pulumi("refresh", "--preview-only", "--json", check=True)
    ws.pulumi("refresh", "--yes", "--skip-preview", check=True)
    phases["repair"] = ws.pulumi("up", "--yes", "--skip-preview", check=True)
    phases["repaired"] = scenario.records(PACKAGES[ws.name])
    phases["clean"] = ws.pulumi("refresh", "--yes", "--expect-no-changes", "--skip-preview")
    ws.pulumi("destroy", "--yes", "--skip-preview", check=True)


def run_rollback(scenario: Scenario) -> None:
    ws, phases = scenario.workspace, scenario.phases
    ws.pulumi("up", "--yes", "--skip-preview", check=True)
    outputs = ws.outputs()
    configs = {resource_key(r)[1]: r["outputs"]["name"] for r in ws.export() if r["type"] == CONFIG}
    phases["up"] = (outputs, configs)
    scenario.drift("alarm", outputs["v2EndpointName"])
    ws.pulumi("config", "set", "v2Version", "2.1.0", check=True)
    phases["rolled_back"] = (ws.pulumi("up", "--yes", "--skip-preview"), scenario.records("aws"))
    phases["retry"] = (ws.pulumi("up", "--yes", "--skip-preview", "--refresh"), scenario.records("aws"), ws.outputs())
    phases["settled"] = ws.pulumi("preview", "--expect-no-changes")
    phases["destroy"] = (ws.pulumi("destroy", "--yes", "--skip-preview", check=True), scenario.records("aws"))


SCENARIOS: dict[str, tuple[str, Callable[[Scenario], None]]] = {
    "drift-aws": ("aws-python", run_drift),
    "drift-azure": ("azure-python", run_drift),
    "rollback-aws": ("aws-python", run_rollback),
}


@pytest.fixture(scope="module")
def scenarios(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Scenario]:
    made = {}
    for name, (example, _) in SCENARIOS.items():
        made[name] = Scenario(Workspace(ROOT / "examples" / example, tmp_path_factory.mktemp(name)))
    with ThreadPoolExecutor(max_workers=len(made)) as pool:
        done = list(pool.map(lambda name: made[name].run(SCENARIOS[name][1]), made))
    return dict(zip(made, done, strict=True))


# ---------------------------------------------------------------- drift


@pytest.mark.parametrize("name", ["drift-aws", "drift-azure"])
def test_refresh_reports_exactly_the_drift(scenarios: dict[str, Scenario], name: str) -> None:
    scenario = scenarios[name]
    drifts = DRIFTS[scenario.workspace.name]
    report: Run = scenario.need("report")
    steps = report.json()["steps"]
    changed = {step_key(s): (s["op"], sorted(s.get("diffReasons") or [])) for s in steps if s["op"] != "refresh"}
    expected: dict[tuple[str, str], tuple[str, list[str]]] = {}
    for drift in drifts:
        expected.setdefault(drift.key, ("update", []))[1].append(drift.reported)
    assert changed == {key: (op, sorted(reasons)) for key, (op, reasons) in expected.items()}
    assert report.json()["changeSummary"] == {"same": len(steps) - len(expected), "update": len(expected)}
    # The refreshed state holds what the cloud holds now.
    new_states = {step_key(s): s["newState"] for s in steps if s["op"] != "refresh"}
    for drift in drifts:
        assert at(new_states[drift.key]["outputs"], drift.path) == drift.value, drift
        assert at(new_states[drift.key]["inputs"], drift.path) == drift.value, drift


@pytest.mark.parametrize("name", ["drift-aws", "drift-azure"])
def test_up_sets_the_drifted_settings_back(scenarios: dict[str, Scenario], name: str) -> None:
    scenario = scenarios[name]
    drifts = DRIFTS[scenario.workspace.name]
    repair: Run = scenario.need("repair")
    drifted: list[Record] = scenario.need("drifted")
    repaired: list[Record] = scenario.need("repaired")
    assert repair.mutations() == sorted({("Update", *drift.key) for drift in drifts})
    for drift in drifts:
        (before,) = [r for r in drifted if (r.token, r.urn.split("::")[-1]) == drift.key and not r.deleted]
        (after,) = [r for r in repaired if (r.token, r.urn.split("::")[-1]) == drift.key and not r.deleted]
        assert after.id == before.id, "updated in place"
        assert (at(before.outputs, drift.path), at(after.outputs, drift.path)) == (drift.value, drift.program), drift


@pytest.mark.parametrize("name", ["drift-aws", "drift-azure"])
def test_refresh_is_clean_after_the_repair(scenarios: dict[str, Scenario], name: str) -> None:
    clean: Run = scenarios[name].need("clean")
    assert clean.code == 0, clean.output[-4000:]
    assert clean.mutations() == []
    assert {c["method"] for c in clean.calls if c["method"] in ("Read", "Update", "Create", "Delete")} == {"Read"}


# ---------------------------------------------------------------- an alarm rollback


def rollback_message(endpoint: str, running: str, wanted: str) -> str:
    """What the provider says when the endpoint does not run this release's configuration (clouds/aws/serving.py)."""
    return (
        f"ModelRelease '{V2}': the endpoint '{endpoint}' runs the endpoint configuration '{running}', "
        f"not '{wanted}', which this release deploys. SageMaker rolled the update back (one of the "
        "release's rollback alarms fired during the rollout, or the new fleet failed its health checks), "
        "or the update is still running after the AWS provider stopped waiting for it. The endpoint still "
        "serves the previous release (its model and endpoint configuration are kept). See the endpoint's "
        "events in SageMaker; once it is InService, fix the release if it was rolled back and run "
        "`pulumi up --refresh` to retry the rollout: a plain `pulumi up` may see no change, because the "
        "AWS provider keeps the configuration it asked for in its state when its update fails."
    )


def created_config(run: Run) -> str:
    (config,) = [
        c["id"] for c in run.calls if c["method"] == "Create" and (c["type"], c["name"]) == (CONFIG, f"{V2}-config")
    ]
    return str(config)


def test_a_rolled_back_update_fails_up_naming_both_configurations(scenarios: dict[str, Scenario]) -> None:
    scenario = scenarios["rollback-aws"]
    outputs, configs = scenario.need("up")
    failed, _ = scenario.need("rolled_back")
    endpoint, old, new = outputs["v2EndpointName"], configs[f"{V2}-config"], created_config(failed)
    assert failed.code != 0
    # fakecloud's SageMaker rolled the deployment back to the old configuration.
    alarms = [c for c in failed.calls if c["method"] == "Alarm"]
    assert [(a["endpoint"], a["rolledBack"], a["config"]) for a in alarms] == [(endpoint, True, old)]
    # The engine prints the provider's message, as it is.
    problem = f"error: mlserving:index:ModelRelease resource '{V2}' has a problem: "
    assert problem + rollback_message(endpoint, old, new) in failed.output, failed.output[-6000:]
    assert "Unexpected <class" not in failed.output
    # The new model and configuration were created; nothing was deleted.
    assert [m for m in failed.mutations() if m[0] != "Update"] == [
        ("Create", "aws:s3/bucketObjectv2:BucketObjectv2", f"{V2}-artifact"),
        ("Create", CONFIG, f"{V2}-config"),
        ("Create", MODEL, f"{V2}-model"),
    ]
    assert ("Update", ENDPOINT, f"{V2}-endpoint") in failed.mutations()


def test_the_rolled_back_endpoint_runs_on_its_old_configuration_which_is_kept(
    scenarios: dict[str, Scenario],
) -> None:
    scenario = scenarios["rollback-aws"]
    outputs, configs = scenario.need("up")
    failed, cloud = scenario.need("rolled_back")
    endpoint, old, new = outputs["v2EndpointName"], configs[f"{V2}-config"], created_config(failed)
    assert live(cloud, ENDPOINT)[endpoint].outputs["endpointConfigName"] == old
    assert {old, new} <= set(live(cloud, CONFIG))
    old_model = live(cloud, CONFIG)[old].outputs["productionVariants"][0]["modelName"]
    assert old_model in live(cloud, MODEL)


def test_the_next_up_retries_the_rollout_and_converges(scenarios: dict[str, Scenario]) -> None:
    scenario = scenarios["rollback-aws"]
    outputs, configs = scenario.need("up")
    failed, _ = scenario.need("rolled_back")
    retry, cloud, outputs_after = scenario.need("retry")
    endpoint, old, new = outputs["v2EndpointName"], configs[f"{V2}-config"], created_config(failed)
    assert retry.code == 0, retry.output[-6000:]
    # The endpoint moves to the new configuration; nothing is created again or deleted.
    assert ("Update", ENDPOINT, f"{V2}-endpoint") in retry.mutations()
    assert [m for m in retry.mutations() if m[0] != "Update"] == []
    assert live(cloud, ENDPOINT)[endpoint].outputs["endpointConfigName"] == new
    # The engine forgets the replaced configuration (retainOnDelete); the cloud keeps it.
    assert {old, new} <= set(live(cloud, CONFIG))
    assert outputs_after == {
        **outputs,
        "v2ModelVersion": "2.1.0",
        "v2ArtifactUrl": outputs["v2ArtifactUrl"].replace("/2.0.0/", "/2.1.0/"),
    }
    settled: Run = scenario.need("settled")
    assert settled.code == 0, settled.output[-4000:]


def test_destroy_after_a_rollback_keeps_every_model_and_configuration(scenarios: dict[str, Scenario]) -> None:
    scenario = scenarios["rollback-aws"]
    _, configs = scenario.need("up")
    failed, _ = scenario.need("rolled_back")
    destroy, cloud = scenario.need("destroy")
    assert (ENDPOINT, f"{V2}-endpoint") in {(t, n) for m, t, n in destroy.mutations() if m == "Delete"}
    assert live(cloud, ENDPOINT) == {}
    assert set(live(cloud, CONFIG)) == {*configs.values(), created_config(failed)}
    assert len(live(cloud, MODEL)) == 3, "v1's, and v2's before and after the bump"
