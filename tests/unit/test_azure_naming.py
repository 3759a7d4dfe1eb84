"""Azure names stay within each service's length and character rules, whatever the platform is called."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from mlserving_provider.clouds.azure import naming

SUFFIX = "0a1b2c3d"
PLATFORM_NAMES = st.text(min_size=1, max_size=120)
MODEL_NAMES = st.from_regex(r"\A[a-z][a-z0-9-]{0,30}[a-z0-9]\Z")

# https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules
STORAGE_ACCOUNT = re.compile(r"^[a-z0-9]{3,24}$")
KEY_VAULT = re.compile(r"^[A-Za-z](?!.*--)[A-Za-z0-9-]{1,22}[A-Za-z0-9]$")
APIM = re.compile(r"^[A-Za-z][A-Za-z0-9-]{0,48}[A-Za-z0-9]$")
ML_WORKSPACE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{2,32}$")
ML_ENDPOINT = re.compile(r"^[A-Za-z][A-Za-z0-9-]{1,30}[A-Za-z0-9]$")
DEPLOYMENT = re.compile(r"^[A-Za-z][A-Za-z0-9-]{1,30}[A-Za-z0-9]$")
EVENT_TOPIC = re.compile(r"^[A-Za-z0-9-]{3,50}$")
RESOURCE_GROUP = re.compile(r"^[-\w._()]{1,89}[-\w_()]$")
NAMED_VALUE = re.compile(r"^[A-Za-z0-9._-]{1,80}$")


@pytest.mark.parametrize(
    ("made", "expected"),
    [
        (naming.storage_account("ml", SUFFIX), "ml0a1b2c3d"),
        (naming.storage_account("My_Platform-01", SUFFIX), "myplatform010a1b2c3d"),
        (naming.storage_account("a-very-long-platform-name-indeed", SUFFIX), "averylongplatfor0a1b2c3d"),
        (naming.storage_account("42", SUFFIX), "ml420a1b2c3d"),
        (naming.key_vault("ml", SUFFIX), "kv-ml-0a1b2c3d"),
        (naming.key_vault("a-very-long-platform-name", SUFFIX), "kv-a-very-long-0a1b2c3d"),
        (naming.apim_service("ml", SUFFIX), "apim-ml-0a1b2c3d"),
        (naming.ml_workspace("ml", SUFFIX), "mlw-ml-0a1b2c3d"),
        (naming.ml_workspace("a-very-long-platform-name-indeed", SUFFIX), "mlw-a-very-long-platform-0a1b2c3d"),
        (naming.ml_endpoint(SUFFIX, "fraud", "v1"), "e0a1b2c3d-fraud-v1"),
        (naming.deployment("canary", "d68923"), "canary-d68923"),
        (naming.event_topic("ml", SUFFIX), "ml-events-0a1b2c3d"),
        (naming.resource_group("ml", SUFFIX), "rg-ml-0a1b2c3d"),
        (naming.named_value("endpoint-key-fraud-v1"), "endpoint-key-fraud-v1"),
        (naming.version_label("1.2.3-rc.1+build.5"), "1.2.3-rc.1-build.5"),
    ],
)
def test_names(made: str, expected: str) -> None:
    assert made == expected


@pytest.mark.parametrize(
    ("version", "number"),
    [("0.0.1", 1), ("1.0.0", 1_000_000), ("2.1.0", 2_001_000), ("1.2.3", 1_002_003), ("2146.999.999", 2_146_999_999)],
)
def test_model_versions_are_positive_integers_below_2_to_the_31(version: str, number: int) -> None:
    assert naming.model_version(version) == number
    assert naming.model_version_problem(version) is None
    assert 0 < number < 2**31


@pytest.mark.parametrize("version", ["0.0.0", "1.0.0-rc.1", "1.0.0+build.5", "1.1000.0", "1.0.1000", "2147.0.0"])
def test_versions_without_an_azure_model_version(version: str) -> None:
    assert naming.model_version_problem(version) is not None


VERSIONS = st.tuples(*(st.integers(min_value=0, max_value=top) for top in naming.MODEL_VERSION_MAX))


@given(VERSIONS, VERSIONS)
def test_model_versions_keep_the_order_of_release_versions(a: tuple[int, int, int], b: tuple[int, int, int]) -> None:
    one, two = (".".join(map(str, v)) for v in (a, b))
    assert (naming.model_version(one) < naming.model_version(two)) == (a < b)


def test_a_new_artifact_is_a_new_model_name() -> None:
    assert naming.model_asset("fraud", "v1", "0123456789abcdef") == "fraud-v1-01234567"


def test_a_long_model_name_keeps_the_endpoint_name_distinct() -> None:
    one = naming.ml_endpoint(SUFFIX, "a" * 32, "v1")
    two = naming.ml_endpoint(SUFFIX, "a" * 31 + "b", "v1")
    assert len(one) <= 32
    assert len(two) <= 32
    assert one != two
    assert ML_ENDPOINT.match(one)


@pytest.mark.parametrize(
    ("seconds", "iso"), [(60, "PT1M"), (300, "PT5M"), (90, "PT1M30S"), (3600, "PT1H"), (3660, "PT1H1M"), (0, "PT0S")]
)
def test_iso_durations(seconds: int, iso: str) -> None:
    assert naming.iso_duration(seconds) == iso


@pytest.mark.parametrize(
    ("milliseconds", "iso"),
    [(29000, "PT29S"), (5000, "PT5S"), (500, "PT0.5S"), (90500, "PT1M30.5S"), (60500, "PT1M0.5S"), (180000, "PT3M")],
)
def test_iso_durations_in_milliseconds(milliseconds: int, iso: str) -> None:
    assert naming.iso_duration_ms(milliseconds) == iso


@given(PLATFORM_NAMES)
def test_platform_names_always_fit(platform: str) -> None:
    assert STORAGE_ACCOUNT.match(naming.storage_account(platform, SUFFIX))
    assert KEY_VAULT.match(naming.key_vault(platform, SUFFIX))
    assert APIM.match(naming.apim_service(platform, SUFFIX))
    assert ML_WORKSPACE.match(naming.ml_workspace(platform, SUFFIX))
    assert EVENT_TOPIC.match(naming.event_topic(platform, SUFFIX))
    assert RESOURCE_GROUP.match(naming.resource_group(platform, SUFFIX))
    assert NAMED_VALUE.match(naming.named_value(f"endpoint-key-{platform}"))


@given(MODEL_NAMES, st.integers(min_value=1, max_value=999))
def test_endpoint_and_deployment_names_always_fit(model: str, version: int) -> None:
    assert ML_ENDPOINT.match(naming.ml_endpoint(SUFFIX, model, f"v{version}"))
    for slot in ("main", "canary"):
        assert DEPLOYMENT.match(naming.deployment(slot, "d68923"))
