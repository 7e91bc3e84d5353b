"""Service events in ECS's wording, newest first, bounded like DescribeServices shows them."""

import uuid
from typing import Any

from .model import at


def _task_list(task_ids: list[str]) -> str:
    return " ".join(f"(task {t})" for t in task_ids)


def started(service: str, task_ids: list[str]) -> str:
    return f"(service {service}) has started {len(task_ids)} tasks: {_task_list(task_ids)}."


def stopped(service: str, task_ids: list[str]) -> str:
    return f"(service {service}) has stopped {len(task_ids)} running tasks: {_task_list(task_ids)}."


def steady_state(service: str) -> str:
    return f"(service {service}) has reached a steady state."


def deployment_completed(service: str, deployment_id: str) -> str:
    return f"(service {service}) (deployment {deployment_id}) deployment completed."


def deployment_failed(service: str, deployment_id: str) -> str:
    return f"(service {service}) (deployment {deployment_id}) deployment failed: tasks failed to start."


def deployment_alarm_failed(service: str, deployment_id: str, alarms: str) -> str:
    return f"(service {service}) (deployment {deployment_id}) deployment failed: alarm detected ({alarms})."


def deployment_stopped(service: str, deployment_id: str) -> str:
    return f"(service {service}) (deployment {deployment_id}) deployment stopped."


def rolling_back(service: str, deployment_id: str) -> str:
    return f"(service {service}) rolling back to deployment {deployment_id}."


def health_check_failed(service: str, task_id: str) -> str:
    return f"(service {service}) (task {task_id}) failed container health checks."


def start_impaired(service: str) -> str:
    return (
        f"(service {service}) is unable to consistently start tasks successfully. "
        "For more information, see the Troubleshooting section of the Amazon ECS Developer Guide."
    )


def append(events: list[dict[str, Any]], message: str, now: float, limit: int) -> None:
    """Adds an event in front (ECS lists newest first) and drops the oldest past `limit`."""
    events.insert(0, {"id": str(uuid.uuid4()), "createdAt": at(now), "message": message})
    del events[limit:]
