"""Task lifecycle: launching a service's tasks and moving them through ECS's states by time.

A healthy task goes PROVISIONING -> PENDING (image pull) -> RUNNING. A task with a `broken`
image goes PROVISIONING -> PENDING -> STOPPED (CannotPullContainerError, TaskFailedToStart).
One with an `unhealthy` image reaches RUNNING, then fails its container health checks and is
stopped. A task whose awslogs group does not exist (and may not be created: no
`awslogs-create-group`) stops in PENDING with ResourceInitializationError, as on ECS.
A stop goes DEACTIVATING -> STOPPING -> STOPPED. Every status change is reported to `on_change`.
"""

import uuid
from typing import Any, Callable

from moto.utilities.utils import get_partition

from . import images
from .logs import LogWriter
from .model import EmulatedTask, at
from .settings import Settings

# What advance() reports, for the scheduler's counts and the circuit breaker.
HEALTHY = "healthy"          # reached RUNNING and stays
STARTED = "started"          # reached RUNNING but will fail its health checks
FAILED = "failed"            # could not start (image pull)
UNHEALTHY = "unhealthy"      # failed its health checks, now stopping
STOPPED = "stopped"          # reached STOPPED after a stop request


class TaskLifecycle:
    """Creates emulated tasks and advances them; writes their logs on the way."""

    def __init__(self, settings: Settings, logs: LogWriter):
        self.settings = settings
        self.logs = logs
        self.on_change: Callable[[EmulatedTask, float], None] | None = None

    def launch(self, backend: Any, service: Any, deployment_id: str, task_definition: Any, now: float) -> EmulatedTask:
        """A new PROVISIONING task of `service`, registered where moto's ECS calls find tasks."""
        task_id = uuid.uuid4().hex
        region = backend.region_name
        arn = f"arn:{get_partition(region)}:ecs:{region}:{backend.account_id}:task/{service.cluster_name}/{task_id}"
        task = EmulatedTask(
            task_id=task_id,
            task_arn=arn,
            cluster_arn=service.cluster_arn,
            service_name=service.name,
            task_definition=task_definition,
            deployment_id=deployment_id,
            launch_type=service.launch_type or "EC2",
            region=region,
            tags=_task_tags(service, task_definition),
            subnet=_subnet(service, task_definition),
            now=now,
        )
        task.enable_execute_command = bool(getattr(service, "enable_execute_command", False))
        task._fault = _fault(task)
        backend.tasks.setdefault(service.cluster_name, {})[arn] = task
        return task

    def advance(self, backend: Any, task: EmulatedTask, now: float) -> str | None:
        """Moves `task` on to the state its age calls for; returns what happened, if anything."""
        if task._stop_requested is not None:
            return self._advance_stop(task, now)
        age = now - task._launched
        s = self.settings
        if task.last_status == "PROVISIONING" and age >= s.after(s.pending_at):
            task.pull_started_at = at(now)
            missing_group = self.logs.open(backend.account_id, backend.region_name, task)
            if missing_group and task._fault is None:
                task._fault = "logs"
            self._set(task, "PENDING", now)
        if task.last_status == "PENDING" and age >= s.after(s.running_at):
            if task._fault == "broken":
                return self._fail_pull(task, now)
            if task._fault == "logs":
                return self._fail_init(task, now)
            return self._run(task, now)
        if task.last_status == "RUNNING":
            if task._fault == "unhealthy" and age >= s.after(s.running_at + 0.3):
                return self._fail_health(task, now)
            self.logs.periodic(task, now)
        return None

    def request_stop(self, task: EmulatedTask, now: float, reason: str, code: str) -> None:
        """Asks a live task to stop; it reaches STOPPED a little later."""
        if not task.live:
            return
        if task.last_status == "RUNNING":
            self.logs.stopping(task, now)
        task.desired_status = "STOPPED"
        task._stop_requested = now
        task.stopping_at = at(now)
        task.stopped_reason = reason
        task.stop_code = code
        self._set(task, "DEACTIVATING", now)

    def _advance_stop(self, task: EmulatedTask, now: float) -> str | None:
        waited = now - task._stop_requested
        takes = self.settings.after(self.settings.stop_takes)
        if task.last_status == "DEACTIVATING" and waited >= takes / 2:
            self._set(task, "STOPPING", now)
        if task.last_status == "STOPPING" and waited >= takes:
            self._finish(task, now, exit_code=0)
            return STOPPED
        return None

    def _run(self, task: EmulatedTask, now: float) -> str:
        task.pull_stopped_at = task.started_at = task.connectivity_at = at(now)
        task.connectivity = "CONNECTED"
        checked = False
        for n, container in enumerate(task.containers):
            container.last_status = "RUNNING"
            container.image_digest = images.digest(container.image)
            container.runtime_id = f"{task._id}-{n}"
            if container._definition.get("healthCheck"):
                container.health_status = "HEALTHY"
                checked = True
        task.health_status = "HEALTHY" if checked else "UNKNOWN"
        if task._fault != "unhealthy":
            task._healthy = True
        else:
            task.health_status = "UNKNOWN"  # still being evaluated
        self._set(task, "RUNNING", now)
        self.logs.started(task, now)
        return STARTED if task._fault == "unhealthy" else HEALTHY

    def _fail_pull(self, task: EmulatedTask, now: float) -> str:
        reasons = []
        for container in task.containers:
            if images.is_broken(container.image):
                container.reason = images.pull_error(container.image)
                reasons.append(container.reason)
        task.pull_stopped_at = task.stopping_at = at(now)
        task.desired_status = "STOPPED"
        task.stopped_reason = reasons[0]
        task.stop_code = "TaskFailedToStart"
        self.logs.failed_to_start(task, now)
        self._finish(task, now, exit_code=None)
        return FAILED

    def _fail_init(self, task: EmulatedTask, now: float) -> str:
        """The awslogs log group does not exist: ECS cannot set up the task's logging."""
        task.pull_stopped_at = task.stopping_at = at(now)
        task.desired_status = "STOPPED"
        task.stopped_reason = (
            "ResourceInitializationError: failed to validate logger args: create stream has been "
            "retried 1 times: failed to create Cloudwatch log stream: ResourceNotFoundException: "
            "The specified log group does not exist. : exit status 1"
        )
        task.stop_code = "TaskFailedToStart"
        self._finish(task, now, exit_code=None)
        return FAILED

    def _fail_health(self, task: EmulatedTask, now: float) -> str:
        for container in task.containers:
            container.health_status = "UNHEALTHY"
        task.health_status = "UNHEALTHY"
        self.logs.unhealthy(task, now)
        self.request_stop(task, now, "Task failed container health checks", "ServiceSchedulerInitiated")
        return UNHEALTHY

    def _finish(self, task: EmulatedTask, now: float, exit_code: int | None) -> None:
        task.stopped_at = task.execution_stopped_at = at(now)
        task.connectivity = None
        for container in task.containers:
            if container.last_status == "RUNNING":
                container.exit_code = exit_code
            container.last_status = "STOPPED"
        for attachment in task.attachments:
            attachment["status"] = "DELETED"
        self._set(task, "STOPPED", now)

    def _set(self, task: EmulatedTask, status: str, now: float) -> None:
        task.last_status = status
        task.version += 1
        task._updated = now
        if self.on_change is not None:
            self.on_change(task, now)


def _fault(task: EmulatedTask) -> str | None:
    """How the task's images make it fail: "broken", "unhealthy" or not at all (None)."""
    if any(images.is_broken(c.image) for c in task.containers):
        return "broken"
    if any(images.is_unhealthy(c.image) for c in task.containers):
        return "unhealthy"
    return None


def _task_tags(service: Any, task_definition: Any) -> list[dict[str, str]]:
    """Tags as ECS gives them: propagated from the service or task definition, plus managed ones."""
    source = {"SERVICE": service.tags, "TASK_DEFINITION": task_definition.tags}.get(service.propagate_tags) or []
    tags = [dict(t) for t in source]
    if getattr(service, "enable_ecs_managed_tags", False):
        tags += [
            {"key": "aws:ecs:clusterName", "value": service.cluster_name},
            {"key": "aws:ecs:serviceName", "value": service.name},
        ]
    return tags


def _subnet(service: Any, task_definition: Any) -> str | None:
    """The subnet an awsvpc task's network interface is in (first of the service's)."""
    if task_definition.network_mode != "awsvpc":
        return None
    subnets = ((service.network_configuration or {}).get("awsvpcConfiguration") or {}).get("subnets") or []
    return subnets[0] if subnets else None
