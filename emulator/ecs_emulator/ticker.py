"""The background thread that moves every emulated service on, a few times a second."""

import sys
import threading
import time
import traceback

from moto.ecs.models import ecs_backends

from .patches import LOCK
from .scheduler import Scheduler


def start(scheduler: Scheduler, interval: float) -> threading.Thread:
    """Starts the daemon thread; it ticks every `interval` seconds until the process ends."""
    thread = threading.Thread(target=_run, args=(scheduler, interval), name="ecs-emulator-ticker", daemon=True)
    thread.start()
    return thread


def _run(scheduler: Scheduler, interval: float) -> None:
    while True:
        time.sleep(interval)
        with LOCK:
            now = time.time()
            for _account, _region, backend in list(ecs_backends.iter_backends()):
                try:
                    scheduler.tick(backend, now)
                except Exception:  # the thread must go on ticking
                    print("ecs-emulator: tick failed:", file=sys.stderr)
                    traceback.print_exc()
