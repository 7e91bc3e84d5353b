"""The background thread that moves every emulated service on, a few times a second, in every
account and region moto holds, and then runs the periodic jobs (metrics, alarms)."""

import sys
import threading
import time
import traceback
from typing import Callable, Iterable

from moto.ecs.models import ecs_backends

from .patches import LOCK
from .scheduler import Scheduler

Job = Callable[[float], None]


def start(scheduler: Scheduler, interval: float, jobs: Iterable[Job] = ()) -> threading.Thread:
    """Starts the daemon thread; it ticks every `interval` seconds until the process ends."""
    thread = threading.Thread(target=_run, args=(scheduler, interval, list(jobs)), name="ecs-emulator-ticker", daemon=True)
    thread.start()
    return thread


def tick(scheduler: Scheduler, jobs: list[Job], now: float) -> None:
    """One tick: every ECS backend, then every job."""
    for _account, _region, backend in list(ecs_backends.iter_backends()):
        try:
            scheduler.tick(backend, now)
        except Exception:  # the thread must go on ticking
            print("ecs-emulator: tick failed:", file=sys.stderr)
            traceback.print_exc()
    for job in jobs:
        try:
            job(now)
        except Exception:
            print(f"ecs-emulator: job {getattr(job, '__qualname__', job)} failed:", file=sys.stderr)
            traceback.print_exc()


def _run(scheduler: Scheduler, interval: float, jobs: list[Job]) -> None:
    while True:
        time.sleep(interval)
        with LOCK:
            tick(scheduler, jobs, time.time())
