"""ECS API request throttling: one token bucket per account, region and action category, at the
rates of "Request throttling for the Amazon ECS API" (ECS API Reference). A request that finds its
bucket empty is answered `ThrottlingException` (HTTP 400, `x-amzn-ErrorType`), which the AWS SDKs
retry as throttling. Counters per account and action say how many were allowed and throttled.
"""

import json
import threading
import time
from typing import Any, Callable

# (category, burst = bucket capacity, sustained = refill per second, actions): the documented table.
CATEGORIES: list[tuple[str, float, float, tuple[str, ...]]] = [
    ("cluster-modify", 20, 1, ("CreateCluster", "DeleteCluster", "PutClusterCapacityProviders",
                               "UpdateCluster", "UpdateClusterSettings")),
    ("cluster-read", 50, 20, ("DescribeClusters", "ListClusters")),
    ("task-definition-modify", 20, 1, ("DeregisterTaskDefinition", "RegisterTaskDefinition")),
    ("task-definition-read", 50, 20, ("DescribeTaskDefinition", "ListTaskDefinitions",
                                      "ListTaskDefinitionFamilies")),
    ("task-definition-delete", 5, 1, ("DeleteTaskDefinitions",)),
    ("capacity-provider-modify", 10, 1, ("CreateCapacityProvider", "DeleteCapacityProvider",
                                         "UpdateCapacityProvider")),
    ("capacity-provider-read", 50, 20, ("DescribeCapacityProviders",)),
    ("tag-modify", 20, 10, ("TagResource", "UntagResource")),
    ("tag-read", 50, 20, ("ListTagsForResource",)),
    ("setting-modify", 10, 1, ("DeleteAccountSetting", "PutAccountSetting", "PutAccountSettingDefault")),
    ("setting-read", 50, 20, ("ListAccountSettings",)),
    ("cluster-resource-modify", 100, 40, ("DeleteAttributes", "DeregisterContainerInstance", "ExecuteCommand",
                                          "PutAttributes", "RunTask", "StartTask", "StopTask",
                                          "UpdateContainerAgent", "UpdateContainerInstancesState")),
    ("cluster-resource-read", 100, 20, ("DescribeContainerInstances", "DescribeTasks", "ListAttributes",
                                        "ListContainerInstances", "ListTasks")),
    ("agent-modify", 200, 120, ("RegisterContainerInstance", "SubmitAttachmentStateChanges",
                                "SubmitContainerStateChange", "SubmitTaskStateChange")),
    ("service-modify", 50, 5, ("CreateService", "DeleteService", "UpdateService")),
    ("service-read", 100, 20, ("DescribeServices", "ListServices")),
    ("service-deployment", 50, 20, ("DescribeServiceDeployments", "ListServiceDeployments")),
    ("service-revision", 50, 20, ("DescribeServiceRevisions",)),
    ("task-protection", 200, 80, ("UpdateTaskProtection", "GetTaskProtection")),
    ("cluster-service-resource-read", 10, 1, ("ListServicesByNamespace",)),
]

THROTTLED_BODY = json.dumps({"__type": "ThrottlingException", "message": "Rate exceeded"})


class Bucket:
    """A token bucket: `capacity` tokens at most, `rate` tokens added per second."""

    __slots__ = ("capacity", "rate", "tokens", "at")

    def __init__(self, capacity: float, rate: float, now: float):
        self.capacity, self.rate, self.tokens, self.at = capacity, rate, capacity, now

    def take(self, now: float) -> bool:
        self.tokens = min(self.capacity, self.tokens + (now - self.at) * self.rate)
        self.at = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False


class Throttle:
    """Buckets and counters for every account and region; thread-safe."""

    def __init__(self, enabled: bool, overrides: dict[str, tuple[float, float]], clock: Callable[[], float] = time.monotonic):
        unknown = set(overrides) - {c[0] for c in CATEGORIES}
        if unknown:
            names = ", ".join(c[0] for c in CATEGORIES)
            raise SystemExit(f"error: ECS_EMULATOR_THROTTLING_RATES: unknown categories {sorted(unknown)}; known: {names}")
        self.enabled = enabled
        self.clock = clock
        self.limits: dict[str, tuple[float, float]] = {c[0]: overrides.get(c[0], (c[1], c[2])) for c in CATEGORIES}
        self.category_of = {action: c[0] for c in CATEGORIES for action in c[3]}
        self.buckets: dict[tuple[str, str, str], Bucket] = {}
        self.counters: dict[tuple[str, str], list[int]] = {}
        self.lock = threading.Lock()

    def admit(self, account: str, region: str, action: str) -> bool:
        """Takes a token for `action`; False when the request is to be throttled."""
        category = self.category_of.get(action)
        with self.lock:
            allowed = True
            if self.enabled and category is not None:
                key = (account, region, category)
                bucket = self.buckets.get(key)
                now = self.clock()
                if bucket is None:
                    bucket = self.buckets[key] = Bucket(*self.limits[category], now)
                allowed = bucket.take(now)
            counter = self.counters.setdefault((account, action), [0, 0])
            counter[0 if allowed else 1] += 1
            return allowed

    def report(self) -> dict[str, Any]:
        """What GET /_emulator/throttling answers."""
        with self.lock:
            accounts: dict[str, dict[str, dict[str, int]]] = {}
            for (account, action), (allowed, throttled) in sorted(self.counters.items()):
                accounts.setdefault(account, {})[action] = {"allowed": allowed, "throttled": throttled}
            return {
                "enabled": self.enabled,
                "throttled": sum(c[1] for c in self.counters.values()),
                "accounts": accounts,
                "limits": {name: {"burst": b, "sustained": r} for name, (b, r) in self.limits.items()},
            }

    def set_enabled(self, enabled: bool) -> None:
        """Switches throttling on or off at run time; buckets start full when it comes back on."""
        with self.lock:
            self.enabled = enabled
            self.buckets.clear()

    def reset(self) -> None:
        """Forgets buckets and counters (POST /_emulator/throttling/reset and /moto-api/reset)."""
        with self.lock:
            self.buckets.clear()
            self.counters.clear()


def install(throttle: Throttle) -> None:
    """Puts the buckets in front of every ECS action; /moto-api/reset forgets them too."""
    from moto.ecs.responses import EC2ContainerServiceResponse
    from moto.moto_api._internal.models import MotoAPIBackend

    call_action = EC2ContainerServiceResponse.call_action
    reset = MotoAPIBackend.reset

    def reset_all(self: Any) -> None:
        reset(self)
        throttle.reset()

    MotoAPIBackend.reset = reset_all

    def throttled_call_action(self: Any) -> Any:
        if not throttle.admit(self.current_account, self.region, self._get_action()):
            headers = {
                "status": 400,
                "x-amzn-ErrorType": "ThrottlingException",
                "Content-Type": "application/x-amz-json-1.1",
            }
            return 400, headers, THROTTLED_BODY
        return call_action(self)

    EC2ContainerServiceResponse.call_action = throttled_call_action
