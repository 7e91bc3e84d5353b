"""Load balancer targets that follow a service's tasks, in moto's ELBv2.

For each `loadBalancers` entry of a service with a target group, every awsvpc task is a target
(its private IP, the container port): registered when it reaches RUNNING (`initial`,
Elb.RegistrationInProgress), `healthy` a moment later, or `unhealthy`
(Target.ResponseCodeMismatch) when its image fails health checks (`unhealthy` images;
`-errors` and `-slow` images answer their health checks); `draining`
(Target.DeregistrationInProgress) once it is asked to stop, and gone when it is STOPPED.
DescribeTargetHealth answers these states.
"""

from typing import Any

from moto.elbv2.models import FakeHealthStatus, FakeTargetGroup, elbv2_backends

from .backends import existing
from .settings import Settings

REASONS = {
    "initial": ("Elb.RegistrationInProgress", "Target registration is in progress"),
    "unhealthy": ("Target.ResponseCodeMismatch", "Health checks failed with these codes: [503]"),
    "draining": ("Target.DeregistrationInProgress", "Target deregistration is in progress"),
}


def _ip(task: Any) -> str | None:
    for container in task.containers:
        for interface in container.network_interfaces:
            if interface.get("privateIpv4Address"):
                return interface["privateIpv4Address"]
    return None


class Targets:
    """A scheduler listener: keeps target groups in step with the tasks."""

    def __init__(self, settings: Settings):
        self.settings = settings

    def service_reconciled(self, backend: Any, service: Any, now: float) -> None:
        entries = [e for e in (service.load_balancers or []) if e.get("targetGroupArn")]
        if not entries:
            return
        elbv2 = existing(elbv2_backends, backend.account_id, backend.region_name)
        if elbv2 is None:
            return
        healthy_after = self.settings.after(0.2)
        for entry in entries:
            target_group = elbv2.target_groups.get(entry["targetGroupArn"])
            if target_group is not None:
                self._sync(target_group, service, entry, now, healthy_after)

    def _sync(self, target_group: FakeTargetGroup, service: Any, entry: dict, now: float, healthy_after: float) -> None:
        port = entry.get("containerPort") or target_group.port
        wanted: dict[str, tuple[str, Any]] = {}
        for task in service._emulator.tasks:
            ip = _ip(task)
            if ip is None or task.last_status in ("PROVISIONING", "PENDING", "STOPPED"):
                continue
            if not task.live:
                wanted[ip] = ("draining", task)
            elif task.health_status == "UNHEALTHY" or (task._fault == "unhealthy" and now - task._updated >= healthy_after):
                wanted[ip] = ("unhealthy", task)
            elif now - task._updated >= healthy_after:
                wanted[ip] = ("healthy", task)
            else:
                wanted[ip] = ("initial", task)
        mine = {i for i, t in target_group.targets.items() if t.get("_service") == service.arn}
        for ip in mine - set(wanted):
            target_group.targets.pop(ip, None)
        for ip, (state, task) in wanted.items():
            target_group.targets[ip] = {"Id": ip, "Port": port, "_state": state, "_service": service.arn,
                                        "_task": task.task_arn}


def install() -> None:
    """DescribeTargetHealth answers the emulator's target states."""
    health_for = FakeTargetGroup.health_for

    def emulated_health_for(self: FakeTargetGroup, target: dict[str, Any], ec2_backend: Any) -> FakeHealthStatus:
        registered = self.targets.get(target["Id"])
        if registered is not None and "_state" in registered:
            state = registered["_state"]
            reason, description = REASONS.get(state, (None, None))
            return FakeHealthStatus(registered["Id"], registered["Port"], self.health_check_port, state, reason, description)
        return health_for(self, target, ec2_backend)

    FakeTargetGroup.health_for = emulated_health_for
