"""ECS events on the default EventBridge bus of the task's or service's account and region, in the
shapes AWS documents (Amazon ECS Developer Guide: "Amazon ECS task state change events",
"Amazon ECS service deployment state change events", "Amazon ECS service action events"):

- "ECS Task State Change": the whole task (DescribeTasks' shape, ISO timestamps, `version`),
  resources = [task ARN], on every status change.
- "ECS Deployment State Change": SERVICE_DEPLOYMENT_IN_PROGRESS / _COMPLETED (INFO) and
  SERVICE_DEPLOYMENT_FAILED (ERROR) with `deploymentId`, `updatedAt`, `reason`.
- "ECS Service Action": SERVICE_STEADY_STATE and TASKS_STOPPED (INFO), SERVICE_TASK_START_IMPAIRED
  (WARN) with `clusterArn`, `createdAt` (TASKS_STOPPED also `reason` and `taskArns`).

moto's EventBridge matches rule patterns and delivers to the targets (SQS among them). Nothing is
built when the bus has no enabled rule, so services nobody listens to cost nothing.
"""

import json
from datetime import datetime, timezone
from typing import Any

from moto.events.models import EventsBackend, events_backends

from .backends import existing
from .model import EmulatedTask

SOURCE = "aws.ecs"
_TASK_FIELDS = (
    "attachments", "availabilityZone", "capacityProviderName", "clusterArn", "connectivity", "connectivityAt",
    "cpu", "createdAt", "desiredStatus", "enableExecuteCommand", "executionStoppedAt", "group", "healthStatus",
    "lastStatus", "launchType", "memory", "overrides", "platformFamily", "platformVersion", "pullStartedAt",
    "pullStoppedAt", "startedAt", "startedBy", "stopCode", "stoppedAt", "stoppedReason", "stoppingAt", "tags",
    "taskArn", "taskDefinitionArn", "version",
)
_CONTAINER_FIELDS = (
    "containerArn", "cpu", "exitCode", "healthStatus", "image", "imageDigest", "lastStatus", "memory",
    "memoryReservation", "name", "networkBindings", "networkInterfaces", "reason", "runtimeId", "taskArn",
)


def _iso(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"
    return value


def _snake(name: str) -> str:
    return "".join("_" + c.lower() if c.isupper() else c for c in name)


def _pick(obj: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    picked = {}
    for name in fields:
        value = getattr(obj, _snake(name), None)
        if value is not None and value != []:
            picked[name] = _iso(value)
    return picked


def task_detail(task: EmulatedTask, now: float) -> dict[str, Any]:
    """The `detail` of an "ECS Task State Change" event."""
    detail = _pick(task, _TASK_FIELDS)
    detail["containers"] = [_pick(c, _CONTAINER_FIELDS) for c in task.containers]
    detail["updatedAt"] = _iso(datetime.fromtimestamp(now, tz=timezone.utc))
    detail["attributes"] = [{"name": "ecs.cpu-architecture", "value": "x86_64"}]
    return detail


def _listening_bus(account: str, region: str) -> EventsBackend | None:
    backend = existing(events_backends, account, region)
    bus = backend.event_buses.get("default") if backend is not None else None
    if bus is None or not any(rule.state == "ENABLED" for rule in bus.rules.values()):
        return None
    return backend


def _account_region(arn: str) -> tuple[str, str]:
    parts = arn.split(":")
    return parts[4], parts[3]


def _iso_now(now: float) -> str:
    return _iso(datetime.fromtimestamp(now, tz=timezone.utc))


class EcsEvents:
    """A scheduler listener that puts ECS events on the default bus."""

    def _put(self, arn: str, detail_type: str, resources: list[str], detail: Any, now: float) -> None:
        account, region = _account_region(arn)
        backend = _listening_bus(account, region)
        if backend is None:
            return
        backend.put_events([{
            "Source": SOURCE,
            "DetailType": detail_type,
            "Resources": resources,
            "Detail": json.dumps(detail() if callable(detail) else detail),
            "Time": now,
        }])

    def task_changed(self, service: Any, task: EmulatedTask, now: float) -> None:
        self._put(task.task_arn, "ECS Task State Change", [task.task_arn], lambda: task_detail(task, now), now)

    def deployment_changed(self, service: Any, deployment: Any, event_name: str, now: float) -> None:
        failed = event_name == "SERVICE_DEPLOYMENT_FAILED"
        reason = deployment.rollout_state_reason
        if event_name == "SERVICE_DEPLOYMENT_COMPLETED":
            reason = f"ECS deployment {deployment.id} completed."
        detail = {
            "eventType": "ERROR" if failed else "INFO",
            "eventName": event_name,
            "deploymentId": deployment.id,
            "updatedAt": _iso_now(now),
            "reason": reason,
        }
        self._put(service.arn, "ECS Deployment State Change", [service.arn], detail, now)

    def service_action(self, service: Any, event_name: str, task_arns: list[str] | None, now: float) -> None:
        detail: dict[str, Any] = {
            "eventType": "WARN" if event_name == "SERVICE_TASK_START_IMPAIRED" else "INFO",
            "eventName": event_name,
            "clusterArn": service.cluster_arn,
            "createdAt": _iso_now(now),
        }
        if task_arns:
            detail["reason"] = service.events[0]["message"] if service.events else ""
            detail["taskArns"] = task_arns
        self._put(service.arn, "ECS Service Action", [service.arn], detail, now)


def install() -> None:
    """Fills gaps in moto's EventBridge: a DISABLED rule delivers nothing; a target without an
    input transformer gets the whole event, `account` included; and the JSONPath expressions of
    input templates are compiled once (moto compiled each one per event, ~0.4 s a delivery)."""
    import functools

    import jsonpath_ng.ext
    from moto.events.models import Rule
    from moto.events.utils import EventTemplateParser

    jsonpath_ng.ext.parse = functools.lru_cache(maxsize=1024)(jsonpath_ng.ext.parse)

    EventTemplateParser.DEFAULT_EVENT_INPUT_TEMPLATE = (
        '{"version": "0", "id": "<id>", "detail-type": "<detail-type>", "source": "<source>", '
        '"account": "<account>", "time": <time>, "region": "<region>", "resources": <resources>, '
        '"detail": <detail>}'
    )

    send_to_targets = Rule.send_to_targets

    def send_if_enabled(self: Any, *args: Any, **kwargs: Any) -> None:
        if getattr(self, "state", "ENABLED") == "ENABLED":
            send_to_targets(self, *args, **kwargs)

    Rule.send_to_targets = send_if_enabled
