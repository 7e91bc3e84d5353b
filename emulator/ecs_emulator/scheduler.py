"""The service scheduler moto lacks: deployments, scaling, draining, steady state.

Each tick reconciles every ACTIVE service that uses the ECS deployment controller, in every
account and region: tasks move on (tasks.py), the guards fail and roll back deployments
(guards.py: circuit breaker, deployment alarms, StopServiceDeployment, lifecycle hook timeouts),
the deployment strategy launches and stops tasks and shifts traffic (strategies.py: ROLLING under
min/max percent, BLUE_GREEN, LINEAR, CANARY), and the PRIMARY deployment completes once only its
tasks run, in full, and the strategy is done. Listeners (EventBridge, load balancer targets) hear
of every task state change and of every service and deployment event.
"""

import copy
import sys
import traceback
from typing import Any

from moto.ecs.exceptions import TaskDefinitionNotFoundException

from . import events
from .guards import Guards
from .model import Deployment, EmulatedTask, ServiceState, at, new_deployment_id
from .service_deployments import ServiceDeploymentRecord, revision
from .settings import Settings
from .strategies import Strategies
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
        self.listeners: list[Any] = []
        self.guards = Guards(settings, self)
        self.strategies = Strategies(settings, self)
        lifecycle.on_change = self._task_changed

    # -- API hooks -------------------------------------------------------------------

    def on_create(self, service: Any, orphans: list[EmulatedTask], now: float) -> None:
        """A new service: its first deployment (tasks of a deleted namesake are stopped)."""
        service.deployment_configuration = merged_configuration(None, getattr(service, "deployment_configuration", None))
        service.created_at = at(now)
        if service.deployment_controller.get("type") != "ECS" or not service.task_definition:
            return
        service._emulator = ServiceState(tasks=list(orphans))
        service.deployments = []
        self.new_deployment(service, service.task_definition, now)
        refresh_counts(service)

    def on_configured(self, service: Any, now: float) -> None:
        """CreateService kept its deploymentConfiguration: the first deployment follows it."""
        state = state_of(service)
        if state is None or not service.deployments or service.deployments[0]._record is None:
            return
        record = service.deployments[0]._record
        record.configuration = copy.deepcopy(service.deployment_configuration or {})
        record.strategy = record.configuration.get("strategy") or "ROLLING"
        self.strategies.started(service, service.deployments[0], now)

    def on_update(self, service: Any, force: bool, now: float) -> None:
        """After UpdateService: a new deployment for a new task definition or when forced,
        else the PRIMARY deployment follows the desired count."""
        state = state_of(service)
        if state is None:
            return
        primary = service.deployments[0] if service.deployments else None
        if primary is None or force or primary.task_definition != service.task_definition:
            self.new_deployment(service, service.task_definition, now)
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
            self.stop(service, [t for t in state.tasks if t.live], now, "Service deleted", announce=False)
        else:
            self.guards.check(backend, service, state, now)
            primary = service.deployments[0]
            if primary.rollout_state != "FAILED":
                self.strategies.advance(backend, service, state, primary, now)
            self._forget_drained(service, state, now)
        refresh_counts(service)
        if service.status == "ACTIVE":
            self._settle(service, state, now)
        self._prune(backend, service, state)
        self._notify("service_reconciled", backend, service, now)

    def _advance_tasks(self, backend: Any, service: Any, state: ServiceState, now: float) -> None:
        for task in list(state.tasks):
            outcome = self.lifecycle.advance(backend, task, now)
            if outcome is None:
                continue
            deployment = _deployment(service, task._deployment_id)
            if outcome == HEALTHY and deployment is not None:
                deployment._had_running_task = True
                deployment.failed_tasks = 0
            elif outcome in (FAILED, UNHEALTHY):
                if outcome == UNHEALTHY:
                    self.event(service, events.health_check_failed(service.name, task._id), now)
                if deployment is not None and not deployment._had_running_task:
                    deployment.failed_tasks += 1
                    deployment.updated = now
                state.steady = False

    def _forget_drained(self, service: Any, state: ServiceState, now: float) -> None:
        """Stops the tasks of deployments no longer listed; removes listed ones that have no task
        left. A FAILED deployment stays listed while the rollback that replaces it runs."""
        current = {d.id for d in service.deployments}
        orphans = [t for t in state.tasks if t.live and t._deployment_id not in current]
        self.stop(service, orphans, now, f"Scaling activity initiated by (deployment {service.deployments[0].id})")
        primary = service.deployments[0]
        service.deployments = [primary] + [
            d for d in service.deployments[1:]
            if _has_tasks(state, d) or (d.rollout_state == "FAILED" and primary.rollout_state == "IN_PROGRESS")
        ]

    def _settle(self, service: Any, state: ServiceState, now: float) -> None:
        """COMPLETED after the rollout time once only the PRIMARY's tasks run, in full, and its
        strategy is done; a steady-state event whenever the service settles again."""
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
            if not self.strategies.may_complete(service, primary, now):
                return
            primary.rollout_state = "COMPLETED"
            primary.rollout_state_reason = f"ECS deployment {primary.id} completed."
            primary.updated = now
            state.last_completed = primary
            service.deployments = [primary]
            state.steady = False
            self.guards.completed(service, primary, now)
            self.event(service, events.deployment_completed(service.name, primary.id), now)
            self._notify("deployment_changed", service, primary, "SERVICE_DEPLOYMENT_COMPLETED", now)
        if not state.steady:
            state.steady = True
            self.event(service, events.steady_state(service.name), now)
            self._notify("service_action", service, "SERVICE_STEADY_STATE", None, now)

    def _prune(self, backend: Any, service: Any, state: ServiceState) -> None:
        """Keeps the last few STOPPED tasks of a service (for their stopped reasons)."""
        stopped = [t for t in state.tasks if t.last_status == "STOPPED"]
        for task in stopped[: max(0, len(stopped) - self.settings.stopped_tasks_kept)]:
            state.tasks.remove(task)
            backend.tasks.get(service.cluster_name, {}).pop(task.task_arn, None)

    # -- operations the guards and strategies use -------------------------------------

    def new_deployment(self, service: Any, task_definition: str, now: float, reason: str = "",
                       rolls_back: Deployment | None = None) -> Deployment:
        """A new PRIMARY deployment; the others become ACTIVE. A rollback deployment belongs to
        the service deployment it rolls back; any other gets a service deployment of its own."""
        state = state_of(service)
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
        sources = [d for d in service.deployments if _has_tasks(state, d)]
        for old in service.deployments:
            old.status = "ACTIVE"
            old.updated = now
            record = old._record
            if old.rollout_state == "IN_PROGRESS" and record is not None and rolls_back is None:
                record.finish("STOPPED", f"ECS deployment {old.id} was replaced by {deployment.id}.", now)
        service.deployments.insert(0, deployment)
        state.steady = False
        try:
            definition = service._backend.describe_task_definition(task_definition)
        except TaskDefinitionNotFoundException:
            definition = None
        state.revisions[deployment.id.split("/")[-1]] = revision(service, deployment, definition)
        for stale in list(state.revisions)[: max(0, len(state.revisions) - 2 * self.settings.service_deployments_kept)]:
            del state.revisions[stale]
        if rolls_back is not None:
            deployment._rolls_back = rolls_back
            deployment._record = rolls_back._record
            if deployment._record is not None:
                deployment._record.rollback_deployment_id = deployment.id
        else:
            record = ServiceDeploymentRecord(service, deployment, sources, now)
            deployment._record = record
            state.records.insert(0, record)
            del state.records[self.settings.service_deployments_kept:]
        self.strategies.started(service, deployment, now)
        self._notify("deployment_changed", service, deployment, "SERVICE_DEPLOYMENT_IN_PROGRESS", now)
        return deployment

    def launch(self, backend: Any, service: Any, deployment: Deployment, count: int, now: float) -> list[EmulatedTask]:
        """Starts `count` tasks of `deployment` (none when its task definition was deleted)."""
        if count <= 0:
            return []
        try:
            task_definition = backend.describe_task_definition(deployment.task_definition)
        except TaskDefinitionNotFoundException:  # deleted (DeleteTaskDefinitions): nothing to start
            return []
        state = state_of(service)
        started = [self.lifecycle.launch(backend, service, deployment.id, task_definition, now) for _ in range(count)]
        state.tasks.extend(started)
        state.steady = False
        self.event(service, events.started(service.name, [t._id for t in started]), now)
        for task in started:
            self._notify("task_changed", service, task, now)
        return started

    def stop(self, service: Any, tasks: list[EmulatedTask], now: float, reason: str, announce: bool = True) -> None:
        for task in tasks:
            self.lifecycle.request_stop(task, now, reason, "ServiceSchedulerInitiated")
        if tasks:
            state_of(service).steady = False
            if announce:
                self.event(service, events.stopped(service.name, [t._id for t in tasks]), now)
                self._notify("service_action", service, "TASKS_STOPPED", [t.task_arn for t in tasks], now)

    def event(self, service: Any, message: str, now: float) -> None:
        events.append(service.events, message, now, self.settings.max_events)

    def deployment_failed(self, service: Any, deployment: Deployment, now: float) -> None:
        self._notify("deployment_changed", service, deployment, "SERVICE_DEPLOYMENT_FAILED", now)

    def start_impaired(self, service: Any, now: float) -> None:
        self.event(service, events.start_impaired(service.name), now)
        self._notify("service_action", service, "SERVICE_TASK_START_IMPAIRED", None, now)

    def _task_changed(self, task: EmulatedTask, now: float) -> None:
        self._notify("task_changed", None, task, now)

    def _notify(self, name: str, *args: Any) -> None:
        for listener in self.listeners:
            method = getattr(listener, name, None)
            if method is None:
                continue
            try:
                method(*args)
            except Exception:  # a listener must never stop the scheduler
                print(f"ecs-emulator: listener {type(listener).__name__}.{name} failed:", file=sys.stderr)
                traceback.print_exc()


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
    counts: dict[str, list[int]] = {}
    running = pending = 0
    for task in state.tasks:
        if not task.live:
            continue
        entry = counts.setdefault(task._deployment_id, [0, 0])
        if task.last_status == "RUNNING":
            entry[0] += 1
            running += 1
        elif task.last_status in ("PROVISIONING", "PENDING"):
            entry[1] += 1
            pending += 1
    for deployment in service.deployments:
        deployment.running_count, deployment.pending_count = counts.get(deployment.id, (0, 0))
    service.running_count, service.pending_count = running, pending


def refresh_cluster_counts(backend: Any) -> None:
    """A cluster's running, pending and active service counts, from what it holds."""
    active: dict[str, int] = {}
    for service in backend.services.values():
        if service.status == "ACTIVE":
            active[service.cluster_name] = active.get(service.cluster_name, 0) + 1
    for name, cluster in backend.clusters.items():
        running = pending = 0
        for task in backend.tasks.get(name, {}).values():
            if task.last_status == "RUNNING":
                running += 1
            elif task.last_status in ("PROVISIONING", "PENDING"):
                pending += 1
        cluster.running_tasks_count, cluster.pending_tasks_count = running, pending
        cluster.active_services_count = active.get(name, 0)
