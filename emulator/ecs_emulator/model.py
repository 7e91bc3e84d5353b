"""The objects the emulator adds to moto's ECS backend.

Attribute names are the snake_case of the ECS API's member names, so moto's response
serializer (which looks members up that way) returns them as DescribeTasks and
DescribeServices fields. Fields that start with an underscore are the emulator's own.
"""

import random
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any


def at(epoch: float | None) -> datetime | None:
    """An API timestamp for a time.time() value."""
    return None if epoch is None else datetime.fromtimestamp(epoch, tz=timezone.utc)


def new_deployment_id() -> str:
    """An id shaped like ECS's: `ecs-svc/` and 19 digits."""
    return f"ecs-svc/{random.randrange(10**18, 10**19)}"


class EmulatedContainer:
    """One container of an emulated task (API shape `Container`)."""

    def __init__(self, task_arn: str, container_arn: str, definition: dict[str, Any], eni: dict | None):
        self.container_arn = container_arn
        self.task_arn = task_arn
        self.name = definition.get("name")
        self.image = definition.get("image", "")
        self.image_digest: str | None = None
        self.runtime_id: str | None = None
        self.last_status = "PENDING"
        self.exit_code: int | None = None
        self.reason: str | None = None
        self.health_status = "UNKNOWN"
        self.cpu = str(definition.get("cpu", 0))
        self.memory = str(definition["memory"]) if definition.get("memory") else None
        self.memory_reservation = (
            str(definition["memoryReservation"]) if definition.get("memoryReservation") else None
        )
        self.network_bindings: list[dict[str, Any]] = []
        self.network_interfaces = (
            [{"attachmentId": eni["id"], "privateIpv4Address": eni["ip"]}] if eni else []
        )
        self._definition = definition


class EmulatedTask:
    """A task started by the emulated service scheduler (API shape `Task`).

    It also offers the few attributes moto's own ECS code reads from tasks
    (DescribeTasks, ListTasks, StopTask, TagResource), so it can live in backend.tasks.
    """

    def __init__(
        self,
        *,
        task_id: str,
        task_arn: str,
        cluster_arn: str,
        service_name: str,
        task_definition: Any,
        deployment_id: str,
        launch_type: str,
        region: str,
        tags: list[dict[str, str]],
        subnet: str | None,
        now: float,
    ):
        self.task_arn = task_arn
        self.cluster_arn = cluster_arn
        self.task_definition_arn = task_definition.arn
        self.group = f"service:{service_name}"
        self.started_by = deployment_id
        self.launch_type = launch_type
        fargate = launch_type == "FARGATE"
        self.platform_version = "1.4.0" if fargate else None
        self.platform_family = "Linux" if fargate else None
        self.capacity_provider_name = "FARGATE" if fargate else None
        self.cpu = task_definition.cpu
        self.memory = task_definition.memory
        self.availability_zone = f"{region}a"
        self.connectivity: str | None = None
        self.created_at = at(now)
        self.connectivity_at = self.pull_started_at = self.pull_stopped_at = None
        self.started_at = self.stopping_at = self.stopped_at = self.execution_stopped_at = None
        self.desired_status = "RUNNING"
        self.last_status = "PROVISIONING"
        self.health_status = "UNKNOWN"
        self.stop_code: str | None = None
        self.stopped_reason: str | None = None
        self.tags = tags
        self.version = 1
        self.enable_execute_command = False
        self.attachments: list[dict[str, Any]] = []
        eni = None
        if subnet is not None:
            eni = {"id": str(uuid.uuid4()), "ip": f"10.0.{random.randint(0, 255)}.{random.randint(2, 254)}"}
            self.attachments.append(_eni_attachment(eni, subnet))
        definitions = task_definition.container_definitions
        self.containers = [
            EmulatedContainer(task_arn, f"{cluster_arn.replace(':cluster/', ':container/')}/{task_id}/{uuid.uuid4()}", d, eni)
            for d in definitions
        ]
        self.overrides = {"containerOverrides": [{"name": d.get("name")} for d in definitions]}
        # moto's ECS code reads these from every task it holds.
        self.container_instance_arn: str | None = None
        self.resource_requirements: dict[str, Any] | None = None
        # The emulator's own state.
        self.service_name = service_name
        self._id = task_id
        self._deployment_id = deployment_id
        self._launched = now
        self._updated = now
        self._stop_requested: float | None = None
        self._healthy = False  # reached RUNNING and passes its health checks
        self._fault: str | None = None  # "broken" or "unhealthy" image (see images.py)
        self._logs: dict[str, Any] = {}

    def advance(self) -> None:
        """moto's DescribeTasks calls this on its own tasks; the emulator's ticker moves ours."""

    @property
    def live(self) -> bool:
        """Counts against the deployment: not stopping or stopped."""
        return self.desired_status == "RUNNING"


def _eni_attachment(eni: dict[str, str], subnet: str) -> dict[str, Any]:
    mac = ":".join(f"{random.randint(0, 255):02x}" for _ in range(6))
    details = {
        "subnetId": subnet,
        "networkInterfaceId": f"eni-{uuid.uuid4().hex[:17]}",
        "macAddress": mac,
        "privateDnsName": f"ip-{eni['ip'].replace('.', '-')}.ec2.internal",
        "privateIPv4Address": eni["ip"],
    }
    return {
        "id": eni["id"],
        "type": "ElasticNetworkInterface",
        "status": "ATTACHED",
        "details": [{"name": k, "value": v} for k, v in details.items()],
    }


@dataclass
class Deployment:
    """One entry of a service's `deployments` (API shape `Deployment`)."""

    id: str
    task_definition: str
    desired_count: int
    launch_type: str | None
    platform_version: str | None
    network_configuration: dict[str, Any] | None
    created: float
    status: str = "PRIMARY"
    rollout_state: str = "IN_PROGRESS"
    rollout_state_reason: str = ""
    running_count: int = 0
    pending_count: int = 0
    failed_tasks: int = 0
    updated: float = 0.0
    # Emulator state: a task of this deployment reached RUNNING (ECS then stops counting
    # failures), and whether the "unable to consistently start tasks" event was sent.
    _had_running_task: bool = False
    _start_impaired_reported: bool = False
    # The service deployment this deployment carries out (service_deployments.py), and for a
    # rollback, the one it rolls back.
    _record: Any = None
    _rolls_back: Any = None

    def __post_init__(self) -> None:
        self.updated = self.updated or self.created
        self.rollout_state_reason = self.rollout_state_reason or f"ECS deployment {self.id} in progress."

    @property
    def created_at(self) -> datetime | None:
        return at(self.created)

    @property
    def updated_at(self) -> datetime | None:
        return at(self.updated)

    @property
    def platform_family(self) -> str | None:
        return "Linux" if self.launch_type == "FARGATE" else None


@dataclass
class ServiceState:
    """What the emulator tracks per service, kept on moto's Service object."""

    tasks: list[EmulatedTask] = field(default_factory=list)
    last_completed: Deployment | None = None
    steady: bool = False
    # Service deployments, newest first, and service revisions by id (service_deployments.py).
    records: list[Any] = field(default_factory=list)
    revisions: dict[str, dict[str, Any]] = field(default_factory=dict)
