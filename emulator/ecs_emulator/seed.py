"""Bulk seeding for benchmarks: thousands of services created in-process, in one request.

POST /_emulator/seed {"account", "region", "cluster", "services": [
    {"taskDefinition": {<RegisterTaskDefinition parameters>}, "service": {<CreateService parameters>}}, …]}

Each item registers its task definition and creates its service on that revision through moto's
(patched) ECS backend, as RegisterTaskDefinition and CreateService do: the first deployment, its
tasks and the service deployment follow, and the scheduler rolls them out. The cluster is created
when missing. No throttling and no per-call HTTP: a benchmark measures the portal, not the seeding
(15,000 services through the SDK took over 30 minutes). Answers {"created": n}; a parameter the
hook does not take is a 400 naming it, before anything is created.
"""

from typing import Any

from moto.ecs.exceptions import ClusterNotFoundException
from moto.ecs.models import ecs_backends

from .patches import CREATE_SERVICE_EXTRAS, LOCK, configure_created
from .scheduler import Scheduler

# The API's parameter names the hook takes, with moto's backend argument names.
TASK_DEFINITION_PARAMS = {
    "family": "family",
    "containerDefinitions": "container_definitions",
    "networkMode": "network_mode",
    "requiresCompatibilities": "requires_compatibilities",
    "cpu": "cpu",
    "memory": "memory",
    "tags": "tags",
    "taskRoleArn": "task_role_arn",
    "executionRoleArn": "execution_role_arn",
}
SERVICE_PARAMS = {
    "serviceName": "service_name",
    "desiredCount": "desired_count",
    "launchType": "launch_type",
    "tags": "tags",
    "networkConfiguration": "network_configuration",
    "propagateTags": "propagate_tags",
}
# And what CreateService keeps beyond moto's backend (patches.py), as given.
SERVICE_PARAMS.update({param: None for param in CREATE_SERVICE_EXTRAS})


class SeedError(ValueError):
    """A request the hook cannot carry out, said in one sentence."""


def _arguments(given: Any, allowed: dict[str, str | None], what: str, index: int) -> dict[str, Any]:
    if not isinstance(given, dict):
        raise SeedError(f"services[{index}].{what} must be an object")
    unknown = sorted(set(given) - set(allowed))
    if unknown:
        raise SeedError(f"services[{index}].{what} has parameters the seed hook does not take: {', '.join(unknown)} "
                        f"(it takes {', '.join(allowed)})")
    return {allowed[k]: v for k, v in given.items() if allowed[k] is not None}


def parse(body: Any) -> tuple[str, str, str, list[tuple[dict[str, Any], dict[str, Any], dict[str, Any]]]]:
    """(account, region, cluster, [(task definition args, service args, CreateService's extras)])."""
    if not isinstance(body, dict):
        raise SeedError("the body must be a JSON object")
    for key in ("account", "region", "cluster"):
        if not isinstance(body.get(key), str) or not body[key]:
            raise SeedError(f"'{key}' must be a non-empty string")
    services = body.get("services")
    if not isinstance(services, list):
        raise SeedError("'services' must be a list")
    items = []
    for i, item in enumerate(services):
        if not isinstance(item, dict) or set(item) != {"taskDefinition", "service"}:
            raise SeedError(f"services[{i}] must be {{\"taskDefinition\": {{…}}, \"service\": {{…}}}}")
        definition = _arguments(item["taskDefinition"], TASK_DEFINITION_PARAMS, "taskDefinition", i)
        service = _arguments(item["service"], SERVICE_PARAMS, "service", i)
        for required, args in (("family", definition), ("container_definitions", definition),
                               ("service_name", service)):
            if not args.get(required):
                raise SeedError(f"services[{i}] has no {required}")
        extras = {k: v for k, v in item["service"].items() if k in CREATE_SERVICE_EXTRAS}
        items.append((definition, service, extras))
    return body["account"], body["region"], body["cluster"], items


def seed(scheduler: Scheduler, body: Any) -> dict[str, int]:
    """Creates what `body` describes (see the module's doc) under the emulator's lock."""
    account, region, cluster, items = parse(body)
    with LOCK:
        backend = ecs_backends[account][region]
        try:
            backend._get_cluster(cluster)
        except ClusterNotFoundException:
            backend.create_cluster(cluster)
        for definition, args, extras in items:
            registered = backend.register_task_definition(**definition)
            service = backend.create_service(
                cluster, args.pop("service_name"), args.pop("desired_count", 1),
                task_definition_str=registered.arn, **args,
            )
            configure_created(scheduler, service, extras)
    return {"created": len(items)}
