"""Deployment strategies (`deploymentConfiguration.strategy`), as ECS runs them natively:

ROLLING (default): tasks are replaced in batches under minimumHealthyPercent/maximumPercent
(rolling.py). With deployment alarms, a bake time follows the replacement, during which the
alarms are still watched: the longest `period × evaluationPeriods` of the alarms (ECS computes
it from the alarm configuration).

BLUE_GREEN, LINEAR, CANARY: the green revision scales up to the desired count beside the blue
one, then traffic moves through the lifecycle stages PRE_SCALE_UP, SCALE_UP, POST_SCALE_UP,
TEST_TRAFFIC_SHIFT, POST_TEST_TRAFFIC_SHIFT, PRODUCTION_TRAFFIC_SHIFT (BLUE_GREEN: 100 % at once;
LINEAR: `stepPercent` per step, `stepBakeTimeInMinutes` between steps; CANARY: `canaryPercent`,
`canaryBakeTimeInMinutes`, then the rest), POST_PRODUCTION_TRAFFIC_SHIFT, BAKE_TIME
(`bakeTimeInMinutes`, both revisions running) and CLEAN_UP (the blue tasks stop). Lifecycle hooks
run when their stage begins (and at each production traffic step): a PAUSE hook holds the
deployment until ContinueServiceDeployment; Lambda hooks are not invoked (they succeed).

Minutes are emulated minutes (ECS_EMULATOR_MINUTE_SECONDS real seconds each).
"""

import math
from typing import Any

from moto.cloudwatch.models import cloudwatch_backends

from . import rolling
from .model import Deployment, EmulatedTask, ServiceState
from .service_deployments import HookRun, ServiceDeploymentRecord

SHIFT_STAGES = [
    "PRE_SCALE_UP", "SCALE_UP", "POST_SCALE_UP", "TEST_TRAFFIC_SHIFT", "POST_TEST_TRAFFIC_SHIFT",
    "PRODUCTION_TRAFFIC_SHIFT", "POST_PRODUCTION_TRAFFIC_SHIFT", "BAKE_TIME", "CLEAN_UP",
]
LINEAR_DEFAULTS = {"stepPercent": 10.0, "stepBakeTimeInMinutes": 6}
CANARY_DEFAULTS = {"canaryPercent": 5.0, "canaryBakeTimeInMinutes": 10}


def traffic_steps(configuration: dict[str, Any]) -> tuple[list[float], float]:
    """The production traffic shares of the green revision, step by step, and the minutes to
    wait between steps."""
    strategy = configuration.get("strategy") or "ROLLING"
    if strategy == "LINEAR":
        linear = {**LINEAR_DEFAULTS, **(configuration.get("linearConfiguration") or {})}
        step = float(linear["stepPercent"])
        return [min(100.0, round(step * k, 1)) for k in range(1, math.ceil(100.0 / step) + 1)], linear["stepBakeTimeInMinutes"]
    if strategy == "CANARY":
        canary = {**CANARY_DEFAULTS, **(configuration.get("canaryConfiguration") or {})}
        share = float(canary["canaryPercent"])
        return ([share, 100.0] if share < 100 else [100.0]), canary["canaryBakeTimeInMinutes"]
    return [100.0], 0


class Strategies:
    """Moves the PRIMARY deployment of a service on, by its strategy; calls back into the scheduler."""

    def __init__(self, settings: Any, scheduler: Any):
        self.settings = settings
        self.scheduler = scheduler

    # -- called by the scheduler -------------------------------------------------------

    def started(self, service: Any, deployment: Deployment, now: float) -> None:
        record = deployment._record
        if record is None or deployment._rolls_back is not None:
            return
        if _shifts_traffic(deployment):
            self._enter(service, record, "PRE_SCALE_UP", now)
        else:
            record.enter("SCALE_UP", now)

    def advance(self, backend: Any, service: Any, state: ServiceState, primary: Deployment, now: float) -> None:
        if primary.rollout_state == "IN_PROGRESS" and _shifts_traffic(primary):
            self._shift(backend, service, state, primary, now)
        else:
            self._roll(backend, service, state, primary, now)

    def may_complete(self, service: Any, primary: Deployment, now: float) -> bool:
        """Whether the PRIMARY deployment, in place and alone, may be COMPLETED now."""
        record = primary._record
        if record is None or primary._rolls_back is not None:
            return True
        if _shifts_traffic(primary):
            return record.lifecycle_stage == "CLEAN_UP"
        bake = self._alarm_bake_seconds(service)
        if bake <= 0:
            return True
        if record.lifecycle_stage != "BAKE_TIME":
            record.enter("BAKE_TIME", now)
            return False
        return now - record.waiting_since >= bake

    # -- ROLLING -----------------------------------------------------------------------

    def _roll(self, backend: Any, service: Any, state: ServiceState, primary: Deployment, now: float) -> None:
        new, old = _live(state, primary)
        record = primary._record
        if not old and len(new) == primary.desired_count and (record is None or record.final):
            return  # steady: nothing to launch, stop or weigh
        reason = f"Scaling activity initiated by (deployment {primary.id})"
        if len(new) > primary.desired_count:
            # Not yet running ones first, then the newest.
            extra = sorted(new, key=lambda t: (t.last_status == "RUNNING", -t._launched))
            self.scheduler.stop(service, extra[: len(new) - primary.desired_count], now, reason)
            new = [t for t in new if t.live]
        step = rolling.plan(primary.desired_count, service.deployment_configuration, new, old)
        self.scheduler.stop(service, step.stop, now, reason)
        self.scheduler.launch(backend, service, primary, step.launch, now)
        _follow_old_desired_counts(service, state, primary)
        if record is not None and primary._rolls_back is None and not record.final:
            healthy_new = sum(1 for t in new if t._healthy)
            healthy_old = sum(1 for t in old if t._healthy and t.live)
            total = healthy_new + healthy_old
            record.target_weight = round(100.0 * healthy_new / total, 1) if total else 0.0
            record.test_weight = record.target_weight

    def _alarm_bake_seconds(self, service: Any) -> float:
        alarms = service.deployment_configuration.get("alarms") or {}
        if not alarms.get("enable"):
            return 0.0
        backend = cloudwatch_backends[service._backend.account_id][service.region_name]
        known = [backend.alarms[n] for n in alarms.get("alarmNames") or [] if n in backend.alarms]
        return max((self.settings.period((a.period or 60) * (a.evaluation_periods or 1)) for a in known), default=0.0)

    # -- BLUE_GREEN, LINEAR, CANARY ----------------------------------------------------

    def _shift(self, backend: Any, service: Any, state: ServiceState, primary: Deployment, now: float) -> None:
        record: ServiceDeploymentRecord = primary._record
        green, blue = _live(state, primary)
        if record.lifecycle_stage not in ("PRE_SCALE_UP", None):
            self._keep_scaled(backend, service, primary, green, now)
        _follow_old_desired_counts(service, state, primary, keep=True)
        if any(h.status == "AWAITING_ACTION" for h in record.hooks):
            return
        stage = record.lifecycle_stage
        if stage == "SCALE_UP":
            if sum(1 for t in green if t._healthy) < primary.desired_count:
                return
        elif stage == "TEST_TRAFFIC_SHIFT":
            record.test_weight = 100.0
        elif stage == "PRODUCTION_TRAFFIC_SHIFT":
            if not self._production_step(service, record, now):
                return
        elif stage == "BAKE_TIME":
            bake = self.settings.minutes(record.configuration.get("bakeTimeInMinutes") or 0)
            if now - record.waiting_since < bake:
                return
        elif stage == "CLEAN_UP":
            self.scheduler.stop(service, blue, now, f"Scaling activity initiated by (deployment {primary.id})")
            return
        following = SHIFT_STAGES[SHIFT_STAGES.index(stage) + 1]
        self._enter(service, record, following, now)
        if following == "SCALE_UP":
            self._keep_scaled(backend, service, primary, green, now)

    def _production_step(self, service: Any, record: ServiceDeploymentRecord, now: float) -> bool:
        """Applies the next production traffic step when it is due; True once all are applied."""
        steps, wait_minutes = traffic_steps(record.configuration)
        if record.step >= len(steps):
            return True
        if record.step > 0:
            if now - record.waiting_since < self.settings.minutes(wait_minutes):
                return False
            if not record.hooks_ran_for_step:
                record.hooks_ran_for_step = True
                if self._run_hooks(record, "PRODUCTION_TRAFFIC_SHIFT", now):
                    return False
        record.target_weight = steps[record.step]
        record.step += 1
        record.waiting_since = now
        record.updated = now
        record.hooks_ran_for_step = False
        return False

    def _keep_scaled(self, backend: Any, service: Any, primary: Deployment, green: list[EmulatedTask], now: float) -> None:
        missing = primary.desired_count - len(green)
        if missing > 0:
            self.scheduler.launch(backend, service, primary, missing, now)
        elif missing < 0:
            extra = sorted(green, key=lambda t: (t.last_status == "RUNNING", -t._launched))[:-missing]
            self.scheduler.stop(service, extra, now, f"Scaling activity initiated by (deployment {primary.id})")

    def _enter(self, service: Any, record: ServiceDeploymentRecord, stage: str, now: float) -> None:
        record.enter(stage, now)
        record.hooks_ran_for_step = True
        self._run_hooks(record, stage, now)

    def _run_hooks(self, record: ServiceDeploymentRecord, stage: str, now: float) -> bool:
        """Starts the hooks of `stage`; True when one of them holds the deployment."""
        paused = False
        for hook in record.configuration.get("lifecycleHooks") or []:
            if stage in (hook.get("lifecycleStages") or []):
                run = HookRun(hook, stage, now, self.settings.minute_seconds)
                record.hooks.append(run)
                paused = paused or run.status == "AWAITING_ACTION"
        return paused


def _shifts_traffic(deployment: Deployment) -> bool:
    record = deployment._record
    return record is not None and deployment._rolls_back is None and record.strategy in ("BLUE_GREEN", "LINEAR", "CANARY")


def _live(state: ServiceState, primary: Deployment) -> tuple[list[EmulatedTask], list[EmulatedTask]]:
    """The live tasks of the PRIMARY deployment, and those of the others."""
    new: list[EmulatedTask] = []
    old: list[EmulatedTask] = []
    for task in state.tasks:
        if task.live:
            (new if task._deployment_id == primary.id else old).append(task)
    return new, old


def _follow_old_desired_counts(service: Any, state: ServiceState, primary: Deployment, keep: bool = False) -> None:
    """ECS lowers an older deployment's desired count as its tasks go."""
    if len(service.deployments) < 2:
        return
    live: dict[str, int] = {}
    for task in state.tasks:
        if task.live:
            live[task._deployment_id] = live.get(task._deployment_id, 0) + 1
    for old in service.deployments[1:]:
        count = live.get(old.id, 0)
        if not keep or count < old.desired_count:
            old.desired_count = count
