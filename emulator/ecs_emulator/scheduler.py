"""The service scheduler moto lacks: deployments, scaling, circuit breaker and rollback.

Each tick reconciles every ACTIVE service that uses the ECS (rolling update) deployment
controller: the PRIMARY deployment runs `desiredCount` tasks; once they all run, older
(ACTIVE) deployments drain and disappear; after the rollout time the PRIMARY deployment is
COMPLETED. Consecutive start failures trip the circuit breaker (when enabled), which marks
the deployment FAILED and, with rollback on, deploys the last COMPLETED task definition again.
"""

import math
import sys
import traceback
from typing import Any

from moto.ecs.exceptions import TaskDefinitionNotFoundException

from . import events
from .model import Deployment, EmulatedTask, ServiceState, at, new_deployment_id
from .settings import Settings
from .tasks import FAILED, HEALTHY, UNHEALTHY, TaskLifecycle

DEFAULT_DEPLOYMENT_CONFIGURATION = {
    "deploymentCircuitBreaker": {"enable": False, "rollback": False},
    "maximumPercent": 200,
    "minimumHealthyPercent": 100,
}


def state_of(service: Any) -> ServiceState | None:
    return getattr(service, "_emulator", None)


class Scheduler:
    """Reconciles services against their tasks; called by the ticker and moto's API handlers."""

    def __init__(self, settings: Settings, lifecycle: TaskLifecycle):
        self.settings = settings
        self.lifecycle = lifecycle

    # -- API hooks -------------------------------------------------------------------

    def on_create(self, service: Any, orphans: list[EmulatedTask], now: float) -> None:
        """A new service: its first deployment (tasks of a deleted namesake are stopped)."""
        service.deployment_configuration = merged_configuration(None, getattr(service, "deployment_configuration", None))
        service.created_at = at(now)
        if service.deployment_controller.get("type") != "ECS" or not service.task_definition:
            return
        service._emulator = ServiceState(tasks=list(orphans))
        service.deployments = []
        self._new_deployment(service, service.task_definition, now)
        refresh_counts(service)

    def on_update(self, service: Any, force: bool, now: float) -> None:
        """After UpdateService: a new deployment for a new task definition or when forced,
        else the PRIMARY deployment follows the desired count."""
        state = state_of(service)
        if state is None:
            return
        primary = service.deployments[0] if service.deployments else None
        if primary is None or force or primary.task_definition != service.task_definition:
            self._new_deployment(service, service.task_definition, now)
        elif primary.desired_count != service.desired_count:
            primary.desired_count = service.desired_count
            primary.updated = now
            state.steady = False
        refresh_counts(service)

    def on_stop_task(self, task: EmulatedTask, reason: str | None, now: float) -> None:
        """StopTask on a service task: it stops and the scheduler replaces it."""
        self.lifecycle.request_stop(task, now, reason or "Task stopped by user", "UserInitiated")

    # -- the tick --------------------------------------------------------------------

    def tick(self, backend: Any, now: float) -> None:
        for service in list(backend.services.values()):
            if state_of(service) is None:
                continue
            try:
                self.reconcile(backend, service, now)
            except Exception:  # one broken service must not hold up the others
                print(f"ecs-emulator: reconciling service {service.name} failed:", file=sys.stderr)
                traceback.print_exc()
        refresh_cluster_counts(backend)

    def reconcile(self, backend: Any, service: Any, now: float) -> None:
        state = state_of(service)
        self._advance_tasks(backend, service, state, now)
        if service.status != "ACTIVE":
            self._stop(service, [t for t in state.tasks if t.live], now, "Service deleted", announce=False)
        else:
            primary = self._circuit_breaker(backend, service, state, now)
            if primary.rollout_state != "FAILED":
                self._scale(backend, service, state, primary, now)
            self._drain(service, state, primary, now)
        refresh_counts(service)
        if service.status == "ACTIVE":
            self._settle(service, state, now)
        self._prune(backend, service, state)

    def _advance_tasks(self, backend: Any, service: Any, state: ServiceState, now: float) -> None:
        for task in list(state.tasks):
            outcome = self.lifecycle.advance(backend, task, now)
            deployment = _deployment(service, task._deployment_id)
            if outcome == HEALTHY and deployment is not None:
                deployment._had_running_task = True
                deployment.failed_tasks = 0
            elif outcome in (FAILED, UNHEALTHY):
                if outcome == UNHEALTHY:
                    self._event(service, events.health_check_failed(service.name, task._id), now)
                if deployment is not None and not deployment._had_running_task:
                    deployment.failed_tasks += 1
                    deployment.updated = now
                state.steady = False

    def _circuit_breaker(self, backend: Any, service: Any, state: ServiceState, now: float) -> Deployment:
        """Fails the PRIMARY deployment at the threshold; rolls back when configured. Returns the PRIMARY."""
        primary = service.deployments[0]
        if primary.rollout_state != "IN_PROGRESS" or primary.failed_tasks == 0:
            return primary
        if primary.failed_tasks >= 2 and not primary._start_impaired_reported:
            primary._start_impaired_reported = True
            self._event(service, events.start_impaired(service.name), now)
        breaker = service.deployment_configuration.get("deploymentCircuitBreaker") or {}
        if not breaker.get("enable") or primary.failed_tasks < self.threshold(primary.desired_count):
            return primary
        primary.rollout_state = "FAILED"
        primary.rollout_state_reason = "ECS deployment circuit breaker: tasks failed to start."
        primary.updated = now
        self._stop(service, [t for t in state.tasks if t._deployment_id == primary.id and t.live], now,
                   f"Scaling activity initiated by (deployment {primary.id})", announce=False)
        self._event(service, events.deployment_failed(service.name, primary.id), now)
        target = state.last_completed
        if breaker.get("rollback") and target is not None:
            service.task_definition = target.task_definition
            self._event(service, events.rolling_back(service.name, target.id), now)
            reason = f"ECS deployment circuit breaker: rolling back to deploymentId {target.id}."
            return self._new_deployment(service, target.task_definition, now, reason)
        return primary

    def threshold(self, desired_count: int) -> int:
        """ECS's rule: half the desired count, at least the minimum (3 on ECS), at most 200."""
        return min(max(math.ceil(0.5 * desired_count), self.settings.failure_threshold), 200)

    def _scale(self, backend: Any, service: Any, state: ServiceState, primary: Deployment, now: float) -> None:
        live = [t for t in state.tasks if t._deployment_id == primary.id and t.live]
        missing = primary.desired_count - len(live)
        if missing > 0:
            try:
                task_definition = backend.describe_task_definition(primary.task_definition)
            except TaskDefinitionNotFoundException:  # deleted (DeleteTaskDefinitions): nothing to start
                return
            started = [self.lifecycle.launch(backend, service, primary.id, task_definition, now) for _ in range(missing)]
            state.tasks.extend(started)
            state.steady = False
            self._event(service, events.started(service.name, [t._id for t in started]), now)
        elif missing < 0:
            # Not yet running ones first, then the newest.
            extra = sorted(live, key=lambda t: (t.last_status == "RUNNING", -t._launched))[:-missing]
            self._stop(service, extra, now, f"Scaling activity initiated by (deployment {primary.id})")

    def _drain(self, service: Any, state: ServiceState, primary: Deployment, now: float) -> None:
        """Stops older deployments' tasks (all of them once the PRIMARY runs in full) and
        removes deployments that have no task left."""
        primary_healthy = sum(1 for t in state.tasks if t._deployment_id == primary.id and t.live and t._healthy)
        replaced = primary.rollout_state != "FAILED" and primary_healthy >= primary.desired_count
        current = {d.id for d in service.deployments}
        stop = []
        for task in state.tasks:
            if not task.live or task._deployment_id == primary.id:
                continue
            if replaced or task.last_status != "RUNNING" or task._deployment_id not in current:
                stop.append(task)
        self._stop(service, stop, now, f"Scaling activity initiated by (deployment {primary.id})")
        for old in service.deployments[1:]:
            if replaced:
                old.desired_count = 0
        # A FAILED deployment stays listed until the rollback that replaces it completes.
        service.deployments = [primary] + [
            d for d in service.deployments[1:]
            if _has_tasks(state, d) or (d.rollout_state == "FAILED" and primary.rollout_state == "IN_PROGRESS")
        ]

    def _settle(self, service: Any, state: ServiceState, now: float) -> None:
        """COMPLETED after the rollout time once only the PRIMARY's tasks run, in full;
        a steady-state event whenever the service settles again."""
        primary = service.deployments[0]
        in_transit = any(t.last_status != "STOPPED" and not (t.live and t._healthy) for t in state.tasks)
        settled = (
            not any(_has_tasks(state, d) for d in service.deployments[1:])
            and not in_transit
            and primary.running_count == primary.desired_count
        )
        if not settled or primary.rollout_state == "FAILED":
            return
        if primary.rollout_state == "IN_PROGRESS":
            if now - primary.created < self.settings.rollout_seconds:
                return
            primary.rollout_state = "COMPLETED"
            primary.rollout_state_reason = f"ECS deployment {primary.id} completed."
            primary.updated = now
            state.last_completed = primary
            service.deployments = [primary]
            state.steady = False
            self._event(service, events.deployment_completed(service.name, primary.id), now)
        if not state.steady:
            state.steady = True
            self._event(service, events.steady_state(service.name), now)

    def _prune(self, backend: Any, service: Any, state: ServiceState) -> None:
        """Keeps the last few STOPPED tasks of a service (for their stopped reasons)."""
        stopped = [t for t in state.tasks if t.last_status == "STOPPED"]
        for task in stopped[: max(0, len(stopped) - self.settings.stopped_tasks_kept)]:
            state.tasks.remove(task)
            backend.tasks.get(service.cluster_name, {}).pop(task.task_arn, None)

    # -- helpers ---------------------------------------------------------------------

    def _new_deployment(self, service: Any, task_definition: str, now: float, reason: str = "") -> Deployment:
        deployment = Deployment(
            id=new_deployment_id(),
            task_definition=task_definition,
            desired_count=service.desired_count,
            launch_type=service.launch_type,
            platform_version=service.platform_version,
            network_configuration=service.network_configuration or None,
            created=now,
            rollout_state_reason=reason,
        )
        for old in service.deployments:
            old.status = "ACTIVE"
            old.updated = now
        service.deployments.insert(0, deployment)
        state_of(service).steady = False
        return deployment

    def _stop(self, service: Any, tasks: list[EmulatedTask], now: float, reason: str, announce: bool = True) -> None:
        for task in tasks:
            self.lifecycle.request_stop(task, now, reason, "ServiceSchedulerInitiated")
        if tasks:
            state_of(service).steady = False
            if announce:
                self._event(service, events.stopped(service.name, [t._id for t in tasks]), now)

    def _event(self, service: Any, message: str, now: float) -> None:
        events.append(service.events, message, now, self.settings.max_events)


def _has_tasks(state: ServiceState, deployment: Deployment) -> bool:
    return any(t._deployment_id == deployment.id and t.last_status != "STOPPED" for t in state.tasks)


def _deployment(service: Any, deployment_id: str) -> Deployment | None:
    return next((d for d in service.deployments if d.id == deployment_id), None)


def merged_configuration(previous: dict | None, given: dict | None) -> dict:
    """deploymentConfiguration as ECS returns it: what was given over the previous value
    (ECS's defaults for a new service)."""
    merged = dict(previous or DEFAULT_DEPLOYMENT_CONFIGURATION)
    merged.update(given or {})
    return merged


def refresh_counts(service: Any) -> None:
    """running/pending counts of the service and of each deployment, from its tasks."""
    state = state_of(service)
    for deployment in service.deployments:
        mine = [t for t in state.tasks if t._deployment_id == deployment.id and t.live]
        deployment.running_count = sum(1 for t in mine if t.last_status == "RUNNING")
        deployment.pending_count = sum(1 for t in mine if t.last_status in ("PROVISIONING", "PENDING"))
    live = [t for t in state.tasks if t.live]
    service.running_count = sum(1 for t in live if t.last_status == "RUNNING")
    service.pending_count = sum(1 for t in live if t.last_status in ("PROVISIONING", "PENDING"))


def refresh_cluster_counts(backend: Any) -> None:
    """A cluster's running, pending and active service counts, from what it holds."""
    for name, cluster in backend.clusters.items():
        tasks = list(backend.tasks.get(name, {}).values())
        cluster.running_tasks_count = sum(1 for t in tasks if t.last_status == "RUNNING")
        cluster.pending_tasks_count = sum(1 for t in tasks if t.last_status in ("PROVISIONING", "PENDING"))
        cluster.active_services_count = sum(
            1 for s in backend.services.values() if s.cluster_name == name and s.status == "ACTIVE"
        )
