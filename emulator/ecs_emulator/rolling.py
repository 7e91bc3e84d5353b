"""The rolling update (strategy ROLLING) under `minimumHealthyPercent` and `maximumPercent`.

As ECS documents it: during a deployment the service keeps at least
ceil(desired × minimumHealthyPercent / 100) healthy RUNNING tasks and never has more than
floor(desired × maximumPercent / 100) tasks RUNNING or PENDING, old and new together. So with
200 % / 100 % all new tasks start at once and the old ones stop when the new are healthy; with
100 % / 50 % half the old tasks stop first, then new ones start in their room, and so on.
"""

import math
from dataclasses import dataclass

from .model import EmulatedTask


@dataclass
class Plan:
    """What to do this tick: how many new tasks to launch and which old ones to stop."""

    launch: int
    stop: list[EmulatedTask]


def limits(desired: int, configuration: dict) -> tuple[int, int]:
    """(lower, upper): the healthy minimum and the running-or-pending maximum."""
    maximum = configuration.get("maximumPercent", 200)
    minimum = configuration.get("minimumHealthyPercent", 100)
    upper = math.floor(desired * maximum / 100)
    lower = math.ceil(desired * minimum / 100) if desired else 0
    return lower, max(upper, 1 if desired else 0)


def plan(desired: int, configuration: dict, new: list[EmulatedTask], old: list[EmulatedTask]) -> Plan:
    """One step of the replacement. `new` and `old` are the live tasks of the PRIMARY deployment
    and of the older ones."""
    lower, upper = limits(desired, configuration)
    # Old tasks that are not running yet serve no one: they go first.
    stop = [t for t in old if t.last_status != "RUNNING"]
    old_running = sorted((t for t in old if t.last_status == "RUNNING"), key=lambda t: -t._launched)
    healthy = sum(1 for t in new if t._healthy) + sum(1 for t in old_running if t._healthy)
    stoppable = max(0, healthy - lower)
    # Stop old tasks only while the new ones are not all in place, or once they all are healthy.
    new_healthy = sum(1 for t in new if t._healthy)
    if new_healthy >= desired:
        stop += old_running
    else:
        room_needed = max(0, desired - len(new)) - max(0, upper - (len(old) + len(new)))
        stop += old_running[: min(stoppable, max(0, room_needed))]
    remaining_old = len(old) - len(stop)
    launch = max(0, min(desired - len(new), upper - (remaining_old + len(new))))
    return Plan(launch=launch, stop=stop)
