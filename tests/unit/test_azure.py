"""Azure construction under mocks: the exact children, their security settings, rollout, outputs."""

from __future__ import annotations

import asyncio
import hashlib
import importlib
import json
import subprocess
import sys
from collections import Counter
from typing import Any

import pulumi
import pytest
from mlserving_provider.args import DataCapture, ReleaseArgs, Rollout
from mlserving_provider.clouds import azure as azure_backend
from mlserving_provider.clouds.azure import serving as azure_serving
from mlserving_provider.clouds.azure.serving import AzureReadError

from tests import mocks
from tests.unit.conftest import Build

AZ: dict[str, Any] = {"cloud": "azure", "azure": {"location": "westeurope"}}
EMAIL = {**AZ, "monitoring": {"alarmEmail": "ops@example.com"}}
RG = "rg-ml-0a1b2c3d"
ACCOUNT = "ml0a1b2c3d"
APIM = "apim-ml-0a1b2c3d"
KIND = "d68923"  # sha256("Standard_DS3_v2")[:6]
CDN_HOST = "ml-cdn-endpoint-e4fzbzdxajb4acdu.z01.azurefd.net"
ROLE = "/subscriptions/00000000-0000-0000-0000-000000000001/providers/Microsoft.Authorization/roleDefinitions/"
WORKSPACE = "mlw-ml-0a1b2c3d"
IMAGE = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/xgb:1"
GET_MODEL = "azure-native:machinelearningservices:getModelVersion"
GET_ENVIRONMENT = "azure-native:machinelearningservices:getEnvironmentVersion"
GET_DEPLOYMENT = "azure-native:machinelearningservices:getOnlineDeployment"

PLATFORM_CHILDREN = Counter(
    {
        "azure-native:apimanagement:ApiManagementService": 1,
        "azure-native:apimanagement:ApiVersionSet": 1,
        "azure-native:apimanagement:Product": 1,
        "azure-native:apimanagement:ProductPolicy": 1,
        "azure-native:apimanagement:Subscription": 1,
        "azure-native:applicationinsights:Component": 1,
        "azure-native:authorization:RoleAssignment": 5,
        "azure-native:cdn:AFDEndpoint": 1,
        "azure-native:cdn:AFDOrigin": 2,
        "azure-native:cdn:AFDOriginGroup": 2,
        "azure-native:cdn:Profile": 1,
        "azure-native:cdn:Route": 2,
        "azure-native:cdn:Rule": 4,
        "azure-native:cdn:RuleSet": 3,
        "azure-native:eventgrid:EventSubscription": 1,
        "azure-native:eventgrid:SystemTopic": 1,
        "azure-native:eventgrid:SystemTopicEventSubscription": 1,
        "azure-native:eventgrid:Topic": 1,
        "azure-native:keyvault:Vault": 1,
        "azure-native:machinelearningservices:Datastore": 1,
        "azure-native:machinelearningservices:Workspace": 1,
        "azure-native:monitor:ActionGroup": 1,
        "azure-native:operationalinsights:Workspace": 1,
        "azure-native:resources:ResourceGroup": 1,
        "azure-native:storage:BlobContainer": 2,
        "azure-native:storage:BlobServiceProperties": 1,
        "azure-native:storage:ManagementPolicy": 1,
        "azure-native:storage:Queue": 1,
        "azure-native:storage:StorageAccount": 1,
        "mlserving:index:MLServingPlatform": 1,
        "random:index/randomId:RandomId": 1,
        "random:index/randomPassword:RandomPassword": 1,
    }
)
ALL_AT_ONCE_CHILDREN = Counter(
    {
        "azure-native:apimanagement:Api": 1,
        "azure-native:apimanagement:ApiOperation": 2,
        "azure-native:apimanagement:ApiPolicy": 1,
        "azure-native:apimanagement:NamedValue": 1,
        "azure-native:apimanagement:ProductApi": 1,
        "azure-native:machinelearningservices:EnvironmentVersion": 1,
        "azure-native:machinelearningservices:ModelVersion": 1,
        "azure-native:machinelearningservices:OnlineDeployment": 1,
        "azure-native:machinelearningservices:OnlineEndpoint": 1,
        "azure-native:monitor:AutoscaleSetting": 1,
        "azure-native:monitor:MetricAlert": 2,
        # model.tar.gz and its two files unpacked (the conftest model: weights.bin, inference.py).
        "azure-native:storage:Blob": 3,
        "mlserving:index:ModelRelease": 1,
    }
)
# A canary keeps the main deployment and adds the canary deployment, each autoscaled.
CANARY_CHILDREN = ALL_AT_ONCE_CHILDREN + Counter(
    {"azure-native:machinelearningservices:OnlineDeployment": 1, "azure-native:monitor:AutoscaleSetting": 1}
)
V1 = {"name": "fraud-v1", "modelName": "fraud", "version": "1.0.0", "apiVersion": "v1"}
V2 = {
    "name": "fraud-v2",
    "modelName": "fraud",
    "version": "2.0.0",
    "apiVersion": "v2",
    "rollout": {"strategy": "canary", "canaryPercent": 10, "waitSeconds": 300},
    "scaling": {"maxReplicas": 8},
}


def by_name(recorder: mocks.Recorder, typ: str) -> dict[str, dict[str, Any]]:
    return {r.name: r.inputs for r in recorder.of_type(typ)}


def test_platform_children_are_exactly_these(build: Build) -> None:
    recorder, _, _ = build(EMAIL)
    assert Counter(recorder.types()) == PLATFORM_CHILDREN


def test_two_releases_add_exactly_their_children(build: Build) -> None:
    recorder, _, _ = build(EMAIL, [dict(V1), dict(V2)])
    assert Counter(recorder.types()) == PLATFORM_CHILDREN + ALL_AT_ONCE_CHILDREN + CANARY_CHILDREN


def test_storage_account_is_private_tls12_https_only_and_retained(build: Build) -> None:
    recorder, _, _ = build(AZ)
    account = recorder.one("azure-native:storage:StorageAccount").inputs
    assert account["accountName"] == ACCOUNT
    assert (account["kind"], account["minimumTlsVersion"], account["enableHttpsTrafficOnly"]) == (
        "StorageV2",
        "TLS1_2",
        True,
    )
    assert account["allowBlobPublicAccess"] is False
    # The azure-native Blob upload needs the account key; every reader we create uses Entra.
    assert account["allowSharedKeyAccess"] is True
    assert account["defaultToOAuthAuthentication"] is True
    assert account["sasPolicy"] == {"expirationAction": "Block", "sasExpirationPeriod": "1.00:00:00"}
    assert account["allowCrossTenantReplication"] is False
    assert account["encryption"]["requireInfrastructureEncryption"] is True
    options = mocks.monitor().options
    assert options["ml-artifacts"]["retainOnDelete"] is True
    assert options["ml-models"]["retainOnDelete"] is True
    # Deleting a group deletes what is in it: a group we create is kept with the store.
    assert options["ml-rg"]["retainOnDelete"] is True


def test_blob_versioning_soft_delete_private_container_and_expiry(build: Build) -> None:
    recorder, _, _ = build({**AZ, "artifacts": {"noncurrentVersionExpirationDays": 30, "retainOnDelete": False}})
    service = recorder.one("azure-native:storage:BlobServiceProperties").inputs
    assert service["isVersioningEnabled"] is True
    assert service["deleteRetentionPolicy"] == {"enabled": True, "days": 7}
    assert service["containerDeleteRetentionPolicy"] == {"enabled": True, "days": 7}
    models = recorder.one("azure-native:storage:BlobContainer", "ml-models").inputs
    assert (models["containerName"], models["publicAccess"]) == ("models", "None")
    (rule,) = recorder.one("azure-native:storage:ManagementPolicy").inputs["policy"]["rules"]
    assert rule["definition"]["actions"] == {"version": {"delete": {"daysAfterCreationGreaterThan": 30}}}
    assert rule["definition"]["filters"]["prefixMatch"] == ["models/"]
    assert mocks.monitor().options["ml-artifacts"]["retainOnDelete"] is False


def test_front_door_https_only_private_origin_and_cache_ttls(build: Build) -> None:
    recorder, _, _ = build({**AZ, "cdn": {"inferenceCache": {"queryStringKeys": ["text"], "maxTtlSeconds": 600}}})
    profile = recorder.one("azure-native:cdn:Profile").inputs
    assert profile["sku"] == {"name": "Standard_AzureFrontDoor"}
    assert profile["identity"] == {"type": "SystemAssigned"}
    groups = by_name(recorder, "azure-native:cdn:AFDOriginGroup")
    assert groups["ml-cdn-artifacts"]["authentication"] == {
        "type": "SystemAssignedIdentity",
        "scope": "https://storage.azure.com/.default",
    }
    # Managed-identity origin authentication needs an HTTPS health probe (Front Door docs:
    # origin authentication with managed identities).
    assert groups["ml-cdn-artifacts"]["healthProbeSettings"] == {
        "probeProtocol": "Https",
        "probeRequestType": "HEAD",
        "probePath": "/",
        "probeIntervalInSeconds": 255,
    }
    assert "authentication" not in groups["ml-cdn-api"]
    assert "healthProbeSettings" not in groups["ml-cdn-api"]
    origins = by_name(recorder, "azure-native:cdn:AFDOrigin")
    assert origins["ml-cdn-artifacts-origin"]["hostName"] == f"{ACCOUNT}.blob.core.windows.net"
    assert origins["ml-cdn-api-origin"]["hostName"] == f"{APIM}.azure-api.net"
    assert all(o["enforceCertificateNameCheck"] is True for o in origins.values())
    routes = by_name(recorder, "azure-native:cdn:Route")
    artifacts, api = routes["ml-cdn-artifacts-route"], routes["ml-cdn-api-route"]
    assert (artifacts["patternsToMatch"], artifacts["supportedProtocols"], artifacts["httpsRedirect"]) == (
        ["/models/*"],
        ["Http", "Https"],
        "Enabled",
    )
    assert (api["patternsToMatch"], api["supportedProtocols"], api["originPath"]) == (["/*"], ["Https"], "/inference")
    assert artifacts["forwardingProtocol"] == api["forwardingProtocol"] == "HttpsOnly"
    assert api["cacheConfiguration"] == {
        "queryStringCachingBehavior": "IncludeSpecifiedQueryStrings",
        "queryParameters": "text,api-key",
        "compressionSettings": {
            "isCompressionEnabled": True,
            "contentTypesToCompress": ["application/json", "text/plain", "text/csv", "application/xml", "text/xml"],
        },
    }
    # Artifacts are cached per whole URL: a request with a query string (`?comp=blocklist`) never
    # answers for the artifact's own URL. They are gzip already: no compression.
    assert artifacts["cacheConfiguration"] == {
        "queryStringCachingBehavior": "UseQueryString",
        "compressionSettings": {"isCompressionEnabled": False},
    }
    rules = by_name(recorder, "azure-native:cdn:Rule")
    artifact_ttl, storage_version = rules["ml-cdn-artifact-ttl"]["actions"]
    # Front Door's bearer token is accepted by Storage only with a recent x-ms-version.
    assert storage_version == {
        "name": "ModifyRequestHeader",
        "parameters": {
            "typeName": "DeliveryRuleHeaderActionParameters",
            "headerAction": "Overwrite",
            "headerName": "x-ms-version",
            "value": "2024-11-04",
        },
    }
    assert artifact_ttl["parameters"]["cacheConfiguration"] == {
        "cacheBehavior": "OverrideAlways",
        "cacheDuration": "365.00:00:00",
        "queryStringCachingBehavior": "UseQueryString",
        "isCompressionEnabled": "Disabled",
    }
    # A route override that reaches a managed-identity origin group forwards over HTTPS only.
    assert artifact_ttl["parameters"]["originGroupOverride"] == {
        "originGroup": {"id": "ml-cdn-artifacts-id"},
        "forwardingProtocol": "HttpsOnly",
    }
    # A GET without the key in the query is never cached: the cache key must hold the key.
    no_key = rules["ml-cdn-no-cache-without-key"]
    assert (no_key["order"], no_key["matchProcessingBehavior"]) == (1, "Stop")
    assert no_key["conditions"] == [
        {
            "name": "QueryString",
            "parameters": {
                "typeName": "DeliveryRuleQueryStringConditionParameters",
                "operator": "Contains",
                "matchValues": ["api-key="],
                "negateCondition": True,
            },
        }
    ]
    assert no_key["actions"] == [
        {
            "name": "RouteConfigurationOverride",
            "parameters": {"typeName": "DeliveryRuleRouteConfigurationOverrideActionParameters"},
        }
    ]
    (inference_ttl,) = rules["ml-cdn-inference-ttl"]["actions"]
    assert rules["ml-cdn-inference-ttl"]["order"] == 2
    assert inference_ttl["parameters"]["cacheConfiguration"] == {
        "cacheBehavior": "OverrideIfOriginMissing",
        "cacheDuration": "0.00:01:00",
        "queryStringCachingBehavior": "IncludeSpecifiedQueryStrings",
        "queryParameters": "text,api-key",
        "isCompressionEnabled": "Enabled",
    }
    headers = {
        a["parameters"]["headerName"]: a["parameters"]["value"] for a in rules["ml-cdn-security-headers"]["actions"]
    }
    assert headers == {
        "Strict-Transport-Security": "max-age=63072000; includeSubDomains; preload",
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Referrer-Policy": "strict-origin-when-cross-origin",
    }
    grant = recorder.one("azure-native:authorization:RoleAssignment", "ml-cdn-reads-models").inputs
    # Front Door reads blobs but may not list the container (`?restype=container&comp=list`).
    assert grant == {
        "principalId": "ml-cdn-principal",
        "principalType": "ServicePrincipal",
        "roleDefinitionId": ROLE + "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1",
        "scope": "ml-artifacts-id/blobServices/default/containers/models",
        "description": "mlserving ml: Storage Blob Data Reader",
        "condition": "(!(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'}"
        " AND SubOperationMatches{'Blob.List'}))",
        "conditionVersion": "2.0",
    }


def test_front_door_without_api_key_or_inference_cache(build: Build) -> None:
    recorder, _, _ = build(
        {**AZ, "api": {"requireApiKey": False}, "cdn": {"inferenceCache": {"queryStringKeys": ["q"]}}}
    )
    rules = by_name(recorder, "azure-native:cdn:Rule")
    assert "ml-cdn-no-cache-without-key" not in rules
    (ttl,) = rules["ml-cdn-inference-ttl"]["actions"]
    assert ttl["parameters"]["cacheConfiguration"]["queryParameters"] == "q"
    assert rules["ml-cdn-inference-ttl"]["order"] == 1

    recorder, _, _ = build({**AZ, "cdn": {"inferenceCache": {"enabled": False}}})
    assert set(by_name(recorder, "azure-native:cdn:RuleSet")) == {"ml-cdn-security", "ml-cdn-artifact-cache"}
    assert "cacheConfiguration" not in by_name(recorder, "azure-native:cdn:Route")["ml-cdn-api-route"]


def test_cdn_disabled_and_custom_domain(build: Build) -> None:
    recorder, platform, _ = build({**AZ, "cdn": {"enabled": False}})
    assert recorder.of_type("azure-native:cdn:Profile") == []
    assert recorder.of_type("azure-native:authorization:RoleAssignment") != []
    assert "ml-cdn-reads-models" not in by_name(recorder, "azure-native:authorization:RoleAssignment")
    assert mocks.resolve(platform.outputs["artifactBaseUrl"]) == ""
    assert mocks.resolve(platform.outputs["cdnDomainName"]) == ""

    recorder, platform, _ = build({**AZ, "cdn": {"customDomain": "models.example.com"}})
    domain = recorder.one("azure-native:cdn:AFDCustomDomain").inputs
    assert domain["hostName"] == "models.example.com"
    assert domain["tlsSettings"] == {"certificateType": "ManagedCertificate", "minimumTlsVersion": "TLS12"}
    for route in recorder.of_type("azure-native:cdn:Route"):
        assert route.inputs["customDomains"] == [{"id": "ml-cdn-domain-id"}]
    assert mocks.resolve(platform.outputs["artifactBaseUrl"]) == "https://models.example.com/models/"


def test_workspace_key_vault_and_insights(build: Build) -> None:
    recorder, _, _ = build(AZ)
    vault = recorder.one("azure-native:keyvault:Vault").inputs
    assert vault["vaultName"] == "kv-ml-0a1b2c3d"
    assert vault["properties"] == {
        "tenantId": "00000000-0000-0000-0000-000000000002",
        "sku": {"family": "A", "name": "standard"},
        "enableRbacAuthorization": True,
        "enableSoftDelete": True,
        "softDeleteRetentionInDays": 90,
        "enablePurgeProtection": True,
        # The SDK's defaults.
        "enabledForDeployment": False,
        "enabledForDiskEncryption": False,
        "enabledForTemplateDeployment": False,
        "publicNetworkAccess": "enabled",
    }
    insights = recorder.one("azure-native:applicationinsights:Component").inputs
    assert (insights["ingestionMode"], insights["workspaceResourceId"]) == ("LogAnalytics", "ml-logs-id")
    ws = recorder.one("azure-native:machinelearningservices:Workspace").inputs
    assert (ws["workspaceName"], ws["storageAccount"], ws["keyVault"], ws["applicationInsights"]) == (
        "mlw-ml-0a1b2c3d",
        "ml-artifacts-id",
        "ml-vault-id",
        "ml-insights-id",
    )
    assert ws["identity"] == {"type": "SystemAssigned"}
    assert ws["systemDatastoresAuthMode"] == "Identity"
    # Models are registered on a datastore of the artifacts container, read with Entra (no key, no SAS).
    datastore = recorder.one("azure-native:machinelearningservices:Datastore").inputs
    assert datastore == {
        "name": "mlserving_models",
        "properties": {
            "datastoreType": "AzureBlob",
            "accountName": ACCOUNT,
            "containerName": "models",
            "credentials": {"credentialsType": "None"},
            "endpoint": "core.windows.net",
            "protocol": "https",
            "description": "mlserving ml: the model artifacts",
            # The SDK's default: the studio previews data with the user's own identity.
            "serviceDataAccessAuthIdentity": "None",
        },
        "resourceGroupName": RG,
        "workspaceName": "mlw-ml-0a1b2c3d",
    }
    assert recorder.one("azure-native:resources:ResourceGroup").inputs["resourceGroupName"] == RG


def test_api_management_consumption_versions_and_subscription(build: Build) -> None:
    recorder, _, _ = build(EMAIL)
    service = recorder.one("azure-native:apimanagement:ApiManagementService").inputs
    assert (service["serviceName"], service["sku"]) == (APIM, {"name": "Consumption", "capacity": 0})
    assert service["publisherEmail"] == "ops@example.com"
    # TLS 1.0/1.1 off both ways; no caller-side Ssl30 or TripleDes168, which Consumption refuses
    # (hashicorp/terraform-provider-azurerm#8405).
    prefix = "Microsoft.WindowsAzure.ApiManagement.Gateway.Security."
    assert service["customProperties"] == {
        f"{prefix}Protocols.Tls10": "false",
        f"{prefix}Protocols.Tls11": "false",
        f"{prefix}Backend.Protocols.Tls10": "false",
        f"{prefix}Backend.Protocols.Tls11": "false",
        f"{prefix}Backend.Protocols.Ssl30": "false",
    }
    versions = recorder.one("azure-native:apimanagement:ApiVersionSet").inputs
    assert (versions["versionSetId"], versions["versioningScheme"]) == ("inference", "Segment")
    # The key is a subscription to one product, whose policy throttles per key (quota needs product scope).
    product = recorder.one("azure-native:apimanagement:Product").inputs
    assert (product["productId"], product["subscriptionRequired"], product["approvalRequired"], product["state"]) == (
        "mlserving",
        True,
        False,
        "published",
    )
    policy = recorder.one("azure-native:apimanagement:ProductPolicy").inputs
    assert (policy["productId"], policy["format"]) == ("mlserving", "xml")
    assert policy["value"] == (
        '<policies><inbound><base /><rate-limit calls="100" renewal-period="1" /></inbound>'
        "<backend><base /></backend><outbound><base /></outbound><on-error><base /></on-error></policies>"
    )
    subscription = recorder.one("azure-native:apimanagement:Subscription").inputs
    assert (subscription["scope"], subscription["state"]) == ("/products/mlserving", "active")
    # A secret input: pulumi-random's result is secret (additionalSecretOutputs), as in the engine.
    assert subscription["primaryKey"] == mocks.secret_input("generated-api-key-value")


def test_release_v1_all_at_once(build: Build) -> None:
    recorder, _, (release,) = build(AZ, [dict(V1)])
    endpoint = recorder.one("azure-native:machinelearningservices:OnlineEndpoint").inputs
    assert endpoint["endpointName"] == "e0a1b2c3d-fraud-v1"
    assert endpoint["properties"] == {
        "authMode": "Key",
        "publicNetworkAccess": "Enabled",
        "description": "mlserving fraud v1",
    }
    assert endpoint["identity"] == {"type": "SystemAssigned"}
    (deployment,) = recorder.of_type("azure-native:machinelearningservices:OnlineDeployment")
    assert deployment.inputs["deploymentName"] == f"main-{KIND}"
    assert deployment.inputs["sku"] == {"name": "Default", "capacity": 1}
    props = deployment.inputs["properties"]
    assert (props["endpointComputeType"], props["instanceType"], props["modelMountPath"]) == (
        "Managed",
        "Standard_DS3_v2",
        "/opt/ml/model",
    )
    assert (props["model"], props["environmentId"]) == ("fraud-v1-model-id", "fraud-v1-environment-id")
    # Not Azure ML's 1 request at a time and 5 s timeout (429s under load, CPU autoscaling never triggers).
    # (maxQueueWait is the SDK's default, which managed online endpoints ignore.)
    assert props["requestSettings"] == {
        "maxConcurrentRequestsPerInstance": 8,
        "requestTimeout": "PT29S",
        "maxQueueWait": "PT0.5S",
    }
    assert mocks.monitor().options["fraud-v1-main"]["ignoreChanges"] == []
    out = {k: mocks.resolve(v) for k, v in release.outputs.items()}
    sha = out["artifactSha256"]
    blobs = by_name(recorder, "azure-native:storage:Blob")
    assert {n: (b["containerName"], b["blobName"], b["type"]) for n, b in blobs.items()} == {
        "fraud-v1-artifact": ("models", f"fraud/v1/1.0.0/{sha}/model.tar.gz", "Block"),
        # The same files SageMaker unpacks into /opt/ml/model, which Azure ML mounts there.
        "fraud-v1-model-file-inference.py": ("models", f"fraud/v1/1.0.0/{sha}/model/inference.py", "Block"),
        "fraud-v1-model-file-weights.bin": ("models", f"fraud/v1/1.0.0/{sha}/model/weights.bin", "Block"),
    }
    options = mocks.monitor().options
    assert all(options[n]["retainOnDelete"] is True for n in blobs)
    model = recorder.one("azure-native:machinelearningservices:ModelVersion").inputs
    # A positive integer (Azure/azureml-examples#2725); the release version and digest are kept beside it.
    assert (model["name"], model["version"]) == (f"fraud-v1-{sha[:8]}", "1000000")
    assert model["properties"]["tags"] == {"mlserving:version": "1.0.0", "mlserving:sha256": sha}
    assert model["properties"]["properties"] == {"mlserving:version": "1.0.0", "mlserving:sha256": sha}
    # The unpacked files, on the models datastore (the path form Azure ML documents).
    assert model["properties"]["modelUri"] == f"azureml://datastores/mlserving_models/paths/fraud/v1/1.0.0/{sha}/model/"
    environment = recorder.one("azure-native:machinelearningservices:EnvironmentVersion").inputs
    assert environment["properties"]["image"] == "123456789012.dkr.ecr.eu-west-1.amazonaws.com/xgb:1"
    assert environment["properties"]["inferenceConfig"] == {
        "livenessRoute": {"path": "/ping", "port": 8080},
        "readinessRoute": {"path": "/ping", "port": 8080},
        "scoringRoute": {"path": "/invocations", "port": 8080},
    }
    # Registered assets are kept: a frozen main deployment may still serve them.
    assert mocks.monitor().options["fraud-v1-model"]["retainOnDelete"] is True
    assert out == {
        "artifactKey": f"models/fraud/v1/1.0.0/{sha}/model.tar.gz",
        "artifactSha256": sha,
        "artifactUrl": f"https://{CDN_HOST}/models/fraud/v1/1.0.0/{sha}/model.tar.gz",
        "endpointName": "e0a1b2c3d-fraud-v1",
        "invokeUrl": f"https://{APIM}.azure-api.net/inference/v1/predict",
        "cachedInvokeUrl": f"https://{CDN_HOST}/v1/predict",
        "modelVersion": "1.0.0",
        "apiVersion": "v1",
    }


def test_release_api_version_key_and_policy(build: Build) -> None:
    recorder, _, _ = build(AZ, [dict(V1)])
    api = recorder.one("azure-native:apimanagement:Api").inputs
    assert api == {
        "apiId": "inference-v1",
        "displayName": "inference v1",
        "path": "inference",
        "apiVersion": "v1",
        "apiVersionSetId": "ml-api-versions-id",
        "protocols": ["https"],
        "serviceUrl": "https://e0a1b2c3d-fraud-v1.westeurope.inference.ml.azure.com",
        "subscriptionRequired": True,
        "subscriptionKeyParameterNames": {"header": "x-api-key", "query": "api-key"},
        "resourceGroupName": RG,
        "serviceName": APIM,
    }
    operations = {o["method"]: o for o in by_name(recorder, "azure-native:apimanagement:ApiOperation").values()}
    assert set(operations) == {"GET", "POST"}
    assert all(o["urlTemplate"] == "/predict" for o in operations.values())
    key = recorder.one("azure-native:apimanagement:NamedValue")
    assert (key.inputs["namedValueId"], key.inputs["secret"]) == ("endpoint-key-fraud-v1", True)
    assert key.inputs["value"]["value"] == "endpoint-primary-key"
    assert key.inputs["value"]["4dabf18193072939515e22adb298388d"] == "1b47061264138c4ac30d75fd1eb44270"  # a secret
    policy = recorder.one("azure-native:apimanagement:ApiPolicy").inputs
    assert policy["format"] == "xml"
    xml = policy["value"]
    # Throttling is the product's (per key), not the API's.
    assert "<rate-limit" not in xml
    assert "<quota" not in xml
    product_api = recorder.one("azure-native:apimanagement:ProductApi").inputs
    assert (product_api["productId"], product_api["apiId"]) == ("mlserving", "inference-v1")
    assert "<value>Bearer {{endpoint-key-fraud-v1}}</value>" in xml
    assert f'<set-header name="azureml-model-deployment" exists-action="override"><value>main-{KIND}</value>' in xml
    assert '<set-header name="x-api-key" exists-action="delete" />' in xml
    assert '<rewrite-uri template="/score" copy-unmatched-params="false" />' in xml


def test_the_api_calls_the_endpoints_own_scoring_uri(build: Build) -> None:
    """A location written as the portal shows it ("West Europe") is not the URL's region
    (westeurope): the API takes scheme, host and path from the endpoint's `scoringUri` output."""
    recorder, _, _ = build({"cloud": "azure", "azure": {"location": "West Europe"}}, [dict(V1)])
    api = recorder.one("azure-native:apimanagement:Api").inputs
    assert api["serviceUrl"] == "https://e0a1b2c3d-fraud-v1.westeurope.inference.ml.azure.com"
    xml = recorder.one("azure-native:apimanagement:ApiPolicy").inputs["value"]
    assert '<rewrite-uri template="/score" copy-unmatched-params="false" />' in xml


def test_endpoint_key_read_depends_on_the_endpoint_alone(build: Build, monkeypatch: pytest.MonkeyPatch) -> None:
    """The engine answers an invoke with unknown while anything under its dependsOn is not created,
    and a Pulumi YAML program registers the platform component as custom (never given an ID): a
    key read that depended on the platform left the key's NamedValue without a value."""
    # The mock monitor implements no invoke gate; claim one so the SDK sends dependsOn, and record it.
    monkeypatch.setattr(importlib.import_module("pulumi.runtime.invoke"), "monitor_supports_feature", lambda _: True)
    sent: dict[str, list[list[str]]] = {}
    invoke = mocks.EngineLikeMonitor.Invoke

    def recording(self: mocks.EngineLikeMonitor, request: Any) -> Any:
        sent.setdefault(request.tok, []).append(list(request.dependsOn))
        return invoke(self, request)  # type: ignore[no-untyped-call]

    monkeypatch.setattr(mocks.EngineLikeMonitor, "Invoke", recording)
    recorder, _, _ = build(AZ, [dict(V1)])
    endpoint = "azure-native:machinelearningservices:OnlineEndpoint::fraud-v1-endpoint"
    prefix = f"urn:pulumi:{mocks.STACK}::{mocks.PROJECT}::mlserving:index:ModelRelease$"
    assert sent["azure-native:machinelearningservices:listOnlineEndpointKeys"] == [[prefix + endpoint]]
    key = recorder.one("azure-native:apimanagement:NamedValue")
    assert key.inputs["value"]["value"] == "endpoint-primary-key"


def test_release_v2_canary_splits_traffic_and_freezes_main(build: Build) -> None:
    recorder, _, _ = build(AZ, [dict(V1), dict(V2)])
    deployments = by_name(recorder, "azure-native:machinelearningservices:OnlineDeployment")
    assert set(deployments) == {"fraud-v1-main", "fraud-v2-main", "fraud-v2-canary"}
    assert deployments["fraud-v2-canary"]["deploymentName"] == f"canary-{KIND}"
    assert deployments["fraud-v2-main"]["deploymentName"] == f"main-{KIND}"
    options = mocks.monitor().options
    assert options["fraud-v2-main"]["ignoreChanges"] == [
        "properties.model",
        "properties.environmentId",
        "properties.environmentVariables",
        "tags",
    ]
    assert options["fraud-v2-canary"]["ignoreChanges"] == []
    policies = by_name(recorder, "azure-native:apimanagement:ApiPolicy")
    split = "<value>@(new Random().Next(100) &lt; 10 ? &quot;canary-d68923&quot; : &quot;main-d68923&quot;)</value>"
    assert split in policies["fraud-v2-api-policy"]["value"]
    assert "Random" not in policies["fraud-v1-api-policy"]["value"]


def test_autoscale_profile_cpu_rules_and_cooldowns(build: Build) -> None:
    recorder, _, _ = build(AZ, [dict(V1), dict(V2)])
    settings = by_name(recorder, "azure-native:monitor:AutoscaleSetting")
    assert set(settings) == {"fraud-v1-main-autoscale", "fraud-v2-main-autoscale", "fraud-v2-canary-autoscale"}
    v1 = settings["fraud-v1-main-autoscale"]
    assert (v1["targetResourceUri"], v1["enabled"]) == ("fraud-v1-main-id", True)
    (profile,) = v1["profiles"]
    assert profile["capacity"] == {"minimum": "1", "maximum": "4", "default": "1"}
    out, scale_in = profile["rules"]
    trigger = {
        "metricName": "CpuUtilizationPercentage",
        "metricNamespace": "Microsoft.MachineLearningServices/workspaces/onlineEndpoints/deployments",
        "metricResourceUri": "fraud-v1-main-id",
        "statistic": "Average",
        "timeAggregation": "Average",
        "timeGrain": "PT1M",
        "timeWindow": "PT5M",
    }
    assert out == {
        "metricTrigger": {**trigger, "operator": "GreaterThan", "threshold": 70},
        "scaleAction": {"direction": "Increase", "type": "ChangeCount", "value": "1", "cooldown": "PT1M"},
    }
    assert scale_in == {
        "metricTrigger": {**trigger, "operator": "LessThan", "threshold": 35},
        "scaleAction": {"direction": "Decrease", "type": "ChangeCount", "value": "1", "cooldown": "PT5M"},
    }
    (v2,) = settings["fraud-v2-canary-autoscale"]["profiles"]
    assert v2["capacity"] == {"minimum": "1", "maximum": "8", "default": "1"}


def test_request_settings_reach_every_deployment(build: Build) -> None:
    settings = {"maxConcurrentRequestsPerInstance": 2, "requestTimeoutMs": 90500}
    recorder, _, _ = build(AZ, [{**V2, "requestSettings": settings}])
    deployments = by_name(recorder, "azure-native:machinelearningservices:OnlineDeployment")
    assert set(deployments) == {"fraud-v2-main", "fraud-v2-canary"}
    for deployment in deployments.values():
        assert deployment["properties"]["requestSettings"] == {
            "maxConcurrentRequestsPerInstance": 2,
            "requestTimeout": "PT1M30.5S",
            "maxQueueWait": "PT0.5S",
        }


@pytest.mark.parametrize(("now", "sent"), [(None, 1), (3, 3), (9, 4)])
def test_an_update_keeps_the_instance_count_autoscaling_set(
    build: Build, monkeypatch: pytest.MonkeyPatch, now: int | None, sent: int
) -> None:
    """An update is a PUT of the whole deployment: `ignore_changes` on `sku.capacity` would send the
    count recorded at creation and shrink a scaled-out deployment to `minReplicas`. The deployment's
    current count is read and sent instead (kept within min/max); a new deployment starts at the minimum."""
    monkeypatch.setattr(mocks.Recorder, "existing_deployments", {} if now is None else {f"main-{KIND}": now})
    recorder, _, _ = build(AZ, [dict(V1)])
    deployment = recorder.one("azure-native:machinelearningservices:OnlineDeployment")
    assert deployment.inputs["sku"] == {"name": "Default", "capacity": sent}
    assert "sku.capacity" not in mocks.monitor().options["fraud-v1-main"]["ignoreChanges"]
    reads = [a for t, a in recorder.calls if t == "azure-native:machinelearningservices:getOnlineDeployment"]
    assert reads == [
        {
            "endpointName": "e0a1b2c3d-fraud-v1",
            "deploymentName": f"main-{KIND}",
            "resourceGroupName": RG,
            "workspaceName": "mlw-ml-0a1b2c3d",
        }
    ]


def test_platform_scaling_reaches_the_autoscale_setting(build: Build) -> None:
    recorder, _, _ = build(
        {
            **AZ,
            "scaling": {
                "minReplicas": 2,
                "maxReplicas": 6,
                "targetCpuPercent": 60,
                "scaleInCooldownSeconds": 600,
                "scaleOutCooldownSeconds": 90,
            },
        },
        [dict(V1)],
    )
    (profile,) = recorder.one("azure-native:monitor:AutoscaleSetting").inputs["profiles"]
    assert profile["capacity"] == {"minimum": "2", "maximum": "6", "default": "2"}
    out, scale_in = profile["rules"]
    assert (out["metricTrigger"]["threshold"], out["scaleAction"]["cooldown"]) == (60, "PT1M30S")
    assert (scale_in["metricTrigger"]["threshold"], scale_in["scaleAction"]["cooldown"]) == (30, "PT10M")
    assert recorder.one("azure-native:machinelearningservices:OnlineDeployment").inputs["sku"]["capacity"] == 2


def test_event_subscription_filter_and_dead_letter(build: Build) -> None:
    recorder, _, _ = build({**AZ, "events": {"archiveRetentionDays": 7}})
    topic = recorder.one("azure-native:eventgrid:Topic").inputs
    assert (topic["topicName"], topic["inputSchema"], topic["minimumTlsVersionAllowed"]) == (
        "ml-events-0a1b2c3d",
        "CloudEventSchemaV1_0",
        "1.2",
    )
    system = recorder.one("azure-native:eventgrid:SystemTopic").inputs
    assert (system["source"], system["topicType"]) == ("ml-artifacts-id", "Microsoft.Storage.StorageAccounts")
    sub = recorder.one("azure-native:eventgrid:SystemTopicEventSubscription").inputs
    # One event per release artifact, as on AWS: not one per unpacked file.
    assert sub["filter"] == {
        "includedEventTypes": ["Microsoft.Storage.BlobCreated"],
        "subjectBeginsWith": "/blobServices/default/containers/models/",
        "subjectEndsWith": "/model.tar.gz",
    }
    delivery = {
        "identity": {"type": "SystemAssigned"},
        "destination": {
            "endpointType": "StorageQueue",
            "resourceId": "ml-artifacts-id",
            "queueName": "release-events",
            "queueMessageTimeToLiveInSeconds": 7 * 86400,
        },
    }
    dead_letter = {
        "identity": {"type": "SystemAssigned"},
        "deadLetterDestination": {
            "endpointType": "StorageBlob",
            "resourceId": "ml-artifacts-id",
            "blobContainerName": "release-events-deadletter",
        },
    }
    assert sub["deliveryWithResourceIdentity"] == delivery
    assert sub["deadLetterWithResourceIdentity"] == dead_letter
    assert sub["retryPolicy"] == {"maxDeliveryAttempts": 30, "eventTimeToLiveInMinutes": 1440}
    custom = recorder.one("azure-native:eventgrid:EventSubscription").inputs
    assert custom["scope"] == "ml-events-id"
    assert (custom["deliveryWithResourceIdentity"], custom["deadLetterWithResourceIdentity"]) == (delivery, dead_letter)
    grants = by_name(recorder, "azure-native:authorization:RoleAssignment")
    assert grants["ml-storage-events-sends"]["scope"] == "ml-artifacts-id/queueServices/default/queues/release-events"
    assert grants["ml-storage-events-sends"]["roleDefinitionId"] == ROLE + "c6a89b2d-59bc-44d0-9896-0f6e12d7b80a"
    assert grants["ml-topic-dead-letters"]["scope"] == (
        "ml-artifacts-id/blobServices/default/containers/release-events-deadletter"
    )


def test_events_without_dead_letter_and_kept_until_read(build: Build) -> None:
    recorder, _, _ = build({**AZ, "events": {"deadLetterQueue": False, "archiveRetentionDays": 0}})
    sub = recorder.one("azure-native:eventgrid:SystemTopicEventSubscription").inputs
    assert "deadLetterWithResourceIdentity" not in sub
    assert sub["deliveryWithResourceIdentity"]["destination"]["queueMessageTimeToLiveInSeconds"] == -1
    assert "ml-release-events-deadletter" not in by_name(recorder, "azure-native:storage:BlobContainer")


def test_action_group_and_release_alerts(build: Build) -> None:
    recorder, _, _ = build(
        {
            **EMAIL,
            "monitoring": {
                "alarmEmail": "ops@example.com",
                "latencyP99ThresholdMs": 250,
                "errorRatePercentThreshold": 2,
            },
        },
        [dict(V1)],
    )
    group = recorder.one("azure-native:monitor:ActionGroup").inputs
    assert group["emailReceivers"] == [
        {"name": "alarm-email", "emailAddress": "ops@example.com", "useCommonAlertSchema": True}
    ]
    assert (group["groupShortName"], group["enabled"]) == ("mlserving", True)
    alerts = by_name(recorder, "azure-native:monitor:MetricAlert")
    for alert in alerts.values():
        assert alert["scopes"] == ["fraud-v1-endpoint-id"]
        assert alert["actions"] == [{"actionGroupId": "ml-alerts-id"}]
        assert (alert["windowSize"], alert["evaluationFrequency"]) == ("PT5M", "PT1M")
    (latency,) = alerts["fraud-v1-p99-latency"]["criteria"]["allOf"]
    assert (latency["metricName"], latency["threshold"], latency["operator"]) == (
        "RequestLatency_P99",
        250,
        "GreaterThan",
    )
    (errors,) = alerts["fraud-v1-5xx"]["criteria"]["allOf"]
    assert (errors["metricName"], errors["threshold"]) == ("RequestsPerMinute", 2)
    assert errors["dimensions"] == [{"name": "statusCodeClass", "operator": "Include", "values": ["5xx"]}]


def test_monitoring_off_makes_no_alerts(build: Build) -> None:
    recorder, platform, _ = build({**AZ, "monitoring": {"enabled": False}}, [dict(V1)])
    assert recorder.of_type("azure-native:monitor:ActionGroup") == []
    assert recorder.of_type("azure-native:monitor:MetricAlert") == []
    assert mocks.resolve(platform.outputs["alarmTopicArn"]) == ""


def test_quota_and_public_api(build: Build) -> None:
    recorder, _, _ = build(
        {**AZ, "api": {"quota": {"limit": 1000, "period": "WEEK"}, "throttleRateLimit": 50}}, [dict(V1)]
    )
    xml = recorder.one("azure-native:apimanagement:ProductPolicy").inputs["value"]
    assert '<rate-limit calls="50" renewal-period="1" /><quota calls="1000" renewal-period="604800" />' in xml

    recorder, platform, _ = build({**AZ, "api": {"requireApiKey": False}}, [dict(V1)])
    assert recorder.of_type("azure-native:apimanagement:Subscription") == []
    assert recorder.of_type("azure-native:apimanagement:Product") == []
    assert recorder.of_type("azure-native:apimanagement:ProductApi") == []
    assert recorder.one("azure-native:apimanagement:Api").inputs["subscriptionRequired"] is False
    assert "<rate-limit" not in recorder.one("azure-native:apimanagement:ApiPolicy").inputs["value"]
    assert mocks.resolve(platform.outputs["apiKey"]) == ""


def test_given_resource_group_is_used_not_created(build: Build) -> None:
    recorder, platform, _ = build(
        {"cloud": "azure", "azure": {"location": "northeurope", "resourceGroupName": "ml-prod"}}
    )
    assert recorder.of_type("azure-native:resources:ResourceGroup") == []
    assert recorder.one("azure-native:storage:StorageAccount").inputs["resourceGroupName"] == "ml-prod"
    assert recorder.one("azure-native:storage:StorageAccount").inputs["location"] == "northeurope"
    assert mocks.resolve(platform.outputs["attachments"])["resourceGroupName"] == "ml-prod"


def test_platform_outputs_and_only_the_api_key_is_secret(build: Build) -> None:
    _, platform, _ = build(EMAIL)
    out = {k: mocks.resolve(v) for k, v in platform.outputs.items()}
    assert {k: v for k, v in out.items() if k != "attachments"} == {
        "cloud": "azure",
        "artifactStoreName": ACCOUNT,
        "artifactBaseUrl": f"https://{CDN_HOST}/models/",
        "cdnDomainName": CDN_HOST,
        "apiBaseUrl": f"https://{APIM}.azure-api.net/inference",
        "apiKey": "generated-api-key-value",
        "eventBusName": "ml-events-0a1b2c3d",
        "releaseEventQueueUrl": f"https://{ACCOUNT}.queue.core.windows.net/release-events",
        "alarmTopicArn": "ml-alerts-id",
    }
    assert [k for k, v in platform.outputs.items() if mocks.is_secret(v)] == ["apiKey"]
    assert set(out["attachments"]) == {
        "resourceGroupName",
        "location",
        "storageAccountName",
        "containerName",
        "workspaceName",
        "modelsDatastore",
        "endpointPrefix",
        "apiServiceName",
        "apiVersionSetId",
        "actionGroupId",
        "tags",
        "settings",
    }
    assert json.loads(out["attachments"]["tags"]) == {"mlserving:platform": "ml"}


def test_release_outputs_hold_no_secret(build: Build) -> None:
    _, _, (release,) = build(AZ, [dict(V1)])
    assert [k for k, v in release.outputs.items() if mocks.is_secret(v)] == []


def test_every_child_is_parented_to_its_component(build: Build) -> None:
    recorder, platform, (release,) = build(AZ, [dict(V1)])
    mocks.assert_parented_to_their_components(recorder, platform, release)


@pytest.mark.parametrize(
    ("change", "same_deployment"),
    [({"version": "1.1.0"}, True), ({"instanceType": "Standard_F4s_v2"}, False)],
)
def test_a_new_version_keeps_the_deployment_a_new_instance_type_does_not(
    build: Build, change: dict[str, str], same_deployment: bool
) -> None:
    recorder, _, _ = build(AZ, [dict(V1)])
    before = recorder.one("azure-native:machinelearningservices:OnlineDeployment").inputs
    recorder, _, _ = build(AZ, [{**V1, **change}])
    after = recorder.one("azure-native:machinelearningservices:OnlineDeployment").inputs
    assert (before["deploymentName"] == after["deploymentName"]) is same_deployment
    assert before["endpointName"] == after["endpointName"]


def test_cloud_sdks_are_imported_only_for_their_cloud() -> None:
    program = (
        "import sys\n"
        "from mlserving_provider import provider, platform, release\n"
        "from mlserving_provider.clouds import backend\n"
        "assert not any(m.startswith(('pulumi_aws', 'pulumi_azure_native')) for m in sys.modules)\n"
        "backend('azure')\n"
        "assert not any(m.startswith('pulumi_aws') for m in sys.modules)\n"
        # azure-native puts a lazy stub of every service in sys.modules; none but ours is loaded.
        "assert 'pulumi_azure_native.compute.virtual_machine' not in sys.modules\n"
        "backend('aws')\n"
        "assert 'pulumi_aws' in sys.modules\n"
    )
    done = subprocess.run([sys.executable, "-c", program], cwd="provider", capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


# ---------------------------------------------------------------- day two (issue 18, Azure 6, 7, 10, 11)


@pytest.mark.parametrize(
    "error",
    [
        'request failed /subscriptions/x/deployments/main: Status=500 Code="InternalServerError" Message="boom"',
        'request failed /subscriptions/x/deployments/main: Status=429 Code="TooManyRequests" Message="slow down"',
        "operation timed out",
    ],
)
def test_a_failed_capacity_read_fails_the_up_naming_the_deployment(
    build: Build, monkeypatch: pytest.MonkeyPatch, error: str
) -> None:
    """Azure 11: only not-found starts a deployment at minReplicas; any other failed read stops the
    `up` (a guess would scale a loaded deployment in)."""
    monkeypatch.setattr(mocks.Recorder, "failing_invokes", {GET_DEPLOYMENT: error})
    with pytest.raises(AzureReadError) as caught:
        build(AZ, [dict(V1)])
    assert str(caught.value) == (
        f"ModelRelease 'fraud-v1': cannot read the instance count of the Azure ML online deployment 'main-{KIND}' "
        f"(endpoint 'e0a1b2c3d-fraud-v1'): invoke of {GET_DEPLOYMENT} failed: invocation of {GET_DEPLOYMENT} "
        f"returned an error: {error}. An update sends the deployment's whole body, its instance count included, "
        "and a guess could scale a loaded deployment in, so the update stops here. Run `pulumi up` again once "
        "the read succeeds."
    )


@pytest.mark.parametrize(
    ("error", "not_found"),
    [
        # azure-native's azcore backend (the default in v3), through the engine and the SDK.
        (
            "invoke of t failed: invocation of t returned an error: request failed /subscriptions/s/x/v/1: "
            'Status=404 Code="ResourceNotFound" Message="not found"',
            True,
        ),
        # An Azure ML 404 with its own error code: the status decides, not the code.
        ('request failed /subscriptions/s/x/v/1: Status=404 Code="UserError" Message="Could not find asset"', True),
        # The legacy autorest backend (PULUMI_ENABLE_AZCORE_BACKEND=false).
        (
            "request failed /subscriptions/s/x: autorest/azure: Service returned an error. Status=404 "
            'Code="ResourceNotFound" Message="not found"',
            True,
        ),
        ('request failed /subscriptions/s/x: Status=4040 Code="X" Message="y"', False),
        ('request failed /subscriptions/s/x: Status=500 Code="X" Message="upstream said Status=404"', False),
        ('request failed /subscriptions/s/x: Status=403 Code="ResourceNotFound" Message="denied"', False),
        ("ResourceNotFound: the online deployment does not exist (deploymentName)", False),
        ('fakecloud (a test double): t: Status=404 Code="ResourceNotFound" Message="gone"', False),
        ("operation timed out", False),
    ],
)
def test_only_azure_natives_404_is_not_found(error: str, not_found: bool) -> None:
    assert azure_serving.is_not_found(Exception(error)) is not_found


@pytest.mark.parametrize("retain", [True, False])
def test_a_releases_blobs_are_kept_whatever_retain_on_delete_says(build: Build, retain: bool) -> None:
    """Azure 10: the same logical blobs hold every version, and a frozen `main` (a canary) or a
    scale-out still reads an older version's files: a release never deletes them. The storage
    account takes them with it when the platform is destroyed with `retainOnDelete: false`."""
    recorder, _, _ = build({**AZ, "artifacts": {"retainOnDelete": retain}}, [dict(V1), dict(V2)])
    options = mocks.monitor().options
    blobs = by_name(recorder, "azure-native:storage:Blob")
    assert len(blobs) == 6
    assert {n: options[n]["retainOnDelete"] for n in blobs} == dict.fromkeys(blobs, True)
    assert options["ml-artifacts"]["retainOnDelete"] is retain


def test_release_resources_whose_name_changes_are_created_before_the_old_is_deleted(build: Build) -> None:
    """Azure 7: azure-native replaces a named resource delete-first unless told otherwise. Every
    release resource whose replacement has a new name (deployments: the instance type is in the
    name; versions, blobs: version and digest; endpoint: model and API version) says false."""
    recorder, _, _ = build(AZ, [dict(V1), dict(V2)])
    options = mocks.monitor().options
    types = (
        "azure-native:machinelearningservices:OnlineDeployment",
        "azure-native:machinelearningservices:OnlineEndpoint",
        "azure-native:machinelearningservices:ModelVersion",
        "azure-native:machinelearningservices:EnvironmentVersion",
        "azure-native:storage:Blob",
    )
    named = [r.name for t in types for r in recorder.of_type(t)]
    assert len(named) == 3 + 2 + 2 + 2 + 6
    assert {n: options[n]["deleteBeforeReplace"] for n in named} == dict.fromkeys(named, False)


def ml_version_id(kind: str, name: str, version: str) -> str:
    return (
        f"/subscriptions/{mocks.SUBSCRIPTION}/resourceGroups/{RG}/providers/Microsoft.MachineLearningServices/"
        f"workspaces/{WORKSPACE}/{kind}/{name}/versions/{version}"
    )


def v1_sha(build: Build) -> str:
    """The digest of the conftest model, as a first deploy of V1 reports it."""
    _, _, (release,) = build(AZ, [dict(V1)])
    return str(mocks.resolve(release.outputs["artifactSha256"]))


def v1_assets(sha: str) -> set[tuple[str, str, str]]:
    """V1's model and environment versions, as the mocks' `existing_versions` holds them."""
    environment = f"1.0.0-{hashlib.sha256(IMAGE.encode()).hexdigest()[:8]}"
    return {("models", f"fraud-v1-{sha[:8]}", "1000000"), ("environments", "fraud-v1", environment)}


BLOB_PREFIX = (
    f"/subscriptions/{mocks.SUBSCRIPTION}/resourceGroups/{RG}/providers/Microsoft.Storage/storageAccounts/{ACCOUNT}"
    "/blobServices/default/containers/models/blobs/"
)
CONTENT_ADDRESSED = ["source", "contentMd5", "contentType", "metadata", "accessTier"]


def test_a_first_deploy_probes_the_versions_and_creates_them(build: Build) -> None:
    """Azure 6: the model and environment versions are looked up by their get invokes; not found
    (azure-native's 404) means create: no `import`, nothing adopted."""
    recorder, _, (release,) = build(AZ, [dict(V1)])
    sha = mocks.resolve(release.outputs["artifactSha256"])
    where = {"resourceGroupName": RG, "workspaceName": WORKSPACE}
    environment = f"1.0.0-{hashlib.sha256(IMAGE.encode()).hexdigest()[:8]}"
    assert [a for t, a in recorder.calls if t == GET_MODEL] == [
        {**where, "name": f"fraud-v1-{sha[:8]}", "version": "1000000"}
    ]
    assert [a for t, a in recorder.calls if t == GET_ENVIRONMENT] == [
        {**where, "name": "fraud-v1", "version": environment}
    ]
    options = mocks.monitor().options
    assert recorder.one("azure-native:machinelearningservices:EnvironmentVersion").inputs["version"] == environment
    for name in ("fraud-v1-model", "fraud-v1-environment"):
        assert options[name]["import"] is None
        # Immutable in Azure ML: the body of a version is never diffed.
        assert options[name]["ignoreChanges"] == ["properties"]
    blobs = by_name(recorder, "azure-native:storage:Blob")
    assert len(blobs) == 3
    for name in blobs:
        assert options[name]["import"] is None
        assert options[name]["ignoreChanges"] == CONTENT_ADDRESSED
    # No subscription lookup for blob ids when nothing is adopted.
    assert [t for t, _ in recorder.calls].count("azure-native:authorization:getClientConfig") == 2


def test_a_revert_adopts_the_versions_and_blobs_azure_keeps(build: Build, monkeypatch: pytest.MonkeyPatch) -> None:
    """Azure 6: 1.0.0 -> 1.1.0 -> 1.0.0. Azure ML kept 1.0.0's model and environment versions (and
    their blobs), and azure-native refuses to create them again: they are imported by the ids
    azure-native gives them (the blobs' with the blob name percent-encoded, as its Create writes it),
    and the deployment serves the adopted model."""
    sha = v1_sha(build)
    monkeypatch.setattr(mocks.Recorder, "existing_versions", v1_assets(sha))
    recorder, _, _ = build(AZ, [dict(V1)])
    options = mocks.monitor().options
    environment = f"1.0.0-{hashlib.sha256(IMAGE.encode()).hexdigest()[:8]}"
    model_id = ml_version_id("models", f"fraud-v1-{sha[:8]}", "1000000")
    assert options["fraud-v1-model"]["import"] == model_id
    assert options["fraud-v1-environment"]["import"] == ml_version_id("environments", "fraud-v1", environment)
    assert {
        n: (o["import"], o["ignoreChanges"])
        for n, o in options.items()
        if n.startswith("fraud-v1-") and n in by_name(recorder, "azure-native:storage:Blob")
    } == {
        "fraud-v1-artifact": (
            f"{BLOB_PREFIX}fraud%2Fv1%2F1.0.0%2F{sha}%2Fmodel.tar.gz",
            [*CONTENT_ADDRESSED, "blobName"],
        ),
        "fraud-v1-model-file-inference.py": (
            f"{BLOB_PREFIX}fraud%2Fv1%2F1.0.0%2F{sha}%2Fmodel%2Finference.py",
            [*CONTENT_ADDRESSED, "blobName"],
        ),
        "fraud-v1-model-file-weights.bin": (
            f"{BLOB_PREFIX}fraud%2Fv1%2F1.0.0%2F{sha}%2Fmodel%2Fweights.bin",
            [*CONTENT_ADDRESSED, "blobName"],
        ),
    }
    deployment = recorder.one("azure-native:machinelearningservices:OnlineDeployment").inputs
    assert deployment["properties"]["model"] == model_id


def test_one_model_and_version_on_two_api_versions_has_blobs_each(build: Build) -> None:
    """The day-two suite's `sentiment` 1.0.0 on v1..v11: the API version, unique on a platform, is in
    every blob name, so the second release's blobs are not refused as existing ("cannot create
    already existing resource") and each model version reads its own files."""
    v2 = {**V1, "name": "fraud-v2", "apiVersion": "v2"}
    recorder, _, releases = build(AZ, [dict(V1), v2])
    sha = mocks.resolve(releases[0].outputs["artifactSha256"])
    assert mocks.resolve(releases[1].outputs["artifactSha256"]) == sha
    blobs = by_name(recorder, "azure-native:storage:Blob")
    assert {n: b["blobName"] for n, b in blobs.items()} == {
        f"fraud-{v}-{suffix}": f"fraud/{v}/1.0.0/{sha}/{path}"
        for v in ("v1", "v2")
        for suffix, path in (
            ("artifact", "model.tar.gz"),
            ("model-file-inference.py", "model/inference.py"),
            ("model-file-weights.bin", "model/weights.bin"),
        )
    }
    models = by_name(recorder, "azure-native:machinelearningservices:ModelVersion")
    assert {n: m["properties"]["modelUri"] for n, m in models.items()} == {
        f"fraud-{v}-model": f"azureml://datastores/mlserving_models/paths/fraud/{v}/1.0.0/{sha}/model/"
        for v in ("v1", "v2")
    }
    assert [mocks.resolve(r.outputs["artifactKey"]) for r in releases] == [
        f"models/fraud/{v}/1.0.0/{sha}/model.tar.gz" for v in ("v1", "v2")
    ]


@pytest.mark.parametrize(
    "model_uri",
    [
        # As a release of provider 0.1.0 registered it (its artifact key had no API version).
        "azureml://datastores/mlserving_models/paths/fraud/1.0.0/{sha}/model/",
        # The form naming the workspace, in case Azure ML answers with it.
        f"azureml://subscriptions/{mocks.SUBSCRIPTION}/resourcegroups/{RG}/workspaces/{WORKSPACE}"
        "/datastores/mlserving_models/paths/fraud/1.0.0/{sha}/model",
    ],
)
def test_a_model_version_registered_before_the_api_version_was_in_the_key_keeps_its_files(
    build: Build, monkeypatch: pytest.MonkeyPatch, model_uri: str
) -> None:
    """Azure ML holds v1's model version, registered by 0.1.0 on `fraud/1.0.0/<sha>/model/` (the next
    `up` after an upgrade, or a revert to it). A version is immutable, so its files stay there: the
    blobs keep those names (their ids are the state's, or the kept blobs are adopted), nothing is
    uploaded again, and the artifact key says where the artifact is."""
    sha = v1_sha(build)
    answer = {
        "id": ml_version_id("models", f"fraud-v1-{sha[:8]}", "1000000"),
        "properties": {"modelUri": model_uri.format(sha=sha)},
    }
    monkeypatch.setattr(mocks.Recorder, "call", _answer(GET_MODEL, answer))
    recorder, _, (release,) = build(AZ, [dict(V1)])
    options = mocks.monitor().options
    blobs = by_name(recorder, "azure-native:storage:Blob")
    assert {n: (b["blobName"], options[n]["import"]) for n, b in blobs.items()} == {
        f"fraud-v1-{suffix}": (
            f"fraud/1.0.0/{sha}/{path}",
            BLOB_PREFIX + f"fraud/1.0.0/{sha}/{path}".replace("/", "%2F"),
        )
        for suffix, path in (
            ("artifact", "model.tar.gz"),
            ("model-file-inference.py", "model/inference.py"),
            ("model-file-weights.bin", "model/weights.bin"),
        )
    }
    assert options["fraud-v1-model"]["import"] == answer["id"]
    out = {k: mocks.resolve(v) for k, v in release.outputs.items()}
    assert (out["artifactKey"], out["artifactUrl"]) == (
        f"models/fraud/1.0.0/{sha}/model.tar.gz",
        f"https://{CDN_HOST}/models/fraud/1.0.0/{sha}/model.tar.gz",
    )


@pytest.mark.parametrize(
    ("model_name", "model_uri", "key"),
    [
        # Registered by this provider: the key with the API version.
        (
            "fraud",
            "azureml://datastores/d/paths/fraud/v1/1.0.0/{sha}/model/",
            "models/fraud/v1/1.0.0/{sha}/model.tar.gz",
        ),
        # Registered by 0.1.0 (either URI form): where it was registered.
        ("fraud", "azureml://datastores/d/paths/fraud/1.0.0/{sha}/model/", "models/fraud/1.0.0/{sha}/model.tar.gz"),
        (
            "fraud",
            "azureml://subscriptions/s/resourcegroups/r/workspaces/w/datastores/d/paths/fraud/1.0.0/{sha}/model",
            "models/fraud/1.0.0/{sha}/model.tar.gz",
        ),
        # A model named like an API version: its key with the API version does not read as 0.1.0's.
        ("v1", "azureml://datastores/d/paths/v1/v1/1.0.0/{sha}/model/", "models/v1/v1/1.0.0/{sha}/model.tar.gz"),
        # Not registered yet, or a URI of another layout: the key with the API version.
        ("fraud", None, "models/fraud/v1/1.0.0/{sha}/model.tar.gz"),
        ("fraud", "azureml://datastores/d/paths/other/model/", "models/fraud/v1/1.0.0/{sha}/model.tar.gz"),
    ],
)
def test_the_artifact_key_follows_the_registered_model_version(
    model_name: str, model_uri: str | None, key: str
) -> None:
    sha = "ab" * 32
    uri = model_uri.format(sha=sha) if model_uri is not None else None
    assert azure_backend.release_artifact_key(model_name, "v1", "1.0.0", sha, uri) == key.format(sha=sha)


def test_an_environment_azure_keeps_is_adopted_beside_a_new_model(
    build: Build, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A new artifact under a kept image: the environment version is adopted, the model and its
    blobs are new (the blobs follow the model version: they exist exactly when it does)."""
    environment = f"1.0.0-{hashlib.sha256(IMAGE.encode()).hexdigest()[:8]}"
    monkeypatch.setattr(mocks.Recorder, "existing_versions", {("environments", "fraud-v1", environment)})
    recorder, _, _ = build(AZ, [dict(V1)])
    options = mocks.monitor().options
    assert options["fraud-v1-environment"]["import"] == ml_version_id("environments", "fraud-v1", environment)
    assert options["fraud-v1-model"]["import"] is None
    assert all(options[n]["import"] is None for n in by_name(recorder, "azure-native:storage:Blob"))


@pytest.mark.parametrize("token", [GET_MODEL, GET_ENVIRONMENT])
def test_a_failed_probe_fails_the_up_before_any_version_or_blob(
    build: Build, monkeypatch: pytest.MonkeyPatch, token: str
) -> None:
    """Azure 6: only not-found means create. Any other failure (here a 403) stops the `up` with the
    version, the workspace and the provider's error, before the release declares a blob or version."""
    sha = v1_sha(build)
    error = 'request failed /subscriptions/x: Status=403 Code="AuthorizationFailed" Message="no read access"'
    monkeypatch.setattr(mocks.Recorder, "failing_invokes", {token: error})
    with pytest.raises(AzureReadError) as caught:
        build(AZ, [dict(V1)])
    assert [n for n in mocks.monitor().options if n.startswith("fraud-v1-")] == []
    what, name, version = (
        ("model", f"fraud-v1-{sha[:8]}", "1000000")
        if token == GET_MODEL
        else ("environment", "fraud-v1", f"1.0.0-{hashlib.sha256(IMAGE.encode()).hexdigest()[:8]}")
    )
    assert str(caught.value) == (
        f"ModelRelease 'fraud-v1': cannot tell whether Azure ML holds the {what} '{name}' version '{version}' "
        f"(workspace '{WORKSPACE}') already: invoke of {token} failed: invocation of {token} returned an error: "
        f"{error}. A version Azure ML keeps must be adopted, not created again (azure-native refuses to create "
        "what exists), so the update stops here. Run `pulumi up` again once the read succeeds."
    )


def test_a_probe_that_finds_no_id_fails_the_up(build: Build, monkeypatch: pytest.MonkeyPatch) -> None:
    """A found version without an id cannot be adopted: the `up` stops rather than create it again."""
    monkeypatch.setattr(mocks.Recorder, "call", _answer(GET_MODEL, {"name": "1000000"}))
    with pytest.raises(AzureReadError, match=r"getModelVersion found the model 'fraud-v1-[0-9a-f]{8}' version "):
        build(AZ, [dict(V1)])


def _answer(token: str, answer: dict[str, Any]) -> Any:
    """A Recorder.call that answers `token` with `answer` and everything else as before."""
    call = mocks.Recorder.call

    def answering(self: mocks.Recorder, args: pulumi.runtime.MockCallArgs) -> Any:
        return answer if args.token == token else call(self, args)

    return answering


def _unknown() -> pulumi.Output[str]:
    """An Output whose value is unknown, as a first preview's platform names are."""
    value: asyncio.Future[str | None] = asyncio.get_event_loop().create_future()
    value.set_result(None)
    known: asyncio.Future[bool] = asyncio.get_event_loop().create_future()
    known.set_result(False)
    secret: asyncio.Future[bool] = asyncio.get_event_loop().create_future()
    secret.set_result(False)
    return pulumi.Output(set(), value, known, secret)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("unknown", "probed"),
    [("workspace", []), ("resourceGroup", []), ("image", [GET_MODEL])],
)
def test_names_unknown_at_construct_time_probe_nothing(unknown: str, probed: list[str]) -> None:
    """A first preview does not know the platform's names (or a built image): nothing is probed for
    what they name, and the versions are declared as new."""
    recorder = mocks.install(preview=True)

    def program() -> azure_serving.Registered:
        parent = pulumi.ComponentResource("test:index:Parent", "parent")
        args = _release_args(image=_unknown() if unknown == "image" else IMAGE)
        placement = azure_serving.Release(
            resource_group_name=_unknown() if unknown == "resourceGroup" else RG,
            location="westeurope",
            workspace_name=_unknown() if unknown == "workspace" else WORKSPACE,
            endpoint_prefix="0a1b2c3d",
        )
        return azure_serving.registered_versions(parent, "fraud-v1", args, placement, "ab" * 32)

    assert mocks.run(program) == azure_serving.Registered()
    assert [t for t, _ in recorder.calls] == probed


def _release_args(image: pulumi.Input[str]) -> ReleaseArgs:
    rollout = Rollout("allAtOnce", 10, 10, 600, True, None)
    return ReleaseArgs(
        pulumi.ComponentResource("test:index:Platform", "platform"),
        "fraud",
        "1.0.0",
        "v1",
        pulumi.StringAsset(""),
        image,
        None,
        None,
        None,
        rollout,
        None,
        DataCapture(False, 100),
        None,
    )


def test_blob_ids_are_written_as_azure_native_creates_them() -> None:
    """crud.PrepareAzureRESTIdAndQuery query-escapes every path value (a space as %20): the id a
    created blob has in the state, which an adopting `import` must equal to be a no-op."""
    assert azure_backend.blob_id("sub", "rg (prod).1", "acct", "models", "a b/c~d_e-f.g+h") == (
        "/subscriptions/sub/resourceGroups/rg%20%28prod%29.1/providers/Microsoft.Storage/storageAccounts/acct"
        "/blobServices/default/containers/models/blobs/a%20b%2Fc~d_e-f.g%2Bh"
    )


# ---------------------------------------------------------------- promises of schema.json (tests/PROMISES.md)


def test_the_default_store_is_versioned_encrypted_retained_and_expires_noncurrent_versions_after_90_days(
    build: Build,
) -> None:
    """artifacts: "Default: versioned, encrypted, retained on delete, noncurrent versions expire after 90 days"."""
    recorder, _, _ = build(AZ)
    service = recorder.one("azure-native:storage:BlobServiceProperties").inputs
    assert service["isVersioningEnabled"] is True
    encryption = recorder.one("azure-native:storage:StorageAccount").inputs["encryption"]
    assert encryption["requireInfrastructureEncryption"] is True
    assert encryption["services"]["blob"] == {"enabled": True, "keyType": "Account"}
    (rule,) = recorder.one("azure-native:storage:ManagementPolicy").inputs["policy"]["rules"]
    assert rule["definition"]["actions"] == {"version": {"delete": {"daysAfterCreationGreaterThan": 90}}}
    options = mocks.monitor().options
    kept = ("ml-rg", "ml-artifacts", "ml-artifacts-blob-service", "ml-models", "ml-artifacts-lifecycle")
    assert {n: options[n]["retainOnDelete"] for n in kept} == dict.fromkeys(kept, True)


@pytest.mark.parametrize("retain", [True, False])
def test_model_and_environment_versions_are_never_deleted_by_pulumi_but_their_workspace_is(
    build: Build, retain: bool
) -> None:
    """ModelRelease: on Azure the model and environment versions a release registers are never deleted
    by Pulumi, whatever `artifacts.retainOnDelete` says; `destroy` deletes the workspace that holds them."""
    recorder, _, _ = build({**AZ, "artifacts": {"retainOnDelete": retain}}, [dict(V1), dict(V2)])
    options = mocks.monitor().options
    versions = [
        r.name
        for t in ("ModelVersion", "EnvironmentVersion")
        for r in recorder.of_type(f"azure-native:machinelearningservices:{t}")
    ]
    assert sorted(versions) == ["fraud-v1-environment", "fraud-v1-model", "fraud-v2-environment", "fraud-v2-model"]
    assert {n: options[n]["retainOnDelete"] for n in versions} == dict.fromkeys(versions, True)
    assert recorder.one("azure-native:machinelearningservices:Workspace").name == "ml-workspace"
    assert options["ml-workspace"]["retainOnDelete"] is False


def test_a_new_instance_type_switches_the_api_to_the_new_deployment_which_it_waits_for(build: Build) -> None:
    """instanceType: on Azure a new instance type is a new deployment on the same endpoint, which API
    Management switches to before the old one is deleted. The API policy routes to the new deployment's
    name and depends on it (the engine updates the policy after the new deployment is created), and the
    deployment is replaced create-first (the engine deletes the old one after its dependents are updated)."""
    recorder, _, _ = build(AZ, [{**V1, "instanceType": "Standard_F4s_v2"}])
    kind = hashlib.sha256(b"Standard_F4s_v2").hexdigest()[:6]
    assert kind != KIND
    (deployment,) = recorder.of_type("azure-native:machinelearningservices:OnlineDeployment")
    assert (deployment.inputs["deploymentName"], deployment.inputs["endpointName"]) == (
        f"main-{kind}",
        "e0a1b2c3d-fraud-v1",
    )
    policy = recorder.one("azure-native:apimanagement:ApiPolicy")
    header = '<set-header name="azureml-model-deployment" exists-action="override"><value>{}</value>'
    assert header.format(f"main-{kind}") in policy.inputs["value"]
    assert header.format(f"main-{KIND}") not in policy.inputs["value"]
    options = mocks.monitor().options
    deployment_urn = (
        "urn:pulumi:stack::project::mlserving:index:ModelRelease"
        "$azure-native:machinelearningservices:OnlineDeployment::fraud-v1-main"
    )
    assert deployment_urn in options[policy.name]["dependencies"]
    assert options[deployment.name]["deleteBeforeReplace"] is False
