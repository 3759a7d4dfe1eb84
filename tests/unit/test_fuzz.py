"""Property-based fuzzing of both components' inputs, generated from schema.json.

The strategies walk each resource's `inputProperties` in schema.json (objects, enums,
arrays, maps, strings, integers, numbers, booleans, assets, resource references) and mix
values of the right shape, values out of range, values of the wrong type, unknown
Outputs, secrets and properties the schema does not know. Every example goes through
the provider's construct path (`MLServingPlatform.from_inputs` /
`ModelRelease.from_inputs`, what the dispatch table calls) under the mocks, and must
either construct or raise `pulumi.InputPropertiesError`: never anything else.

Which of the two is predicted by an oracle derived from schema.json alone
(tests/unit/oracle.py, which never reads the provider's validation): the provider must
construct exactly the examples the oracle accepts, and a refusal must name only paths the
oracle refuses (and, when the oracle finds no input of the wrong shape, every one of them).
A disagreement is a bug in the provider or in the schema's text.

Reproducible in CI: `derandomize=True` (the examples derive from the test's source, not
a random seed) and no example database.
"""

from __future__ import annotations

import asyncio
import functools
import itertools
import math
from collections import Counter
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pulumi
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mlserving_provider._schema import SCHEMA
from mlserving_provider.platform import PLATFORM_TOKEN, MLServingPlatform
from mlserving_provider.platform_ref import OtherReference, PlatformReference
from mlserving_provider.release import RELEASE_TOKEN, ModelRelease
from pulumi.output import UNKNOWN, _OutputData

from tests import mocks
from tests.unit import oracle

EXAMPLES = int(__import__("os").environ.get("FUZZ_EXAMPLES", "1000"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)

# Strings for the properties whose schema type alone says too little (a semver, a model
# name): (valid, invalid). Every other string is drawn from text().
HINTS: dict[str, tuple[list[str], list[str]]] = {
    "modelName": (["fraud", "churn-2", "x"], ["Fraud", "fraud-", "f" * 33, ""]),
    "apiVersion": (["v1", "v2", "v999"], ["v0", "V1", "1"]),
    "image": (
        ["123456789012.dkr.ecr.eu-west-1.amazonaws.com/xgb:1", "mcr.microsoft.com/azureml/minimal"],
        ["", "my image"],
    ),
    "instanceType": (
        ["ml.m5.large", "ml.g5.2xlarge", "ml.c6i.xlarge", "ml.inf1.xlarge", "Standard_DS3_v2", "Standard_F4s_v2"],
        ["m5.large", "ml.zz9.large", "ml.m5.huge", "Standard DS3"],
    ),
    "alarmEmail": (["ops@example.com"], ["ops", "ops@example"]),
    "kmsKeyArn": (["arn:aws:kms:eu-west-1:123456789012:key/abc"], ["alias/models", "arn:aws:s3:::models"]),
    "certificateArn": (
        ["arn:aws:acm:us-east-1:123456789012:certificate/abc"],
        ["arn:aws:acm:eu-west-1:1:certificate/x"],
    ),
    "customDomain": (["models.example.com"], ["", "models", "-models.example.com"]),
    "webAclArn": (["arn:aws:wafv2:us-east-1:1:global/webacl/a/b"], ["arn:aws:wafv2:eu-west-1:1:regional/webacl/a/b"]),
    "location": (["westeurope", "West Europe"], ["", "west_europe"]),
    "resourceGroupName": (["ml-rg", "rg_(ml).1"], ["", "rg.", "rg/ml"]),
    "headerKeys": (["Accept", "Content-Type"], ["x-api-key", "bad header", ""]),
    "queryStringKeys": (["model", "q"], ["Q", ""]),
    "version": (["1.0.0", "2.1.3-rc.1+build.5", "2146.999.999"], ["1.0", "v1.0.0", "01.0.0", "0.0.0", "2147.0.0"]),
    "locations": (["DE", "FR"], ["fr", "DEU"]),
}


def unknown() -> pulumi.Output[Any]:
    """A value the engine does not know yet, as the provider deserializes it in a preview."""
    future: asyncio.Future[_OutputData[Any]] = asyncio.get_event_loop().create_future()
    future.set_result(_OutputData(resources=set(), value=None, is_known=False, is_secret=False))
    return pulumi.Output._from_data(future)


def secret(value: str) -> pulumi.Output[str]:
    return pulumi.Output.secret(value)


def mostly(usual: st.SearchStrategy[Any], other: st.SearchStrategy[Any], percent: int = 85) -> st.SearchStrategy[Any]:
    """`usual` in about `percent` % of the draws, else `other` (so some examples are valid)."""
    # Hypothesis favours the first entries and small numbers ("simple" examples first):
    # `other` takes the low ones, so it is not drowned out by `usual`.
    return st.sampled_from(range(100)).flatmap(lambda n: other if n < 100 - percent else usual)


JUNK: st.SearchStrategy[Any] = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=8),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=4), st.integers(), max_size=2),
    st.builds(unknown),
    # An unknown without dependencies: the provider SDK hands it over bare, not as an Output.
    st.just(UNKNOWN),
)


def _type(ref: str) -> dict[str, Any]:
    spec: dict[str, Any] = SCHEMA["types"][ref.removeprefix("#/types/")]
    return spec


# Numbers at and around the bounds the schema's descriptions state.
EDGES = [-1, 0, 1, 2, 9, 10, 11, 20, 49, 50, 51, 59, 60, 99, 100, 101, 199, 200, 201, 299, 300, 540, 900, 2700]
EDGES += [3600, 3601, 3650, 3651, 36500, 36501, 180000, 180001, 31536000, 31536001]


def _numbers(prop: Mapping[str, Any], integer: bool, typed: bool = False) -> st.SearchStrategy[Any]:
    default = [prop["default"]] if "default" in prop else [1, 10]
    usual = st.sampled_from(default)
    near = st.sampled_from([*[n + d for n in default for d in (-1, 1)], *EDGES])
    if typed:
        # Well-typed: whole numbers (sent as doubles, as gRPC does, half of the time), near the bounds.
        whole = st.one_of(near, st.integers(-5, 4000))
        return mostly(st.one_of(usual, usual.map(float)), st.one_of(whole, whole.map(float)), 80)
    ints = st.one_of(near, st.integers(-5, 4000), st.integers())
    if integer:
        # Numbers cross gRPC as doubles: 3.0 is how the integer 3 arrives.
        other = st.one_of(ints, ints.map(float), st.floats(-10, 10_000), st.floats(allow_nan=True, allow_infinity=True))
    else:
        other = st.one_of(ints, st.floats(allow_nan=True, allow_infinity=True))
    return mostly(st.one_of(usual, usual.map(float)), other, 60)


def _strings(name: str, prop: Mapping[str, Any], usual: int) -> st.SearchStrategy[Any]:
    good, bad = HINTS.get(name, ([], []))
    strings = (
        mostly(st.sampled_from(good), st.one_of(st.sampled_from(bad), st.text(max_size=12)), usual)
        if good
        else st.text(max_size=12)
    )
    if not prop.get("plain"):
        # Non-plain inputs may arrive as Outputs: unknown in a preview, or secret.
        strings = mostly(strings, st.one_of(st.builds(unknown), strings.map(secret)), 80)
    return strings


def valid_shape(name: str, prop: Mapping[str, Any], context: Context) -> st.SearchStrategy[Any]:
    """Values of the schema type of one property (in range or not)."""
    ref = prop.get("$ref")
    if ref == "pulumi.json#/Asset":
        return context.artifacts
    if ref is not None and ref.startswith("#/resources/"):
        return context.platforms
    if ref is not None:
        spec = _type(ref)
        if "enum" in spec:
            return st.sampled_from([e["value"] for e in spec["enum"]])
        return object_of(spec["properties"], spec.get("required", []), context)
    kind = prop["type"]
    if kind == "string":
        return _strings(name, prop, context.good)
    if kind == "boolean":
        return st.booleans()
    if kind in ("integer", "number"):
        return _numbers(prop, kind == "integer", context.typed)
    if kind == "array":
        item = (
            _strings(name, prop["items"], context.good)
            if prop["items"].get("type") == "string"
            else value(name, prop["items"], context)
        )
        return st.lists(item, max_size=12)
    if kind == "object":
        return st.dictionaries(st.text(max_size=10), value(name, prop["additionalProperties"], context), max_size=3)
    raise AssertionError(f"the fuzzer has no strategy for schema type {kind!r}")


def value(name: str, prop: Mapping[str, Any], context: Context) -> st.SearchStrategy[Any]:
    """Mostly the right shape, sometimes the wrong type entirely (never, when the context is typed)."""
    if context.typed:
        return valid_shape(name, prop, context)
    return mostly(valid_shape(name, prop, context), JUNK, context.usual)


def object_of(props: Mapping[str, Any], required: list[str], context: Context) -> st.SearchStrategy[Any]:
    """An object type: optional properties sometimes given, required ones usually, sometimes an unknown key."""
    given_props = {k: value(k, p, context) for k, p in props.items()}
    base = st.fixed_dictionaries(
        {k: given_props[k] for k in required},
        optional={k: s for k, s in given_props.items() if k not in required},
    )
    leave_out = (
        mostly(st.just(set()), st.sets(st.sampled_from(sorted(required)), max_size=1))
        if required and not context.typed
        else st.just(set())
    )
    stray = (
        mostly(st.just({}), st.dictionaries(st.sampled_from(["bogus", "minreplicas", "Enabled"]), JUNK, max_size=1), 95)
        if not context.typed
        else st.just({})
    )
    return st.builds(
        lambda d, drop, extra: {**{k: v for k, v in d.items() if k not in drop}, **extra}, base, leave_out, stray
    )


class Context:
    """The values a property of an asset or resource reference type can take."""

    def __init__(self, model_dir: Path, platforms: list[str], usual: int, typed: bool = False) -> None:
        # How often (%) a property has a value of its schema type rather than any junk.
        self.usual = usual
        # Typed: every value has its schema type, no property is missing or unknown; values are
        # near the schema's bounds and strings valid 85 % of the time, so the rules decide.
        self.typed = typed
        self.good = 85 if typed else usual
        self.artifacts: st.SearchStrategy[Any] = st.sampled_from(
            [
                pulumi.FileArchive(str(model_dir)),
                pulumi.FileArchive(str(model_dir)),
                pulumi.FileAsset(str(model_dir / "weights.bin")),
                pulumi.FileAsset(str(model_dir / "missing.tar.gz")),
                pulumi.StringAsset("weights"),
                pulumi.RemoteArchive("https://example.com/model.tar.gz"),
            ]
        )
        self.platforms: st.SearchStrategy[Any] = st.sampled_from(
            [
                *(PlatformReference(urn) for urn in platforms),
                *(PlatformReference(urn) for urn in platforms),
                *(PlatformReference(urn) for urn in platforms),
                PlatformReference(mocks.urn(PLATFORM_TOKEN, "gone")),
                OtherReference(mocks.urn(RELEASE_TOKEN, "other"), RELEASE_TOKEN),
                mocks.urn(PLATFORM_TOKEN, "ml"),
            ]
        )


def inputs_of(token: str, context: Context) -> st.SearchStrategy[dict[str, Any]]:
    spec = SCHEMA["resources"][token]
    return object_of(spec["inputProperties"], spec.get("requiredInputs", []), context)


def platform_inputs(context: Context) -> st.SearchStrategy[dict[str, Any]]:
    # `cloud` is the switch every rule depends on: mostly a cloud, sometimes anything.
    if context.typed:
        # An Azure platform mostly has its `azure` settings, so the other rules decide.
        return st.builds(
            lambda d, cloud, place: {**d, "cloud": cloud, **({"azure": place} if cloud == "azure" and place else {})},
            inputs_of(PLATFORM_TOKEN, context),
            st.sampled_from(["aws", "azure"]),
            mostly(st.just({"location": "westeurope"}), st.just(None), 90),
        )
    clouds = mostly(st.just("aws"), st.one_of(st.just("azure"), JUNK), 60)
    return st.builds(lambda d, cloud: {**d, "cloud": cloud}, inputs_of(PLATFORM_TOKEN, context), clouds)


def outcome(build: Callable[[], Any]) -> tuple[str, list[tuple[str, str]]]:
    """'constructed' or 'rejected' and the errors; any other exception fails the test with its traceback."""
    try:
        mocks.run(build)
    except pulumi.InputPropertiesError as err:
        errors = err.errors or []
    else:
        return "constructed", []
    assert errors, "an InputPropertiesError must name at least one property path"
    for error in errors:
        assert error["reason"].startswith(f"'{error['property_path']}' "), error
    return "rejected", [(e["property_path"], e["reason"]) for e in errors]


def disagreement(verdict: oracle.Verdict, result: str, errors: list[tuple[str, str]]) -> str | None:
    """How the provider's answer differs from the oracle's, if it does."""
    provider_paths = {path for path, _ in errors}
    if verdict.accepted and result != "constructed":
        return f"the oracle accepts, the provider refuses: {errors}"
    if not verdict.accepted and result == "constructed":
        return f"the oracle refuses {verdict.refusals}, the provider constructs"
    unexplained = sorted(provider_paths - verdict.paths())
    if unexplained:
        return f"the provider refuses {unexplained}, which the oracle does not: {errors} vs {verdict.refusals}"
    if not verdict.structural:
        missing = [(sorted(paths), why) for paths, why in verdict.refusals if not paths & provider_paths]
        if missing:
            return f"the provider does not refuse {missing}: {errors}"
    return None


def plain(value: Any) -> bool:
    """No Output anywhere in the value: validation reads only plain values, and what the program gives as an
    Output the cloud judges at deployment (validation.py `_given`), so only plain inputs go to the API models."""
    if oracle.is_output(value):
        return False
    if isinstance(value, Mapping):
        return all(plain(v) for v in value.values())
    if isinstance(value, list):
        return all(plain(v) for v in value)
    return True


def report(disagreements: dict[str, Any]) -> str:
    return "\n".join(f"- {why}\n  inputs: {inputs!r}" for why, inputs in list(disagreements.items())[:20])


# Mixed: any value, of any type (EXAMPLES); typed: values of the schema's types (EXAMPLES / 4).
MODES = [pytest.param(False, id="mixed"), pytest.param(True, id="typed")]


@pytest.mark.parametrize("typed", MODES)
def test_platform_inputs_construct_or_raise_input_properties_error(model_dir: Path, typed: bool) -> None:
    seen: Counter[str] = Counter()
    names = (f"p{i}" for i in itertools.count())
    examples = EXAMPLES // 4 if typed else EXAMPLES
    disagreements: dict[str, Any] = {}

    @settings(FUZZ, max_examples=examples)
    @given(inputs=platform_inputs(Context(model_dir, [], usual=65, typed=typed)))
    def check(inputs: dict[str, Any]) -> None:
        recorder = mocks.install()
        name = next(names)
        result, errors = outcome(lambda: MLServingPlatform.from_inputs(name, inputs, pulumi.ResourceOptions()))
        # Rejected: nothing registered. Constructed: the component and its children.
        assert (result == "constructed") == bool(recorder.resources), (result, recorder.types())
        seen[result] += 1
        why = disagreement(oracle.platform(inputs), result, errors)
        if why is not None:
            disagreements.setdefault(why, inputs)
        # What both accept, every child's cloud must accept too (its published API model, tests/fakecloud/apimodels).
        if result == "constructed" and plain(inputs):
            seen["judged by the API models"] += 1
            if refused := recorder.api_model_violations():
                disagreements.setdefault(f"a cloud's API model refuses what the provider built: {refused}", inputs)

    check()
    print(f"platform examples: {dict(seen)}")
    assert seen["constructed"] + seen["rejected"] >= examples
    # Both outcomes are exercised, so the property is not vacuous.
    assert seen["constructed"] >= max(2, examples // 50), seen
    assert seen["rejected"] >= max(2, examples // 50), seen
    assert seen["judged by the API models"] >= max(2, examples // 50), seen
    assert not disagreements, f"{len(disagreements)} disagreements with the oracle:\n{report(disagreements)}"


@pytest.mark.parametrize("typed", MODES)
def test_release_inputs_construct_or_raise_input_properties_error(model_dir: Path, typed: bool) -> None:
    seen: Counter[str] = Counter()
    examples = EXAMPLES // 4 if typed else EXAMPLES
    names = (f"r{i}" for i in itertools.count())
    recorder = mocks.install()
    platform_inputs: dict[str, dict[str, Any]] = {
        "ml": {"cloud": "aws"},
        "lean": {
            "cloud": "aws",
            "cdn": {"enabled": False},
            "api": {"requireApiKey": False},
            "events": {"enabled": False},
            "monitoring": {"enabled": False},
        },
        "tuned": {"cloud": "aws", "scaling": {"minReplicas": 2, "maxReplicas": 6, "scaleInCooldownSeconds": 30}},
        "az": {"cloud": "azure", "azure": {"location": "westeurope"}},
        "az-tuned": {
            "cloud": "azure",
            "azure": {"location": "westeurope"},
            "scaling": {"minReplicas": 3, "maxReplicas": 5, "targetCpuPercent": 50},
        },
    }
    facts = {}
    for platform_name, raw in platform_inputs.items():
        built = mocks.run(
            functools.partial(MLServingPlatform.from_inputs, platform_name, raw, pulumi.ResourceOptions())
        )
        facts[mocks.resolve(built.urn)] = oracle.platform_facts(raw)
    context = Context(model_dir, list(facts), usual=96, typed=typed)
    disagreements: dict[str, Any] = {}

    @settings(FUZZ, max_examples=examples)
    @given(inputs=inputs_of(RELEASE_TOKEN, context))
    def check(inputs: dict[str, Any]) -> None:
        name = next(names)
        before = len(recorder.resources)
        result, errors = outcome(lambda: ModelRelease.from_inputs(name, inputs, pulumi.ResourceOptions()))
        assert (result == "constructed") == (len(recorder.resources) > before), result
        seen[result] += 1
        why = disagreement(oracle.release(inputs, facts), result, errors)
        if why is not None:
            disagreements.setdefault(why, inputs)
        if result == "constructed" and plain(inputs):
            seen["judged by the API models"] += 1
            if refused := recorder.api_model_violations(since=before):
                disagreements.setdefault(f"a cloud's API model refuses what the provider built: {refused}", inputs)

    check()
    print(f"release examples: {dict(seen)}")
    assert seen["constructed"] + seen["rejected"] >= examples
    assert seen["constructed"] >= max(2, examples // 50), seen
    assert seen["rejected"] >= max(2, examples // 50), seen
    assert seen["judged by the API models"] >= max(2, examples // 50), seen
    assert not disagreements, f"{len(disagreements)} disagreements with the oracle:\n{report(disagreements)}"


def test_non_finite_numbers_are_input_errors() -> None:
    """Found by the fuzzer: NaN and infinity (valid protobuf doubles) crashed the integer parser."""
    mocks.install()
    for bad in (math.nan, math.inf, -math.inf):
        inputs = {"cloud": "aws", "scaling": {"maxReplicas": bad}}
        with pytest.raises(pulumi.InputPropertiesError) as caught:
            mocks.run(functools.partial(MLServingPlatform.from_inputs, "ml", inputs, pulumi.ResourceOptions()))
        assert caught.value.errors == [
            {"property_path": "scaling.maxReplicas", "reason": f"'scaling.maxReplicas' must be an integer (got {bad})"}
        ]


def test_outputs_inside_plain_lists_are_input_errors() -> None:
    """Found by the fuzzer: an Output inside a plain list reached the cache-key rules and crashed them."""
    mocks.install()
    with pytest.raises(pulumi.InputPropertiesError) as caught:
        mocks.run(
            lambda: MLServingPlatform.from_inputs(
                "ml",
                {"cloud": "aws", "cdn": {"inferenceCache": {"headerKeys": ["Accept", unknown()]}}},
                pulumi.ResourceOptions(),
            )
        )
    assert caught.value.errors == [
        {
            "property_path": "cdn.inferenceCache.headerKeys[1]",
            "reason": "'cdn.inferenceCache.headerKeys[1]' must be a plain value known before deployment (got an Output)",
        }
    ]


def test_non_finite_numbers_are_not_numbers_either() -> None:
    mocks.install()
    with pytest.raises(pulumi.InputPropertiesError) as caught:
        mocks.run(
            lambda: MLServingPlatform.from_inputs(
                "ml", {"cloud": "aws", "api": {"throttleRateLimit": math.nan}}, pulumi.ResourceOptions()
            )
        )
    assert caught.value.errors == [
        {
            "property_path": "api.throttleRateLimit",
            "reason": "'api.throttleRateLimit' must be a finite number (got nan)",
        }
    ]


def test_a_bare_unknown_is_an_output_for_the_parser() -> None:
    """Found by the gRPC resilience tests: an unknown without dependencies arrives as
    `pulumi.output.UNKNOWN`, which the parser took for a value of the wrong type."""
    mocks.install()
    inputs = {"cloud": "aws", "tags": {"team": UNKNOWN}, "scaling": {"maxReplicas": UNKNOWN}}
    with pytest.raises(pulumi.InputPropertiesError) as caught:
        mocks.run(functools.partial(MLServingPlatform.from_inputs, "ml", inputs, pulumi.ResourceOptions()))
    assert caught.value.errors == [
        {
            "property_path": "scaling.maxReplicas",
            "reason": "'scaling.maxReplicas' must be a plain value known before deployment (got an Output)",
        }
    ]
