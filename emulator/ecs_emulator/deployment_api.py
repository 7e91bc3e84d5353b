"""The ECS service-deployment APIs moto lacks: ListServiceDeployments, DescribeServiceDeployments,
StopServiceDeployment, ContinueServiceDeployment and DescribeServiceRevisions, answered from the
records the scheduler keeps (service_deployments.py) for services of the caller's account and
region.
"""

import base64
from datetime import datetime, timezone
from typing import Any

from moto.core.responses import ActionResult
from moto.ecs.exceptions import ECSException, InvalidParameterException
from moto.ecs.responses import EC2ContainerServiceResponse

from .service_deployments import ServiceDeploymentRecord


class ServiceDeploymentNotFoundException(ECSException):
    def __init__(self, arn: str) -> None:
        super().__init__("ServiceDeploymentNotFoundException", f"The service deployment {arn} was not found.")


class ConflictException(ECSException):
    def __init__(self, message: str) -> None:
        super().__init__("ConflictException", message)


def _find(backend: Any, arn: str) -> tuple[Any, ServiceDeploymentRecord] | None:
    """The service and record of a service deployment ARN, in this account and region."""
    parts = arn.split(":service-deployment/")
    if len(parts) != 2 or arn.split(":")[3:5] != [backend.region_name, backend.account_id]:
        return None
    cluster, _, rest = parts[1].partition("/")
    name = rest.split("/")[0]
    service = backend.services.get(f"{cluster}:{name}")
    if service is None or getattr(service, "_emulator", None) is None:
        return None
    record = next((r for r in service._emulator.records if r.arn == arn), None)
    return (service, record) if record is not None else None


def _epoch(value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=timezone.utc)).timestamp()
    return float(value)


def list_service_deployments(self: Any) -> ActionResult:
    service = self.ecs_backend._get_service(self._get_param("cluster", "default"), self._get_param("service"))
    statuses = self._get_param("status") or []
    window = self._get_param("createdAt") or {}
    after, before = _epoch(window.get("after")), _epoch(window.get("before"))
    max_results = int(self._get_param("maxResults") or 20)
    if not 1 <= max_results <= 100:
        raise InvalidParameterException("maxResults must be between 1 and 100.")
    records = [
        r for r in (service._emulator.records if getattr(service, "_emulator", None) else [])
        if (not statuses or r.status in statuses)
        and (after is None or r.created >= after) and (before is None or r.created <= before)
    ]
    token = self._get_param("nextToken")
    start = int(base64.b64decode(token).decode()) if token else 0
    page = records[start:start + max_results]
    result: dict[str, Any] = {"serviceDeployments": [r.brief(service) for r in page]}
    if start + max_results < len(records):
        result["nextToken"] = base64.b64encode(str(start + max_results).encode()).decode()
    return ActionResult(result)


def describe_service_deployments(self: Any) -> ActionResult:
    arns = self._get_param("serviceDeploymentArns") or []
    if not arns or len(arns) > 20:
        raise InvalidParameterException("serviceDeploymentArns must hold 1 to 20 ARNs.")
    found, failures = [], []
    for arn in arns:
        match = _find(self.ecs_backend, arn)
        if match is None:
            failures.append({"arn": arn, "reason": "MISSING"})
        else:
            service, record = match
            found.append(record.describe(service, service._emulator))
    return ActionResult({"serviceDeployments": found, "failures": failures})


def stop_service_deployment(self: Any) -> ActionResult:
    arn = self._get_param("serviceDeploymentArn")
    stop_type = self._get_param("stopType") or "ROLLBACK"
    if stop_type != "ROLLBACK":
        raise InvalidParameterException(f"stopType {stop_type!r} is not supported; the valid value is ROLLBACK.")
    match = _find(self.ecs_backend, arn or "")
    if match is None:
        raise ServiceDeploymentNotFoundException(arn)
    _service, record = match
    if record.status != "IN_PROGRESS":
        raise ConflictException(f"The service deployment {arn} is {record.status} and cannot be stopped.")
    record.status = "ROLLBACK_REQUESTED"
    record.stop_requested = "Service deployment rolled back by StopServiceDeployment."
    return ActionResult({"serviceDeploymentArn": arn})


def continue_service_deployment(self: Any) -> ActionResult:
    arn = self._get_param("serviceDeploymentArn")
    hook_id = self._get_param("hookId")
    action = self._get_param("action") or "CONTINUE"
    if action not in ("CONTINUE", "ROLLBACK"):
        raise InvalidParameterException(f"action {action!r} is not one of CONTINUE, ROLLBACK.")
    match = _find(self.ecs_backend, arn or "")
    if match is None:
        raise ServiceDeploymentNotFoundException(arn)
    _service, record = match
    hook = next((h for h in record.hooks if h.hook_id == hook_id), None)
    if hook is None:
        raise InvalidParameterException(f"The service deployment {arn} has no lifecycle hook {hook_id!r}.")
    if hook.status != "AWAITING_ACTION" or record.status != "IN_PROGRESS":
        raise ConflictException(f"The lifecycle hook {hook_id} is {hook.status}, not AWAITING_ACTION.")
    if action == "CONTINUE":
        hook.status = "SUCCEEDED"
    else:
        hook.status = "FAILED"
        record.status = "ROLLBACK_REQUESTED"
        record.stop_requested = f"Service deployment rolled back at lifecycle hook {hook_id} ({hook.stage})."
    return ActionResult({"serviceDeploymentArn": arn})


def describe_service_revisions(self: Any) -> ActionResult:
    arns = self._get_param("serviceRevisionArns") or []
    if not arns or len(arns) > 20:
        raise InvalidParameterException("serviceRevisionArns must hold 1 to 20 ARNs.")
    backend = self.ecs_backend
    found, failures = [], []
    for arn in arns:
        parts = arn.split(":service-revision/")
        revision = None
        if len(parts) == 2 and arn.split(":")[3:5] == [backend.region_name, backend.account_id]:
            cluster, name, revision_id = (parts[1].split("/") + ["", ""])[:3]
            service = backend.services.get(f"{cluster}:{name}")
            if service is not None and getattr(service, "_emulator", None) is not None:
                revision = service._emulator.revisions.get(revision_id)
        if revision is None:
            failures.append({"arn": arn, "reason": "MISSING"})
        else:
            found.append(revision)
    return ActionResult({"serviceRevisions": found, "failures": failures})


def install() -> None:
    """Adds the actions to moto's ECS responses (they dispatch by the snake_case action name)."""
    for handler in (list_service_deployments, describe_service_deployments, stop_service_deployment,
                    continue_service_deployment, describe_service_revisions):
        setattr(EC2ContainerServiceResponse, handler.__name__, handler)
