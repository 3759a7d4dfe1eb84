"""A release reads the account facts (region, account, partition) from its platform.

The platform asks the aws provider once and publishes them in its attachments; a release
lives in its platform's account and region, so it makes no invokes of its own (three
fewer per release, one of them an STS call with the real plugin: issue #6). A platform
deployed before it published them still works: the release asks the aws provider.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any

import pulumi
import pulumi.runtime
from mlserving_provider.platform import MLServingPlatform
from mlserving_provider.platform_ref import PlatformReference
from mlserving_provider.release import ModelRelease
from pulumi.runtime import mocks as pulumi_mocks

from tests import mocks
from tests.unit.conftest import policy

FACT_INVOKES = [
    "aws:index/getCallerIdentity:getCallerIdentity",
    "aws:index/getPartition:getPartition",
    "aws:index/getRegion:getRegion",
]
RELEASE = {
    "modelName": "fraud",
    "version": "1.0.0",
    "apiVersion": "v1",
    "image": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/xgb:1",
}


@dataclass
class CountingRecorder(mocks.Recorder):
    invokes: list[str] = field(default_factory=list)

    def call(  # type: ignore[override]
        self, args: pulumi.runtime.MockCallArgs
    ) -> dict[str, Any] | tuple[dict[str, Any], list[tuple[str, str]]]:
        self.invokes.append(args.token)
        return super().call(args)


def _install() -> CountingRecorder:
    recorder = CountingRecorder()
    pulumi.runtime.set_mocks(
        recorder, project=mocks.PROJECT, stack=mocks.STACK, monitor=mocks.EngineLikeMonitor(recorder)
    )
    return recorder


def _release(ref: PlatformReference, archive: pulumi.FileArchive) -> ModelRelease:
    inputs = {"platform": ref, "artifact": archive, **RELEASE}
    return mocks.run(functools.partial(ModelRelease.from_inputs, "fraud-v1", inputs, pulumi.ResourceOptions()))


def _platform() -> tuple[MLServingPlatform, str]:
    built = mocks.run(lambda: MLServingPlatform.from_inputs("ml", {"cloud": "aws"}, pulumi.ResourceOptions()))
    return built, mocks.resolve(built.urn)


def _logs_arn(recorder: mocks.Recorder) -> str:
    statements = {
        s["Sid"]: s for s in policy(recorder.one("aws:iam/rolePolicy:RolePolicy", "fraud-v1-execution"))["Statement"]
    }
    arn: str = statements["WriteLogs"]["Resource"]
    return arn


def test_platform_publishes_the_account_facts(model_archive: pulumi.FileArchive) -> None:
    _install()
    platform, _ = _platform()
    attachments = mocks.resolve(platform.outputs["attachments"])
    assert {k: attachments[k] for k in ("region", "accountId", "partition")} == {
        "region": mocks.REGION,
        "accountId": mocks.ACCOUNT,
        "partition": "aws",
    }


# The one read a release makes on `up`: what its endpoint runs, from SageMaker (issue 18 AWS 4).
LIVE_ENDPOINT_READ = "aws:cloudcontrol/getResource:getResource"


def test_release_uses_its_platform_facts_and_makes_no_fact_invokes(model_archive: pulumi.FileArchive) -> None:
    recorder = _install()
    _, urn = _platform()
    assert sorted(recorder.invokes) == FACT_INVOKES
    recorder.invokes.clear()
    _release(PlatformReference(urn), model_archive)
    assert recorder.invokes == [LIVE_ENDPOINT_READ]
    assert _logs_arn(recorder) == f"arn:aws:logs:{mocks.REGION}:{mocks.ACCOUNT}:log-group:/aws/sagemaker/Endpoints/*"


def test_release_of_a_platform_without_published_facts_asks_the_provider(model_archive: pulumi.FileArchive) -> None:
    recorder = _install()
    _, urn = _platform()
    monitor = pulumi.runtime.settings.get_monitor()
    assert isinstance(monitor, pulumi_mocks.MockMonitor)
    registered = monitor.resources[urn]
    older = {k: v for k, v in registered.state["attachments"].items() if k not in ("region", "accountId", "partition")}
    monitor.resources[urn] = pulumi_mocks.MockMonitor.ResourceRegistration(
        registered.urn, registered.id, {**registered.state, "attachments": older}
    )
    recorder.invokes.clear()
    _release(PlatformReference(urn), model_archive)
    assert sorted(recorder.invokes) == sorted([*FACT_INVOKES, LIVE_ENDPOINT_READ])
    assert _logs_arn(recorder) == f"arn:aws:logs:{mocks.REGION}:{mocks.ACCOUNT}:log-group:/aws/sagemaker/Endpoints/*"
