"""The private platforms (issue 21) through the real engine, with fakecloud as the cloud.

examples/<cloud>-private-<language> (Python and TypeScript on each cloud) deploy a platform with
`network` and `public: false`: `preview`, `up`, an update that bumps `v2Version`, `refresh` with
no changes and `destroy`, as tests/integration/test_examples.py runs the public ones; then:
- on AWS every SageMaker model runs in the example's subnets with network isolation, the REST
  API is PRIVATE with a resource policy admitting only the VPC's execute-api endpoint, the S3
  gateway endpoint is on the example's route tables, and CloudFront has no API origin;
- on Azure the workspace has a managed network allowing only approved outbound traffic and no
  public access, no online endpoint takes public traffic, the workspace and the storage account
  have private endpoints in the example's subnet, API Management is injected in internal mode,
  and Front Door has no API origin;
- the two languages of one cloud build the same resource graph.
"""

from __future__ import annotations

import json
import re
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from tests.integration.engine import ROOT, Workspace
from tests.integration.test_examples import (
    V2_VERSION,
    Lifecycle,
    custom,
    graph,
    plain,
    run_lifecycle,
)

pytestmark = pytest.mark.timeout(1800)

PRIVATE = sorted(p for p in (ROOT / "examples").iterdir() if (p / "Pulumi.yaml").is_file() and "-private-" in p.name)
AWS_SUBNETS = ["subnet-0a1b2c3d", "subnet-0a1b2c3e"]
AZURE_VNET = (
    "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/network"
    "/providers/Microsoft.Network/virtualNetworks/ml"
)


def cloud_of(example: str) -> str:
    """examples/<cloud>-private-<language>."""
    return example.split("-", 1)[0]


@pytest.fixture(scope="module")
def lifecycles(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Lifecycle]:
    workspaces = [Workspace(p, tmp_path_factory.mktemp(p.name), driver="inline") for p in PRIVATE]
    with ThreadPoolExecutor(max_workers=max(1, len(workspaces))) as pool:
        done = list(pool.map(run_lifecycle, workspaces))
    return {p.name: life for p, life in zip(PRIVATE, done, strict=True)}


def of_type(state: list[dict[str, Any]], token: str) -> list[dict[str, Any]]:
    return [r for r in custom(state) if r["type"] == token]


def inputs(resource: dict[str, Any]) -> dict[str, Any]:
    return dict(plain(resource.get("inputs") or {}))


def test_there_is_a_private_example_in_two_languages_per_cloud() -> None:
    assert [p.name for p in PRIVATE] == [
        "aws-private-python",
        "aws-private-typescript",
        "azure-private-python",
        "azure-private-typescript",
    ]


@pytest.mark.parametrize("example", [p.name for p in PRIVATE])
def test_the_lifecycle_runs_and_each_resource_is_created_once(lifecycles: dict[str, Lifecycle], example: str) -> None:
    life = lifecycles[example]
    up, state, outputs = life.need("up")
    created = sorted((t, n) for m, t, n in up.mutations() if m == "Create")
    assert created == sorted((r["type"], r["urn"].split("::")[-1]) for r in custom(state))
    assert outputs["v1ModelVersion"] == "1.0.0"
    update, _, after = life.need("update")
    assert update.code == 0
    assert after["v2ModelVersion"] == V2_VERSION
    refresh = life.need("refresh")
    assert refresh.code == 0, refresh.output[-4000:]
    assert refresh.mutations() == []
    _, destroyed = life.need("destroy")
    assert destroyed == []


@pytest.mark.parametrize("example", [p.name for p in PRIVATE if p.name.startswith("aws-")])
def test_an_aws_private_platform_serves_from_the_vpc_only(lifecycles: dict[str, Lifecycle], example: str) -> None:
    _, state, outputs = lifecycles[example].need("up")
    models = of_type(state, "aws:sagemaker/model:Model")
    assert len(models) == 2
    for model in models:
        given = inputs(model)
        assert given["enableNetworkIsolation"] is True
        assert given["vpcConfig"]["subnets"] == AWS_SUBNETS
        assert len(given["vpcConfig"]["securityGroupIds"]) == 1
    (api,) = of_type(state, "aws:apigateway/restApi:RestApi")
    assert inputs(api)["endpointConfiguration"]["types"] == "PRIVATE"
    endpoints = {
        inputs(e)["serviceName"].rsplit(".", 1)[1]: inputs(e) for e in of_type(state, "aws:ec2/vpcEndpoint:VpcEndpoint")
    }
    assert sorted(endpoints) == ["execute-api", "s3"]
    assert (endpoints["s3"]["vpcEndpointType"], endpoints["s3"]["routeTableIds"]) == ("Gateway", ["rtb-0a1b2c3d"])
    assert (endpoints["execute-api"]["vpcEndpointType"], endpoints["execute-api"]["subnetIds"]) == (
        "Interface",
        AWS_SUBNETS,
    )
    assert inputs(api)["endpointConfiguration"]["vpcEndpointIds"] == [by_key_of(state, "ml-execute-api")["id"]]
    (policy,) = of_type(state, "aws:apigateway/restApiPolicy:RestApiPolicy")
    statements = {s["Sid"]: s for s in json.loads(inputs(policy)["policy"])["Statement"]}
    vpce = by_key_of(state, "ml-execute-api")["id"]
    assert {sid: (s["Effect"], s["Condition"]) for sid, s in statements.items()} == {
        "InvokeThroughTheVpcEndpoints": ("Allow", {"StringEquals": {"aws:SourceVpce": [vpce]}}),
        "DenyOutsideTheVpcEndpoints": ("Deny", {"StringNotEquals": {"aws:SourceVpce": [vpce]}}),
    }
    (cdn,) = of_type(state, "aws:cloudfront/distribution:Distribution")
    origins = inputs(cdn)["origins"]
    assert [o["originId"] for o in origins] == ["artifacts"], "CloudFront serves artifacts only"
    assert "execute-api" not in json.dumps(inputs(cdn))
    assert outputs["apiBaseUrl"].endswith(".amazonaws.com")


def by_key_of(state: list[dict[str, Any]], name: str) -> dict[str, Any]:
    (found,) = [r for r in custom(state) if r["urn"].split("::")[-1] == name]
    return found


@pytest.mark.parametrize("example", [p.name for p in PRIVATE if p.name.startswith("azure-")])
def test_an_azure_private_platform_serves_from_the_network_only(lifecycles: dict[str, Lifecycle], example: str) -> None:
    _, state, _ = lifecycles[example].need("up")
    (workspace,) = of_type(state, "azure-native:machinelearningservices:Workspace")
    given = inputs(workspace)
    assert given["managedNetwork"]["isolationMode"] == "AllowOnlyApprovedOutbound"
    assert (given["publicNetworkAccess"], given["provisionNetworkNow"]) == ("Disabled", True)
    endpoints = of_type(state, "azure-native:machinelearningservices:OnlineEndpoint")
    assert len(endpoints) == 2
    assert {inputs(e)["properties"]["publicNetworkAccess"] for e in endpoints} == {"Disabled"}
    private = {
        inputs(p)["privateLinkServiceConnections"][0]["groupIds"][0]: inputs(p)
        for p in of_type(state, "azure-native:network:PrivateEndpoint")
    }
    assert sorted(private) == ["amlworkspace", "blob"]
    assert {p["subnet"]["id"] for p in private.values()} == {f"{AZURE_VNET}/subnets/endpoints"}
    (apim,) = of_type(state, "azure-native:apimanagement:ApiManagementService")
    service = inputs(apim)
    assert (service["sku"]["name"], service["virtualNetworkType"]) == ("Developer", "Internal")
    assert service["virtualNetworkConfiguration"]["subnetResourceId"] == f"{AZURE_VNET}/subnets/apim"
    origins = of_type(state, "azure-native:cdn:AFDOrigin")
    assert all("azure-api.net" not in json.dumps(inputs(o)) for o in origins), "Front Door serves artifacts only"


@pytest.mark.parametrize("cloud", ["aws", "azure"])
def test_both_languages_build_the_same_private_graph(lifecycles: dict[str, Lifecycle], cloud: str) -> None:
    # A deployment's trigger digests the API's definition, which on a private API holds the VPC endpoint's id
    # (its resource policy): generated per stack, so the digest differs too.
    def rows(state: list[dict[str, Any]]) -> list[tuple[str, str, str, str]]:
        digest = re.compile(r'"apiDefinition": "[0-9a-f]{16}"')
        return [(t, n, p, digest.sub('"apiDefinition": "<digest>"', i)) for t, n, p, i in graph(state)]

    graphs = {name: rows(life.need("up")[1]) for name, life in lifecycles.items() if cloud_of(name) == cloud}
    assert len(graphs) == 2
    (python, python_rows), (typescript, typescript_rows) = sorted(graphs.items())
    assert len(python_rows) > 40
    assert python_rows == typescript_rows, (
        f"{typescript} differs from {python}: only in {typescript}: {sorted(set(typescript_rows) - set(python_rows))[:5]}; "
        f"only in {python}: {sorted(set(python_rows) - set(typescript_rows))[:5]}"
    )
