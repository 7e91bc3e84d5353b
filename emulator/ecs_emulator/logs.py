"""CloudWatch Logs for emulated tasks, written straight into moto's logs backend.

For each container whose task definition uses the `awslogs` driver, lines go to group
`awslogs-group` (created when missing only with `awslogs-create-group: "true"`, as on ECS) and stream `<awslogs-stream-prefix>/<container>/<task id>`
(`<container>/<task id>` without a prefix), in the region of `awslogs-region`: startup lines,
one request or health-check line every few seconds while running (capped per stream),
shutdown lines, and the failure reason of tasks that fail.
"""

import random
import sys
from typing import Any

from moto.logs.exceptions import ResourceAlreadyExistsException
from moto.logs.models import logs_backends

from . import images
from .model import EmulatedContainer, EmulatedTask
from .settings import Settings

_PATHS = ["/health", "/api/items", "/api/items/42", "/api/status", "/metrics"]


class LogWriter:
    """Writes the log lines of emulated containers."""

    def __init__(self, settings: Settings):
        self.settings = settings

    def open(self, account_id: str, default_region: str, task: EmulatedTask) -> str | None:
        """Opens a stream per awslogs container, creating the group only where
        `awslogs-create-group` is "true". Returns a group that does not exist (the task cannot
        start, as on ECS), or None."""
        missing = None
        for container in task.containers:
            options = _awslogs_options(container)
            if options is None:
                continue
            region = options.get("awslogs-region") or default_region
            group = options.get("awslogs-group")
            if not group:
                continue
            prefix = options.get("awslogs-stream-prefix")
            name = f"{container.name}/{task._id}"
            stream = f"{prefix}/{name}" if prefix else name
            backend = logs_backends[account_id][region]
            if group not in backend.groups:
                if str(options.get("awslogs-create-group", "")).lower() != "true":
                    missing = missing or group
                    continue
                try:
                    backend.create_log_group(group, {})
                except ResourceAlreadyExistsException:
                    pass
            backend.ensure_log_stream(group, stream)
            task._logs[container.name] = {
                "backend": backend, "group": group, "stream": stream, "lines": 0, "next": 0.0,
            }
        return missing

    def started(self, task: EmulatedTask, now: float) -> None:
        for container in task.containers:
            state = self._state(task, container)
            if state is None:
                continue
            port = _port(container)
            self._write(task, container, now, [
                f"Starting {container.name} {images.tag(container.image)} on port {port}",
                f"{container.name} listening on 0.0.0.0:{port}",
            ])
            state["next"] = now + self.settings.log_interval_seconds

    def failed_to_start(self, task: EmulatedTask, now: float) -> None:
        for container in task.containers:
            if container.reason:
                self._write(task, container, now, [f"Pulling image {container.image}", f"ERROR {container.reason}"])

    def unhealthy(self, task: EmulatedTask, now: float) -> None:
        for container in task.containers:
            self._write(task, container, now, [
                'GET /health 503 "service unavailable"',
                f"ERROR {container.name} health check failed 3 times in a row",
            ])

    def stopping(self, task: EmulatedTask, now: float) -> None:
        for container in task.containers:
            self._write(task, container, now, [f"Received SIGTERM, stopping {container.name}", f"{container.name} stopped"])

    def periodic(self, task: EmulatedTask, now: float) -> None:
        """One request or health-check line per container when its interval has passed."""
        for container in task.containers:
            state = self._state(task, container)
            if state is None or now < state["next"]:
                continue
            state["next"] = now + self.settings.log_interval_seconds
            path = random.choice(_PATHS)
            self._write(task, container, now, [f"GET {path} 200 {random.randint(1, 40)}ms"])

    @staticmethod
    def _state(task: EmulatedTask, container: EmulatedContainer) -> dict[str, Any] | None:
        return task._logs.get(container.name)

    def _write(self, task: EmulatedTask, container: EmulatedContainer, now: float, lines: list[str]) -> None:
        state = self._state(task, container)
        if state is None:
            return
        room = self.settings.log_lines_per_stream - state["lines"]
        if room <= 0:
            return
        backend = state["backend"]
        # Never recreate a group that was deleted after the task started (Terraform destroy).
        if state["group"] not in backend.groups:
            return
        millis = int(now * 1000)
        events = [{"timestamp": millis, "message": line} for line in lines[:room]]
        try:
            backend.ensure_log_stream(state["group"], state["stream"])
            backend.put_log_events(state["group"], state["stream"], events)
        except Exception as error:  # a log line must never stop the scheduler
            print(f"ecs-emulator: could not write logs of task {task._id}: {error}", file=sys.stderr)
            return
        state["lines"] += len(events)


def _awslogs_options(container: EmulatedContainer) -> dict[str, str] | None:
    config = container._definition.get("logConfiguration") or {}
    if config.get("logDriver") != "awslogs":
        return None
    return config.get("options") or {}


def _port(container: EmulatedContainer) -> int:
    mappings = container._definition.get("portMappings") or []
    return int(mappings[0].get("containerPort", 8080)) if mappings else 8080
