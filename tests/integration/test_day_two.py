"""Day two, through the real engine, on both clouds, with fakecloud (a TEST DOUBLE) as the cloud (issue 18).

One program (tests/integration/day-two, Python, through the inline harness) is driven by its
stack config the way a user edits a program, step after step, on one stack per cloud:

deploy -> bump v1 -> revert v1 -> change v1's instance type -> change v1's rollout strategy
-> 11 API versions (AWS: refused at preview by the API Gateway quotas; Azure: deployed, then
back to one) -> a rollout that fails, then a fix that succeeds -> destroy -> deploy again.

fakecloud keeps what the cloud keeps (retained resources stay after Pulumi forgets them), refuses
what the providers refuse to create twice, counts the quotas and models what a failed update
leaves in state (tests/fakecloud/rules.py), so an `up` that would fail on the real cloud fails
here. At every step the tests assert what users rely on: the `up` succeeded (or failed with the
message promised), no serving resource is deleted before its successor exists (the order of
the provider calls the engine made), and the outputs are exact; after `destroy`, what is
retained stays readable and protected.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pytest

from tests.fakecloud import kms
from tests.fakecloud.state import CloudState, Record
from tests.integration.engine import ROOT, Phases, Run, Workspace

pytestmark = pytest.mark.timeout(3600)

PROGRAM = ROOT / "tests" / "integration" / "day-two"
PACKAGE = {"aws": "aws", "azure": "azure-native"}
SCENARIOS = ["aws", "azure", "aws-private", "azure-private"]
SERVING = {
    "aws": ("aws:sagemaker/endpoint:Endpoint", "aws:apigateway/stage:Stage"),
    "azure": (
        "azure-native:machinelearningservices:OnlineEndpoint",
        "azure-native:machinelearningservices:OnlineDeployment",
        "azure-native:apimanagement:Api",
    ),
}
"""What serves requests: never deleted before its successor exists."""
GET_DEPLOYMENT = "azure-native:machinelearningservices:getOnlineDeployment"


def live(records: list[Record], token: str) -> list[Record]:
    """The resources of one type the cloud holds (retained ones included)."""
    return [r for r in records if r.token == token and not r.deleted]


@dataclass
class DayTwo(Phases):
    cloud: str = "aws"
    private: bool = False
    """A platform with `network` and `public: false` (issue 21)."""

    def records(self) -> list[Record]:
        return CloudState(PACKAGE[self.cloud], self.workspace.cloud_state).all()

    def config(self, **values: object) -> None:
        for key, value in values.items():
            if value is None:
                self.workspace.pulumi("config", "rm", key)
            else:
                self.workspace.pulumi("config", "set", key, str(value), check=True)

    def up(self, phase: str, *extra: str) -> Run:
        run = self.workspace.pulumi("up", "--yes", "--skip-preview", *extra)
        self.phases[phase] = (run, self.records(), self.workspace.outputs() if run.code == 0 else {})
        return run

    def readable(self) -> dict[tuple[str, str, str], str | None]:
        """Each S3 object the cloud holds now: None if it can be read and decrypted, else S3's error."""
        if self.cloud != "aws":
            return {}
        return {
            (o.urn.split("::")[-1], o.outputs["bucket"], o.outputs["key"]): kms.readable(
                self.workspace.cloud_state, o.outputs["bucket"], o.outputs["key"]
            )
            for o in live(self.records(), "aws:s3/bucketObjectv2:BucketObjectv2")
        }


def creates_before_deletes(run: Run, tokens: Sequence[str]) -> list[str]:
    """Every serving resource the run deleted while it stays in the program (a replacement) whose
    successor was not created first: the engine's step order, read from the provider calls."""
    problems = []
    order = [(c["method"], c.get("type"), c.get("name")) for c in run.calls if not c.get("preview", False)]
    for index, (method, token, name) in enumerate(order):
        if method != "Delete" or token not in tokens:
            continue
        created = [i for i, call in enumerate(order) if call == ("Create", token, name)]
        if created and min(created) > index:
            problems.append(f"{token} {name}: deleted (call {index}) before its successor was created")
    return problems


def run_day_two(scenario: DayTwo) -> None:
    ws = scenario.workspace
    scenario.config(cloud=scenario.cloud, private="true" if scenario.private else None)
    assert scenario.up("deploy").code == 0
    scenario.config(version="1.1.0")
    scenario.up("bump")
    scenario.config(version="1.0.0")
    scenario.up("revert")
    scenario.config(instanceType="ml.c5.xlarge" if scenario.cloud == "aws" else "Standard_F4s_v2")
    scenario.up("instance-type")
    scenario.config(strategy="canary")
    scenario.up("canary")
    scenario.config(strategy="allAtOnce")
    scenario.up("promote")
    if scenario.private:
        # The container may reach the internet: on AWS a model without network isolation (a new model, its
        # endpoint updated to it); Azure refuses to loosen a workspace's managed network (rule Azure-10).
        scenario.config(containerEgress="internet")
        scenario.up("egress")
        scenario.config(containerEgress=None)
        scenario.up("egress-back")
    scenario.config(apiVersions=11)
    scenario.phases["eleven-preview"] = ws.pulumi("preview")
    if scenario.cloud == "aws":
        # The account's quotas raised in Service Quotas (fakecloud: drift quota), and the platform told so.
        scenario.drift("quota", "AWS-9a", "11")
        scenario.drift("quota", "AWS-9b", "11")
        scenario.config(stageQuota=11)
    scenario.up("eleven")
    scenario.config(apiVersions=None, stageQuota=None)
    scenario.up("one-again")
    # A rollout that fails, then the fix.
    endpoint = scenario.need("one-again")[2]["v1EndpointName"]
    if scenario.cloud == "aws":
        # The update starts, then the AWS provider gives up on it (SageMaker keeps the old fleet).
        scenario.drift("fail-update", endpoint)
        scenario.config(version="1.2.0")
        scenario.up("failed")
        # A plain up: the provider saved the requested configuration, so only the live read sees it.
        scenario.up("stale")
        scenario.up("fixed", "--refresh")
    else:
        scenario.drift("fail-invoke", GET_DEPLOYMENT, "500", "InternalServerError")
        scenario.config(version="1.2.0")
        scenario.up("failed")
        scenario.drift("clear-invoke", GET_DEPLOYMENT)
        scenario.up("fixed")
    scenario.phases["settled"] = ws.pulumi("preview", "--expect-no-changes")
    destroy = ws.pulumi("destroy", "--yes", "--skip-preview")
    scenario.phases["destroy"] = (destroy, scenario.records(), {})
    scenario.phases["readable"] = scenario.readable()
    scenario.up("again")
    scenario.phases["readable-again"] = scenario.readable()
    ws.pulumi("destroy", "--yes", "--skip-preview", check=True)


@pytest.fixture(scope="module")
def day_two(tmp_path_factory: pytest.TempPathFactory) -> dict[str, DayTwo]:
    made = {
        scenario: DayTwo(
            Workspace(
                PROGRAM, tmp_path_factory.mktemp(f"day-two-{scenario}"), installed_from=ROOT / "examples" / "aws-python"
            ),
            cloud=scenario.split("-")[0],
            private=scenario.endswith("-private"),
        )
        for scenario in SCENARIOS
    }
    with ThreadPoolExecutor(max_workers=len(made)) as pool:
        done = list(pool.map(lambda cloud: made[cloud].run(run_day_two), made))
    return dict(zip(made, done, strict=True))


# The same days on a private platform of each cloud (issue 21): day_two["aws-private"], day_two["azure-private"].
EVERY = pytest.mark.parametrize("scenario", SCENARIOS)
UPS = ("deploy", "bump", "revert", "instance-type", "canary", "promote", "eleven", "one-again", "fixed", "again")


@EVERY
@pytest.mark.parametrize("phase", UPS)
def test_every_day_two_up_succeeds_and_replaces_serving_resources_create_first(
    day_two: dict[str, DayTwo], scenario: str, phase: str
) -> None:
    run, _, _ = day_two[scenario].need(phase)
    assert run.code == 0, run.output[-6000:]
    assert creates_before_deletes(run, SERVING[day_two[scenario].cloud]) == []


@EVERY
@pytest.mark.parametrize(("phase", "version"), [("deploy", "1.0.0"), ("bump", "1.1.0"), ("revert", "1.0.0")])
def test_bump_and_revert_serve_the_version_asked_for(
    day_two: dict[str, DayTwo], scenario: str, phase: str, version: str
) -> None:
    _, _, outputs = day_two[scenario].need(phase)
    assert outputs["v1ModelVersion"] == version
    assert f"/{version}/" in outputs["v1ArtifactKey"]
    assert outputs["v1InvokeUrl"] == f"{outputs['apiBaseUrl']}/v1/predict"


@EVERY
def test_a_revert_adopts_what_the_cloud_kept_and_creates_nothing_twice(
    day_two: dict[str, DayTwo], scenario: str
) -> None:
    """1.0.0 -> 1.1.0 -> 1.0.0: what 1.0.0 left in the cloud (retained) is adopted, not created twice."""
    _, _, deployed = day_two[scenario].need("deploy")
    run, records, outputs = day_two[scenario].need("revert")
    assert run.code == 0, run.output[-6000:]
    assert outputs["v1ArtifactKey"] == deployed["v1ArtifactKey"]
    live_ids = [(r.token, r.id) for r in records if not r.deleted]
    assert len(live_ids) == len(set(live_ids)), "one live record per cloud resource"


def test_the_eleventh_api_version_is_refused_at_preview_on_aws_until_the_platform_states_a_raised_quota(
    day_two: dict[str, DayTwo],
) -> None:
    scenario = day_two["aws"]
    preview: Run = scenario.need("eleven-preview")
    assert preview.code != 0
    assert (
        "must be at most 'v10' on this platform: each API version is a stage of the platform's REST API and a "
        "usage plan holding its API key, and the platform's 'api.stageQuota' states API Gateway's 'Stages per "
        "API' and 'Usage plans per API key' quotas as 10 (10 unless raised). API versions are counted by their "
        "number: number them from 'v1', or raise both in Service Quotas and set the platform's 'api.stageQuota' "
        "to the new value (got 'v11')"
    ) in " ".join(preview.output.split()), preview.output[-4000:]
    assert "model-v11" in preview.output
    assert preview.mutations() == []
    _, records, outputs = scenario.need("eleven")
    stages = [r for r in records if r.token == "aws:apigateway/stage:Stage" and not r.deleted]
    assert sorted(r.outputs["stageName"] for r in stages) == sorted(f"v{n}" for n in range(1, 12))
    assert [outputs[f"v{n}InvokeUrl"] for n in range(1, 12)] == [
        f"{outputs['apiBaseUrl']}/v{n}/predict" for n in range(1, 12)
    ]


def test_eleven_api_versions_deploy_on_azure(day_two: dict[str, DayTwo]) -> None:
    preview: Run = day_two["azure"].need("eleven-preview")
    assert preview.code == 0, preview.output[-6000:]
    _, _, outputs = day_two["azure"].need("eleven")
    assert [outputs[f"v{n}InvokeUrl"] for n in range(1, 12)] == [
        f"{outputs['apiBaseUrl']}/v{n}/predict" for n in range(1, 12)
    ]


def test_a_failed_rollout_is_seen_by_the_next_up_and_the_refresh_retries_it(day_two: dict[str, DayTwo]) -> None:
    """The AWS provider's update fails after it started; it saves the configuration it asked for
    (hashicorp/terraform-plugin-sdk#476), so only a read of the live endpoint sees the truth."""
    scenario = day_two["aws"]
    _, one_again_records, one_again = scenario.need("one-again")
    endpoint = one_again["v1EndpointName"]
    failed, _, _ = scenario.need("failed")
    stale, stale_records, _ = scenario.need("stale")
    fixed, _, outputs = scenario.need("fixed")
    assert failed.code != 0
    # The AWS provider gave up waiting (fakecloud: drift fail-update), as terraform-provider-aws reports it.
    assert (
        f"waiting for SageMaker AI Endpoint ({endpoint}) update: timeout while waiting for state to become "
        "'InService' (last state: 'Updating', timeout: 1h0m0s)"
    ) in failed.output, failed.output[-6000:]
    # The next plain up finds no diff on the endpoint, reads what it runs and says how to retry.
    assert stale.code != 0
    assert f"ModelRelease 'model-v1': the endpoint '{endpoint}' runs the endpoint configuration " in stale.output
    assert "`pulumi up --refresh` to retry the rollout" in " ".join(stale.output.split())
    # Nothing rolled out: the endpoint still runs the configuration it ran before the failed update.
    (running,) = [r for r in live(stale_records, "aws:sagemaker/endpoint:Endpoint") if r.id == endpoint]
    (before,) = [r for r in live(one_again_records, "aws:sagemaker/endpoint:Endpoint") if r.id == endpoint]
    assert running.outputs["endpointConfigName"] == before.outputs["endpointConfigName"]
    assert fixed.code == 0, fixed.output[-6000:]
    assert ("Update", "aws:sagemaker/endpoint:Endpoint", "model-v1-endpoint") in fixed.mutations()
    assert outputs["v1ModelVersion"] == "1.2.0"
    assert outputs["v1EndpointName"] == endpoint
    settled: Run = scenario.need("settled")
    assert settled.code == 0, settled.output[-4000:]


def test_a_failed_capacity_read_fails_up_instead_of_scaling_in(day_two: dict[str, DayTwo]) -> None:
    scenario = day_two["azure"]
    failed, _, _ = scenario.need("failed")
    fixed, _, outputs = scenario.need("fixed")
    assert failed.code != 0
    assert "InternalServerError" in failed.output, failed.output[-6000:]
    deployments = [m for m in failed.mutations() if m[1] == "azure-native:machinelearningservices:OnlineDeployment"]
    assert deployments == [], "no deployment is sent a capacity that was not read"
    assert fixed.code == 0, fixed.output[-6000:]
    assert outputs["v1ModelVersion"] == "1.2.0"
    settled: Run = scenario.need("settled")
    assert settled.code == 0, settled.output[-4000:]


@EVERY
def test_destroy_then_deploy_again(day_two: dict[str, DayTwo], scenario: str) -> None:
    destroy, _, _ = day_two[scenario].need("destroy")
    assert destroy.code == 0, destroy.output[-6000:]
    again, _, outputs = day_two[scenario].need("again")
    assert again.code == 0, again.output[-6000:]
    assert outputs["v1ModelVersion"] == "1.2.0"


AWS_STORE = (
    "aws:s3/bucket:Bucket",
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    "aws:s3/bucketPolicy:BucketPolicy",
    "aws:s3/bucketVersioning:BucketVersioning",
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    "aws:kms/key:Key",
    "aws:kms/keyPolicy:KeyPolicy",
)


def test_what_aws_retains_after_destroy_stays_readable_and_protected(day_two: dict[str, DayTwo]) -> None:
    scenario = day_two["aws"]
    _, records, _ = scenario.need("destroy")
    assert {token: len(live(records, token)) for token in AWS_STORE} == dict.fromkeys(AWS_STORE, 1)
    (block,) = live(records, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock")
    assert [
        block.outputs[k] for k in ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")
    ] == [True] * 4
    (versioning,) = live(records, "aws:s3/bucketVersioning:BucketVersioning")
    assert versioning.outputs["versioningConfiguration"]["status"] == "Enabled"
    readable: dict[tuple[str, str, str], str | None] = scenario.need("readable")
    assert readable, "the artifacts are kept"
    assert {where: error for where, error in readable.items() if error is not None} == {}
    # Deploying again (a new store beside the kept one) leaves the kept artifacts readable.
    again: dict[tuple[str, str, str], str | None] = scenario.need("readable-again")
    assert {where: again.get(where, "gone") for where in readable} == dict.fromkeys(readable)


REPLACED_ON_INSTANCE_TYPE = {
    "aws": ("aws:sagemaker/endpoint:Endpoint", "model-v1-endpoint"),
    "azure": ("azure-native:machinelearningservices:OnlineDeployment", "model-v1-main"),
}
SWITCHED_ON_INSTANCE_TYPE = {
    "aws": ("aws:apigateway/stage:Stage", "model-v1-stage"),
    "azure": ("azure-native:apimanagement:ApiPolicy", "model-v1-api-policy"),
}
"""What sends requests to the new fleet: updated after it exists and before the old one goes."""


@EVERY
def test_a_new_instance_type_creates_the_new_fleet_before_deleting_the_old(
    day_two: dict[str, DayTwo], scenario: str
) -> None:
    """The replacement really happens (so the create-first check above is not vacuous) and in that order."""
    cloud = day_two[scenario].cloud
    run, records, _ = day_two[scenario].need("instance-type")
    token, name = REPLACED_ON_INSTANCE_TYPE[cloud]
    order = [(c["method"], c.get("type"), c.get("name")) for c in run.calls if not c.get("preview", False)]
    created, deleted = order.index(("Create", token, name)), order.index(("Delete", token, name))
    switched = order.index(("Update", *SWITCHED_ON_INSTANCE_TYPE[cloud]))
    assert created < switched < deleted
    assert len([r for r in live(records, token) if r.urn.endswith(f"::{name}")]) == 1, "the old one is gone after"


def test_what_azure_keeps_after_destroy(day_two: dict[str, DayTwo]) -> None:
    """artifacts.retainOnDelete (on): the resource group, the storage account and every release's files stay;
    the workspace goes, and Azure deletes its model and environment versions with it."""
    _, records, _ = day_two["azure"].need("destroy")
    kept = {
        token: len(live(records, token))
        for token in (
            "azure-native:resources:ResourceGroup",
            "azure-native:storage:StorageAccount",
            "azure-native:machinelearningservices:Workspace",
            "azure-native:machinelearningservices:ModelVersion",
            "azure-native:machinelearningservices:EnvironmentVersion",
        )
    }
    assert kept == {
        "azure-native:resources:ResourceGroup": 1,
        "azure-native:storage:StorageAccount": 1,
        "azure-native:machinelearningservices:Workspace": 0,
        "azure-native:machinelearningservices:ModelVersion": 0,
        "azure-native:machinelearningservices:EnvironmentVersion": 0,
    }
    blobs = {r.outputs.get("name") or r.id for r in live(records, "azure-native:storage:Blob")}
    assert any("/v1/1.0.0/" in b and b.endswith("model.tar.gz") for b in blobs), blobs
    assert any("/v11/1.0.0/" in b for b in blobs), blobs


def test_promoting_an_azure_canary_leaves_one_deployment_serving_the_new_version(day_two: dict[str, DayTwo]) -> None:
    _, canary_records, _ = day_two["azure"].need("canary")
    run, records, _ = day_two["azure"].need("promote")
    deployments = "azure-native:machinelearningservices:OnlineDeployment"
    in_v1 = [r for r in live(canary_records, deployments) if "::model-v1-" in r.urn]
    assert sorted(r.urn.split("::")[-1] for r in in_v1) == ["model-v1-canary", "model-v1-main"]
    promoted = [r for r in live(records, deployments) if "::model-v1-" in r.urn]
    assert [r.urn.split("::")[-1] for r in promoted] == ["model-v1-main"]
    assert ("Delete", deployments, "model-v1-canary") in run.mutations()


def test_a_private_aws_platform_lets_its_containers_out_by_a_new_model_created_first(
    day_two: dict[str, DayTwo],
) -> None:
    """containerEgress none -> internet -> none: each way the models are new (network isolation is ForceNew),
    the endpoint moves to them in place, and the old ones are kept (models are retained)."""
    scenario = day_two["aws-private"]
    for phase, isolated in (("egress", False), ("egress-back", True)):
        run, _, _ = scenario.need(phase)
        assert run.code == 0, run.output[-6000:]
        assert creates_before_deletes(run, SERVING["aws"]) == []
        created = [
            c["outputs"]
            for c in run.calls
            if c["method"] == "Create" and not c.get("preview", False) and c.get("type") == "aws:sagemaker/model:Model"
        ]
        assert [m["enableNetworkIsolation"] for m in created] == [isolated], phase  # the one release's new model
        assert [c for c in run.calls if c["method"] == "Delete" and c.get("type") in SERVING["aws"]] == []


def test_azure_refuses_to_loosen_a_managed_network_and_the_platform_keeps_serving(
    day_two: dict[str, DayTwo],
) -> None:
    """AllowOnlyApprovedOutbound cannot go back to AllowInternetOutbound (rule Azure-10, how-to-managed-network):
    the `up` fails on the workspace, nothing that serves is deleted, and the program set back deploys."""
    scenario = day_two["azure-private"]
    run, _, _ = scenario.need("egress")
    assert run.code != 0
    assert "fakecloud Azure-10" in run.output
    assert "cannot go from 'AllowOnlyApprovedOutbound' to 'AllowInternetOutbound'" in run.output
    assert [c for c in run.calls if c["method"] == "Delete" and c.get("type") in SERVING["azure"]] == []
    back, _, _ = scenario.need("egress-back")
    assert back.code == 0, back.output[-6000:]
