"""Azure's published API models as a judge of azure-native resource inputs.

The models are the azure-mgmt-* packages' own (AutoRest-generated, msrest-style) model classes: each class carries
`_validation` (required, pattern, min_length/max_length, minimum/maximum, min_items/max_items) and `_attribute_map`
(python attribute -> REST key, flattened keys like `properties.friendlyName`), and each operations module carries
the URL-parameter constraints of the create call (`_SERIALIZER.url("account_name", ..., max_length=24, ...)`).
Nothing here is paraphrased: constraints are read from those classes and builders at import time, and applied with
the package's own rule functions (`Serializer.validation`), except `pattern`: the package applies it with
`re.match` (anchored at the start), the OpenAPI spec and azure-native's Check with search semantics (JSON Schema /
ECMA-262, Go `MatchString`); this module searches (`re.search`), as the spec means. The two differ only for a
pattern that does not start with `^`: e.g. ML's route path `[a-zA-Z0-9_]`, which `re.match` would refuse for
`/ping`.

Which package: the version whose api-version equals azure-native's default for the resource (pulumi-azure-native
3.29.0, the docstring "Uses Azure REST API version ..." of each resource module), else the closest one that still
ships msrest-style models. The newest releases of several packages (azure-mgmt-storage 24+, cdn 14+, keyvault 13+,
azure-ai-ml 1.32+'s ARM client) are TypeSpec-generated and carry no constraints at all; they are not used.
Each TypeCoverage.source says which api-version the model is and which azure-native sends.

Mapping: azure-native flattens `properties` where the spec says x-ms-client-flatten, and names an input after the
REST key's last segment or the spec's x-ms-client-name. An input key therefore matches a model attribute when,
ignoring case and non-alphanumerics, it equals the REST key's last segment (what the package's
`last_rest_key_case_insensitive_extractor` does) or the python attribute name (`attribute_key_case_insensitive_
extractor`: x-ms-client-name, e.g. `enableHttpsTrafficOnly` for `properties.supportsHttpsTrafficOnly`). URL
parameters are matched first, by camelCase of the builder's parameter name. A discriminated model
(`_subtype_map`) is resolved from the input's discriminator value, as the package's deserializer does.

Phase: azure-native's Check validates every PUT parameter against its metadata (generated from the same REST spec):
required properties, min/max length, pattern (Go RE2, compiled patterns only), minimum/maximum, integer-ness
(pulumi/pulumi-azure-native provider/pkg/provider/provider.go: Check -> validateType / validateProperty). It does
not validate enums. So a length/pattern/bound/required violation is PREVIEW when the package's api-version equals
azure-native's and the pattern is RE2-compatible; everything else (enums, docs-only tag rules, constraints from a
different api-version) is UP. Not modelled: Go counts lengths in bytes, Python in characters.

Enums: the packages type enum members `Union[str, Enum]` (extensible on the client, not validated by
`Model.validate`); whether the spec marks an enum modelAsString cannot be told from the package, so enum
violations are this module's own case-insensitive check, phase UP, and may be values the service accepts.

Tags: Microsoft's tag rules are documented, not in the models; `_TAG_RULES` carries them with their page as source.
"""

from __future__ import annotations

import ast
import dataclasses
import enum
import functools
import importlib
import inspect
import os
import re
import sys
import types
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from tests.fakecloud import wire
from tests.fakecloud.apimodels.core import Field, Phase, TypeCoverage, Violation

__all__ = ["SOURCE", "TOKENS", "check", "coverage"]

_NATIVE = "pulumi-azure-native 3.29.0"
_SECRET_SIG = "4dabf18193072939515e22adb298388d"
_TAG_PAGE = "https://learn.microsoft.com/azure/azure-resource-manager/management/tag-resources#limitations"

_APIM = ("azure-mgmt-apimanagement 5.0.0", "azure.mgmt.apimanagement", "2024-05-01")
_INSIGHTS = ("azure-mgmt-applicationinsights 4.1.0", "azure.mgmt.applicationinsights.v2020_02_02", "2020-02-02")
_AUTHZ = ("azure-mgmt-authorization 4.0.0", "azure.mgmt.authorization.v2022_04_01", "2022-04-01")
# cdn 13.1.1 is the newest msrest-style release (2024-02-01); 14.x (2025-06-01 onwards) is TypeSpec, no constraints.
_CDN = ("azure-mgmt-cdn 13.1.1", "azure.mgmt.cdn", "2024-02-01")
_EVENTGRID = ("azure-mgmt-eventgrid 10.4.0", "azure.mgmt.eventgrid", "2025-02-15")
_KEYVAULT = ("azure-mgmt-keyvault 12.0.0", "azure.mgmt.keyvault", "2024-11-01")
# azure-mgmt-machinelearningservices stops at 2020-08-01; azure-ai-ml vendors the ARM client. 1.31.0's newest
# msrest-style version is 2025-01-01-preview (1.32+ ship a TypeSpec 2025-12-01 client without constraints).
_ML = ("azure-ai-ml 1.31.0", "azure.ai.ml._restclient.v2025_01_01_preview", "2025-01-01-preview")
# monitor 6.0.2 is multi-api: exact versions for autoscale and metric alerts; action groups' newest is 2023-01-01.
_ACTION_GROUPS = ("azure-mgmt-monitor 6.0.2", "azure.mgmt.monitor.v2023_01_01", "2023-01-01")
_AUTOSCALE = ("azure-mgmt-monitor 6.0.2", "azure.mgmt.monitor.v2021_05_01_preview", "2021-05-01-preview")
_METRIC_ALERTS = ("azure-mgmt-monitor 6.0.2", "azure.mgmt.monitor.v2018_03_01", "2018-03-01")
# loganalytics: 12.0.0 has 2021-06-01 workspaces, 13.1.1 has 2025-07-01; azure-native sends 2023-09-01.
_LOGS = ("azure-mgmt-loganalytics 13.1.1", "azure.mgmt.loganalytics", "2025-07-01")
# resource 23.x has no resources/v2024_03_01; v2024_07_01 is the closest.
_RESOURCES = ("azure-mgmt-resource 23.4.0", "azure.mgmt.resource.resources.v2024_07_01", "2024-07-01")
_STORAGE = ("azure-mgmt-storage 23.0.0", "azure.mgmt.storage", "2024-01-01")
# network 28.1.0's one api-version is 2024-05-01, azure-native's (29+ move on); privatedns 1.2.0 is 2024-06-01 (2.x is
# TypeSpec, no constraints). Issue 21: the private endpoints and their DNS zones.
_NETWORK = ("azure-mgmt-network 28.1.0", "azure.mgmt.network", "2024-05-01")
_PRIVATEDNS = ("azure-mgmt-privatedns 1.2.0", "azure.mgmt.privatedns", "2024-06-01")


@dataclass(frozen=True)
class _Spec:
    """One azure-native resource type and the create call that realises it."""

    token: str
    pkg: tuple[str, str, str]
    """(distribution and version, import path of the api-version package, the model's api-version)."""
    native: str
    """The api-version azure-native 3.29.0 sends by default for this resource."""
    model: str | None
    """The body model class (None: the call has no body)."""
    ops: str
    """The operations module (under `<package>.operations`)."""
    builder: str
    """The request builder of the create call, whose URL parameters carry the name rules."""
    rest: str
    note: str = ""
    url_only: tuple[str, ...] = ()
    """Inputs judged only by the URL rules of `builder` (storage:Blob: a data-plane resource, see its note)."""


_SPECS: tuple[_Spec, ...] = (
    _Spec(
        "azure-native:apimanagement:Api",
        _APIM,
        "2024-05-01",
        "ApiCreateOrUpdateParameter",
        "_api_operations",
        "build_create_or_update_request",
        "PUT Microsoft.ApiManagement/service/apis",
    ),
    _Spec(
        "azure-native:apimanagement:ApiManagementService",
        _APIM,
        "2024-05-01",
        "ApiManagementServiceResource",
        "_api_management_service_operations",
        "build_create_or_update_request",
        "PUT Microsoft.ApiManagement/service",
    ),
    _Spec(
        "azure-native:apimanagement:ApiOperation",
        _APIM,
        "2024-05-01",
        "OperationContract",
        "_api_operation_operations",
        "build_create_or_update_request",
        "PUT Microsoft.ApiManagement/service/apis/operations",
    ),
    _Spec(
        "azure-native:apimanagement:ApiPolicy",
        _APIM,
        "2024-05-01",
        "PolicyContract",
        "_api_policy_operations",
        "build_create_or_update_request",
        "PUT Microsoft.ApiManagement/service/apis/policies",
    ),
    _Spec(
        "azure-native:apimanagement:ApiVersionSet",
        _APIM,
        "2024-05-01",
        "ApiVersionSetContract",
        "_api_version_set_operations",
        "build_create_or_update_request",
        "PUT Microsoft.ApiManagement/service/apiVersionSets",
    ),
    _Spec(
        "azure-native:apimanagement:NamedValue",
        _APIM,
        "2024-05-01",
        "NamedValueCreateContract",
        "_named_value_operations",
        "build_create_or_update_request",
        "PUT Microsoft.ApiManagement/service/namedValues",
    ),
    _Spec(
        "azure-native:apimanagement:Product",
        _APIM,
        "2024-05-01",
        "ProductContract",
        "_product_operations",
        "build_create_or_update_request",
        "PUT Microsoft.ApiManagement/service/products",
    ),
    _Spec(
        "azure-native:apimanagement:ProductApi",
        _APIM,
        "2024-05-01",
        None,
        "_product_api_operations",
        "build_create_or_update_request",
        "PUT Microsoft.ApiManagement/service/products/apis",
        note="The call has no body: only the URL parameters are judged.",
    ),
    _Spec(
        "azure-native:apimanagement:ProductPolicy",
        _APIM,
        "2024-05-01",
        "PolicyContract",
        "_product_policy_operations",
        "build_create_or_update_request",
        "PUT Microsoft.ApiManagement/service/products/policies",
    ),
    _Spec(
        "azure-native:apimanagement:Subscription",
        _APIM,
        "2024-05-01",
        "SubscriptionCreateParameters",
        "_subscription_operations",
        "build_create_or_update_request",
        "PUT Microsoft.ApiManagement/service/subscriptions",
    ),
    _Spec(
        "azure-native:applicationinsights:Component",
        _INSIGHTS,
        "2020-02-02",
        "ApplicationInsightsComponent",
        "_components_operations",
        "build_create_or_update_request",
        "PUT Microsoft.Insights/components",
    ),
    _Spec(
        "azure-native:authorization:RoleAssignment",
        _AUTHZ,
        "2022-04-01",
        "RoleAssignmentCreateParameters",
        "_role_assignments_operations",
        "build_create_request",
        "PUT {scope}/providers/Microsoft.Authorization/roleAssignments",
    ),
    _Spec(
        "azure-native:cdn:AFDCustomDomain",
        _CDN,
        "2025-06-01",
        "AFDDomain",
        "_afd_custom_domains_operations",
        "build_create_request",
        "PUT Microsoft.Cdn/profiles/customDomains",
    ),
    _Spec(
        "azure-native:cdn:AFDEndpoint",
        _CDN,
        "2025-06-01",
        "AFDEndpoint",
        "_afd_endpoints_operations",
        "build_create_request",
        "PUT Microsoft.Cdn/profiles/afdEndpoints",
    ),
    _Spec(
        "azure-native:cdn:AFDOrigin",
        _CDN,
        "2025-06-01",
        "AFDOrigin",
        "_afd_origins_operations",
        "build_create_request",
        "PUT Microsoft.Cdn/profiles/originGroups/origins",
    ),
    _Spec(
        "azure-native:cdn:AFDOriginGroup",
        _CDN,
        "2025-06-01",
        "AFDOriginGroup",
        "_afd_origin_groups_operations",
        "build_create_request",
        "PUT Microsoft.Cdn/profiles/originGroups",
    ),
    _Spec(
        "azure-native:cdn:Profile",
        _CDN,
        "2025-06-01",
        "Profile",
        "_profiles_operations",
        "build_create_request",
        "PUT Microsoft.Cdn/profiles",
    ),
    _Spec(
        "azure-native:cdn:Route",
        _CDN,
        "2025-06-01",
        "Route",
        "_routes_operations",
        "build_create_request",
        "PUT Microsoft.Cdn/profiles/afdEndpoints/routes",
    ),
    _Spec(
        "azure-native:cdn:Rule",
        _CDN,
        "2025-06-01",
        "Rule",
        "_rules_operations",
        "build_create_request",
        "PUT Microsoft.Cdn/profiles/ruleSets/rules",
    ),
    _Spec(
        "azure-native:cdn:RuleSet",
        _CDN,
        "2025-06-01",
        None,
        "_rule_sets_operations",
        "build_create_request",
        "PUT Microsoft.Cdn/profiles/ruleSets",
        note="The create call sends no body (RuleSet's members are all read-only): only the URL is judged.",
    ),
    _Spec(
        "azure-native:eventgrid:EventSubscription",
        _EVENTGRID,
        "2025-02-15",
        "EventSubscription",
        "_event_subscriptions_operations",
        "build_create_or_update_request",
        "PUT {scope}/providers/Microsoft.EventGrid/eventSubscriptions",
    ),
    _Spec(
        "azure-native:eventgrid:SystemTopic",
        _EVENTGRID,
        "2025-02-15",
        "SystemTopic",
        "_system_topics_operations",
        "build_create_or_update_request",
        "PUT Microsoft.EventGrid/systemTopics",
    ),
    _Spec(
        "azure-native:eventgrid:SystemTopicEventSubscription",
        _EVENTGRID,
        "2025-02-15",
        "EventSubscription",
        "_system_topic_event_subscriptions_operations",
        "build_create_or_update_request",
        "PUT Microsoft.EventGrid/systemTopics/eventSubscriptions",
    ),
    _Spec(
        "azure-native:eventgrid:Topic",
        _EVENTGRID,
        "2025-02-15",
        "Topic",
        "_topics_operations",
        "build_create_or_update_request",
        "PUT Microsoft.EventGrid/topics",
    ),
    _Spec(
        "azure-native:keyvault:Vault",
        _KEYVAULT,
        "2024-11-01",
        "VaultCreateOrUpdateParameters",
        "_vaults_operations",
        "build_create_or_update_request",
        "PUT Microsoft.KeyVault/vaults",
    ),
    _Spec(
        "azure-native:machinelearningservices:Datastore",
        _ML,
        "2025-12-01",
        "Datastore",
        "_datastores_operations",
        "build_create_or_update_request",
        "PUT Microsoft.MachineLearningServices/workspaces/datastores",
    ),
    _Spec(
        "azure-native:machinelearningservices:EnvironmentVersion",
        _ML,
        "2025-12-01",
        "EnvironmentVersion",
        "_environment_versions_operations",
        "build_create_or_update_request",
        "PUT Microsoft.MachineLearningServices/workspaces/environments/versions",
    ),
    _Spec(
        "azure-native:machinelearningservices:ModelVersion",
        _ML,
        "2025-12-01",
        "ModelVersion",
        "_model_versions_operations",
        "build_create_or_update_request",
        "PUT Microsoft.MachineLearningServices/workspaces/models/versions",
    ),
    _Spec(
        "azure-native:machinelearningservices:OnlineDeployment",
        _ML,
        "2025-12-01",
        "OnlineDeployment",
        "_online_deployments_operations",
        "build_create_or_update_request_initial",
        "PUT Microsoft.MachineLearningServices/workspaces/onlineEndpoints/deployments",
    ),
    _Spec(
        "azure-native:machinelearningservices:OnlineEndpoint",
        _ML,
        "2025-12-01",
        "OnlineEndpoint",
        "_online_endpoints_operations",
        "build_create_or_update_request_initial",
        "PUT Microsoft.MachineLearningServices/workspaces/onlineEndpoints",
    ),
    _Spec(
        "azure-native:machinelearningservices:Workspace",
        _ML,
        "2025-12-01",
        "Workspace",
        "_workspaces_operations",
        "build_create_or_update_request_initial",
        "PUT Microsoft.MachineLearningServices/workspaces",
    ),
    _Spec(
        "azure-native:monitor:ActionGroup",
        _ACTION_GROUPS,
        "2024-10-01-preview",
        "ActionGroupResource",
        "_action_groups_operations",
        "build_create_or_update_request",
        "PUT Microsoft.Insights/actionGroups",
    ),
    _Spec(
        "azure-native:monitor:AutoscaleSetting",
        _AUTOSCALE,
        "2021-05-01-preview",
        "AutoscaleSettingResource",
        "_autoscale_settings_operations",
        "build_create_or_update_request",
        "PUT Microsoft.Insights/autoscalesettings",
    ),
    _Spec(
        "azure-native:monitor:MetricAlert",
        _METRIC_ALERTS,
        "2018-03-01",
        "MetricAlertResource",
        "_metric_alerts_operations",
        "build_create_or_update_request",
        "PUT Microsoft.Insights/metricAlerts",
    ),
    _Spec(
        "azure-native:network:PrivateDnsZoneGroup",
        _NETWORK,
        "2024-05-01",
        "PrivateDnsZoneGroup",
        "_operations",
        "build_private_dns_zone_groups_create_or_update_request",
        "PUT Microsoft.Network/privateEndpoints/privateDnsZoneGroups",
        note="Nothing to refuse: the model's writable members carry no constraint (no required, length, pattern or "
        "enum) and the create call's URL parameters none; its inputs are still matched to members (none unmatched).",
    ),
    _Spec(
        "azure-native:network:PrivateEndpoint",
        _NETWORK,
        "2024-05-01",
        "PrivateEndpoint",
        "_operations",
        "build_private_endpoints_create_or_update_request",
        "PUT Microsoft.Network/privateEndpoints",
    ),
    _Spec(
        "azure-native:privatedns:PrivateZone",
        _PRIVATEDNS,
        "2024-06-01",
        "PrivateZone",
        "_private_zones_operations",
        "build_create_or_update_request",
        "PUT Microsoft.Network/privateDnsZones",
    ),
    _Spec(
        "azure-native:privatedns:VirtualNetworkLink",
        _PRIVATEDNS,
        "2024-06-01",
        "VirtualNetworkLink",
        "_virtual_network_links_operations",
        "build_create_or_update_request",
        "PUT Microsoft.Network/privateDnsZones/virtualNetworkLinks",
    ),
    _Spec(
        "azure-native:operationalinsights:Workspace",
        _LOGS,
        "2023-09-01",
        "Workspace",
        "_workspaces_operations",
        "build_create_or_update_request",
        "PUT Microsoft.OperationalInsights/workspaces",
    ),
    _Spec(
        "azure-native:resources:ResourceGroup",
        _RESOURCES,
        "2024-03-01",
        "ResourceGroup",
        "_operations",
        "build_resource_groups_create_or_update_request",
        "PUT resourcegroups",
    ),
    _Spec(
        "azure-native:storage:Blob",
        _STORAGE,
        "2024-01-01",
        None,
        "_blob_containers_operations",
        "build_create_request",
        "PUT https://{accountName}.blob.core.windows.net/{containerName}/{blobName} (data plane)",
        note="A custom resource of azure-native: a data-plane Put Blob, no ARM model. Only the account and "
        "container names are judged, by the ARM rules of the container they name (BlobContainers create URL).",
        url_only=("accountName", "containerName", "resourceGroupName"),
    ),
    _Spec(
        "azure-native:storage:BlobContainer",
        _STORAGE,
        "2024-01-01",
        "BlobContainer",
        "_blob_containers_operations",
        "build_create_request",
        "PUT Microsoft.Storage/storageAccounts/blobServices/containers",
    ),
    _Spec(
        "azure-native:storage:BlobServiceProperties",
        _STORAGE,
        "2024-01-01",
        "BlobServiceProperties",
        "_blob_services_operations",
        "build_set_service_properties_request",
        "PUT Microsoft.Storage/storageAccounts/blobServices",
    ),
    _Spec(
        "azure-native:storage:ManagementPolicy",
        _STORAGE,
        "2024-01-01",
        "ManagementPolicy",
        "_management_policies_operations",
        "build_create_or_update_request",
        "PUT Microsoft.Storage/storageAccounts/managementPolicies",
    ),
    _Spec(
        "azure-native:storage:Queue",
        _STORAGE,
        "2024-01-01",
        "StorageQueue",
        "_queue_operations",
        "build_create_request",
        "PUT Microsoft.Storage/storageAccounts/queueServices/queues",
    ),
    _Spec(
        "azure-native:storage:StorageAccount",
        _STORAGE,
        "2024-01-01",
        "StorageAccountCreateParameters",
        "_storage_accounts_operations",
        "build_create_request",
        "PUT Microsoft.Storage/storageAccounts",
    ),
)

_BY_TOKEN: dict[str, _Spec] = {s.token: s for s in _SPECS}

TOKENS: frozenset[str] = frozenset(_BY_TOKEN)
SOURCE: str = "; ".join(
    sorted({f"{s.pkg[0]} ({s.pkg[1].rsplit('.', 1)[-1] if 'v20' in s.pkg[1] else s.pkg[2]})" for s in _SPECS})
)

# Inputs azure-native adds to every resource that are not part of the REST call.
_PROVIDER_ONLY = {"azureApiVersion": "azure-native's choice of api-version (the query string), not a body member"}


@dataclass(frozen=True)
class _TagRule:
    """One of Microsoft's documented tag limitations (not in any model)."""

    constraint: str
    expected: Any
    applies: Callable[[str], bool]
    """Which tokens it applies to."""
    on: str
    """'name', 'value' or 'count'."""
    why: str


def _cdn(token: str) -> bool:
    return token in ("azure-native:cdn:Profile", "azure-native:cdn:AFDEndpoint")


def _storage_account(token: str) -> bool:
    return token == "azure-native:storage:StorageAccount"


# Quoted from the page's "Limitations" section (MicrosoftDocs azure-docs tag-resources.md).
_TAG_RULES: tuple[_TagRule, ...] = (
    _TagRule(
        "max_items",
        50,
        lambda t: True,
        "count",
        "Each resource, resource group, and subscription can have a maximum of 50 tag name-value pairs.",
    ),
    _TagRule(
        "max_items",
        15,
        _cdn,
        "count",
        "The following Azure resources only support 15 tags: ... Azure Content Delivery Network "
        "(applied to the Microsoft.Cdn profile and endpoint; whether Front Door Standard/Premium counts as "
        "'Azure Content Delivery Network' there is not said).",
    ),
    _TagRule(
        "max_length", 512, lambda t: not _storage_account(t), "name", "The tag name has a limit of 512 characters."
    ),
    _TagRule(
        "max_length", 128, _storage_account, "name", "For storage accounts, the tag name has a limit of 128 characters."
    ),
    _TagRule("max_length", 256, lambda t: True, "value", "The tag value has a limit of 256 characters."),
    _TagRule(
        "forbidden_characters",
        "<>%&\\?/",
        lambda t: True,
        "name",
        "Tag names can't contain these characters: <, >, %, &, \\, ?, /",
    ),
    _TagRule(
        "forbidden_characters",
        "#:",
        _cdn,
        "name",
        "Azure Front Door doesn't support the use of # or : in the tag name.",
    ),
)


# --- loading ------------------------------------------------------------------------------------------------------


def _ml_restclient_parents() -> None:
    """Make `azure.ai.ml._restclient` importable without running azure-ai-ml's own `__init__`.

    azure-ai-ml's package init imports its whole SDK (marshmallow, azure-storage-*, opentelemetry, ...); only the
    vendored ARM REST client (msrest + azure-core) is needed here, so the two parent packages are registered as bare
    packages over their directories.
    """
    if "azure.ai.ml" in sys.modules:
        return
    namespace = importlib.import_module("azure.ai")
    base = os.path.join(next(iter(namespace.__path__)), "ml")
    for name, path in (("azure.ai.ml", base), ("azure.ai.ml._restclient", os.path.join(base, "_restclient"))):
        module = types.ModuleType(name)
        module.__path__ = [path]
        sys.modules[name] = module


@functools.cache
def _models(package: str) -> types.ModuleType:
    if package.startswith("azure.ai.ml."):
        _ml_restclient_parents()
    return importlib.import_module(f"{package}.models")


@functools.cache
def _rules(package: str) -> Mapping[str, Callable[[Any, Any], bool]]:
    """The package's own constraint functions (`Serializer.validation`: rule(value, bound) is True when broken)."""
    models = _models(package)
    for obj in vars(models).values():
        if isinstance(obj, type):
            for klass in obj.__mro__:
                if klass.__name__ == "Model":
                    serializer = getattr(sys.modules[klass.__module__], "Serializer", None)
                    if serializer is not None:
                        return {**serializer.validation, "pattern": _search}
    raise LookupError(f"no Serializer for {package}")


def _search(value: str, pattern: str) -> bool:
    """The spec's `pattern` (search semantics): True when broken."""
    return re.search(pattern, value, re.UNICODE) is None


@dataclass(frozen=True)
class _UrlParam:
    rest: str
    """The REST path parameter (`accountName`)."""
    python: str
    constraints: Mapping[str, Any]


@functools.cache
def _url_params(package: str, ops: str, builder: str) -> tuple[_UrlParam, ...]:
    """The create builder's URL parameters and their constraints, read from its source (`_SERIALIZER.url(...)`)."""
    if package.startswith("azure.ai.ml."):
        _ml_restclient_parents()
    module = importlib.import_module(f"{package}.operations.{ops}")
    tree = ast.parse(inspect.getsource(getattr(module, builder)))
    params: list[_UrlParam] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Dict):
            continue
        for key, value in zip(node.keys, node.values, strict=True):
            if (
                isinstance(key, ast.Constant)
                and isinstance(value, ast.Call)
                and isinstance(value.func, ast.Attribute)
                and value.func.attr == "url"
                and value.args
                and isinstance(value.args[0], ast.Constant)
            ):
                bounds = {
                    kw.arg: ast.literal_eval(kw.value)
                    for kw in value.keywords
                    if kw.arg in ("min_length", "max_length", "pattern", "minimum", "maximum")
                }
                params.append(_UrlParam(str(key.value), str(value.args[0].value), bounds))
    return tuple(p for p in params if p.rest not in ("subscriptionId",))


@functools.cache
def _query_params(package: str, ops: str, builder: str) -> frozenset[str]:
    """The create builder's query parameters (`_SERIALIZER.query("skip_validation", ...)`), camelCased."""
    module = importlib.import_module(f"{package}.operations.{ops}")
    tree = ast.parse(inspect.getsource(getattr(module, builder)))
    return frozenset(
        _camel(str(node.args[0].value))
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "query"
        and node.args
        and isinstance(node.args[0], ast.Constant)
    ) - {"apiVersion"}


def _camel(snake: str) -> str:
    head, *rest = snake.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def _norm(key: str) -> str:
    return re.sub(r"[^0-9a-z]", "", key.lower())


def _last_rest_segment(rest_key: str) -> str:
    return re.split(r"(?<!\\)\.", rest_key)[-1].replace("\\.", ".")


@dataclass(frozen=True)
class _Attr:
    name: str
    rest: str
    type: str
    rules: Mapping[str, Any]
    enum: tuple[str, ...] | None


@functools.cache
def _enums_of(cls: type) -> Mapping[str, tuple[str, ...]]:
    """attribute -> enum members, from the model's `__init__` annotations (`Union[str, "_models.SkuName"]`)."""
    scopes = [sys.modules[cls.__module__], sys.modules[cls.__module__.rsplit(".", 1)[0]]]
    found: dict[str, tuple[str, ...]] = {}
    try:
        signature = inspect.signature(cls)
    except (TypeError, ValueError):
        return found
    for name, parameter in signature.parameters.items():
        for ref in re.findall(r"['\"](?:_models\.)?([A-Za-z_]\w*)['\"]", str(parameter.annotation)):
            for scope in scopes:
                candidate = getattr(scope, ref, None)
                if isinstance(candidate, type) and issubclass(candidate, enum.Enum):
                    found[name] = tuple(str(m.value) for m in candidate)
                    break
    return found


@functools.cache
def _attrs(cls: type) -> tuple[_Attr, ...]:
    enums = _enums_of(cls)
    validation: Mapping[str, Mapping[str, Any]] = getattr(cls, "_validation", {})
    return tuple(
        _Attr(name, desc["key"], desc["type"], validation.get(name, {}), enums.get(name))
        for name, desc in getattr(cls, "_attribute_map", {}).items()
        if desc.get("key")
    )


@functools.cache
def _index(cls: type) -> Mapping[str, _Attr]:
    """Input key (normalised) -> writable attribute: by the REST key's last segment, then by the python name."""
    index: dict[str, _Attr] = {}
    writable = [a for a in _attrs(cls) if not a.rules.get("readonly")]
    for attr in writable:
        index.setdefault(_norm(_last_rest_segment(attr.rest)), attr)
    for attr in writable:
        index.setdefault(_norm(attr.name), attr)
    return index


def _model_class(models: types.ModuleType, type_name: str) -> type | None:
    candidate = getattr(models, type_name, None)
    return candidate if isinstance(candidate, type) and hasattr(candidate, "_attribute_map") else None


def _resolve_subtype(cls: type, data: Mapping[str, Any]) -> type:
    """The concrete class for a discriminated model, by the input's discriminator value (case-insensitive)."""
    models = sys.modules[cls.__module__]
    seen: set[type] = set()
    while cls not in seen:
        seen.add(cls)
        subtypes: Mapping[str, Mapping[str, str]] = getattr(cls, "_subtype_map", None) or {}
        moved = False
        for attr_name, mapping in subtypes.items():
            desc = cls._attribute_map.get(attr_name)  # type: ignore[attr-defined]
            if desc is None:
                continue
            wanted = _norm(_last_rest_segment(desc["key"]))
            value = next((v for k, v in data.items() if _norm(k) in (wanted, _norm(attr_name))), None)
            if not isinstance(value, str):
                continue
            target = mapping.get(value) or next((c for k, c in mapping.items() if k.lower() == value.lower()), None)
            sub = _model_class(models, target) if target else None
            if sub is not None and sub is not cls:
                cls, moved = sub, True
                break
        if not moved:
            break
    return cls


# --- checking -----------------------------------------------------------------------------------------------------


def _has_unknown(value: Any) -> bool:
    if isinstance(value, str):
        return value == wire.UNKNOWN
    if isinstance(value, Mapping):
        return any(_has_unknown(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_unknown(v) for v in value)
    return False


def _reveal(value: Any) -> Any:
    """Unwrap a Pulumi secret envelope ({<sig>: <secret sig>, "value": ...}) where one reaches here."""
    if isinstance(value, Mapping):
        if _SECRET_SIG in value and "value" in value:
            return _reveal(value["value"])
        return {k: _reveal(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_reveal(v) for v in value]
    return value


_RE2_INCOMPATIBLE = re.compile(r"\(\?[=!<]|\\[1-9]")


@dataclass
class _Ctx:
    spec: _Spec
    source: str
    same_version: bool
    rules: Mapping[str, Callable[[Any, Any], bool]]
    models: types.ModuleType
    out: list[Violation]
    unmatched: list[str] = dataclasses.field(default_factory=list)
    """Input keys no model member matched (checked by the contract tests, which demand none in the snapshots)."""

    def phase(self, constraint: str, expected: Any) -> Phase:
        """PREVIEW where azure-native's Check would refuse it too (see the module docstring)."""
        if not self.same_version or constraint == "enum":
            return Phase.UP
        if constraint == "pattern" and _RE2_INCOMPATIBLE.search(str(expected)):
            return Phase.UP
        if constraint in ("required", "min_length", "max_length", "pattern", "minimum", "maximum"):
            return Phase.PREVIEW
        return Phase.UP

    def add(self, input_path: str, path: str, constraint: str, expected: Any, value: Any) -> None:
        self.out.append(
            Violation(
                token=self.spec.token,
                input=input_path,
                path=path,
                constraint=constraint,
                expected=expected,
                value=value,
                source=self.source,
                phase=self.phase(constraint, expected),
            )
        )


def _apply(ctx: _Ctx, rules: Mapping[str, Any], value: Any, input_path: str, path: str) -> None:
    for rule, bound in rules.items():
        check_fn = ctx.rules.get(rule)
        if check_fn is None or value is None:
            continue
        if rule == "pattern" and not isinstance(value, str):
            continue
        if rule in ("minimum", "maximum", "minimum_ex", "maximum_ex", "multiple") and (
            isinstance(value, bool) or not isinstance(value, (int, float))
        ):
            continue
        if rule in ("min_length", "max_length", "min_items", "max_items", "unique") and not isinstance(
            value, (str, list, dict)
        ):
            continue
        try:
            broken = check_fn(value, bound)
        except (re.error, TypeError):
            continue
        if broken:
            ctx.add(input_path, path, rule, bound, value)


def _walk_value(ctx: _Ctx, type_name: str, value: Any, input_path: str, path: str) -> None:
    if value is None or (_has_unknown(value) and not isinstance(value, (Mapping, list))):
        return
    if type_name.startswith("[") and isinstance(value, list):
        for i, item in enumerate(value):
            _walk_value(ctx, type_name[1:-1], item, f"{input_path}[{i}]", f"{path}[{i}]")
    elif type_name.startswith("{") and isinstance(value, Mapping):
        for key, item in value.items():
            _walk_value(ctx, type_name[1:-1], item, f"{input_path}.{key}", f"{path}.{key}")
    elif isinstance(value, Mapping):
        cls = _model_class(ctx.models, type_name)
        if cls is not None:
            _walk_object(ctx, cls, value, input_path, path)


def _walk_object(
    ctx: _Ctx, cls: type, data: Mapping[str, Any], input_prefix: str, path_prefix: str, top: bool = False
) -> None:
    cls = _resolve_subtype(cls, data)
    index = _index(cls)
    given: set[str] = set()
    for key, value in data.items():
        if key.startswith("__"):
            continue
        attr = index.get(_norm(key))
        if attr is None:
            ctx.unmatched.append(f"{input_prefix}.{key}" if input_prefix else key)
            continue
        given.add(attr.name)
        if _has_unknown(value) and not isinstance(value, (Mapping, list)):
            continue
        input_path = f"{input_prefix}.{key}" if input_prefix else key
        path = f"{path_prefix}.{attr.rest.replace(chr(92), '')}"
        _apply(ctx, attr.rules, value, input_path, path)
        if attr.enum is not None:
            items = value if isinstance(value, list) else [value]
            members = {m.lower() for m in attr.enum}
            for i, item in enumerate(items):
                if isinstance(item, str) and item != wire.UNKNOWN and item.lower() not in members:
                    suffix = f"[{i}]" if isinstance(value, list) else ""
                    ctx.add(input_path + suffix, path + suffix, "enum", attr.enum, item)
        _walk_value(ctx, attr.type, value, input_path, path)
    for attr in _attrs(cls):
        rules = attr.rules
        if not rules.get("required") or rules.get("readonly") or rules.get("constant") or attr.name in given:
            continue
        if top and attr.name == "location":
            continue  # azure-native's Check fills location from config or the resource group (applyDefaults)
        if attr.name in getattr(cls, "_subtype_map", {}) or {}:
            continue  # the discriminator: set by the concrete class
        member = _camel(attr.name)
        ctx.add(
            f"{input_prefix}.{member}" if input_prefix else member,
            f"{path_prefix}.{attr.rest.replace(chr(92), '')}",
            "required",
            True,
            None,
        )


def _source(spec: _Spec) -> str:
    dist, package, version = spec.pkg
    where = package if spec.model is None else f"{package}.models.{spec.model}"
    return f"{dist} {where} (api-version {version}; {_NATIVE} sends {spec.native})"


def _check_tags(ctx: _Ctx, tags: Any) -> None:
    if not isinstance(tags, Mapping):
        return
    token = ctx.spec.token
    for rule in _TAG_RULES:
        if not rule.applies(token):
            continue
        if rule.on == "count":
            if len(tags) > rule.expected:
                ctx.out.append(
                    Violation(token, "tags", "tags", rule.constraint, rule.expected, len(tags), _TAG_PAGE, Phase.UP)
                )
            continue
        for name, value in tags.items():
            subject = name if rule.on == "name" else value
            if not isinstance(subject, str) or subject == wire.UNKNOWN:
                continue
            broken = (
                len(subject) > rule.expected
                if rule.constraint == "max_length"
                else any(ch in subject for ch in rule.expected)
            )
            if broken:
                where = f"tags.{name}" if rule.on == "value" else f"tags[{name!r}] (name)"
                ctx.out.append(
                    Violation(
                        token, f"tags.{name}", where, rule.constraint, rule.expected, subject, _TAG_PAGE, Phase.UP
                    )
                )


def check(token: str, inputs: Mapping[str, Any]) -> list[Violation]:
    """Every constraint of the model (and of Microsoft's tag rules) that these inputs break."""
    return _judge(token, inputs).out


def _judge(token: str, inputs: Mapping[str, Any]) -> _Ctx:
    spec = _BY_TOKEN.get(token)
    if spec is None:
        return _Ctx(_SPECS[0], "", False, {}, types.ModuleType("none"), [])
    _, package, version = spec.pkg
    data = {k: _reveal(v) for k, v in inputs.items() if not k.startswith("__")}
    # storage:Blob is a custom resource of azure-native: whether its Check carries the container rules is not known.
    same = version == spec.native and not spec.url_only
    ctx = _Ctx(spec, _source(spec), same, _rules(package), _models(package), [])
    url = _url_params(package, spec.ops, spec.builder)
    url_names = {_camel(p.python) for p in url}
    for param in url:
        name = _camel(param.python)
        value = data.get(name)
        if not isinstance(value, str) or value == wire.UNKNOWN:
            continue
        _apply(ctx, param.constraints, value, name, f"{spec.builder}.{{{param.rest}}}")
    query = _query_params(package, spec.ops, spec.builder)
    body = {k: v for k, v in data.items() if k not in url_names and k not in _PROVIDER_ONLY and k not in query}
    if spec.model is not None:
        cls = getattr(ctx.models, spec.model)
        _walk_object(ctx, cls, body, "", spec.model, top=True)
        if any(a.rest == "tags" for a in _attrs(cls)):
            _check_tags(ctx, data.get("tags"))
    elif not spec.url_only:
        ctx.unmatched += sorted(body)
    return ctx


# --- coverage -----------------------------------------------------------------------------------------------------


def _constraint_names(cls: type, prefix: str = "", seen: frozenset[type] = frozenset()) -> Iterator[str]:
    """Every constraint keyword on a model's writable members and nested members, as `member:keyword`."""
    if cls in seen:
        return
    seen = seen | {cls}
    models = sys.modules[cls.__module__]
    classes = [cls]
    for mapping in (getattr(cls, "_subtype_map", None) or {}).values():
        classes += [c for c in (_model_class(models, n) for n in mapping.values()) if c is not None]
    emitted: set[str] = set()
    for klass in classes:
        for attr in _attrs(klass):
            if attr.rules.get("readonly") or attr.rules.get("constant"):
                continue
            member = f"{prefix}{_last_rest_segment(attr.rest)}"
            for rule in attr.rules:
                if rule != "readonly":
                    emitted.add(f"{member}:{rule}")
            if attr.enum is not None:
                emitted.add(f"{member}:enum")
            inner = attr.type.strip("[]{}")
            nested = _model_class(models, inner)
            if nested is not None:
                emitted.update(_constraint_names(nested, f"{member}.", seen))
    yield from sorted(emitted)


def _pulumi_inputs(token: str) -> tuple[str, ...]:
    """The resource's inputs, from the azure-native Python SDK's Args class (camelCase names)."""
    _, module, name = token.split(":")
    sdk = importlib.import_module(f"pulumi_azure_native.{module}")
    # azure-native names a resource's args `<Name>InitArgs` where `<Name>Args` is taken by an input type.
    args = getattr(sdk, f"{name}InitArgs", None) or getattr(sdk, f"{name}Args")
    names = [getattr(v.fget, "_pulumi_name", k) for k, v in vars(args).items() if isinstance(v, property)]
    return tuple(sorted(names))


@functools.cache
def _coverage(token: str) -> TypeCoverage:
    spec = _BY_TOKEN[token]
    _, package, version = spec.pkg
    url = {_camel(p.python): p for p in _url_params(package, spec.ops, spec.builder)}
    cls = getattr(_models(package), spec.model) if spec.model else None
    fields: list[Field] = []
    for name in _pulumi_inputs(token):
        if name in url and (not spec.url_only or name in spec.url_only):
            param = url[name]
            fields.append(
                Field(
                    name,
                    f"{spec.builder}.{{{param.rest}}}",
                    tuple(sorted(param.constraints)),
                    "" if param.constraints else "the package declares no constraint on it",
                )
            )
            continue
        if name in _PROVIDER_ONLY:
            fields.append(Field(name, None, why=_PROVIDER_ONLY[name]))
            continue
        if name in _query_params(package, spec.ops, spec.builder):
            fields.append(Field(name, None, why=f"a query parameter of {spec.builder}: no constraint in the model"))
            continue
        attr = _index(cls).get(_norm(name)) if cls is not None else None
        if attr is None or spec.url_only:
            why = (
                "a data-plane Put Blob input: no ARM model"
                if spec.url_only
                else "no body"
                if cls is None
                else f"no writable member of {spec.model} at api-version {version} matches it"
            )
            fields.append(Field(name, None, why=why))
            continue
        member = _last_rest_segment(attr.rest)
        own = [f"{member}:{rule}" for rule in attr.rules if rule != "readonly"]
        if attr.enum is not None:
            own.append(f"{member}:enum")
        inner = _model_class(sys.modules[cls.__module__], attr.type.strip("[]{}")) if cls else None
        nested = list(_constraint_names(inner, f"{member}.")) if inner is not None else []
        if attr.rest == "tags":
            nested += [f"tags:{r.on}:{r.constraint}={r.expected} (docs)" for r in _TAG_RULES if r.applies(token)]
        constraints = tuple(sorted(set(own + nested)))
        fields.append(
            Field(
                name,
                f"{spec.model}.{attr.rest.replace(chr(92), '')}",
                constraints,
                "" if constraints else "the model declares no constraint on it",
            )
        )
    name_param = next(reversed(list(url.values())), None) if url else None
    if spec.url_only:
        name_param = url.get("containerName")
    name_rule = (
        f"URL parameter {{{name_param.rest}}}: "
        + (", ".join(f"{k} {v!r}" for k, v in sorted(name_param.constraints.items())) or "no constraint")
        + f" ({spec.pkg[0]} {spec.ops}.{spec.builder})"
        if name_param is not None
        else ""
    )
    return TypeCoverage(token, spec.rest, _source(spec), tuple(fields), name_rule, spec.note)


def coverage() -> list[TypeCoverage]:
    """What is checked of each type, and what is not (with why)."""
    return [_coverage(spec.token) for spec in _SPECS]
