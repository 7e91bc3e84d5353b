"""Service deployments and service revisions, the records behind ListServiceDeployments,
DescribeServiceDeployments and DescribeServiceRevisions (API shapes `ServiceDeployment`,
`ServiceDeploymentBrief`, `ServiceRevision`).

One record per deployment the scheduler starts (a rollback deployment belongs to the record of
the deployment it rolls back). The strategies move `lifecycle_stage` and the traffic weights;
the guards set the circuit breaker and alarm monitors; the record's `status` follows ECS:
IN_PROGRESS → SUCCESSFUL, STOPPED (failed without rollback, or replaced by a newer deployment),
ROLLBACK_REQUESTED → ROLLBACK_IN_PROGRESS → ROLLBACK_SUCCESSFUL | ROLLBACK_FAILED.
"""

import copy
import secrets
import string
from typing import Any

from .model import Deployment, ServiceState, at

FINAL = ("SUCCESSFUL", "STOPPED", "ROLLBACK_SUCCESSFUL", "ROLLBACK_FAILED")
_TOKEN = string.ascii_letters + string.digits + "-_"


def revision_arn(service: Any, deployment_id: str) -> str:
    """`…:service-revision/<cluster>/<service>/<digits of the deployment id>`."""
    prefix = service.arn.split(":service/")[0]
    return f"{prefix}:service-revision/{service.cluster_name}/{service.name}/{deployment_id.split('/')[-1]}"


class HookRun:
    """One run of a lifecycle hook at a stage (API shape `DeploymentLifecycleHookDetail`)."""

    def __init__(self, hook: dict[str, Any], stage: str, now: float, minute_seconds: float):
        self.hook_id = secrets.token_hex(8)
        self.target_type = hook.get("targetType", "AWS_LAMBDA")
        self.target_arn = hook.get("hookTargetArn")
        self.stage = stage
        timeout = hook.get("timeoutConfiguration") or {}
        self.timeout_action = timeout.get("action", "ROLLBACK") if self.target_type == "PAUSE" else None
        minutes = timeout.get("timeoutInMinutes")
        self.expires = now + minutes * minute_seconds if self.target_type == "PAUSE" and minutes else None
        # Lambda targets are not invoked by the emulator: the hook succeeds at once.
        self.status = "AWAITING_ACTION" if self.target_type == "PAUSE" else "SUCCEEDED"

    def api(self) -> dict[str, Any]:
        detail = {"hookId": self.hook_id, "targetType": self.target_type, "status": self.status}
        if self.target_arn:
            detail["targetArn"] = self.target_arn
        if self.expires is not None:
            detail["expiresAt"] = at(self.expires)
        if self.timeout_action:
            detail["timeoutAction"] = self.timeout_action
        return detail


class ServiceDeploymentRecord:
    """A service deployment: what ListServiceDeployments and DescribeServiceDeployments show."""

    def __init__(self, service: Any, deployment: Deployment, sources: list[Deployment], now: float):
        prefix = service.arn.split(":service/")[0]
        token = "".join(secrets.choice(_TOKEN) for _ in range(21))
        self.arn = f"{prefix}:service-deployment/{service.cluster_name}/{service.name}/{token}"
        self.service_arn = service.arn
        self.cluster_arn = service.cluster_arn
        self.deployment_id = deployment.id
        self.configuration = copy.deepcopy(service.deployment_configuration or {})
        self.strategy = self.configuration.get("strategy") or "ROLLING"
        self.source_ids = [d.id for d in sources]
        self.created = self.started = self.updated = now
        self.finished: float | None = None
        self.stopped: float | None = None
        self.status = "IN_PROGRESS"
        self.status_reason = f"ECS deployment {deployment.id} in progress."
        self.lifecycle_stage: str | None = None
        self.hooks: list[HookRun] = []
        self.rollback: dict[str, Any] | None = None
        self.rollback_deployment_id: str | None = None
        self.failure_count = 0
        self.threshold = 0
        self.breaker_triggered = False
        self.triggered_alarms: list[str] = []
        # Strategy progress: production traffic share of the target revision (percent), the
        # step reached, when the current stage or wait began, and a pending stop request.
        self.target_weight = 0.0
        self.test_weight = 0.0
        self.step = 0
        self.hooks_ran_for_step = False
        self.waiting_since = now
        self.stop_requested: str | None = None

    # -- state changes -------------------------------------------------------------

    def enter(self, stage: str, now: float) -> None:
        self.lifecycle_stage = stage
        self.waiting_since = now
        self.updated = now

    def finish(self, status: str, reason: str, now: float) -> None:
        if self.status in FINAL:
            return
        self.status = status
        self.status_reason = reason
        self.updated = now
        if status in ("SUCCESSFUL", "ROLLBACK_SUCCESSFUL", "ROLLBACK_FAILED"):
            self.finished = now
        if status == "STOPPED":
            self.stopped = now

    def start_rollback(self, reason: str, target: Deployment | None, service: Any, now: float) -> None:
        self.status = "ROLLBACK_IN_PROGRESS"
        self.status_reason = reason
        self.updated = now
        self.rollback = {"reason": reason, "startedAt": at(now)}
        if target is not None:
            self.rollback["serviceRevisionArn"] = revision_arn(service, target.id)

    @property
    def final(self) -> bool:
        return self.status in FINAL

    # -- API shapes ----------------------------------------------------------------

    def _revision(self, service: Any, state: ServiceState, deployment_id: str, weight: float) -> dict[str, Any]:
        deployment = next((d for d in service.deployments if d.id == deployment_id), None)
        revision = {"arn": revision_arn(service, deployment_id), "requestedProductionTrafficWeight": weight,
                    "requestedTestTrafficWeight": weight}
        if deployment is None:
            return {**revision, "requestedTaskCount": 0, "runningTaskCount": 0, "pendingTaskCount": 0}
        return {**revision, "requestedTaskCount": deployment.desired_count,
                "runningTaskCount": deployment.running_count, "pendingTaskCount": deployment.pending_count}

    def brief(self, service: Any) -> dict[str, Any]:
        brief = {
            "serviceDeploymentArn": self.arn, "serviceArn": self.service_arn, "clusterArn": self.cluster_arn,
            "createdAt": at(self.created), "startedAt": at(self.started),
            "targetServiceRevisionArn": revision_arn(service, self.deployment_id),
            "status": self.status, "statusReason": self.status_reason,
        }
        if self.finished is not None:
            brief["finishedAt"] = at(self.finished)
        return brief

    def describe(self, service: Any, state: ServiceState) -> dict[str, Any]:
        source_share = 100.0 - self.target_weight
        sources = [self._revision(service, state, i, source_share / max(1, len(self.source_ids)))
                   for i in self.source_ids]
        target = self._revision(service, state, self.deployment_id, self.target_weight)
        if self.strategy != "ROLLING":
            target["requestedTestTrafficWeight"] = self.test_weight
        breaker = self.configuration.get("deploymentCircuitBreaker") or {}
        alarms = self.configuration.get("alarms") or {}
        detail = {
            **self.brief(service),
            "updatedAt": at(self.updated),
            "sourceServiceRevisions": sources,
            "targetServiceRevision": target,
            "deploymentConfiguration": self.configuration,
            "deploymentCircuitBreaker": {
                "status": _monitor_status(breaker.get("enable"), self.breaker_triggered, self.final),
                "failureCount": self.failure_count,
                "threshold": self.threshold,
            },
            "alarms": {
                "status": _monitor_status(alarms.get("enable"), bool(self.triggered_alarms), self.final),
                "alarmNames": list(alarms.get("alarmNames") or []),
                "triggeredAlarmNames": list(self.triggered_alarms),
            },
        }
        if self.lifecycle_stage:
            detail["lifecycleStage"] = self.lifecycle_stage
        if self.hooks:
            detail["lifecycleHookDetails"] = [h.api() for h in self.hooks]
        if self.stopped is not None:
            detail["stoppedAt"] = at(self.stopped)
        if self.rollback:
            detail["rollback"] = self.rollback
        return detail


def _monitor_status(enabled: Any, triggered: bool, final: bool) -> str:
    if not enabled:
        return "DISABLED"
    if triggered:
        return "TRIGGERED"
    return "MONITORING_COMPLETE" if final else "MONITORING"


def revision(service: Any, deployment: Deployment, task_definition: Any) -> dict[str, Any]:
    """A service revision (API shape `ServiceRevision`): what a deployment runs, as it was created."""
    result: dict[str, Any] = {
        "serviceRevisionArn": revision_arn(service, deployment.id),
        "serviceArn": service.arn,
        "clusterArn": service.cluster_arn,
        "taskDefinition": deployment.task_definition,
        "createdAt": at(deployment.created),
        "loadBalancers": copy.deepcopy(service.load_balancers or []),
        "containerImages": [
            {"containerName": c.get("name"), "image": c.get("image")}
            for c in (task_definition.container_definitions if task_definition is not None else [])
        ],
    }
    if deployment.launch_type:
        result["launchType"] = deployment.launch_type
    if deployment.platform_version:
        result["platformVersion"] = deployment.platform_version
    if deployment.platform_family:
        result["platformFamily"] = deployment.platform_family
    if deployment.network_configuration:
        result["networkConfiguration"] = deployment.network_configuration
    return result
