"""Where the emulator hooks into moto: ECS backend and response methods, and one lock.

Every ECS, CloudWatch, CloudWatch Logs, EventBridge and ELBv2 request, the patched ECS backend
methods, the /moto-api reset and data.json, and every scheduler tick hold LOCK (re-entrant), so
the ticker never changes a service, a metric or a target while a response is being built. (SQS
is left out: a long poll must not hold up the ticker.)
"""

import threading
import time
from typing import Any, Callable

from moto.cloudwatch.responses import CloudWatchResponse
from moto.core.responses import ActionResult
from moto.ecs.models import EC2ContainerServiceBackend, Service
from moto.ecs.responses import EC2ContainerServiceResponse
from moto.elbv2.responses import ELBV2Response
from moto.events.responses import EventsHandler
from moto.logs.responses import LogsResponse
from moto.moto_api._internal.models import MotoAPIBackend
from moto.moto_api._internal.responses import MotoAPIResponse

from .model import EmulatedTask
from .scheduler import Scheduler, merged_configuration, refresh_cluster_counts, state_of

LOCK = threading.RLock()

# CreateService parameters moto does not keep, returned by DescribeServices as given.
CREATE_SERVICE_EXTRAS = {
    "deploymentConfiguration": "deployment_configuration",
    "enableECSManagedTags": "enable_ecs_managed_tags",
    "enableExecuteCommand": "enable_execute_command",
    "healthCheckGracePeriodSeconds": "health_check_grace_period_seconds",
    "placementConstraints": "placement_constraints",
    "placementStrategy": "placement_strategy",
    "availabilityZoneRebalancing": "availability_zone_rebalancing",
    "capacityProviderStrategy": "capacity_provider_strategy",
}


def _locked(method: Callable) -> Callable:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with LOCK:
            return method(*args, **kwargs)

    wrapper.__doc__ = method.__doc__
    return wrapper


def apply(scheduler: Scheduler) -> None:
    """Patches moto's classes (once per process)."""
    for cls in (EC2ContainerServiceResponse, LogsResponse, CloudWatchResponse, EventsHandler, ELBV2Response):
        cls.call_action = _locked(cls.call_action)
    MotoAPIBackend.reset = _locked(MotoAPIBackend.reset)
    MotoAPIResponse.model_data = _locked(MotoAPIResponse.model_data)
    _patch_backend(scheduler)
    _patch_responses(scheduler)


def _patch_backend(scheduler: Scheduler) -> None:
    backend = EC2ContainerServiceBackend
    create_service, update_service = backend.create_service, backend.update_service
    delete_service, stop_task, list_tasks = backend.delete_service, backend.stop_task, backend.list_tasks

    def create(self: Any, cluster_str: str, service_name: str, *args: Any, **kwargs: Any) -> Any:
        previous = self.services.get(f"{cluster_str.split('/')[-1]}:{service_name}")
        orphans = state_of(previous).tasks if previous is not None and state_of(previous) else []
        service = create_service(self, cluster_str, service_name, *args, **kwargs)
        scheduler.on_create(service, orphans, time.time())
        refresh_cluster_counts(self)
        return service

    def update(self: Any, properties: dict[str, Any]) -> Any:
        force = bool(properties.pop("force_new_deployment", False))
        requested = properties.get("task_definition")
        given_configuration = properties.get("deployment_configuration")
        current = self._get_service(properties.get("cluster", "default"), properties.get("service", "").split("/")[-1])
        previous_configuration = getattr(current, "deployment_configuration", None)
        service = update_service(self, properties)
        if requested:
            service.task_definition = self.describe_task_definition(requested).arn
        service.deployment_configuration = merged_configuration(previous_configuration, given_configuration)
        scheduler.on_update(service, force, time.time())
        refresh_cluster_counts(self)
        return service

    def delete(self: Any, cluster_name: str, service_name: str, force: bool) -> Any:
        service = delete_service(self, cluster_name, service_name, force)
        if state_of(service) is not None:
            scheduler.reconcile(self, service, time.time())
        refresh_cluster_counts(self)
        return service

    def stop(self: Any, cluster_str: str, task_str: str, reason: str) -> Any:
        cluster = self._get_cluster(cluster_str)
        task_id = task_str.split("/")[-1]
        for arn, task in self.tasks.get(cluster.name, {}).items():
            if isinstance(task, EmulatedTask) and arn.endswith(task_id):
                scheduler.on_stop_task(task, reason, time.time())
                return task
        return stop_task(self, cluster_str, task_str, reason)

    def list_service_tasks(self: Any, cluster_str: str | None = None, container_instance: str | None = None,
                           family: str | None = None, started_by: str | None = None,
                           service_name: str | None = None, desiredStatus: str | None = None) -> list[Any]:
        tasks = list_tasks(self, cluster_str, container_instance, family, started_by, None, desiredStatus)
        if not service_name:
            return tasks
        name = service_name.split("/")[-1]
        return [t for t in tasks if getattr(t, "service_name", None) == name]

    validate_network = Service._validate_network

    def validate_network_without_groups(self: Any, configuration: Any) -> Any:
        """awsvpcConfiguration without securityGroups is valid on ECS (moto answered 500)."""
        awsvpc = (configuration or {}).get("awsvpcConfiguration")
        if awsvpc is not None and "securityGroups" not in awsvpc:
            validate_network(self, {**configuration, "awsvpcConfiguration": {**awsvpc, "securityGroups": []}})
            return configuration
        return validate_network(self, configuration)

    Service._validate_network = validate_network_without_groups
    # Locked here too: other moto services (CloudFormation) call the backend directly.
    backend.create_service = _locked(create)
    backend.update_service = _locked(update)
    backend.delete_service = _locked(delete)
    backend.stop_task = _locked(stop)
    backend.list_tasks = _locked(list_service_tasks)


def configure_created(scheduler: Scheduler, service: Any, given: dict[str, Any]) -> None:
    """What CreateService keeps beyond moto's backend (`given`: CREATE_SERVICE_EXTRAS by their API
    names), then the first deployment follows the configuration."""
    for param, attribute in CREATE_SERVICE_EXTRAS.items():
        value = given.get(param)
        if param == "deploymentConfiguration":
            value = merged_configuration(getattr(service, attribute, None), value)
        if value is not None:
            setattr(service, attribute, value)
    for attribute in ("enable_ecs_managed_tags", "enable_execute_command"):
        if getattr(service, attribute, None) is None:
            setattr(service, attribute, False)
    # ECS returns no networkConfiguration for a service without awsvpc networking (moto: {}).
    if not getattr(service, "network_configuration", None):
        service.network_configuration = None
    scheduler.on_configured(service, time.time())


def _patch_responses(scheduler: Scheduler) -> None:
    response = EC2ContainerServiceResponse
    create_service = response.create_service

    def create(self: Any) -> ActionResult:
        """CreateService, keeping the parameters moto's backend drops."""
        result = create_service(self)
        service = self.ecs_backend._get_service(self._get_param("cluster", "default"), self._get_param("serviceName"))
        configure_created(scheduler, service, {param: self._get_param(param) for param in CREATE_SERVICE_EXTRAS})
        return result

    def list_tasks(self: Any) -> ActionResult:
        """ListTasks as ECS answers it: `desiredStatus` defaults to RUNNING, and an unknown
        `serviceName` is ServiceNotFoundException."""
        cluster = self._get_param("cluster", "default")
        service_name = self._get_param("serviceName")
        if service_name:
            self.ecs_backend._get_service(cluster, service_name.split("/")[-1])
        tasks = self.ecs_backend.list_tasks(
            cluster,
            self._get_param("containerInstance"),
            self._get_param("family"),
            self._get_param("startedBy"),
            service_name,
            self._get_param("desiredStatus") or "RUNNING",
        )
        return ActionResult({"taskArns": [t.task_arn for t in tasks]})

    response.create_service = create
    response.list_tasks = list_tasks
