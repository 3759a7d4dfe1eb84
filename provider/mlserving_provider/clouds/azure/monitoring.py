"""Alerts: the platform's action group and each release's error and latency alerts.

Azure Monitor metric alerts compare one metric with a threshold; they cannot divide
two metrics, so the error alert cannot be a 5xx *rate* as on AWS: it fires when a
release's endpoint answers more 5xx responses per minute than
`monitoring.errorRatePercentThreshold` (averaged over 5 minutes). The latency alert
watches the endpoint's p99 request latency. Neither rolls anything back: Azure ML
has no alarm-driven rollback. https://learn.microsoft.com/azure/machine-learning/monitor-azure-machine-learning-reference
"""

from __future__ import annotations

from typing import Any

import pulumi
from pulumi_azure_native import monitor

from mlserving_provider.clouds.azure import naming
from mlserving_provider.clouds.azure.context import AzureContext

__all__ = ["ENDPOINT_NAMESPACE", "action_group", "release_alerts"]

ENDPOINT_NAMESPACE = "Microsoft.MachineLearningServices/workspaces/onlineEndpoints"
WINDOW = "PT5M"
FREQUENCY = "PT1M"


def action_group(ctx: AzureContext, email: pulumi.Input[str] | None) -> monitor.ActionGroup:
    """Where alerts go: e-mail when an address is given (the common alert schema)."""
    name, opts = ctx.child("alerts", naming.ACTION_GROUP)
    return monitor.ActionGroup(
        name,
        resource_group_name=ctx.resource_group_name,
        location="Global",
        group_short_name="mlserving",
        enabled=True,
        email_receivers=(
            [{"name": "alarm-email", "email_address": email, "use_common_alert_schema": True}]
            if email is not None
            else []
        ),
        tags=ctx.tags,
        opts=opts,
    )


def release_alerts(
    ctx: AzureContext,
    resource_group_name: pulumi.Input[str],
    endpoint_id: pulumi.Input[str],
    action_group_id: pulumi.Input[str],
    latency_p99_ms: float,
    errors_per_minute: float,
) -> list[monitor.MetricAlert]:
    def alert(kind: str, description: str, criterion: dict[str, Any]) -> monitor.MetricAlert:
        name, opts = ctx.child(kind, naming.METRIC_ALERT)
        return monitor.MetricAlert(
            name,
            resource_group_name=resource_group_name,
            location="global",
            description=description,
            severity=2,
            enabled=True,
            scopes=[endpoint_id],
            target_resource_type=ENDPOINT_NAMESPACE,
            evaluation_frequency=FREQUENCY,
            window_size=WINDOW,
            auto_mitigate=True,
            criteria=monitor.MetricAlertSingleResourceMultipleMetricCriteriaArgs(
                odata_type="Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria",
                all_of=[
                    monitor.MetricCriteriaArgs(
                        criterion_type="StaticThresholdCriterion",
                        name=kind,
                        metric_namespace=ENDPOINT_NAMESPACE,
                        operator="GreaterThan",
                        time_aggregation="Average",
                        **criterion,
                    )
                ],
            ),
            actions=[{"action_group_id": action_group_id}],
            tags=ctx.tags,
            opts=opts,
        )

    errors = alert(
        "5xx",
        f"mlserving {ctx.name}: more than {errors_per_minute} 5xx responses per minute",
        {
            "metric_name": "RequestsPerMinute",
            "threshold": errors_per_minute,
            "dimensions": [monitor.MetricDimensionArgs(name="statusCodeClass", operator="Include", values=["5xx"])],
        },
    )
    latency = alert(
        "p99-latency",
        f"mlserving {ctx.name}: p99 request latency above {latency_p99_ms} ms",
        {"metric_name": "RequestLatency_P99", "threshold": latency_p99_ms},
    )
    return [errors, latency]
