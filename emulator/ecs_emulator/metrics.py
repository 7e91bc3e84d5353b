"""CloudWatch metrics of emulated services, published into moto's CloudWatch as AWS publishes them,
one datapoint per emulated minute (ECS_EMULATOR_MINUTE_SECONDS), published as each minute ends and
stamped with its start (minutes are aligned to the epoch, as CloudWatch aligns periods):

- AWS/ECS CPUUtilization, MemoryUtilization (Percent) per {ClusterName, ServiceName};
- ECS/ContainerInsights RunningTaskCount, PendingTaskCount, DesiredTaskCount (Count) per
  {ClusterName, ServiceName}, when the cluster's containerInsights setting is enabled or enhanced;
- AWS/ApplicationELB per {TargetGroup, LoadBalancer} of each load balancer of the service whose
  target group is attached to a load balancer: RequestCount, HTTPCode_Target_2XX_Count,
  HTTPCode_Target_5XX_Count (Sum), TargetResponseTime (seconds, 10 samples a minute),
  HealthyHostCount, UnHealthyHostCount; HTTPCode_ELB_5XX_Count when no task serves.

Traffic is one request per second per serving task, split by traffic.shares; `-errors` tasks answer
5xx, `-slow` tasks take 1.2-2.5 s. Series older than the retention (60 emulated minutes) are
dropped. GetMetricData also answers percentile statistics (`p95`, `p99.9`) from the samples.
"""

import math
import random
from collections import deque
from datetime import datetime, timezone
from typing import Any, Iterable

from moto.cloudwatch.models import CloudWatchBackend, MetricDatum, Statistics, cloudwatch_backends
from moto.ecs.models import ecs_backends
from moto.elbv2.models import elbv2_backends

from . import traffic
from .backends import existing
from .settings import Settings

SAMPLES_PER_MINUTE = 10
_LATENCY = {"ok": (0.005, 0.05), "errors": (0.005, 0.03), "slow": (1.2, 2.5)}
_CPU = {"ok": (12.0, 30.0), "errors": (12.0, 30.0), "slow": (70.0, 90.0)}


def series(backend: CloudWatchBackend) -> dict[tuple, deque]:
    """The emulator's datapoints of one CloudWatch backend, by (namespace, name, dimensions)."""
    store = getattr(backend, "_emulator_series", None)
    if store is None:
        store = backend._emulator_series = {}
    return store


def dimension_key(dimensions: Iterable[Any]) -> frozenset:
    """Dimensions as a set of (name, value), from dicts or moto Dimension objects."""
    return frozenset(
        (d["Name"], d["Value"]) if isinstance(d, dict) else (d.name, d.value) for d in dimensions
    )


def _naive(now: float) -> datetime:
    return datetime.fromtimestamp(now, tz=timezone.utc).replace(tzinfo=None)


def put(backend: CloudWatchBackend, namespace: str, name: str, dimensions: dict[str, str],
        values: list[float], unit: str, now: float) -> None:
    dims = [{"Name": k, "Value": v} for k, v in dimensions.items()]
    key = (namespace, name, dimension_key(dims))
    points = series(backend).setdefault(key, deque())
    stamp = _naive(now)
    for value in values:
        points.append(MetricDatum(namespace, name, float(value), dims, stamp, unit))


def _percentile(values: list[float], p: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, int(round(p / 100.0 * len(ordered) + 0.5)) - 1))
    return ordered[rank]


def percentile(values: list[float], stat: str) -> float | None:
    """`p95`-style statistics (nearest rank)."""
    return _percentile(values, float(stat[1:]))


def install() -> None:
    """Lets moto's CloudWatch queries see the emulator's series and answer percentiles."""
    def get_all_metrics(self: CloudWatchBackend) -> list[Any]:
        ours = [d for points in series(self).values() for d in points]
        return self.metric_data + ours + self.aws_metric_data

    get_statistics_for_type = Statistics.get_statistics_for_type

    def statistics_for_type(self: Statistics, stat: str) -> Any:
        if stat.startswith("p") and stat[1:].replace(".", "", 1).isdigit():
            return percentile(self.metric_single_values_list, stat)
        return get_statistics_for_type(self, stat)

    CloudWatchBackend.get_all_metrics = get_all_metrics
    Statistics.get_statistics_for_type = statistics_for_type


class MetricsPublisher:
    """A ticker job: every emulated minute, one datapoint per metric of every ACTIVE service."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.published = -math.inf

    def __call__(self, now: float) -> None:
        minute = self.settings.minute_seconds
        boundary = math.floor(now / minute) * minute
        if boundary <= self.published:
            return
        self.published = boundary
        now = boundary - minute  # the start of the minute that just ended
        horizon = _naive(now - self.settings.minutes(self.settings.metric_retention_minutes))
        for account, region, ecs in list(ecs_backends.iter_backends()):
            services = [s for s in ecs.services.values() if getattr(s, "_emulator", None) and s.status == "ACTIVE"]
            cloudwatch = cloudwatch_backends[account][region] if services else existing(cloudwatch_backends, account, region)
            if cloudwatch is None:
                continue
            for service in services:
                self._publish(ecs, cloudwatch, service, now)
            _prune(cloudwatch, horizon)

    def _publish(self, ecs: Any, cloudwatch: CloudWatchBackend, service: Any, now: float) -> None:
        serving = traffic.shares(service)
        dims = {"ClusterName": service.cluster_name, "ServiceName": service.name}
        if serving:
            cpu = sum(share * random.uniform(*_CPU[traffic.behaviour(t)]) for t, share in serving)
            put(cloudwatch, "AWS/ECS", "CPUUtilization", dims, [round(cpu, 2)], "Percent", now)
            put(cloudwatch, "AWS/ECS", "MemoryUtilization", dims, [round(random.uniform(30, 45), 2)], "Percent", now)
        cluster = ecs.clusters.get(service.cluster_name)
        if cluster is not None and _insights(cluster):
            for name, value in (("RunningTaskCount", service.running_count), ("PendingTaskCount", service.pending_count),
                                ("DesiredTaskCount", service.desired_count)):
                put(cloudwatch, "ECS/ContainerInsights", name, dims, [value], "Count", now)
        for target_group, load_balancer in _load_balancers(ecs, service):
            self._publish_alb(cloudwatch, target_group, load_balancer, serving, now)

    def _publish_alb(self, cloudwatch: CloudWatchBackend, target_group: Any, load_balancer: str,
                     serving: list, now: float) -> None:
        dims = {"TargetGroup": target_group.arn.split(":")[-1], "LoadBalancer": load_balancer}
        requests = round(60 * len(serving)) if serving else 60
        if not serving:
            put(cloudwatch, "AWS/ApplicationELB", "RequestCount", dims, [requests], "Count", now)
            put(cloudwatch, "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", dims, [requests], "Count", now)
        else:
            errors = round(sum(share for t, share in serving if traffic.behaviour(t) == "errors") * requests)
            put(cloudwatch, "AWS/ApplicationELB", "RequestCount", dims, [requests], "Count", now)
            put(cloudwatch, "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", dims, [errors], "Count", now)
            put(cloudwatch, "AWS/ApplicationELB", "HTTPCode_Target_2XX_Count", dims, [requests - errors], "Count", now)
            tasks, weights = zip(*serving)
            samples = [round(random.uniform(*_LATENCY[traffic.behaviour(t)]), 4)
                       for t in random.choices(tasks, weights=weights, k=SAMPLES_PER_MINUTE)]
            put(cloudwatch, "AWS/ApplicationELB", "TargetResponseTime", dims, samples, "Seconds", now)
        states = [t.get("_state", "healthy") for t in target_group.targets.values()]
        put(cloudwatch, "AWS/ApplicationELB", "HealthyHostCount", dims, [states.count("healthy")], "Count", now)
        put(cloudwatch, "AWS/ApplicationELB", "UnHealthyHostCount", dims, [states.count("unhealthy")], "Count", now)


def _insights(cluster: Any) -> bool:
    return any(s.get("name") == "containerInsights" and s.get("value") in ("enabled", "enhanced")
               for s in (getattr(cluster, "settings", None) or []))


def _load_balancers(ecs: Any, service: Any) -> list[tuple[Any, str]]:
    """(target group, LoadBalancer dimension) of each of the service's target groups behind a load balancer."""
    elbv2 = existing(elbv2_backends, ecs.account_id, ecs.region_name)
    found = []
    if elbv2 is None:
        return found
    for entry in service.load_balancers or []:
        target_group = elbv2.target_groups.get(entry.get("targetGroupArn") or "")
        if target_group is not None and target_group.load_balancer_arns:
            found.append((target_group, target_group.load_balancer_arns[0].split(":loadbalancer/")[-1]))
    return found


def _prune(cloudwatch: CloudWatchBackend, horizon: datetime) -> None:
    store = series(cloudwatch)
    for key in list(store):
        points = store[key]
        while points and points[0].timestamp < horizon:
            points.popleft()
        if not points:
            del store[key]
