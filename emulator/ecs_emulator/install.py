"""Puts the layer in place: patches moto's classes in this process, registers the scheduler's
listeners and periodic jobs, and starts the ticker. Call install() once, before serving requests;
serve the WSGI app it returns (moto's app behind the /_emulator endpoints).

One line per part below: a new part registers itself here.
"""

from dataclasses import dataclass
from typing import Any, Callable

from . import accounts, deployment_api, throttling
from .logs import LogWriter
from .patches import LOCK, apply
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

    start(scheduler, settings.tick_seconds, jobs=[])
    return Layer(settings=settings, scheduler=scheduler, throttle=throttle, wrap=lambda app: app)


__all__ = ["Layer", "install", "LOCK"]
