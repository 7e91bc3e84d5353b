#!/usr/bin/env python3
"""Benchmark: what one scheduler tick costs, in process, on simulated time.

  python3 emulator/bench/tick.py [--services 400] [--tasks 2] [--ticks 40]

Creates the services through moto's (patched) ECS backend in one account and region, runs ticks
on simulated time until every rollout COMPLETED, then times steady-state ticks: the scheduler
alone, the scheduler with an EventBridge rule listening, and the once-a-minute jobs (metrics,
alarms with one alarm per service). Prints milliseconds per tick.
"""

import argparse
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

ACCOUNT, REGION = "123456789012", "us-east-1"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--services", type=int, default=400)
    parser.add_argument("--tasks", type=int, default=2)
    parser.add_argument("--ticks", type=int, default=40)
    args = parser.parse_args()

    from moto.cloudwatch.models import cloudwatch_backends
    from moto.ecs.models import ecs_backends
    from moto.events.models import events_backends

    from ecs_emulator import alarms, eventbridge, metrics, targets
    from ecs_emulator.alarms import AlarmEvaluator
    from ecs_emulator.eventbridge import EcsEvents
    from ecs_emulator.logs import LogWriter
    from ecs_emulator.metrics import MetricsPublisher
    from ecs_emulator.patches import apply
    from ecs_emulator.scheduler import Scheduler
    from ecs_emulator.settings import Settings
    from ecs_emulator.tasks import TaskLifecycle

    settings = Settings.from_env()
    scheduler = Scheduler(settings, TaskLifecycle(settings, LogWriter(settings)))
    apply(scheduler)
    for part in (eventbridge, metrics, alarms, targets):
        part.install()
    scheduler.listeners += [EcsEvents(), targets.Targets(settings)]

    ecs = ecs_backends[ACCOUNT][REGION]
    ecs.create_cluster("bench", cluster_settings=[{"name": "containerInsights", "value": "enabled"}])
    definition = ecs.register_task_definition(
        "bench", [{"name": "app", "image": "ghcr.io/acme/app:1.0.0", "memory": 512}], network_mode="awsvpc",
    )
    for n in range(args.services):
        ecs.create_service("bench", f"svc-{n}", args.tasks, task_definition_str=definition.arn)
    cloudwatch = cloudwatch_backends[ACCOUNT][REGION]
    for n in range(args.services):
        cloudwatch.put_metric_alarm(
            f"svc-{n}-running", "ECS/ContainerInsights", "RunningTaskCount", "LessThanThreshold", 1, 60,
            float(args.tasks), "Minimum", "", [{"Name": "ClusterName", "Value": "bench"},
                                               {"Name": "ServiceName", "Value": f"svc-{n}"}], [],
        )

    now = time.time()

    def run(count: int, jobs: list = ()) -> list[float]:
        nonlocal now
        costs = []
        for _ in range(count):
            now += settings.tick_seconds
            started = time.perf_counter()
            scheduler.tick(ecs, now)
            for job in jobs:
                job(now)
            costs.append((time.perf_counter() - started) * 1000)
        return costs

    rollout = run(int(settings.rollout_seconds / settings.tick_seconds) + 8)
    completed = sum(1 for s in ecs.services.values() if s.deployments[0].rollout_state == "COMPLETED")
    steady = run(args.ticks)
    events = events_backends[ACCOUNT][REGION]
    events.put_rule("all-ecs", event_pattern='{"source": ["aws.ecs"]}', state="ENABLED")
    listened = run(args.ticks)
    publisher, evaluator = MetricsPublisher(settings), AlarmEvaluator(settings)
    minute = run(1, [publisher, evaluator])

    print(f"services {args.services} × {args.tasks} tasks, {completed} rollouts COMPLETED")
    print(f"rollout ticks   median {statistics.median(rollout):.1f} ms, max {max(rollout):.1f} ms")
    print(f"steady tick     median {statistics.median(steady):.1f} ms, p95 {sorted(steady)[int(0.95 * len(steady))]:.1f} ms")
    print(f"steady tick, EventBridge rule listening  median {statistics.median(listened):.1f} ms")
    print(f"tick + metrics + {args.services} alarms (once a minute)  {minute[0]:.1f} ms")
    return 0 if completed == args.services else 1


if __name__ == "__main__":
    sys.exit(main())
