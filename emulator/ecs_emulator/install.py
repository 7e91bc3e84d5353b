"""Puts the layer in place: patches moto's classes in this process and starts the ticker.
Call install() once, before serving requests.
"""

from . import autoscaling
from .logs import LogWriter
from .patches import apply
from .scheduler import Scheduler
from .settings import Settings
from .tasks import TaskLifecycle
from .ticker import start


def install() -> Settings:
    """Patches moto and starts ticking; returns the settings in effect."""
    settings = Settings.from_env()
    scheduler = Scheduler(settings, TaskLifecycle(settings, LogWriter(settings)))
    apply(scheduler)
    autoscaling.apply()
    start(scheduler, settings.tick_seconds)
    return settings
