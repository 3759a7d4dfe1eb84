"""Secure defaults as policy: rules over the mocked resource graph of every example configuration.

Each rule is a small function over one resource, `(type, inputs) -> [failure, ...]`, or
over the whole graph when it needs two resources at once (a bucket and its encryption
configuration). The graph of every configuration below, on both clouds, must pass every
rule; and every rule is shown to fail on a bad resource, so none of them passes vacuously.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import pulumi
import pytest
from mlserving_provider.platform import MLServingPlatform
from pulumi.runtime import rpc

from tests import mocks
from tests.unit.conftest import Build

Inputs = Mapping[str, Any]
Rule = Callable[[str, Inputs], list[str]]
GraphRule = Callable[[list[mocks.Registered]], list[str]]

# ---------------------------------------------------------------- helpers


def plain(value: Any) -> Any:
    """An input without its secret marker."""
    return rpc.unwrap_rpc_secret(value)


def documents(typ: str, inputs: Inputs) -> Iterator[tuple[str, dict[str, Any]]]:
    """The IAM policy documents a resource carries: (input name, document)."""
    for key in ("policy", "assumeRolePolicy"):
        raw = plain(inputs.get(key))
        if isinstance(raw, str) and raw.strip().startswith("{"):
            yield key, json.loads(raw)
    for inline in plain(inputs.get("inlinePolicies")) or []:
        yield "inlinePolicies", json.loads(inline["policy"])


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def statements(document: Mapping[str, Any]) -> list[dict[str, Any]]:
    return as_list(document.get("Statement", []))


# ---------------------------------------------------------------- rules over one resource

CLOUDFRONT = "aws:cloudfront/distribution:Distribution"
HTTPS_VIEWER_POLICIES = {"redirect-to-https", "https-only"}
# CloudFront sets TLSv1 on its own *.cloudfront.net certificate, whatever is asked:
# TLS 1.2 as the minimum needs `cdn.customDomain` with `cdn.certificateArn`.
# https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_ViewerCertificate.html
DEFAULT_CERTIFICATE_TLS = (
    "viewer TLS minimum is TLSv1 on the default *.cloudfront.net certificate (an AWS limit; "
    "set cdn.customDomain and cdn.certificateArn for TLSv1.2_2021)"
)


def encrypted_at_rest(typ: str, inputs: Inputs) -> list[str]:
    """Storage is encrypted at rest, with KMS where the service offers a choice."""
    if typ == "aws:s3/bucketObjectv2:BucketObjectv2" and inputs.get("serverSideEncryption") != "aws:kms":
        return [f"object is not SSE-KMS encrypted (serverSideEncryption={inputs.get('serverSideEncryption')!r})"]
    if typ == "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration":
        rules = inputs.get("rules") or []
        algorithms = [r.get("applyServerSideEncryptionByDefault", {}).get("sseAlgorithm") for r in rules]
        if not algorithms or any(a not in ("aws:kms", "aws:kms:dsse") for a in algorithms):
            return [f"bucket default encryption is not SSE-KMS (got {algorithms})"]
    if typ == "aws:sns/topic:Topic" and not inputs.get("kmsMasterKeyId"):
        return ["topic is not encrypted (no kmsMasterKeyId)"]
    if typ == "aws:sqs/queue:Queue" and not (inputs.get("sqsManagedSseEnabled") or inputs.get("kmsMasterKeyId")):
        return ["queue is not encrypted (neither sqsManagedSseEnabled nor kmsMasterKeyId)"]
    if typ == "azure-native:storage:StorageAccount":
        services = (inputs.get("encryption") or {}).get("services") or {}
        if not (services.get("blob") or {}).get("enabled"):
            return ["storage account does not encrypt blobs"]
    return []


def tls_only(typ: str, inputs: Inputs) -> list[str]:
    """No plain HTTP reaches anything, and TLS is 1.2 or later."""
    out: list[str] = []
    if typ == CLOUDFRONT:
        behaviours = [inputs.get("defaultCacheBehavior", {}), *(inputs.get("orderedCacheBehaviors") or [])]
        for b in behaviours:
            if b.get("viewerProtocolPolicy") not in HTTPS_VIEWER_POLICIES:
                out.append(f"behaviour {b.get('pathPattern', 'default')} allows HTTP ({b.get('viewerProtocolPolicy')})")
        for origin in inputs.get("origins") or []:
            custom = origin.get("customOriginConfig")
            if custom and (
                custom.get("originProtocolPolicy") != "https-only" or custom.get("originSslProtocols") != ["TLSv1.2"]
            ):
                out.append(f"origin {origin.get('originId')} is not HTTPS-only with TLSv1.2 ({custom})")
        cert = inputs.get("viewerCertificate") or {}
        if cert.get("cloudfrontDefaultCertificate"):
            out.append(DEFAULT_CERTIFICATE_TLS)
        elif not str(cert.get("minimumProtocolVersion", "")).startswith("TLSv1.2_"):
            out.append(f"viewer TLS minimum is {cert.get('minimumProtocolVersion')!r}, not TLSv1.2")
    if typ == "azure-native:storage:StorageAccount":
        if inputs.get("minimumTlsVersion") != "TLS1_2":
            out.append(f"storage minimum TLS is {inputs.get('minimumTlsVersion')!r}")
        if inputs.get("enableHttpsTrafficOnly") is not True:
            out.append("storage accepts plain HTTP (enableHttpsTrafficOnly is not true)")
    if typ == "azure-native:cdn:Route":
        if inputs.get("forwardingProtocol") != "HttpsOnly":
            out.append(f"route forwards with {inputs.get('forwardingProtocol')!r}, not HttpsOnly")
        if "Http" in (inputs.get("supportedProtocols") or []) and inputs.get("httpsRedirect") != "Enabled":
            out.append("route serves plain HTTP without redirecting to HTTPS")
    # Front Door's managed-identity origin authentication needs an HTTPS health probe, and HTTPS-only
    # forwarding in routes and in every route override that names an origin group.
    # https://learn.microsoft.com/azure/frontdoor/origin-authentication-with-managed-identities
    if typ == "azure-native:cdn:AFDOriginGroup" and inputs.get("authentication"):
        probe = (inputs.get("healthProbeSettings") or {}).get("probeProtocol")
        if probe != "Https":
            out.append(f"origin group with origin authentication probes with {probe!r}, not Https")
    if typ == "azure-native:cdn:Rule":
        for action in inputs.get("actions") or []:
            override = (action.get("parameters") or {}).get("originGroupOverride")
            if override is not None and override.get("forwardingProtocol") != "HttpsOnly":
                out.append(f"route override forwards with {override.get('forwardingProtocol')!r}, not HttpsOnly")
    custom_domain = typ == "azure-native:cdn:AFDCustomDomain"
    if custom_domain and (inputs.get("tlsSettings") or {}).get("minimumTlsVersion") != "TLS12":
        out.append(f"custom domain TLS is {inputs.get('tlsSettings')}")
    if typ == "azure-native:apimanagement:Api" and inputs.get("protocols") != ["https"]:
        out.append(f"API accepts {inputs.get('protocols')}, not HTTPS only")
    if typ == "azure-native:eventgrid:Topic" and inputs.get("minimumTlsVersionAllowed") != "1.2":
        out.append(f"topic minimum TLS is {inputs.get('minimumTlsVersionAllowed')!r}")
    return out


def not_public(typ: str, inputs: Inputs) -> list[str]:
    """No bucket, object or container is readable by the public."""
    out: list[str] = []
    if typ == "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock":
        flags = ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")
        off = [f for f in flags if inputs.get(f) is not True]
        if off:
            out.append(f"public access block leaves {off} off")
    if typ.startswith("aws:s3/") and str(inputs.get("acl", "")).startswith("public"):
        out.append(f"public ACL {inputs['acl']!r}")
    for key, document in documents(typ, inputs):
        if key == "assumeRolePolicy":
            continue
        for s in statements(document):
            principal = s.get("Principal")
            anyone = principal == "*" or (isinstance(principal, dict) and "*" in as_list(principal.get("AWS")))
            if s.get("Effect") == "Allow" and anyone and not s.get("Condition"):
                out.append(f"{key} allows anyone: {s.get('Sid', s)}")
    if typ == "azure-native:storage:StorageAccount" and inputs.get("allowBlobPublicAccess") is not False:
        out.append("storage account allows public blob access")
    if typ == "azure-native:storage:BlobContainer" and inputs.get("publicAccess") not in (None, "None"):
        out.append(f"container {inputs.get('containerName')} is public ({inputs.get('publicAccess')})")
    return out


def origin_access_control(typ: str, inputs: Inputs) -> list[str]:
    """CloudFront reads S3 with an origin access control, never the legacy identity (OAI)."""
    if typ == "aws:cloudfront/originAccessIdentity:OriginAccessIdentity":
        return ["an origin access identity (OAI) exists: use an origin access control (OAC)"]
    out: list[str] = []
    if typ == CLOUDFRONT:
        for origin in inputs.get("origins") or []:
            if (origin.get("s3OriginConfig") or {}).get("originAccessIdentity"):
                out.append(f"origin {origin.get('originId')} uses an OAI")
            if ".s3." in str(origin.get("domainName")) and not origin.get("originAccessControlId"):
                out.append(f"S3 origin {origin.get('originId')} has no origin access control")
    return out


# Owner, Contributor, User Access Administrator: never granted by this package.
AZURE_BROAD_ROLES = (
    "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
    "b24988ac-6180-42a0-ab88-20f7382dd24c",
    "18d7d88d-d35e-4fb5-a5c3-7773c4a72d9d",
)


def no_wildcard_grants(typ: str, inputs: Inputs) -> list[str]:
    """No IAM statement allows `*` actions on `*` resources; no broad Azure role is assigned."""
    out: list[str] = []
    for key, document in documents(typ, inputs):
        for s in statements(document):
            if s.get("Effect") != "Allow":
                continue
            any_action = "*" in as_list(s.get("Action", [])) or "NotAction" in s
            any_resource = "*" in as_list(s.get("Resource", [])) or "NotResource" in s
            if any_action and any_resource:
                out.append(f"{key} statement {s.get('Sid', '')!r} allows every action on every resource")
    if typ == "azure-native:authorization:RoleAssignment":
        role = str(plain(inputs.get("roleDefinitionId", "")))
        if role.endswith(AZURE_BROAD_ROLES):
            out.append(f"assigns a broad built-in role ({role.rsplit('/', 1)[-1]})")
        if str(plain(inputs.get("scope", ""))).rstrip("/").count("/") <= 2:
            out.append(f"assigns a role at subscription scope ({inputs.get('scope')})")
    return out


# Inputs that hold a credential, by resource type.
SECRET_INPUTS = {
    "aws:apigateway/apiKey:ApiKey": ("value",),
    "azure-native:apimanagement:Subscription": ("primaryKey", "secondaryKey"),
    "azure-native:apimanagement:NamedValue": ("value",),
}


def secrets_are_secret(typ: str, inputs: Inputs) -> list[str]:
    """API keys and endpoint keys are marked secret wherever they are passed."""
    out = [
        f"{key} is not marked secret"
        for key in SECRET_INPUTS.get(typ, ())
        if key in inputs and not rpc.is_rpc_secret(inputs[key])
    ]
    if typ == "azure-native:apimanagement:NamedValue" and inputs.get("secret") is not True:
        out.append("named value is not a secret named value (secret is not true)")
    return out


RULES: list[Rule] = [
    encrypted_at_rest,
    tls_only,
    not_public,
    origin_access_control,
    no_wildcard_grants,
    secrets_are_secret,
]

# ---------------------------------------------------------------- rules over the graph

BUCKET = "aws:s3/bucket:Bucket"


def _per_bucket(graph: list[mocks.Registered], typ: str, check: Callable[[Inputs], bool], what: str) -> list[str]:
    covered = {str(r.inputs.get("bucket")) for r in graph if r.typ == typ and check(r.inputs)}
    return [f"bucket {b.name} has no {what}" for b in graph if b.typ == BUCKET and f"{b.name}-id" not in covered]


def every_bucket_is_encrypted(graph: list[mocks.Registered]) -> list[str]:
    return _per_bucket(
        graph,
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        lambda i: (
            not encrypted_at_rest(
                "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", i
            )
        ),
        "SSE-KMS default encryption",
    )


def every_bucket_blocks_public_access(graph: list[mocks.Registered]) -> list[str]:
    typ = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
    return _per_bucket(graph, typ, lambda i: not not_public(typ, i), "complete public access block")


def every_bucket_denies_plain_http(graph: list[mocks.Registered]) -> list[str]:
    def denies(inputs: Inputs) -> bool:
        return any(
            s.get("Effect") == "Deny" and s.get("Condition") == {"Bool": {"aws:SecureTransport": "false"}}
            for _, document in documents("aws:s3/bucketPolicy:BucketPolicy", inputs)
            for s in statements(document)
        )

    return _per_bucket(graph, "aws:s3/bucketPolicy:BucketPolicy", denies, "policy denying plain HTTP")


def no_secret_in_plain_text(graph: list[mocks.Registered]) -> list[str]:
    """A credential never appears in an input that is not marked secret (a policy, a tag, a URL)."""
    values = {plain(r.inputs[k]) for r in graph for k in SECRET_INPUTS.get(r.typ, ()) if k in r.inputs}
    values.discard("")
    out: list[str] = []

    def walk(where: str, value: Any) -> None:
        if rpc.is_rpc_secret(value):
            return
        if isinstance(value, Mapping):
            for k, v in value.items():
                walk(f"{where}.{k}", v)
        elif isinstance(value, list):
            for i, v in enumerate(value):
                walk(f"{where}[{i}]", v)
        elif isinstance(value, str) and any(secret in value for secret in values):
            out.append(f"{where} holds a credential in plain text")

    for r in graph:
        walk(f"{r.typ} {r.name}", r.inputs)
    return out


GRAPH_RULES: list[GraphRule] = [
    every_bucket_is_encrypted,
    every_bucket_blocks_public_access,
    every_bucket_denies_plain_http,
    no_secret_in_plain_text,
]

# Failures that are limits of a cloud, not choices of this package: (rule, message).
KNOWN_LIMITS = {("tls_only", CLOUDFRONT, DEFAULT_CERTIFICATE_TLS)}


def violations(graph: list[mocks.Registered]) -> list[tuple[str, str, str]]:
    """Every (rule, resource, failure) of a graph."""
    found = [(rule.__name__, f"{r.typ} {r.name}", f) for r in graph for rule in RULES for f in rule(r.typ, r.inputs)]
    found += [(rule.__name__, "graph", f) for rule in GRAPH_RULES for f in rule(graph)]
    return found


# ---------------------------------------------------------------- the example configurations

AZ: dict[str, Any] = {"cloud": "azure", "azure": {"location": "westeurope"}}
EXAMPLE_PLATFORM: dict[str, Any] = {
    "tags": {"team": "ml-platform"},
    "cdn": {"inferenceCache": {"queryStringKeys": ["text"], "defaultTtlSeconds": 60}},
    "api": {"throttleRateLimit": 50, "throttleBurstLimit": 100},
    "monitoring": {"alarmEmail": "ops@example.com"},
}
V1: dict[str, Any] = {"name": "sentiment-v1", "modelName": "sentiment", "version": "1.0.0", "apiVersion": "v1"}
V2: dict[str, Any] = {
    "name": "sentiment-v2",
    "modelName": "sentiment",
    "version": "2.0.0",
    "apiVersion": "v2",
    "rollout": {"strategy": "canary", "canaryPercent": 10, "waitSeconds": 300},
    "scaling": {"maxReplicas": 8},
}
# Azure cannot roll back on an alarm; its examples say so.
V2_AZURE = {**V2, "rollout": {**V2["rollout"], "autoRollback": False}}
CERT = "arn:aws:acm:us-east-1:123456789012:certificate/abc"

CONFIGURATIONS: dict[str, tuple[dict[str, Any], list[dict[str, Any]]]] = {
    "aws-example": (EXAMPLE_PLATFORM, [V1, V2]),
    "aws-defaults": ({}, [V1]),
    "aws-serverless": ({}, [{**V1, "serverless": {"memorySizeMb": 2048, "maxConcurrency": 5}}]),
    "aws-cdn-disabled": ({"cdn": {"enabled": False}}, [V1]),
    "aws-events-disabled": ({"events": {"enabled": False}}, [V1]),
    "aws-monitoring-disabled": ({"monitoring": {"enabled": False}}, [V1]),
    "aws-no-api-key": ({"api": {"requireApiKey": False}}, [V1]),
    "aws-data-capture": ({}, [{**V1, "dataCapture": {"enabled": True, "samplingPercent": 20}}]),
    "aws-customer-key": ({"artifacts": {"kmsKeyArn": "arn:aws:kms:eu-west-1:123456789012:key/own"}}, [V1]),
    "aws-not-retained": ({"artifacts": {"retainOnDelete": False}}, [V1]),
    "aws-custom-domain": (
        {
            "cdn": {
                "customDomain": "models.example.com",
                "certificateArn": CERT,
                "webAclArn": "arn:aws:wafv2:us-east-1:123456789012:global/webacl/ml/1",
                "geoRestriction": {"restrictionType": "deny", "locations": ["KP"]},
            }
        },
        [V1],
    ),
    "azure-example": ({**AZ, **EXAMPLE_PLATFORM}, [V1, V2_AZURE]),
    "azure-defaults": (AZ, [V1]),
    "azure-cdn-disabled": ({**AZ, "cdn": {"enabled": False}}, [V1]),
    "azure-events-disabled": ({**AZ, "events": {"enabled": False}}, [V1]),
    "azure-monitoring-disabled": ({**AZ, "monitoring": {"enabled": False}}, [V1]),
    "azure-no-api-key": ({**AZ, "api": {"requireApiKey": False}}, [V1]),
    "azure-custom-domain": ({**AZ, "cdn": {"customDomain": "models.example.com"}}, [V1]),
    "azure-not-retained": ({**AZ, "artifacts": {"retainOnDelete": False}}, [V1]),
}


def _releases(specs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    # conftest's build pops "name": give it copies.
    return [dict(spec) for spec in specs]


@pytest.mark.parametrize("name", sorted(CONFIGURATIONS))
def test_every_example_configuration_passes_every_rule(build: Build, name: str) -> None:
    platform, releases = CONFIGURATIONS[name]
    recorder, built, _ = build(dict(platform), _releases(releases))
    cloud = "azure" if name.startswith("azure") else "aws"
    assert any(r.typ.startswith("azure-native:" if cloud == "azure" else "aws:") for r in recorder.resources)
    found = violations(recorder.resources)
    unexpected = [v for v in found if (v[0], v[1].split(" ")[0], v[2]) not in KNOWN_LIMITS]
    assert unexpected == []
    # The platform's API key output is a secret wherever there is one.
    assert mocks.is_secret(built.outputs["apiKey"])


def test_the_only_known_limit_is_the_default_cloudfront_certificate(build: Build) -> None:
    """It shows up exactly when the CDN runs on *.cloudfront.net, and goes with a custom domain."""
    recorder, _, _ = build({}, [])
    assert [v[2] for v in violations(recorder.resources)] == [DEFAULT_CERTIFICATE_TLS]
    recorder, _, _ = build(dict(CONFIGURATIONS["aws-custom-domain"][0]), [])
    assert violations(recorder.resources) == []


def test_the_rules_saw_what_they_judge(build: Build) -> None:
    """The configurations hold every kind of resource the rules look at (no vacuous pass)."""
    seen: set[str] = set()
    for name in ("aws-example", "azure-example", "aws-custom-domain", "azure-custom-domain"):
        platform, releases = CONFIGURATIONS[name]
        recorder, _, _ = build(dict(platform), _releases(releases))
        seen |= {r.typ for r in recorder.resources}
    judged = {
        "aws:s3/bucket:Bucket",
        "aws:s3/bucketObjectv2:BucketObjectv2",
        "aws:s3/bucketPolicy:BucketPolicy",
        "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        "aws:sns/topic:Topic",
        "aws:sqs/queue:Queue",
        "aws:iam/role:Role",
        "aws:iam/rolePolicy:RolePolicy",
        "aws:kms/keyPolicy:KeyPolicy",
        "aws:sqs/queuePolicy:QueuePolicy",
        CLOUDFRONT,
        "aws:apigateway/apiKey:ApiKey",
        "azure-native:storage:StorageAccount",
        "azure-native:storage:BlobContainer",
        "azure-native:cdn:Route",
        "azure-native:cdn:AFDOriginGroup",
        "azure-native:cdn:Rule",
        "azure-native:cdn:AFDCustomDomain",
        "azure-native:apimanagement:Api",
        "azure-native:apimanagement:Subscription",
        "azure-native:apimanagement:NamedValue",
        "azure-native:eventgrid:Topic",
        "azure-native:authorization:RoleAssignment",
    }
    assert judged - seen == set()


# ---------------------------------------------------------------- every rule can fail

SECRET = {rpc._special_sig_key: rpc._special_secret_sig, "value": "k"}
STAR = json.dumps({"Statement": [{"Sid": "All", "Effect": "Allow", "Action": "*", "Resource": "*"}]})
PUBLIC = json.dumps({"Statement": [{"Sid": "Anyone", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject"}]})

BAD_RESOURCES: list[tuple[Rule, str, dict[str, Any], str]] = [
    (
        encrypted_at_rest,
        "aws:s3/bucketObjectv2:BucketObjectv2",
        {"serverSideEncryption": "AES256"},
        "object is not SSE-KMS encrypted (serverSideEncryption='AES256')",
    ),
    (
        encrypted_at_rest,
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        {"rules": [{"applyServerSideEncryptionByDefault": {"sseAlgorithm": "AES256"}}]},
        "bucket default encryption is not SSE-KMS (got ['AES256'])",
    ),
    (encrypted_at_rest, "aws:sns/topic:Topic", {}, "topic is not encrypted (no kmsMasterKeyId)"),
    (
        encrypted_at_rest,
        "aws:sqs/queue:Queue",
        {"sqsManagedSseEnabled": False},
        "queue is not encrypted (neither sqsManagedSseEnabled nor kmsMasterKeyId)",
    ),
    (
        encrypted_at_rest,
        "azure-native:storage:StorageAccount",
        {"encryption": {"services": {"blob": {"enabled": False}}}},
        "storage account does not encrypt blobs",
    ),
    (
        tls_only,
        CLOUDFRONT,
        {
            "defaultCacheBehavior": {"viewerProtocolPolicy": "allow-all"},
            "viewerCertificate": {"acmCertificateArn": CERT, "minimumProtocolVersion": "TLSv1.2_2021"},
        },
        "behaviour default allows HTTP (allow-all)",
    ),
    (
        tls_only,
        CLOUDFRONT,
        {
            "defaultCacheBehavior": {"viewerProtocolPolicy": "https-only"},
            "viewerCertificate": {"acmCertificateArn": CERT, "minimumProtocolVersion": "TLSv1.1_2016"},
        },
        "viewer TLS minimum is 'TLSv1.1_2016', not TLSv1.2",
    ),
    (
        tls_only,
        CLOUDFRONT,
        {
            "defaultCacheBehavior": {"viewerProtocolPolicy": "https-only"},
            "origins": [{"originId": "api", "customOriginConfig": {"originProtocolPolicy": "match-viewer"}}],
            "viewerCertificate": {"acmCertificateArn": CERT, "minimumProtocolVersion": "TLSv1.2_2021"},
        },
        "origin api is not HTTPS-only with TLSv1.2 ({'originProtocolPolicy': 'match-viewer'})",
    ),
    (
        tls_only,
        "azure-native:storage:StorageAccount",
        {"minimumTlsVersion": "TLS1_0", "enableHttpsTrafficOnly": True},
        "storage minimum TLS is 'TLS1_0'",
    ),
    (
        tls_only,
        "azure-native:storage:StorageAccount",
        {"minimumTlsVersion": "TLS1_2", "enableHttpsTrafficOnly": False},
        "storage accepts plain HTTP (enableHttpsTrafficOnly is not true)",
    ),
    (
        tls_only,
        "azure-native:cdn:Route",
        {"forwardingProtocol": "HttpsOnly", "supportedProtocols": ["Http", "Https"], "httpsRedirect": "Disabled"},
        "route serves plain HTTP without redirecting to HTTPS",
    ),
    (
        tls_only,
        "azure-native:cdn:AFDOriginGroup",
        {"authentication": {"type": "SystemAssignedIdentity"}, "healthProbeSettings": {"probeProtocol": "Http"}},
        "origin group with origin authentication probes with 'Http', not Https",
    ),
    (
        tls_only,
        "azure-native:cdn:AFDOriginGroup",
        {"authentication": {"type": "SystemAssignedIdentity"}},
        "origin group with origin authentication probes with None, not Https",
    ),
    (
        tls_only,
        "azure-native:cdn:Rule",
        {"actions": [{"parameters": {"originGroupOverride": {"forwardingProtocol": "MatchRequest"}}}]},
        "route override forwards with 'MatchRequest', not HttpsOnly",
    ),
    (
        tls_only,
        "azure-native:cdn:Route",
        {"forwardingProtocol": "MatchRequest", "supportedProtocols": ["Https"]},
        "route forwards with 'MatchRequest', not HttpsOnly",
    ),
    (
        tls_only,
        "azure-native:cdn:AFDCustomDomain",
        {"tlsSettings": {"minimumTlsVersion": "TLS10"}},
        "custom domain TLS is {'minimumTlsVersion': 'TLS10'}",
    ),
    (
        tls_only,
        "azure-native:apimanagement:Api",
        {"protocols": ["http", "https"]},
        "API accepts ['http', 'https'], not HTTPS only",
    ),
    (
        tls_only,
        "azure-native:eventgrid:Topic",
        {"minimumTlsVersionAllowed": "1.0"},
        "topic minimum TLS is '1.0'",
    ),
    (
        not_public,
        "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
        {"blockPublicAcls": True, "blockPublicPolicy": False, "ignorePublicAcls": True, "restrictPublicBuckets": True},
        "public access block leaves ['blockPublicPolicy'] off",
    ),
    (not_public, "aws:s3/bucketAclV2:BucketAclV2", {"acl": "public-read"}, "public ACL 'public-read'"),
    (not_public, "aws:s3/bucketPolicy:BucketPolicy", {"policy": PUBLIC}, "policy allows anyone: Anyone"),
    (
        not_public,
        "azure-native:storage:StorageAccount",
        {"allowBlobPublicAccess": True},
        "storage account allows public blob access",
    ),
    (
        not_public,
        "azure-native:storage:BlobContainer",
        {"containerName": "models", "publicAccess": "Blob"},
        "container models is public (Blob)",
    ),
    (
        origin_access_control,
        "aws:cloudfront/originAccessIdentity:OriginAccessIdentity",
        {},
        "an origin access identity (OAI) exists: use an origin access control (OAC)",
    ),
    (
        origin_access_control,
        CLOUDFRONT,
        {
            "origins": [
                {
                    "originId": "artifacts",
                    "domainName": "b.s3.eu-west-1.amazonaws.com",
                    "s3OriginConfig": {"originAccessIdentity": "origin-access-identity/cloudfront/E1"},
                }
            ]
        },
        "origin artifacts uses an OAI",
    ),
    (
        no_wildcard_grants,
        "aws:iam/rolePolicy:RolePolicy",
        {"policy": STAR},
        "policy statement 'All' allows every action on every resource",
    ),
    (
        no_wildcard_grants,
        "aws:iam/role:Role",
        {"inlinePolicies": [{"name": "x", "policy": STAR}]},
        "inlinePolicies statement 'All' allows every action on every resource",
    ),
    (
        no_wildcard_grants,
        "azure-native:authorization:RoleAssignment",
        {
            "roleDefinitionId": "/subscriptions/s/providers/Microsoft.Authorization/roleDefinitions/"
            "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
            "scope": "/subscriptions/s/resourceGroups/rg",
        },
        "assigns a broad built-in role (8e3af657-a8ff-443c-a75c-2fe8c4bcb635)",
    ),
    (
        no_wildcard_grants,
        "azure-native:authorization:RoleAssignment",
        {"roleDefinitionId": "/x/roleDefinitions/2a2b9908-6ea1-4ae2-8e65-a410df84e7d1", "scope": "/subscriptions/s"},
        "assigns a role at subscription scope (/subscriptions/s)",
    ),
    (secrets_are_secret, "aws:apigateway/apiKey:ApiKey", {"value": "k"}, "value is not marked secret"),
    (
        secrets_are_secret,
        "azure-native:apimanagement:Subscription",
        {"primaryKey": "k"},
        "primaryKey is not marked secret",
    ),
    (
        secrets_are_secret,
        "azure-native:apimanagement:NamedValue",
        {"value": SECRET, "secret": False},
        "named value is not a secret named value (secret is not true)",
    ),
]


@pytest.mark.parametrize(
    ("rule", "typ", "inputs", "failure"), BAD_RESOURCES, ids=[f"{b[0].__name__}-{b[3][:40]}" for b in BAD_RESOURCES]
)
def test_every_rule_fails_on_a_bad_resource(rule: Rule, typ: str, inputs: dict[str, Any], failure: str) -> None:
    assert failure in rule(typ, inputs)


def test_every_rule_has_a_failing_case() -> None:
    assert {b[0] for b in BAD_RESOURCES} == set(RULES)


def _bucket_graph(**overrides: Any) -> list[mocks.Registered]:
    bucket = mocks.Registered(BUCKET, "b", {}, True)
    parts = {
        "encryption": mocks.Registered(
            "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
            "b-enc",
            {"bucket": "b-id", "rules": [{"applyServerSideEncryptionByDefault": {"sseAlgorithm": "aws:kms"}}]},
            True,
        ),
        "block": mocks.Registered(
            "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
            "b-block",
            {"bucket": "b-id", "blockPublicAcls": True, "blockPublicPolicy": True, "ignorePublicAcls": True}
            | {"restrictPublicBuckets": True},
            True,
        ),
        "policy": mocks.Registered(
            "aws:s3/bucketPolicy:BucketPolicy",
            "b-policy",
            {
                "bucket": "b-id",
                "policy": json.dumps(
                    {"Statement": [{"Effect": "Deny", "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}
                ),
            },
            True,
        ),
    }
    for key, value in overrides.items():
        parts[key] = value
    return [bucket, *(p for p in parts.values() if p is not None)]


def test_graph_rules_pass_a_good_bucket_and_fail_each_missing_part() -> None:
    assert [f for rule in GRAPH_RULES for f in rule(_bucket_graph())] == []
    assert every_bucket_is_encrypted(_bucket_graph(encryption=None)) == ["bucket b has no SSE-KMS default encryption"]
    assert every_bucket_blocks_public_access(_bucket_graph(block=None)) == [
        "bucket b has no complete public access block"
    ]
    assert every_bucket_denies_plain_http(_bucket_graph(policy=None)) == ["bucket b has no policy denying plain HTTP"]
    leak = mocks.Registered("aws:apigateway/stage:Stage", "s", {"variables": {"key": "the-key"}}, True)
    key = mocks.Registered("aws:apigateway/apiKey:ApiKey", "k", {"value": SECRET | {"value": "the-key"}}, True)
    assert no_secret_in_plain_text([key, leak]) == [
        "aws:apigateway/stage:Stage s.variables.key holds a credential in plain text"
    ]


# ---------------------------------------------------------------- a private Azure platform (issue 21)

AZURE_SUBNETS = "/subscriptions/s/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/ml/subnets/"
AZURE_PRIVATE: dict[str, Any] = {
    **AZ,
    "network": {
        "public": False,
        "azure": {"subnetId": AZURE_SUBNETS + "pe", "apiSubnetId": AZURE_SUBNETS + "apim", "apiSku": "Premium"},
    },
}
# What still accepts traffic from the internet on a private Azure platform, each because the configuration asks for
# it or the service has no private form in this package (issue 21: "nothing public the user did not ask for").
AZURE_ACCEPTED_PUBLIC = {
    "azure-native:storage:StorageAccount": "artifact uploads: Pulumi writes the release blobs from wherever it runs, "
    "and Front Door Standard reads its origin over the internet (authenticated only, no anonymous access)",
    "azure-native:cdn:AFDEndpoint": "the artifact CDN (cdn.enabled): models only, no route to the API",
    "azure-native:eventgrid:Topic": "the release-event topic (events.enabled): publishers authenticate with Entra "
    "or keys; no private endpoint is created for it yet",
    "azure-native:keyvault:Vault": "the workspace's Key Vault: Azure RBAC only, no secret written by this package; "
    "its firewall is not closed (Azure ML's access to it from outside the network is unverified)",
    "azure-native:applicationinsights:Component": "telemetry ingestion and query (Azure Monitor Private Link Scope "
    "is out of scope)",
    "azure-native:operationalinsights:Workspace": "log ingestion and query (as Application Insights)",
}
AZURE_API_ORIGIN_PATH = "/inference"


def azure_public_endpoints(typ: str, inputs: Inputs) -> list[str]:
    """Why an Azure child accepts public network traffic (empty: it does not)."""
    properties = inputs.get("properties") or {}
    disabled = "Disabled"
    if typ == "azure-native:machinelearningservices:Workspace" and inputs.get("publicNetworkAccess") != disabled:
        return [f"workspace public network access is {inputs.get('publicNetworkAccess')!r}"]
    if (
        typ == "azure-native:machinelearningservices:OnlineEndpoint"
        and properties.get("publicNetworkAccess") != disabled
    ):
        return [f"online endpoint public network access is {properties.get('publicNetworkAccess')!r}"]
    if typ == "azure-native:apimanagement:ApiManagementService":
        private = inputs.get("virtualNetworkType") == "Internal" or inputs.get("publicNetworkAccess") == disabled
        if not private:
            return [f"API Management gateway is public (virtualNetworkType {inputs.get('virtualNetworkType')!r})"]
    if typ == "azure-native:cdn:Route" and inputs.get("originPath") == AZURE_API_ORIGIN_PATH:
        return ["a Front Door route serves the API"]
    if typ == "azure-native:cdn:AFDEndpoint":
        return ["a Front Door endpoint"]
    own = typ in ("azure-native:storage:StorageAccount", "azure-native:eventgrid:Topic")
    if own and inputs.get("publicNetworkAccess") != disabled:
        return [f"public network access is {inputs.get('publicNetworkAccess', 'Enabled (default)')!r}"]
    vault = typ == "azure-native:keyvault:Vault" and properties.get("publicNetworkAccess") != disabled
    if vault and (properties.get("networkAcls") or {}).get("defaultAction") != "Deny":
        return ["key vault public network access with no default-deny firewall"]
    if typ in ("azure-native:applicationinsights:Component", "azure-native:operationalinsights:Workspace"):
        keys = ("publicNetworkAccessForIngestion", "publicNetworkAccessForQuery")
        if any(inputs.get(k) != disabled for k in keys):
            return ["ingestion or query is public"]
    return []


def azure_unasked_public_endpoints(graph: list[mocks.Registered], public_api: bool) -> list[str]:
    """Every child that accepts public traffic but is neither accepted above nor the API the user made public."""
    asked = set(AZURE_ACCEPTED_PUBLIC)
    if public_api:
        asked |= {"azure-native:apimanagement:ApiManagementService", "azure-native:cdn:Route"}
    return [
        f"{r.typ} {r.name}: {why}"
        for r in graph
        if r.typ not in asked
        for why in azure_public_endpoints(r.typ, r.inputs)
    ]


@pytest.mark.parametrize("public_api", [False, True])
def test_a_private_azure_platform_has_no_public_endpoint_it_did_not_ask_for(build: Build, public_api: bool) -> None:
    """Walk every child: only what `public` and the accepted list allow takes public traffic, each one reported."""
    platform = {**AZURE_PRIVATE, "network": {**AZURE_PRIVATE["network"], "public": public_api}}
    recorder, _, _ = build(platform, _releases([V1, V2_AZURE]))
    assert azure_unasked_public_endpoints(recorder.resources, public_api) == []
    # Every accepted exception is really there (none is listed for nothing), and nothing else is.
    public = {r.typ for r in recorder.resources if azure_public_endpoints(r.typ, r.inputs)}
    expected = set(AZURE_ACCEPTED_PUBLIC) | (
        {"azure-native:apimanagement:ApiManagementService", "azure-native:cdn:Route"} if public_api else set()
    )
    assert public == expected
    # The secure-default rules hold on it too.
    found = violations(recorder.resources)
    assert [v for v in found if (v[0], v[1].split(" ")[0], v[2]) not in KNOWN_LIMITS] == []
    # What is private: the workspace, each online endpoint, and API Management unless `public`.
    endpoints = recorder.of_type("azure-native:machinelearningservices:OnlineEndpoint")
    assert len(endpoints) == 2
    assert all(azure_public_endpoints(e.typ, e.inputs) == [] for e in endpoints)


def test_the_azure_walk_reports_each_public_child_of_a_public_platform(build: Build) -> None:
    """Without `network` the same walk finds the workspace, the endpoint, the API and its route public: it can fail."""
    recorder, _, _ = build(dict(AZ), _releases([V1]))
    unasked = azure_unasked_public_endpoints(recorder.resources, public_api=False)
    assert sorted(u.split(":")[1] + ":" + u.split(":")[2].split(" ")[0] for u in unasked) == [
        "apimanagement:ApiManagementService",
        "cdn:Route",
        "machinelearningservices:OnlineEndpoint",
        "machinelearningservices:Workspace",
    ]


# ---------------------------------------------------------------- a private AWS platform (issue 21)

AWS_PRIVATE: dict[str, Any] = {
    **EXAMPLE_PLATFORM,
    "cdn": {},
    "network": {
        "public": False,
        "aws": {
            "vpcId": "vpc-0a1b2c3d",
            "subnetIds": ["subnet-0a1b2c3d", "subnet-0a1b2c3e"],
            "routeTableIds": ["rtb-0a1b2c3d"],
        },
    },
}
_AWS_API = "an IAM-guarded AWS service API (SigV4 and the resource's policy decide; no network path of this package)"
# What still accepts traffic from the internet on a private AWS platform, each because the configuration asks for it
# or AWS serves it only as a public, IAM-guarded service endpoint (issue 21: "nothing public the user did not ask for").
AWS_ACCEPTED_PUBLIC = {
    "aws:s3/bucket:Bucket": "the S3 service endpoint: Pulumi uploads the artifacts from wherever it runs and CloudFront "
    "(OAC) reads them; every public access is blocked and only signed, authorised requests pass",
    "aws:cloudfront/distribution:Distribution": "the artifact CDN (cdn.enabled): models only",
    # API Gateway's AWS integration calls the runtime from AWS's side (never through the VPC), so no
    # sagemaker.runtime interface endpoint is made; clients in the VPC call the private API.
    "aws:sagemaker/endpoint:Endpoint": _AWS_API,
    "aws:sqs/queue:Queue": _AWS_API,
    "aws:sns/topic:Topic": _AWS_API,
    "aws:cloudwatch/eventBus:EventBus": _AWS_API,
}
# Every other AWS child the walk meets: configuration, identity, alarms and network plumbing, no listener of its own.
AWS_NO_LISTENER = frozenset(
    {
        "aws:apigateway/apiKey:ApiKey",
        "aws:apigateway/deployment:Deployment",
        "aws:apigateway/integration:Integration",
        "aws:apigateway/integrationResponse:IntegrationResponse",
        "aws:apigateway/method:Method",
        "aws:apigateway/methodResponse:MethodResponse",
        "aws:apigateway/methodSettings:MethodSettings",
        "aws:apigateway/resource:Resource",
        "aws:apigateway/restApiPolicy:RestApiPolicy",
        "aws:apigateway/stage:Stage",
        "aws:apigateway/usagePlan:UsagePlan",
        "aws:apigateway/usagePlanKey:UsagePlanKey",
        "aws:appautoscaling/policy:Policy",
        "aws:appautoscaling/target:Target",
        "aws:cloudfront/cachePolicy:CachePolicy",
        "aws:cloudfront/originAccessControl:OriginAccessControl",
        "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy",
        "aws:cloudwatch/eventArchive:EventArchive",
        "aws:cloudwatch/eventRule:EventRule",
        "aws:cloudwatch/eventTarget:EventTarget",
        "aws:cloudwatch/metricAlarm:MetricAlarm",
        "aws:iam/role:Role",
        "aws:iam/rolePolicy:RolePolicy",
        "aws:kms/key:Key",
        "aws:kms/keyPolicy:KeyPolicy",
        "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
        "aws:s3/bucketNotification:BucketNotification",
        "aws:s3/bucketObjectv2:BucketObjectv2",
        "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
        "aws:s3/bucketPolicy:BucketPolicy",
        "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        "aws:s3/bucketVersioning:BucketVersioning",
        "aws:sagemaker/endpointConfiguration:EndpointConfiguration",
        # The alarm e-mail: SNS delivers out of AWS; nothing listens.
        "aws:sns/topicSubscription:TopicSubscription",
        "aws:sqs/queuePolicy:QueuePolicy",
    }
)
# Judged below for what they let in: the API, the models, the security groups, the VPC endpoints.
AWS_JUDGED = frozenset(
    {
        "aws:apigateway/restApi:RestApi",
        "aws:sagemaker/model:Model",
        "aws:ec2/securityGroup:SecurityGroup",
        "aws:ec2/vpcEndpoint:VpcEndpoint",
    }
)
ANYWHERE = ("0.0.0.0/0", "::/0")


def aws_public_endpoints(typ: str, inputs: Inputs) -> list[str]:
    """Why an AWS child accepts public network traffic or reaches its data over the internet (empty: neither).
    A child type the walk does not know is reported too, so a new child fails until it is judged."""
    if typ in AWS_ACCEPTED_PUBLIC:
        reasons = [AWS_ACCEPTED_PUBLIC[typ]]
        if typ == CLOUDFRONT:
            reasons += [
                f"CloudFront forwards to the API ({o.get('domainName')})"
                for o in inputs.get("origins") or []
                if ".execute-api." in str(o.get("domainName")) or o.get("originId") == "api"
            ]
        return reasons
    if typ == "aws:apigateway/restApi:RestApi":
        types = (inputs.get("endpointConfiguration") or {}).get("types")
        return [] if types == "PRIVATE" else [f"REST API endpoint type {types!r}"]
    if typ == "aws:sagemaker/model:Model" and not (inputs.get("vpcConfig") or {}).get("subnets"):
        return ["the model runs outside the VPC (its artifact reads and any container traffic take public paths)"]
    if typ == "aws:ec2/securityGroup:SecurityGroup":
        return [
            f"security group admits {cidr} on {rule.get('fromPort')}-{rule.get('toPort')}"
            for rule in inputs.get("ingress") or []
            for cidr in [*(rule.get("cidrBlocks") or []), *(rule.get("ipv6CidrBlocks") or [])]
            if cidr in ANYWHERE
        ]
    if typ in AWS_NO_LISTENER or typ in AWS_JUDGED:
        return []
    return [f"not judged by the walk: classify {typ}"] if typ.startswith("aws:") else []


def private_api_admits_only_its_endpoints(graph: list[mocks.Registered]) -> list[str]:
    """Each PRIVATE REST API has a resource policy whose every Allow needs one of its VPC endpoints and which denies
    Invoke through any other (a private API without a policy cannot even be deployed: fakecloud AWS-13)."""
    out: list[str] = []
    for api in graph:
        if api.typ != "aws:apigateway/restApi:RestApi":
            continue
        config = api.inputs.get("endpointConfiguration") or {}
        if config.get("types") != "PRIVATE":
            continue
        endpoints = config.get("vpcEndpointIds") or []
        policies = [
            json.loads(r.inputs["policy"])
            for r in graph
            if r.typ == "aws:apigateway/restApiPolicy:RestApiPolicy" and r.inputs.get("restApiId") == f"{api.name}-id"
        ]
        if len(policies) != 1:
            out.append(f"private API {api.name} has {len(policies)} resource policies")
            continue
        found = statements(policies[0])
        allows = [st for st in found if st.get("Effect") == "Allow"]
        denies = [st for st in found if st.get("Effect") == "Deny"]
        if not allows or any(st.get("Condition") != {"StringEquals": {"aws:SourceVpce": endpoints}} for st in allows):
            out.append(f"private API {api.name} allows Invoke without requiring its endpoints {endpoints}")
        if {"StringNotEquals": {"aws:SourceVpce": endpoints}} not in [st.get("Condition") for st in denies]:
            out.append(f"private API {api.name} does not deny Invoke through other endpoints")
    return out


def aws_unasked_public_endpoints(graph: list[mocks.Registered], public_api: bool) -> list[str]:
    """Every child that accepts public traffic but is neither accepted above nor the API the user made public."""
    accepted = {(typ, why) for typ, why in AWS_ACCEPTED_PUBLIC.items()}
    out = [
        f"{r.typ} {r.name}: {why}"
        for r in graph
        for why in aws_public_endpoints(r.typ, r.inputs)
        if (r.typ, why) not in accepted
        and not (public_api and (r.typ == "aws:apigateway/restApi:RestApi" or why.startswith("CloudFront forwards")))
    ]
    return out + private_api_admits_only_its_endpoints(graph)


@pytest.mark.parametrize("public_api", [False, True])
def test_a_private_aws_platform_has_no_public_endpoint_it_did_not_ask_for(build: Build, public_api: bool) -> None:
    """Walk every child: only what `public` and the accepted list allow takes public traffic, each one reported."""
    platform = {**AWS_PRIVATE, "network": {**AWS_PRIVATE["network"], "public": public_api}}
    recorder, _, _ = build(platform, _releases([V1, V2]))
    assert aws_unasked_public_endpoints(recorder.resources, public_api) == []
    # Every child was judged (no type the walk does not know), every accepted exception is really there.
    walked = {r.typ for r in recorder.resources if r.typ.startswith("aws:")}
    assert walked - (set(AWS_ACCEPTED_PUBLIC) | AWS_NO_LISTENER | AWS_JUDGED) == set()
    public = {r.typ for r in recorder.resources if aws_public_endpoints(r.typ, r.inputs)}
    assert public == set(AWS_ACCEPTED_PUBLIC) | ({"aws:apigateway/restApi:RestApi"} if public_api else set())
    # The secure-default rules hold on it too.
    found = violations(recorder.resources)
    assert [v for v in found if (v[0], v[1].split(" ")[0], v[2]) not in KNOWN_LIMITS] == []
    # Every model is in the VPC and isolated (containerEgress defaults to none).
    models = recorder.of_type("aws:sagemaker/model:Model")
    assert len(models) == 2
    assert all(m.inputs["enableNetworkIsolation"] is True for m in models)


def test_the_aws_walk_reports_each_public_child_of_a_public_platform(build: Build) -> None:
    """Without `network` the same walk finds the regional API, CloudFront's API origin and each model outside a VPC:
    it can fail."""
    recorder, _, _ = build(dict(EXAMPLE_PLATFORM), _releases([V1]))
    unasked = aws_unasked_public_endpoints(recorder.resources, public_api=False)
    assert sorted(u.split(" ")[0] + " " + u.split(": ", 1)[1] for u in unasked) == [
        "aws:apigateway/restApi:RestApi REST API endpoint type 'REGIONAL'",
        "aws:cloudfront/distribution:Distribution CloudFront forwards to the API (ml-api-id.execute-api.eu-west-1"
        ".amazonaws.com)",
        "aws:sagemaker/model:Model the model runs outside the VPC (its artifact reads and any container traffic take "
        "public paths)",
    ]


def test_the_aws_walk_fails_on_an_open_group_a_loose_api_policy_and_an_unknown_child() -> None:
    group = mocks.Registered(
        "aws:ec2/securityGroup:SecurityGroup",
        "g",
        {"ingress": [{"fromPort": 22, "toPort": 22, "cidrBlocks": ["0.0.0.0/0"]}]},
        True,
    )
    api = mocks.Registered(
        "aws:apigateway/restApi:RestApi",
        "a",
        {"endpointConfiguration": {"types": "PRIVATE", "vpcEndpointIds": ["e"]}},
        True,
    )
    loose = {"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "execute-api:Invoke", "Resource": "*"}]}
    api_policy = mocks.Registered(
        "aws:apigateway/restApiPolicy:RestApiPolicy", "p", {"restApiId": "a-id", "policy": json.dumps(loose)}, True
    )
    other = mocks.Registered("aws:lb/loadBalancer:LoadBalancer", "lb", {}, True)
    assert aws_unasked_public_endpoints([group, api, api_policy, other], public_api=False) == [
        "aws:ec2/securityGroup:SecurityGroup g: security group admits 0.0.0.0/0 on 22-22",
        "aws:lb/loadBalancer:LoadBalancer lb: not judged by the walk: classify aws:lb/loadBalancer:LoadBalancer",
        "private API a allows Invoke without requiring its endpoints ['e']",
        "private API a does not deny Invoke through other endpoints",
    ]
    assert private_api_admits_only_its_endpoints([api]) == ["private API a has 0 resource policies"]


# ---------------------------------------------------------------- data safety

STORES = {
    "aws": ("aws:s3/bucket:Bucket", "ml-artifacts", "aws:s3/bucketObjectv2:BucketObjectv2"),
    "azure": ("azure-native:storage:StorageAccount", "ml-artifacts", "azure-native:storage:Blob"),
}


def _platform(cloud: str, **more: Any) -> dict[str, Any]:
    return {**(AZ if cloud == "azure" else {}), **more}


@pytest.mark.parametrize("cloud", ["aws", "azure"])
def test_the_artifact_store_and_uploaded_artifacts_are_retained_by_default(build: Build, cloud: str) -> None:
    """Destroying a platform, or replacing a release, never deletes model artifacts by default."""
    recorder, _, _ = build(_platform(cloud), [dict(V1)])
    store_type, store, object_type = STORES[cloud]
    options = mocks.monitor().options
    assert recorder.one(store_type).name == store
    assert options[store]["retainOnDelete"] is True
    # The artifact (and, on Azure, its unpacked files beside it).
    uploads = recorder.of_type(object_type)
    assert [u.name for u in uploads if u.name.endswith("-artifact")] == ["sentiment-v1-artifact"]
    assert all(options[u.name]["retainOnDelete"] is True for u in uploads)
    if cloud == "aws":
        # Even if it were deleted, S3 would refuse to delete a bucket that holds objects.
        assert recorder.one(store_type).inputs["forceDestroy"] is False
    else:
        assert options["ml-models"]["retainOnDelete"] is True


@pytest.mark.parametrize("cloud", ["aws", "azure"])
def test_artifacts_are_deleted_only_when_the_user_opts_in(build: Build, cloud: str) -> None:
    recorder, _, _ = build(_platform(cloud, artifacts={"retainOnDelete": False}), [dict(V1)])
    store_type, store, object_type = STORES[cloud]
    options = mocks.monitor().options
    assert options[store]["retainOnDelete"] is False
    uploads = recorder.of_type(object_type)
    assert uploads != []
    # On Azure a release's blobs are kept (issue 18 Azure 10: a frozen `main` deployment still
    # reads them): they go with the storage account, deleted with the platform.
    assert all(options[u.name]["retainOnDelete"] is (cloud == "azure") for u in uploads)
    if cloud == "aws":
        assert recorder.one(store_type).inputs["forceDestroy"] is True


@pytest.mark.parametrize("cloud", ["aws", "azure"])
def test_protect_on_the_platform_protects_the_artifact_store(cloud: str) -> None:
    """`protect: true` (a resource option every language has) reaches every child: destroy refuses."""
    recorder = mocks.install()
    inputs = {"cloud": cloud, **_platform(cloud)}
    mocks.run(functools.partial(MLServingPlatform.from_inputs, "ml", inputs, pulumi.ResourceOptions(protect=True)))
    options = mocks.monitor().options
    store_type, store, _ = STORES[cloud]
    assert recorder.one(store_type).name == store
    assert options[store]["protect"] is True
    assert all(options[r.name]["protect"] for r in recorder.resources), [
        r.name for r in recorder.resources if not options[r.name]["protect"]
    ]


# What a version bump must leave alone (same resource, same replace-triggering inputs).
STABLE: dict[str, dict[str, tuple[str, ...] | None]] = {
    "aws": {
        "aws:s3/bucket:Bucket": None,
        "aws:cloudfront/distribution:Distribution": None,
        "aws:apigateway/restApi:RestApi": None,
        "aws:cloudwatch/eventBus:EventBus": None,
        "aws:sagemaker/endpoint:Endpoint": ("name",),
        "aws:apigateway/stage:Stage": ("restApi", "stageName"),
    },
    "azure": {
        "azure-native:storage:StorageAccount": None,
        "azure-native:cdn:Profile": None,
        "azure-native:cdn:AFDEndpoint": None,
        "azure-native:apimanagement:ApiManagementService": None,
        "azure-native:eventgrid:Topic": None,
        "azure-native:machinelearningservices:OnlineEndpoint": ("endpointName", "workspaceName", "resourceGroupName"),
        "azure-native:apimanagement:Api": ("apiId", "serviceName", "path"),
    },
}


@pytest.mark.parametrize("cloud", ["aws", "azure"])
def test_a_version_bump_never_replaces_the_store_cdn_api_bus_or_endpoint(build: Build, cloud: str) -> None:
    release = dict(V2_AZURE if cloud == "azure" else V2)
    recorder, _, _ = build(_platform(cloud), [dict(release)])
    before = {(r.typ, r.name): r.inputs for r in recorder.resources}
    recorder, _, _ = build(_platform(cloud), [{**release, "version": "2.1.0"}])
    after = {(r.typ, r.name): r.inputs for r in recorder.resources}
    for typ, keys in STABLE[cloud].items():
        names_before = sorted(n for t, n in before if t == typ)
        names_after = sorted(n for t, n in after if t == typ)
        assert names_before == names_after != [], typ
        for name in names_before:
            old, new = before[(typ, name)], after[(typ, name)]
            if keys is None:
                assert old == new, f"{typ} {name} changed"
            else:
                assert {k: old.get(k) for k in keys} == {k: new.get(k) for k in keys}, f"{typ} {name} is replaced"
    # The bump does upload the new version: a new content-addressed key.
    object_type = STORES[cloud][2]
    key = "key" if cloud == "aws" else "blobName"
    (old_upload,) = [i for (t, n), i in before.items() if t == object_type and n.endswith("-artifact")]
    (new_upload,) = [i for (t, n), i in after.items() if t == object_type and n.endswith("-artifact")]
    assert "/2.0.0/" in old_upload[key]
    assert "/2.1.0/" in new_upload[key]
