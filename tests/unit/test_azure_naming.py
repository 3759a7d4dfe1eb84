"""Azure names stay within each service's length and character rules, whatever the platform is called.

The patterns below are written from Microsoft's naming rules (and, where that page says nothing,
the azurerm provider's validation of the same service), independently of `clouds/azure/naming.py`,
so a mistake there shows here. Component names are not validated (any text Pulumi takes is a
platform or release name), so the property tests draw any text up to 300 characters.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

import pulumi
import pytest
from hypothesis import given
from hypothesis import strategies as st
from mlserving_provider.clouds.azure import naming
from mlserving_provider.platform import MLServingPlatform
from mlserving_provider.platform_ref import PlatformReference
from mlserving_provider.release import ModelRelease

from tests import mocks

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


# ---------------------------------------------------------------- autonamed children (issue 18 Azure 8)

RULES_PAGE = "https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules"
# Microsoft.OperationalInsights/workspaces: 4-63, alphanumerics and hyphens, start and end alphanumeric.
LOG_ANALYTICS = re.compile(r"\A[A-Za-z0-9][A-Za-z0-9-]{2,61}[A-Za-z0-9]\Z")
# Microsoft.Cdn/profiles: 1-260 on the rules page; azurerm's Front Door profile validation: 2-90.
FRONT_DOOR_PROFILE = re.compile(r"\A[A-Za-z0-9][A-Za-z0-9-]{0,88}[A-Za-z0-9]\Z")
# azurerm internal/services/cdn/validate/cdn_frontdoor_endpoint_name.go: `^[\da-zA-Z][-\da-zA-Z]{0,44}[\da-zA-Z]$`.
AFD_ENDPOINT = re.compile(r"\A[0-9a-zA-Z][-0-9a-zA-Z]{0,44}[0-9a-zA-Z]\Z")
# Microsoft.Cdn profiles/originGroups, originGroups/origins, afdEndpoints/routes: 1-50.
AFD_CHILD = re.compile(r"\A[A-Za-z0-9]([A-Za-z0-9-]{0,48}[A-Za-z0-9])?\Z")
# azurerm CdnFrontDoorCustomDomainName: 2-260.
AFD_CUSTOM_DOMAIN = re.compile(r"\A[a-zA-Z0-9][a-zA-Z0-9-]{0,258}[a-zA-Z0-9]\Z")
# Rule sets and rules: letters and digits, starting with a letter (1-60 and 1-260).
AFD_RULE_SET = re.compile(r"\A[A-Za-z][A-Za-z0-9]{0,59}\Z")
AFD_RULE = re.compile(r"\A[A-Za-z][A-Za-z0-9]{0,259}\Z")
# azurerm eventgrid_system_topic_resource.go.
SYSTEM_TOPIC = re.compile(r"\A[-a-zA-Z0-9]{3,128}\Z")
EVENT_SUBSCRIPTION = re.compile(r"\A[A-Za-z0-9-]{3,64}\Z")
CONTROL = "\x00-\x1f\x7f"
# Microsoft.Insights: components refuse %&\?/, action groups :<>+/&%\?, metric alerts *#&+:<>?@%{}\/; all
# refuse control characters and a trailing space or period (autoscale settings: not listed, held to these).
APP_INSIGHTS = re.compile(rf"\A[^%&\\?/{CONTROL}]{{0,259}}[^%&\\?/{CONTROL}. ]\Z")
ACTION_GROUP = re.compile(rf"\A[^:<>+/&%\\?{CONTROL}]{{0,259}}[^:<>+/&%\\?{CONTROL}. ]\Z")
METRIC_ALERT = re.compile(rf"\A[^*#&+:<>?@%{{}}\\/{CONTROL}]{{0,259}}[^*#&+:<>?@%{{}}\\/{CONTROL}. ]\Z")
AUTOSCALE = re.compile(rf"\A[^*#&+:<>?@%{{}}\\/|{CONTROL}]{{0,259}}[^*#&+:<>?@%{{}}\\/|{CONTROL}. ]\Z")
STORAGE_CHILD = re.compile(r"\A[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]\Z")
# azure-native's autoname: the logical name and 8 random hex digits, no separator.
AUTONAME = "0a1b2c3d"

# kind -> (the module's rule, the documented pattern): every autonamed child the provider makes.
AUTONAMED = {
    "logs": (naming.LOG_ANALYTICS_WORKSPACE, LOG_ANALYTICS),
    "insights": (naming.APP_INSIGHTS, APP_INSIGHTS),
    "cdn": (naming.FRONT_DOOR_PROFILE, FRONT_DOOR_PROFILE),
    "cdn-endpoint": (naming.AFD_ENDPOINT, AFD_ENDPOINT),
    "cdn-artifacts": (naming.AFD_ORIGIN_GROUP, AFD_CHILD),
    "cdn-api": (naming.AFD_ORIGIN_GROUP, AFD_CHILD),
    "cdn-artifacts-origin": (naming.AFD_ORIGIN, AFD_CHILD),
    "cdn-api-origin": (naming.AFD_ORIGIN, AFD_CHILD),
    "cdn-artifacts-route": (naming.AFD_ROUTE, AFD_CHILD),
    "cdn-api-route": (naming.AFD_ROUTE, AFD_CHILD),
    "cdn-domain": (naming.AFD_CUSTOM_DOMAIN, AFD_CUSTOM_DOMAIN),
    "alerts": (naming.ACTION_GROUP, ACTION_GROUP),
    "5xx": (naming.METRIC_ALERT, METRIC_ALERT),
    "p99-latency": (naming.METRIC_ALERT, METRIC_ALERT),
    "main-autoscale": (naming.AUTOSCALE_SETTING, AUTOSCALE),
    "canary-autoscale": (naming.AUTOSCALE_SETTING, AUTOSCALE),
}
ANY_NAME = st.text(min_size=1, max_size=300)
ODD_NAMES = st.from_regex(r"\A[A-Za-z0-9][A-Za-z0-9_.-]{0,299}\Z")


@pytest.mark.parametrize(
    ("component", "kind", "expected"),
    [
        ("ml", "cdn-endpoint", "ml-cdn-endpoint"),  # fits: unchanged, so no existing child moves
        ("a" * 25, "cdn-endpoint", "a" * 25 + "-cdn-endpoint"),  # 38 + 8 = 46: the longest that fits
        ("a" * 26, "cdn-endpoint", "aaaaaaaaaaaaaaaaaa-cdn-endpoint-92cc78"),
        ("ML_Platform.prod", "cdn-endpoint", "ML-Platform-prod-cdn-endpoint-a7f30d"),
        ("ML_Platform.prod", "logs", "ML-Platform-prod-logs-b10a7c"),
        ("ML_Platform.prod", "insights", "ML_Platform.prod-insights"),  # Insights takes `_` and `.`
        ("ml platform", "insights", "ml-platform-insights-90daf6"),
        ("_", "cdn-api", "cdn-api-197cab"),  # nothing usable left of the component
        ("fraud_v1", "5xx", "fraud_v1-5xx"),
        ("fraud/v1#1", "5xx", "fraud-v1-1-5xx-4315b8"),
    ],
)
def test_child_names(component: str, kind: str, expected: str) -> None:
    assert naming.child(component, kind, AUTONAMED[kind][0]) == expected


@given(ANY_NAME | ODD_NAMES, st.sampled_from(sorted(AUTONAMED)))
def test_every_autoname_fits_its_service(component: str, kind: str) -> None:
    rule, pattern = AUTONAMED[kind]
    name = naming.child(component, kind, rule)
    assert pattern.match(name + AUTONAME), name


@given(ANY_NAME | ODD_NAMES)
def test_the_storage_system_topic_name_fits(component: str) -> None:
    name = naming.named(component, "storage-events", naming.EVENT_GRID_SYSTEM_TOPIC)
    assert SYSTEM_TOPIC.match(name), name


@given(ODD_NAMES)
def test_names_that_differ_only_in_refused_characters_stay_distinct(component: str) -> None:
    other = component.replace("-", "_") if "-" in component else component + "_"
    for kind in ("cdn-endpoint", "logs"):
        rule = AUTONAMED[kind][0]
        assert naming.child(component, kind, rule) != naming.child(other, kind, rule)


def test_the_module_rules_agree_with_the_documented_patterns() -> None:
    rules = [*AUTONAMED.values(), (naming.EVENT_GRID_SYSTEM_TOPIC, SYSTEM_TOPIC)]
    for rule, pattern in rules:
        longest = "x" * rule.max_length
        assert naming.fits(longest, rule), rule.source
        assert pattern.match(longest), rule.source
        assert not naming.fits(longest + "x", rule)
        if rule.min_length > 1:
            assert not naming.fits("x" * (rule.min_length - 1), rule)
        for odd in ("a_b", "a.b", "-ab", "ab-", "a b", "a/b"):
            if naming.fits(odd, rule):
                assert pattern.match(odd), (odd, rule.source)


# ---------------------------------------------------------------- every child of odd components

# type -> (the input that names it, the pattern its name must match); the others are named by
# constants or by the platform's naming functions above.
NAMED_BY: dict[str, tuple[str, re.Pattern[str]]] = {
    "azure-native:operationalinsights:Workspace": ("workspaceName", LOG_ANALYTICS),
    "azure-native:applicationinsights:Component": ("resourceName", APP_INSIGHTS),
    "azure-native:cdn:Profile": ("profileName", FRONT_DOOR_PROFILE),
    "azure-native:cdn:AFDEndpoint": ("endpointName", AFD_ENDPOINT),
    "azure-native:cdn:AFDOriginGroup": ("originGroupName", AFD_CHILD),
    "azure-native:cdn:AFDOrigin": ("originName", AFD_CHILD),
    "azure-native:cdn:Route": ("routeName", AFD_CHILD),
    "azure-native:cdn:AFDCustomDomain": ("customDomainName", AFD_CUSTOM_DOMAIN),
    "azure-native:cdn:RuleSet": ("ruleSetName", AFD_RULE_SET),
    "azure-native:cdn:Rule": ("ruleName", AFD_RULE),
    "azure-native:monitor:ActionGroup": ("actionGroupName", ACTION_GROUP),
    "azure-native:monitor:MetricAlert": ("ruleName", METRIC_ALERT),
    "azure-native:monitor:AutoscaleSetting": ("autoscaleSettingName", AUTOSCALE),
    "azure-native:eventgrid:SystemTopic": ("systemTopicName", SYSTEM_TOPIC),
    "azure-native:eventgrid:Topic": ("topicName", EVENT_TOPIC),
    "azure-native:eventgrid:EventSubscription": ("eventSubscriptionName", EVENT_SUBSCRIPTION),
    "azure-native:eventgrid:SystemTopicEventSubscription": ("eventSubscriptionName", EVENT_SUBSCRIPTION),
    "azure-native:resources:ResourceGroup": ("resourceGroupName", RESOURCE_GROUP),
    "azure-native:storage:StorageAccount": ("accountName", STORAGE_ACCOUNT),
    "azure-native:storage:BlobContainer": ("containerName", STORAGE_CHILD),
    "azure-native:storage:Queue": ("queueName", STORAGE_CHILD),
    "azure-native:keyvault:Vault": ("vaultName", KEY_VAULT),
    "azure-native:machinelearningservices:Workspace": ("workspaceName", ML_WORKSPACE),
    "azure-native:machinelearningservices:OnlineEndpoint": ("endpointName", ML_ENDPOINT),
    "azure-native:machinelearningservices:OnlineDeployment": ("deploymentName", DEPLOYMENT),
    "azure-native:apimanagement:ApiManagementService": ("serviceName", APIM),
    "azure-native:apimanagement:NamedValue": ("namedValueId", NAMED_VALUE),
}


@pytest.mark.parametrize(
    ("platform", "release"),
    [
        ("ML_Platform.prod", "fraud_detector.v1"),
        ("platform-" + "x" * 70, "release-" + "y" * 250),
    ],
    ids=["underscores and dots", "long names"],
)
def test_every_azure_child_of_odd_components_gets_a_valid_name(model_dir: Path, platform: str, release: str) -> None:
    recorder = mocks.install()
    inputs: dict[str, Any] = {
        "cloud": "azure",
        "azure": {"location": "westeurope"},
        "cdn": {"customDomain": "models.example.com"},
        "monitoring": {"alarmEmail": "ops@example.com"},
    }
    built = mocks.run(lambda: MLServingPlatform.from_inputs(platform, inputs, pulumi.ResourceOptions()))
    release_inputs = {
        "platform": PlatformReference(mocks.resolve(built.urn)),
        "artifact": pulumi.FileArchive(str(model_dir)),
        "image": "mlserving.azurecr.io/xgb:1",
        "modelName": "fraud",
        "version": "1.0.0",
        "apiVersion": "v1",
        "rollout": {"strategy": "canary", "canaryPercent": 10},
    }
    mocks.run(functools.partial(ModelRelease.from_inputs, release, release_inputs, pulumi.ResourceOptions()))
    judged: dict[str, int] = {}
    for resource in recorder.resources:
        if resource.typ not in NAMED_BY:
            continue
        key, pattern = NAMED_BY[resource.typ]
        given_name = resource.inputs.get(key)
        physical = given_name if isinstance(given_name, str) else resource.name + AUTONAME
        assert pattern.match(physical), (resource.typ, physical)
        judged[resource.typ] = judged.get(resource.typ, 0) + 1
    assert set(judged) == set(NAMED_BY)
    assert sum(judged.values()) == 39
    # API Management's display names and named values (azure-mgmt-apimanagement 5.0.0 `_validation`).
    limits = {
        ("azure-native:apimanagement:ApiManagementService", "publisherName"): 100,
        ("azure-native:apimanagement:ApiVersionSet", "displayName"): 100,
        ("azure-native:apimanagement:Subscription", "displayName"): 100,
        ("azure-native:apimanagement:Product", "displayName"): 300,
        ("azure-native:apimanagement:Api", "displayName"): 300,
        ("azure-native:apimanagement:NamedValue", "displayName"): 256,
    }
    for (typ, key), limit in limits.items():
        found = recorder.of_type(typ)
        assert found, f"no {typ} to judge"
        for resource in found:
            assert 1 <= len(resource.inputs[key]) <= limit, (typ, key, resource.inputs[key])
    for resource in recorder.of_type("azure-native:apimanagement:NamedValue"):
        assert re.fullmatch(r"[A-Za-z0-9-._]{1,80}", resource.inputs["namedValueId"]), resource.inputs
    # A child whose name had to change keeps its plain name as an alias.
    options = mocks.monitor().options
    (endpoint,) = recorder.of_type("azure-native:cdn:AFDEndpoint")
    assert endpoint.name != f"{platform}-cdn-endpoint"
    assert options[endpoint.name]["aliases"] == [f"{platform}-cdn-endpoint"]


def test_a_child_whose_name_fits_has_no_alias(build: Any) -> None:
    build({"cloud": "azure", "azure": {"location": "westeurope"}})
    assert mocks.monitor().options["ml-cdn-endpoint"]["aliases"] == []


def test_long_display_names_are_cut_with_a_digest_of_the_whole() -> None:
    short = "mlserving ml"
    assert naming.display_name(short) == short
    one, two = (naming.display_name(f"mlserving {'p' * 120}{tail}") for tail in ("a", "b"))
    assert (len(one), len(two)) == (100, 100)
    assert one != two
    assert one.startswith("mlserving ppp")


def test_long_named_values_stay_distinct() -> None:
    one, two = (naming.named_value(f"endpoint-key-{'r' * 90}{tail}") for tail in ("a", "b"))
    assert (len(one), len(two)) == (80, 80)
    assert one != two
    assert naming.named_value("endpoint-key-sentiment-v1") == "endpoint-key-sentiment-v1"
