"""The fuzzer's oracle (tests/unit/oracle.py) reads schema.json, and all of it.

- Every sentence a rule quotes is still in the description it quotes.
- Every sentence of the schema that states a constraint ("must", "refused", "required",
  "at least", ...) is read by a rule, or is listed as informational with the reason.
- The ranges read from the text are the ones written there, and the oracle's verdicts on
  a few inputs are the ones the schema gives: it is not vacuous.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pulumi
import pytest

from tests.unit import oracle

CONSTRAINT = re.compile(
    r"\b(must|Must|refused|Refused|[Rr]equired|Requires|[Nn]ot allowed|Needs|needs|[Aa]t least|[Aa]t most|between)\b"
)


def descriptions() -> Iterator[tuple[str, str]]:
    for token, spec in oracle.SCHEMA["resources"].items():
        yield f"R:{token}", spec["description"]
        for name, prop in spec["inputProperties"].items():
            yield f"R:{token}.{name}", prop["description"]
    for token, spec in oracle.SCHEMA["types"].items():
        yield f"T:{token}", spec.get("description", "")
        for name, prop in spec.get("properties", {}).items():
            yield f"T:{token}.{name}", prop["description"]
        for entry in spec.get("enum", []):
            yield f"E:{token}.{entry['value']}", entry.get("description", "")


def test_every_quoted_sentence_is_in_the_schema() -> None:
    missing = [c for c in oracle.all_citations() if c.text not in oracle.description(c.where)]
    assert missing == []
    informational = [k for k in oracle.INFORMATIONAL if k[1] not in oracle.description(k[0])]
    assert informational == []


def test_every_constraint_the_schema_states_is_read_by_the_oracle() -> None:
    read = [*oracle.all_citations(), *(oracle.Citation(w, t) for w, t in oracle.INFORMATIONAL)]
    unread = [
        f"{where}: {sentence}"
        for where, text in descriptions()
        for sentence in oracle.sentences(text)
        if CONSTRAINT.search(sentence)
        and not any(c.where == where and (c.text in sentence or sentence in c.text) for c in read)
    ]
    assert unread == []


def test_ranges_are_read_from_the_text() -> None:
    def bound(type_name: str, name: str) -> tuple[float | None, bool, float | None, str | None, bool]:
        b = oracle.BOUNDS[(f"mlserving:index:{type_name}", name)]
        return b.low, b.low_open, b.high, b.at_least_sibling, b.length

    assert bound("ArtifactStore", "noncurrentVersionExpirationDays") == (1, False, 3650, None, False)
    assert bound("InferenceCache", "maxTtlSeconds") == (None, False, 31536000, "defaultTtlSeconds", False)
    assert bound("InferenceCache", "queryStringKeys") == (None, False, 10, None, True)
    assert bound("Monitoring", "errorRatePercentThreshold") == (0, True, 100, None, False)
    assert bound("Api", "throttleBurstLimit") == (1, False, None, None, False)
    assert bound("Scaling", "maxReplicas") == (1, False, 100, "minReplicas", False)
    assert len(oracle.BOUNDS) >= 20
    assert oracle.SCALING_DEFAULTS == {
        "minReplicas": 1,
        "maxReplicas": 4,
        "targetInvocationsPerReplica": 100,
        "targetCpuPercent": 70,
        "scaleInCooldownSeconds": 300,
        "scaleOutCooldownSeconds": 60,
    }
    assert sorted(oracle.MEMORY_SIZES) == [1024, 2048, 3072, 4096, 5120, 6144]


AZ = {"cloud": "azure", "azure": {"location": "westeurope"}}
URN = "urn:pulumi:stack::project::mlserving:index:MLServingPlatform::ml"


class Ref(pulumi.CustomResource):
    """Stands for a PlatformReference: a resource that keeps its URN plain."""

    platform_urn = URN

    def __init__(self) -> None:  # never registered
        pass


@pytest.mark.parametrize(
    ("inputs", "refused"),
    [
        ({"cloud": "aws"}, set()),
        (AZ, set()),
        ({"cloud": "gcp"}, {"cloud"}),
        (
            {"cloud": "aws", "scaling": {"minReplicas": 5, "maxReplicas": 2}},
            {"scaling.maxReplicas", "scaling.minReplicas"},
        ),
        ({"cloud": "aws", "scaling": {"minReplicas": 3.0}}, set()),
        ({"cloud": "aws", "scaling": {"minReplicas": 2.5}}, {"scaling.minReplicas"}),
        ({"cloud": "aws", "api": {"throttleRateLimit": 0}}, {"api.throttleRateLimit"}),
        (
            {"cloud": "aws", "api": {"quota": {"limit": 5, "period": "DAY"}, "requireApiKey": False}},
            {"api.quota", "api.requireApiKey"},
        ),
        ({**AZ, "cdn": {"priceClass": "PriceClass_100"}}, set()),
        ({**AZ, "cdn": {"priceClass": "PriceClass_All"}}, {"cdn.priceClass"}),
        ({"cloud": "aws", "cdn": {"geoRestriction": {"restrictionType": "allow"}}}, {"cdn.geoRestriction.locations"}),
        (
            {"cloud": "aws", "cdn": {"inferenceCache": {"headerKeys": ["X-Api-Key"]}}},
            {"cdn.inferenceCache.headerKeys[0]"},
        ),
        (
            {"cloud": "aws", "api": {"requireApiKey": False}, "cdn": {"inferenceCache": {"headerKeys": ["X-Api-Key"]}}},
            set(),
        ),
        (
            {"cloud": "aws", "monitoring": {"enabled": False, "alarmEmail": "ops@example.com"}},
            {"monitoring.alarmEmail", "monitoring.enabled"},
        ),
        ({"cloud": "aws", "bogus": 1}, {"bogus"}),
    ],
)
def test_platform_verdicts(inputs: dict[str, object], refused: set[str]) -> None:
    assert oracle.platform(inputs).paths() == refused


@pytest.mark.parametrize(
    ("cloud", "inputs", "refused"),
    [
        ("aws", {}, set()),
        ("azure", {}, set()),
        ("aws", {"modelName": "x"}, set()),
        ("aws", {"modelName": "fraud-"}, {"modelName"}),
        ("aws", {"rollout": {"strategy": "linear"}}, {"rollout.waitSeconds"}),  # 900 + 5 * 600 s > 3600 s
        ("aws", {"rollout": {"strategy": "linear", "waitSeconds": 540}}, set()),
        ("azure", {"rollout": {"strategy": "linear"}}, {"rollout.strategy"}),
        ("aws", {"scaling": {"minReplicas": 5}}, {"scaling.maxReplicas", "scaling.minReplicas"}),
        ("aws", {"serverless": {}, "dataCapture": {"enabled": True}}, {"dataCapture.enabled", "serverless"}),
        ("azure", {"version": "1.0.0-rc.1"}, {"version"}),
        ("aws", {"version": "1.0.0-rc.1"}, set()),
        ("aws", {"image": ""}, {"image"}),
    ],
)
def test_release_verdicts(cloud: str, inputs: dict[str, object], refused: set[str], tmp_path: Path) -> None:
    platform = oracle.platform_facts({"cloud": "aws"} if cloud == "aws" else AZ)
    release = {
        "platform": Ref(),
        "modelName": "fraud",
        "version": "1.0.0",
        "apiVersion": "v1",
        "artifact": pulumi.FileArchive(str(tmp_path)),
        "image": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/xgb:1",
        **inputs,
    }
    assert oracle.release(release, {URN: platform}).paths() == refused
