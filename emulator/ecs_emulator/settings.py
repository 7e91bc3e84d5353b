"""Settings of the ECS emulator layer, read once from the environment at start (see README.md).

ECS_EMULATOR_ROLLOUT_SECONDS       time a rollout takes from new deployment to COMPLETED (default 4)
ECS_EMULATOR_FAILURE_THRESHOLD     circuit breaker minimum threshold (default 3, as on ECS)
ECS_EMULATOR_LOG_INTERVAL_SECONDS  one request/health log line per container this often (default 5)
ECS_EMULATOR_MINUTE_SECONDS        real seconds per emulated minute: bake times, alarm periods,
                                   metric datapoints (default 2: a deployment alarm's bake of five
                                   one-minute periods takes 10 s locally; 60 is real time)
ECS_EMULATOR_THROTTLING            on|off: ECS API token buckets at ECS's documented rates (default on)
ECS_EMULATOR_THROTTLING_RATES      overrides, e.g. "service-read=200/40,task-definition-modify=50/5"
ECS_EMULATOR_ASSUME_ROLE_CHECKS    on|off: AssumeRole checks role, trust policy and external id (default on)
ECS_EMULATOR_MAIN_ACCOUNT          the account OrganizationAccountAccessRole trusts (default 123456789012)
"""

import os
from dataclasses import dataclass, field


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


def _switch(name: str, default: bool) -> bool:
    raw = os.environ.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in ("on", "true", "1", "yes"):
        return True
    if raw in ("off", "false", "0", "no"):
        return False
    raise SystemExit(f"error: {name}={raw!r} must be on or off")


def _rates(name: str) -> dict[str, tuple[float, float]]:
    """`category=burst/rate,…` as {category: (burst, rate)}."""
    raw = os.environ.get(name, "").strip()
    rates: dict[str, tuple[float, float]] = {}
    for item in filter(None, (part.strip() for part in raw.split(","))):
        category, _, value = item.partition("=")
        burst, _, rate = value.partition("/")
        try:
            rates[category.strip()] = (float(burst), float(rate))
        except ValueError:
            raise SystemExit(f"error: {name}: {item!r} is not <category>=<burst>/<rate per second>") from None
    return rates


def _account(name: str, default: str) -> str:
    value = os.environ.get(name, "").strip() or default
    if not (value.isdigit() and len(value) == 12):
        raise SystemExit(f"error: {name}={value!r} is not a 12-digit account id")
    return value


@dataclass(frozen=True)
class Settings:
    """Timings and limits of the emulated scheduler."""

    rollout_seconds: float
    failure_threshold: int
    log_interval_seconds: float
    minute_seconds: float = 60.0
    throttling: bool = True
    throttling_rates: dict[str, tuple[float, float]] = field(default_factory=dict)
    assume_role_checks: bool = True
    main_account: str = "123456789012"
    tick_seconds: float = 0.25
    max_events: int = 100
    stopped_tasks_kept: int = 20
    log_lines_per_stream: int = 60
    service_deployments_kept: int = 50
    metric_retention_minutes: int = 60

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
            minute_seconds=_number("ECS_EMULATOR_MINUTE_SECONDS", 2.0, 0.1),
            throttling=_switch("ECS_EMULATOR_THROTTLING", True),
            throttling_rates=_rates("ECS_EMULATOR_THROTTLING_RATES"),
            assume_role_checks=_switch("ECS_EMULATOR_ASSUME_ROLE_CHECKS", True),
            main_account=_account("ECS_EMULATOR_MAIN_ACCOUNT", "123456789012"),
        )

    def after(self, fraction: float) -> float:
        """Seconds that `fraction` of a rollout takes."""
        return self.rollout_seconds * fraction

    def minutes(self, minutes: float) -> float:
        """Real seconds that `minutes` emulated minutes take."""
        return minutes * self.minute_seconds

    def period(self, seconds: float) -> float:
        """Real seconds of an AWS period given in seconds (a CloudWatch period, a timeout)."""
        return seconds * self.minute_seconds / 60.0
