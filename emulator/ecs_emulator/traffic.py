"""Who serves a service's traffic and how: each RUNNING task's share of production traffic (by the
deployment's traffic weights while a BLUE_GREEN, LINEAR or CANARY deployment shifts it, else
evenly), and how its images answer (images.behaviour: `-errors` → 5xx, `-slow` → slow, else fine).
Used by the metrics publisher and the per-service HTTP endpoint.
"""

from typing import Any

from . import images
from .model import EmulatedTask


def behaviour(task: EmulatedTask) -> str:
    """"errors", "slow" or "ok": the worst of the task's containers."""
    kinds = {images.behaviour(c.image) for c in task.containers}
    for kind in ("errors", "slow"):
        if kind in kinds:
            return kind
    return "ok"


def shares(service: Any) -> list[tuple[EmulatedTask, float]]:
    """The RUNNING tasks of a service with their share of production traffic (summing to 1)."""
    state = getattr(service, "_emulator", None)
    if state is None or service.status != "ACTIVE" or not service.deployments:
        return []
    running = [t for t in state.tasks if t.live and t.last_status == "RUNNING"]
    if not running:
        return []
    primary = service.deployments[0]
    record = primary._record
    shifting = (
        record is not None and primary._rolls_back is None and primary.rollout_state == "IN_PROGRESS"
        and record.strategy in ("BLUE_GREEN", "LINEAR", "CANARY")
    )
    if not shifting:
        return [(t, 1.0 / len(running)) for t in running]
    green = [t for t in running if t._deployment_id == primary.id]
    blue = [t for t in running if t._deployment_id != primary.id]
    weight = record.target_weight / 100.0
    if not blue:
        weight = 1.0
    elif not green:
        weight = 0.0
    result = [(t, weight / len(green)) for t in green] if green else []
    result += [(t, (1.0 - weight) / len(blue)) for t in blue] if blue else []
    return [(t, share) for t, share in result if share > 0]
