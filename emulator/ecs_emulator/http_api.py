"""The emulator's own HTTP endpoints, in front of moto's app on the same port:

GET  /_emulator/health             200 {"status": "ok"} once the layer serves: what readiness checks
                                   ask (moto's /moto-api/data.json serialises every resource and
                                   fails on some of them)
GET  /_emulator/throttling         ECS throttling counters per account and action (throttling.py)
POST /_emulator/throttling         {"enabled": true|false} switches throttling at run time
POST /_emulator/throttling/reset   forgets the counters and refills the buckets
POST /_emulator/seed               thousands of services created in one request, for benchmarks (seed.py)
ANY  /_emulator/http/<account>/<region>/<cluster>/<service>/<path>
     a request to the service, answered by one of its RUNNING tasks picked by traffic share:
     200 with a small JSON body naming the task and image; 500 from an `-errors` image; a `-slow`
     image answers after 1.2-1.6 s; 503 when no task runs; 404 for an unknown service.
"""

import json
import random
import time
from typing import Any, Callable, Iterable

from moto.ecs.models import ecs_backends

from . import seed, traffic
from .backends import existing
from .patches import LOCK
from .scheduler import Scheduler
from .throttling import Throttle

PREFIX = "/_emulator/"


def _respond(start_response: Callable, status: int, body: dict[str, Any]) -> Iterable[bytes]:
    payload = json.dumps(body).encode()
    reasons = {200: "OK", 400: "Bad Request", 404: "Not Found", 405: "Method Not Allowed", 500: "Internal Server Error",
               503: "Service Unavailable"}
    start_response(f"{status} {reasons.get(status, '')}", [("Content-Type", "application/json"),
                                                          ("Content-Length", str(len(payload)))])
    return [payload]


def service_request(account: str, region: str, cluster: str, name: str, path: str) -> tuple[int, dict[str, Any], float]:
    """(status, body, seconds to wait before answering) of a request to a service."""
    with LOCK:
        backend = existing(ecs_backends, account, region)
        service = backend.services.get(f"{cluster}:{name}") if backend is not None else None
        if service is None or getattr(service, "_emulator", None) is None or service.status != "ACTIVE":
            return 404, {"message": f"no service {name} in cluster {cluster} of {account}/{region}"}, 0.0
        serving = traffic.shares(service)
        if not serving:
            return 503, {"message": f"service {name} has no running task"}, 0.0
        tasks, weights = zip(*serving)
        task = random.choices(tasks, weights=weights, k=1)[0]
        kind = traffic.behaviour(task)
        body = {
            "service": name,
            "task": task.task_arn,
            "deployment": task._deployment_id,
            "image": task.containers[0].image if task.containers else None,
            "path": "/" + path,
        }
    if kind == "errors":
        return 500, {**body, "message": "internal error"}, 0.0
    if kind == "slow":
        return 200, body, random.uniform(1.2, 1.6)
    return 200, body, 0.0


def _seed(environ: dict[str, Any], start_response: Callable, scheduler: Scheduler) -> Iterable[bytes]:
    if environ.get("REQUEST_METHOD") != "POST":
        return _respond(start_response, 405, {"message": "POST /_emulator/seed"})
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
        return _respond(start_response, 200, seed.seed(scheduler, json.loads(environ["wsgi.input"].read(length))))
    except (seed.SeedError, ValueError) as error:
        return _respond(start_response, 400, {"message": f"POST /_emulator/seed: {error}"})


def wrap(app: Callable, throttle: Throttle, scheduler: Scheduler) -> Callable:
    """moto's WSGI app behind the /_emulator endpoints."""

    def emulator_app(environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if not path.startswith(PREFIX):
            return app(environ, start_response)
        method = environ.get("REQUEST_METHOD", "GET")
        route = path[len(PREFIX):]
        if route == "health":
            return _respond(start_response, 200, {"status": "ok"})
        if route == "throttling":
            if method == "POST":
                # {"enabled": false} while a test seeds thousands of resources, true to measure.
                try:
                    length = int(environ.get("CONTENT_LENGTH") or 0)
                    enabled = json.loads(environ["wsgi.input"].read(length) or b"{}")["enabled"]
                    if not isinstance(enabled, bool):
                        raise ValueError(enabled)
                except (KeyError, ValueError, TypeError):
                    return _respond(start_response, 400, {"message": 'POST /_emulator/throttling with {"enabled": true|false}'})
                throttle.set_enabled(enabled)
            return _respond(start_response, 200, throttle.report())
        if route == "throttling/reset":
            if method != "POST":
                return _respond(start_response, 405, {"message": "POST /_emulator/throttling/reset"})
            throttle.reset()
            return _respond(start_response, 200, throttle.report())
        if route == "seed":
            return _seed(environ, start_response, scheduler)
        if route.startswith("http/"):
            parts = route[len("http/"):].split("/", 4)
            if len(parts) < 4 or not all(parts[:4]):
                return _respond(start_response, 404, {"message": "use /_emulator/http/<account>/<region>/<cluster>/<service>/<path>"})
            account, region, cluster, name = parts[:4]
            status, body, delay = service_request(account, region, cluster, name, parts[4] if len(parts) > 4 else "")
            if delay:
                time.sleep(delay)
            return _respond(start_response, status, body)
        return _respond(start_response, 404, {"message": f"no emulator endpoint {path}"})

    return emulator_app
