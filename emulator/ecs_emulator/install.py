"""Puts the layer in place: patches moto's classes in this process, registers the scheduler's
listeners and periodic jobs, and starts the ticker. Call install() once, before serving requests;
serve the WSGI app it returns (moto's app behind the /_emulator endpoints).

One line per part below: a new part registers itself here.
"""

from dataclasses import dataclass
from typing import Any, Callable

from . import accounts, alarm_history, alarms, autoscaling, deployment_api, eventbridge, http_api, metrics, targets, throttling
from .alarms import AlarmEvaluator
from .eventbridge import EcsEvents
from .logs import LogWriter
from .metrics import MetricsPublisher
from .patches import apply
from .scheduler import Scheduler
from .settings import Settings
from .tasks import TaskLifecycle
from .ticker import start


@dataclass
class Layer:
    """What install() put in place."""

    settings: Settings
    scheduler: Scheduler
    throttle: throttling.Throttle
    wrap: Callable[[Any], Any]


def install() -> Layer:
    """Patches moto and starts ticking; returns the layer."""
    settings = Settings.from_env()
    scheduler = Scheduler(settings, TaskLifecycle(settings, LogWriter(settings)))
    throttle = throttling.Throttle(settings.throttling, settings.throttling_rates)

    apply(scheduler)                      # ECS backend and responses, the lock
    deployment_api.install()              # service deployments and revisions
    throttling.install(throttle)          # ECS token buckets, in front of the lock
    if settings.assume_role_checks:
        accounts.install(settings.main_account)  # AssumeRole as AWS decides it
    eventbridge.install()                 # disabled rules deliver nothing
    metrics.install()                     # queries see the emulator's series; percentiles
    alarms.install()                      # new alarms start INSUFFICIENT_DATA
    alarm_history.install()               # DescribeAlarmHistory of the evaluator's state changes
    targets.install()                     # DescribeTargetHealth from the tasks
    autoscaling.apply()                   # Application Auto Scaling targets for ECS services

    scheduler.listeners += [
        EcsEvents(),                      # ECS events on the default EventBridge bus
        targets.Targets(settings),        # target groups follow the tasks
    ]
    jobs = [
        MetricsPublisher(settings),       # AWS/ECS, ECS/ContainerInsights, AWS/ApplicationELB
        AlarmEvaluator(settings),         # metric alarms move between OK, ALARM, INSUFFICIENT_DATA
    ]
    start(scheduler, settings.tick_seconds, jobs)
    return Layer(settings=settings, scheduler=scheduler, throttle=throttle,
                 wrap=lambda app: http_api.wrap(app, throttle, scheduler))
