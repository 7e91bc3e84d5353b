"""Settings of the ECS emulator layer, read once from the environment at start.

ECS_EMULATOR_ROLLOUT_SECONDS       time a rollout takes from new deployment to COMPLETED (default 4)
ECS_EMULATOR_FAILURE_THRESHOLD     circuit breaker minimum threshold (default 3, as on ECS)
ECS_EMULATOR_LOG_INTERVAL_SECONDS  one request/health log line per container this often (default 5)
"""

import os
from dataclasses import dataclass


def _number(name: str, default: float, minimum: float) -> float:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise SystemExit(f"error: {name}={raw!r} is not a number") from None
    if value < minimum:
        raise SystemExit(f"error: {name}={raw!r} must be at least {minimum:g}")
    return value


@dataclass(frozen=True)
class Settings:
    """Timings and limits of the emulated scheduler."""

    rollout_seconds: float
    failure_threshold: int
    log_interval_seconds: float
    tick_seconds: float = 0.25
    max_events: int = 100
    stopped_tasks_kept: int = 20
    log_lines_per_stream: int = 60

    # A task's life, as fractions of the rollout time: PENDING (image pull) after
    # `pending_at`, RUNNING or failed after `running_at`; a stop takes `stop_takes`.
    pending_at: float = 0.2
    running_at: float = 0.5
    stop_takes: float = 0.2

    @staticmethod
    def from_env() -> "Settings":
        return Settings(
            rollout_seconds=_number("ECS_EMULATOR_ROLLOUT_SECONDS", 4.0, 0.1),
            failure_threshold=int(_number("ECS_EMULATOR_FAILURE_THRESHOLD", 3, 1)),
            log_interval_seconds=_number("ECS_EMULATOR_LOG_INTERVAL_SECONDS", 5.0, 0.1),
        )

    def after(self, fraction: float) -> float:
        """Seconds that `fraction` of a rollout takes."""
        return self.rollout_seconds * fraction
