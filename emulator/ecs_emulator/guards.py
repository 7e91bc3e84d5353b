"""What fails a deployment and rolls it back: the circuit breaker, deployment alarms
(`deploymentConfiguration.alarms`), StopServiceDeployment, and a PAUSE lifecycle hook that times
out or is answered ROLLBACK.

The circuit breaker counts tasks of the PRIMARY deployment that fail before one of them runs;
at ECS's threshold (half the desired count, at least 3, at most 200) the deployment is FAILED.
A deployment alarm fails it when the alarm enters ALARM while the deployment (bake time
included) is in progress. With `rollback` (or always, for a stop or a hook), the service goes
back to the last COMPLETED deployment: for ROLLING a new deployment of its task definition, for
the traffic-shifting strategies the blue revision still running takes the traffic back.
"""

import math
from datetime import datetime, timezone
from typing import Any

from moto.cloudwatch.models import cloudwatch_backends

from . import events
from .model import Deployment, ServiceState


def _epoch(moment: datetime) -> float:
    """moto keeps naive UTC datetimes."""
    return (moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)).timestamp()


class Guards:
    """Checks the PRIMARY deployment of a service each tick; calls back into the scheduler."""

    def __init__(self, settings: Any, scheduler: Any):
        self.settings = settings
        self.scheduler = scheduler

    def threshold(self, desired_count: int) -> int:
        """ECS's rule: half the desired count, at least the minimum (3 on ECS), at most 200."""
        return min(max(math.ceil(0.5 * desired_count), self.settings.failure_threshold), 200)

    def check(self, backend: Any, service: Any, state: ServiceState, now: float) -> None:
        primary = service.deployments[0]
        record = primary._record
        self._settle_rollbacks(service, state, now)
        if primary.rollout_state != "IN_PROGRESS":
            return
        if record is not None and primary._rolls_back is None:
            record.threshold = self.threshold(primary.desired_count)
            record.failure_count = primary.failed_tasks
        breaker = service.deployment_configuration.get("deploymentCircuitBreaker") or {}
        if primary.failed_tasks:
            if primary.failed_tasks >= 2 and not primary._start_impaired_reported:
                primary._start_impaired_reported = True
                self.scheduler.start_impaired(service, now)
            if breaker.get("enable") and primary.failed_tasks >= self.threshold(primary.desired_count):
                if record is not None:
                    record.breaker_triggered = True
                self.fail(service, state, primary, now, "ECS deployment circuit breaker: tasks failed to start.",
                          events.deployment_failed(service.name, primary.id), bool(breaker.get("rollback")),
                          "ECS deployment circuit breaker")
                return
        if record is None or primary._rolls_back is not None:
            return
        if record.stop_requested:
            self.fail(service, state, primary, now, record.stop_requested,
                      events.deployment_stopped(service.name, primary.id), True, "ECS deployment stop")
            return
        for hook in record.hooks:
            if hook.status == "AWAITING_ACTION" and hook.expires is not None and now >= hook.expires:
                hook.status = "TIMED_OUT"
                if hook.timeout_action == "ROLLBACK":
                    reason = f"ECS deployment lifecycle hook {hook.hook_id} timed out at {hook.stage}."
                    self.fail(service, state, primary, now, reason,
                              events.deployment_stopped(service.name, primary.id), True, "ECS deployment lifecycle hook")
                    return
        triggered = self._triggered_alarms(backend, service, primary)
        if triggered:
            record.triggered_alarms = triggered
            alarms = service.deployment_configuration.get("alarms") or {}
            names = ", ".join(triggered)
            self.fail(service, state, primary, now,
                      f"ECS deployment {primary.id} failed: alarm(s) {names} in ALARM state.",
                      events.deployment_alarm_failed(service.name, primary.id, names),
                      bool(alarms.get("rollback")), "ECS deployment alarms")

    def completed(self, service: Any, primary: Deployment, now: float) -> None:
        """The PRIMARY deployment completed: its service deployment succeeded."""
        record = primary._record
        if record is not None and primary._rolls_back is None:
            record.finish("SUCCESSFUL", f"ECS deployment {primary.id} completed.", now)

    def _settle_rollbacks(self, service: Any, state: ServiceState, now: float) -> None:
        """A rollback succeeded once the deployment it went back to is PRIMARY and COMPLETED and
        the failed one is gone."""
        primary = service.deployments[0]
        listed = {d.id for d in service.deployments}
        for record in state.records[:2]:
            if (record.status == "ROLLBACK_IN_PROGRESS" and record.rollback_deployment_id == primary.id
                    and primary.rollout_state == "COMPLETED" and record.deployment_id not in listed):
                record.finish("ROLLBACK_SUCCESSFUL", f"Service deployment rolled back to {primary.id}.", now)

    def _triggered_alarms(self, backend: Any, service: Any, primary: Deployment) -> list[str]:
        configuration = service.deployment_configuration.get("alarms") or {}
        names = configuration.get("alarmNames") or []
        if not configuration.get("enable") or not names:
            return []
        alarms = cloudwatch_backends[backend.account_id][backend.region_name].alarms
        return [
            name for name in names
            if name in alarms and alarms[name].state_value == "ALARM"
            and _epoch(alarms[name].state_updated_timestamp) >= primary.created
        ]

    def fail(self, service: Any, state: ServiceState, deployment: Deployment, now: float, reason: str,
             message: str, rollback: bool, cause: str) -> None:
        """Marks `deployment` FAILED, stops its tasks, and rolls back when asked to and possible."""
        scheduler = self.scheduler
        deployment.rollout_state = "FAILED"
        deployment.rollout_state_reason = reason
        deployment.updated = now
        scheduler.stop(service, [t for t in state.tasks if t._deployment_id == deployment.id and t.live], now,
                       f"Scaling activity initiated by (deployment {deployment.id})", announce=False)
        scheduler.event(service, message, now)
        scheduler.deployment_failed(service, deployment, now)
        record = deployment._record
        target = state.last_completed
        if deployment._rolls_back is not None:
            if record is not None:
                record.finish("ROLLBACK_FAILED", reason, now)
            return
        if not rollback or target is None or target is deployment:
            if record is not None:
                record.finish("STOPPED", reason, now)
            return
        rollback_reason = f"{cause}: rolling back to deploymentId {target.id}."
        if record is not None:
            record.start_rollback(reason, target, service, now)
            record.target_weight = 0.0
            record.test_weight = 0.0
        service.task_definition = target.task_definition
        scheduler.event(service, events.rolling_back(service.name, target.id), now)
        blue_serves = any(t._deployment_id == target.id and t.live for t in state.tasks)
        if record is not None and record.strategy != "ROLLING" and blue_serves and target in service.deployments:
            # The blue revision still runs: it takes the traffic back.
            service.deployments.remove(target)
            for other in service.deployments:
                other.status = "ACTIVE"
            target.status = "PRIMARY"
            target.updated = now
            service.deployments.insert(0, target)
            record.rollback_deployment_id = target.id
            return
        scheduler.new_deployment(service, target.task_definition, now, rollback_reason, rolls_back=deployment)
