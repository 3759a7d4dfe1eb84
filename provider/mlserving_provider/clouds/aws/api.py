"""The versioned API: one regional REST API, one stage per API version.

With `network.public` off the API is `PRIVATE` instead: reachable only through the VPC's
`execute-api` interface endpoints, which its resource policy names (network.py).

`/predict` is integrated directly with the SageMaker runtime (no Lambda): the
integration URI names the endpoint through the stage variable `endpoint`, which each
release's stage sets, so `/v1` and `/v2` reach different endpoints through one API.
`GET /predict` maps its query string to a JSON body, so the CDN can cache it.
https://docs.aws.amazon.com/apigateway/latest/developerguide/aws-api-gateway-stage-variables-reference.html

Throttling and quota: each release's stage has its own usage plan holding the platform's
key, so a quota and the per-key throttle count per API version; the stage's method
settings throttle all callers of that version together (the only throttle without a key).
https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-request-throttling.html

Quotas: a stage per API version counts against 'Stages per API' and its usage plan against
'Usage plans per API key' (both 10 unless raised, the same releases counting for both); the
platform states them in `api.stageQuota` and a release past it is refused at preview
(validation.check_api_stage_quota). https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws
import pulumi_random as random

from mlserving_provider.args import Api
from mlserving_provider.clouds.aws import naming
from mlserving_provider.clouds.aws.context import AwsContext, policy_json

__all__ = [
    "ENDPOINT_STAGE_VARIABLE",
    "GET_REQUEST_TEMPLATE",
    "RestApi",
    "api_definition",
    "api_stage",
    "private_api_policy",
    "rest_api",
]

ENDPOINT_STAGE_VARIABLE = "endpoint"
# `$util.escapeJavaScript` turns `'` into `\'`, which is not valid JSON: AWS's own advice is to
# turn it back. https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-mapping-template-reference.html
UNESCAPE_QUOTES = r""".replaceAll("\\'","'")"""
# The query string of GET /predict as a JSON object of strings.
GET_REQUEST_TEMPLATE = (
    "{\n"
    "#foreach($key in $input.params().querystring.keySet())\n"
    f'"$util.escapeJavaScript($key){UNESCAPE_QUOTES}": '
    f'"$util.escapeJavaScript($input.params().querystring.get($key)){UNESCAPE_QUOTES}"'
    "#if($foreach.hasNext),#end\n"
    "#end\n"
    "}"
)
TIMEOUT_MILLISECONDS = 29000
# The method status each SageMaker InvokeEndpoint error status becomes (the runtime API's
# errors: ValidationError 400, ModelNotReadyException 429, ModelError 424 when the container
# answered an error, InternalFailure 500, ServiceUnavailable 503, InternalDependencyException
# 530; botocore data/sagemaker-runtime/2017-05-13/service-2.json). A model's failure is the
# server's (502 Bad Gateway), not the caller's; 429 and 503 keep their meaning (retry later).
# For an AWS integration a selection pattern is a Java regex matched against the backend's
# status code, and the docs do not say which of several matching patterns wins, so no two of
# these can match the same code; a status none matches (2xx) takes the default 200 response.
# https://docs.aws.amazon.com/apigateway/latest/api/API_IntegrationResponse.html
ERROR_STATUSES = (
    ("400", r"4[013-9]\d|42[0-35-8]"),  # every 4xx but 424 and 429
    ("429", "429"),
    ("500", r"5[1-9]\d|50[0-24-9]"),  # every 5xx but 503
    ("502", "424"),
    ("503", "503"),
)


@dataclass(frozen=True)
class RestApi:
    api: aws.apigateway.RestApi
    domain: pulumi.Output[str]
    base_url: pulumi.Output[str]
    key: aws.apigateway.ApiKey | None
    key_value: pulumi.Output[str]
    methods: list[pulumi.Resource]
    # A digest of the methods and integrations, known once they are all in place.
    definition: pulumi.Output[str]


def api_definition(settings: Api) -> str:
    """A digest of everything `rest_api` puts in the API's methods and integrations.

    A deployment is a snapshot of the API: a release's deployment carries this digest in
    its `triggers`, so a platform change of the methods (e.g. `api.requireApiKey`) redeploys
    every stage instead of never reaching them.
    """
    shape = {
        "apiKeyRequired": settings.require_api_key,
        "getTemplate": GET_REQUEST_TEMPLATE,
        "timeoutMilliseconds": TIMEOUT_MILLISECONDS,
        "errorStatuses": ERROR_STATUSES,
        "stageVariable": ENDPOINT_STAGE_VARIABLE,
    }
    return hashlib.sha256(json.dumps(shape, sort_keys=True).encode()).hexdigest()[:16]


def rest_api(
    ctx: AwsContext,
    settings: Api,
    endpoint_prefix: pulumi.Output[str],
    private_endpoints: pulumi.Output[list[str]] | None = None,
) -> RestApi:
    """The REST API, `/predict`, its SageMaker integrations and the API key.

    `private_endpoints` (`network.public` off): the API is `PRIVATE`, callable only through these
    `execute-api` interface endpoints, which its resource policy names (`private_api_policy`).
    """
    api = aws.apigateway.RestApi(
        f"{ctx.name}-api",
        description=f"mlserving platform {ctx.name}: versioned inference API",
        endpoint_configuration=(
            {"types": "REGIONAL"}
            if private_endpoints is None
            else {
                "types": "PRIVATE",
                # A private API takes only `dualstack` (and the AWS provider detects drift of this
                # field only when it is set). https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-ip-address-type.html
                "ip_address_type": "dualstack",
                # Associated endpoints get the Route 53 alias `{api-id}-{vpce-id}.execute-api.{region}.amazonaws.com`,
                # which resolves whether or not the endpoint has private DNS (the base URL below).
                # https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-private-api-test-invoke-url.html
                "vpc_endpoint_ids": private_endpoints,
            }
        ),
        api_key_source="HEADER",
        tags=ctx.tags,
        opts=ctx.opts(),
    )
    # The integration may invoke only this platform's endpoints.
    role_name, role_opts = ctx.child("api-role", naming.IAM_ROLE)
    role = aws.iam.Role(
        role_name,
        description="mlserving: API Gateway invokes this platform's SageMaker endpoints",
        assume_role_policy=policy_json(
            {
                "Version": "2012-10-17",
                "Statement": [
                    # The trust policy API Gateway documents for integration credentials: it does not
                    # document setting aws:SourceAccount/aws:SourceArn when it assumes the role, so a
                    # condition on them could refuse every call. Only a principal allowed iam:PassRole
                    # on this role (in this account) can make an integration use it.
                    # https://docs.aws.amazon.com/apigateway/latest/developerguide/permissions.html
                    {
                        "Effect": "Allow",
                        "Principal": {"Service": "apigateway.amazonaws.com"},
                        "Action": "sts:AssumeRole",
                    }
                ],
            }
        ),
        tags=ctx.tags,
        opts=role_opts,
    )
    invoke_name, invoke_opts = ctx.child("api-invoke", naming.IAM_ROLE_POLICY)
    aws.iam.RolePolicy(
        invoke_name,
        role=role.id,
        policy=policy_json(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Action": "sagemaker:InvokeEndpoint",
                        "Resource": ctx.arn("sagemaker", pulumi.Output.concat("endpoint/", endpoint_prefix, "-*")),
                    }
                ],
            }
        ),
        opts=invoke_opts,
    )
    predict = aws.apigateway.Resource(
        f"{ctx.name}-predict", rest_api=api.id, parent_id=api.root_resource_id, path_part="predict", opts=ctx.opts()
    )
    uri = pulumi.Output.format(
        "arn:{0}:apigateway:{1}:runtime.sagemaker:path/endpoints/${{stageVariables.{2}}}/invocations",
        ctx.partition,
        ctx.region,
        ENDPOINT_STAGE_VARIABLE,
    )
    methods: list[pulumi.Resource] = []
    for verb in ("POST", "GET"):
        lower = verb.lower()
        method = aws.apigateway.Method(
            f"{ctx.name}-predict-{lower}",
            rest_api=api.id,
            resource_id=predict.id,
            http_method=verb,
            authorization="NONE",
            api_key_required=settings.require_api_key,
            opts=ctx.opts(),
        )
        integration = aws.apigateway.Integration(
            f"{ctx.name}-predict-{lower}-sagemaker",
            rest_api=api.id,
            resource_id=predict.id,
            http_method=method.http_method,
            type="AWS",
            integration_http_method="POST",
            uri=uri,
            credentials=role.arn,
            passthrough_behavior="WHEN_NO_TEMPLATES" if verb == "POST" else "NEVER",
            request_templates={"application/json": GET_REQUEST_TEMPLATE} if verb == "GET" else None,
            request_parameters=(
                {"integration.request.header.Content-Type": "'application/json'"} if verb == "GET" else None
            ),
            timeout_milliseconds=TIMEOUT_MILLISECONDS,
            opts=ctx.opts(),
        )
        response = aws.apigateway.MethodResponse(
            f"{ctx.name}-predict-{lower}-200",
            rest_api=api.id,
            resource_id=predict.id,
            http_method=method.http_method,
            status_code="200",
            opts=ctx.opts(),
        )
        methods += [method, integration, response]
        for status, pattern in ERROR_STATUSES:
            error_response = aws.apigateway.MethodResponse(
                f"{ctx.name}-predict-{lower}-{status}",
                rest_api=api.id,
                resource_id=predict.id,
                http_method=method.http_method,
                status_code=status,
                opts=ctx.opts(),
            )
            methods += [
                error_response,
                aws.apigateway.IntegrationResponse(
                    f"{ctx.name}-predict-{lower}-{status}-mapping",
                    rest_api=api.id,
                    resource_id=predict.id,
                    http_method=method.http_method,
                    status_code=status,
                    selection_pattern=pattern,
                    opts=ctx.opts(depends_on=[integration, error_response]),
                ),
            ]
        methods.append(
            aws.apigateway.IntegrationResponse(
                f"{ctx.name}-predict-{lower}-200-mapping",
                rest_api=api.id,
                resource_id=predict.id,
                http_method=method.http_method,
                status_code="200",
                opts=ctx.opts(depends_on=[integration, response]),
            )
        )
    key: aws.apigateway.ApiKey | None = None
    key_value: pulumi.Output[str] = pulumi.Output.secret("")
    if settings.require_api_key:
        secret = random.RandomPassword(f"{ctx.name}-api-key-value", length=40, special=False, opts=ctx.opts())
        key = aws.apigateway.ApiKey(
            f"{ctx.name}-api-key",
            description=f"mlserving platform {ctx.name}",
            enabled=True,
            value=secret.result,
            tags=ctx.tags,
            opts=ctx.opts(),
        )
        key_value = pulumi.Output.secret(secret.result)
    domain = pulumi.Output.format("{0}.execute-api.{1}.amazonaws.com", api.id, ctx.region)
    digest = api_definition(settings)
    ready = [m.id for m in methods if isinstance(m, pulumi.CustomResource)]
    definition = pulumi.Output.all(*ready).apply(lambda _: digest)
    base_url = pulumi.Output.concat("https://", domain)
    if private_endpoints is not None:
        policy = private_api_policy(ctx, api, private_endpoints)
        # A release's deployment waits for the policy ("you can't deploy your API without a resource
        # policy") and a changed policy redeploys every stage (a resource policy takes effect with the
        # next deployment). https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-resource-policies-create-attach.html
        definition = pulumi.Output.all(definition, policy.policy).apply(
            lambda values: hashlib.sha256(f"{values[0]}/{values[1]}".encode()).hexdigest()[:16]
        )
        base_url = pulumi.Output.format(
            "https://{0}-{1}.execute-api.{2}.amazonaws.com", api.id, private_endpoints[0], ctx.region
        )
    return RestApi(
        api=api,
        domain=domain,
        base_url=base_url,
        key=key,
        key_value=key_value,
        methods=methods,
        # Published once every method is in place, so a release deploys the finished API.
        definition=definition,
    )


def private_api_policy(
    ctx: AwsContext, api: aws.apigateway.RestApi, endpoint_ids: pulumi.Output[list[str]]
) -> aws.apigateway.RestApiPolicy:
    """The private API's resource policy: `execute-api:Invoke` only through the VPC's endpoints (the
    API key and throttling still apply). AWS's example "Allow private API traffic based on source VPC
    or VPC endpoint", an Allow and a Deny on `aws:SourceVpce`.
    https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-resource-policies-examples.html"""
    resource = ctx.arn("execute-api", pulumi.Output.concat(api.id, "/*"))
    return aws.apigateway.RestApiPolicy(
        f"{ctx.name}-api-policy",
        rest_api_id=api.id,
        policy=policy_json(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Sid": "InvokeThroughTheVpcEndpoints",
                        "Effect": "Allow",
                        "Principal": "*",
                        "Action": "execute-api:Invoke",
                        "Resource": resource,
                        "Condition": {"StringEquals": {"aws:SourceVpce": endpoint_ids}},
                    },
                    {
                        "Sid": "DenyOutsideTheVpcEndpoints",
                        "Effect": "Deny",
                        "Principal": "*",
                        "Action": "execute-api:Invoke",
                        "Resource": resource,
                        "Condition": {"StringNotEquals": {"aws:SourceVpce": endpoint_ids}},
                    },
                ],
            }
        ),
        opts=ctx.opts(),
    )


@dataclass(frozen=True)
class ApiAttachment:
    """What a release needs of the platform's API (from the platform's attachments)."""

    rest_api_id: pulumi.Input[str]
    api_key_id: pulumi.Input[str] | None
    throttle_rate_limit: float
    throttle_burst_limit: int
    quota_limit: int | None
    quota_period: str | None
    # api_definition of the platform's API ("" from a platform of an earlier version).
    definition: pulumi.Input[str] = ""


def api_stage(
    ctx: AwsContext,
    attachment: ApiAttachment,
    api_version: str,
    endpoint_name: pulumi.Input[str],
    depends_on: list[pulumi.Resource],
) -> aws.apigateway.Stage:
    """The stage `<apiVersion>` whose stage variable names the release's endpoint."""
    deployment = aws.apigateway.Deployment(
        f"{ctx.name}-deployment",
        rest_api=attachment.rest_api_id,
        description=f"mlserving {api_version}",
        # A new deployment (a new snapshot of the API) whenever the platform's methods change.
        triggers={"apiDefinition": attachment.definition},
        opts=ctx.opts(depends_on=depends_on),
    )
    stage = aws.apigateway.Stage(
        f"{ctx.name}-stage",
        rest_api=attachment.rest_api_id,
        deployment=deployment.id,
        stage_name=api_version,
        variables={ENDPOINT_STAGE_VARIABLE: endpoint_name},
        xray_tracing_enabled=True,
        tags=ctx.tags,
        opts=ctx.opts(),
    )
    aws.apigateway.MethodSettings(
        f"{ctx.name}-stage-settings",
        rest_api=attachment.rest_api_id,
        stage_name=stage.stage_name,
        method_path="*/*",
        settings={
            "metrics_enabled": True,
            "throttling_rate_limit": attachment.throttle_rate_limit,
            "throttling_burst_limit": attachment.throttle_burst_limit,
            "caching_enabled": False,
        },
        opts=ctx.opts(),
    )
    if attachment.api_key_id is not None:
        plan = aws.apigateway.UsagePlan(  # type: ignore[call-overload]  # TypedDict args built as dicts
            f"{ctx.name}-usage-plan",
            description=f"mlserving {api_version}",
            api_stages=[{"api_id": attachment.rest_api_id, "stage": stage.stage_name}],
            throttle_settings={
                "rate_limit": attachment.throttle_rate_limit,
                "burst_limit": attachment.throttle_burst_limit,
            },
            quota_settings=(
                {"limit": attachment.quota_limit, "period": attachment.quota_period}
                if attachment.quota_limit is not None
                else None
            ),
            tags=ctx.tags,
            opts=ctx.opts(),
        )
        aws.apigateway.UsagePlanKey(
            f"{ctx.name}-usage-plan-key",
            key_id=attachment.api_key_id,
            key_type="API_KEY",
            usage_plan_id=plan.id,
            opts=ctx.opts(),
        )
    return stage
