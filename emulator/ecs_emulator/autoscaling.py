"""Application Auto Scaling as an ECS service uses it: what moto lacks for Terraform's
aws_appautoscaling_target and aws_appautoscaling_policy.

- Tags. RegisterScalableTarget keeps the `Tags` of a new target (AWS: "to tag an existing
  scalable target, use TagResource"); TagResource, UntagResource and ListTagsForResource work on a
  target's ARN, an unknown ARN is ResourceNotFoundException. Without ListTagsForResource the AWS
  provider retries it for minutes after every create ("Still creating…").
- SuspendedState as AWS describes it: every kind of scaling not suspended, unless registered so.
- DeregisterScalableTarget also deletes the target's scaling policies (with their alarms) and
  scheduled actions, as AWS does.
- Registering an ECS service's target brings the service's desired count within the new bounds
  (AWS starts a scaling activity for it); the scheduler then starts or stops tasks.
"""

import json
from typing import Any

from moto.applicationautoscaling.models import ApplicationAutoscalingBackend, FakeScalableTarget
from moto.applicationautoscaling.responses import ApplicationAutoScalingResponse
from moto.core.exceptions import JsonRESTError

# The lock every ECS request holds: registering a target may scale an ECS service.
from .patches import _locked

NOT_SUSPENDED = {
    "DynamicScalingInSuspended": False,
    "DynamicScalingOutSuspended": False,
    "ScheduledScalingSuspended": False,
}


class ResourceNotFoundException(JsonRESTError):
    def __init__(self, arn: str) -> None:
        super().__init__("ResourceNotFoundException", f"No scalable target found for ARN {arn}")


def _target(backend: ApplicationAutoscalingBackend, dimension: str, resource_id: str) -> FakeScalableTarget | None:
    return backend.targets.get(dimension, {}).get(resource_id)


def _target_by_arn(backend: ApplicationAutoscalingBackend, arn: str) -> FakeScalableTarget:
    for targets in backend.targets.values():
        for target in targets.values():
            if target.arn == arn:
                return target
    raise ResourceNotFoundException(arn)


def _tags(target: FakeScalableTarget) -> dict[str, str]:
    if not hasattr(target, "tags"):
        target.tags = {}
    return target.tags


def _scale_ecs_service_into_bounds(backend: ApplicationAutoscalingBackend, target: FakeScalableTarget) -> None:
    if target.service_namespace != "ecs":
        return
    _, cluster, name = target.resource_id.split("/")
    (service,), _ = backend.ecs_backend.describe_services(cluster, [name])
    low = target.min_capacity if target.min_capacity is not None else service.desired_count
    high = target.max_capacity if target.max_capacity is not None else service.desired_count
    wanted = max(low, min(high, service.desired_count))
    if wanted != service.desired_count:
        backend.ecs_backend.update_service({"cluster": cluster, "service": name, "desired_count": wanted})


def apply() -> None:
    """Patches moto's Application Auto Scaling responses (once per process)."""
    response = ApplicationAutoScalingResponse
    response.call_action = _locked(response.call_action)
    register, deregister = response.register_scalable_target, response.deregister_scalable_target

    def register_scalable_target(self: Any) -> str:
        backend = self.applicationautoscaling_backend
        key = (self._get_param("ScalableDimension"), self._get_param("ResourceId"))
        existed = _target(backend, *key) is not None
        result = register(self)
        target = _target(backend, *key)
        if not existed:
            _tags(target).update(self._get_param("Tags") or {})
        if target.suspended_state is None:
            target.suspended_state = dict(NOT_SUSPENDED)
        _scale_ecs_service_into_bounds(backend, target)
        return result

    def deregister_scalable_target(self: Any) -> str:
        result = deregister(self)
        backend = self.applicationautoscaling_backend
        key = (
            self._get_param("ServiceNamespace"),
            self._get_param("ResourceId"),
            self._get_param("ScalableDimension"),
        )
        for policy_key, policy in list(backend.policies.items()):
            if (policy.service_namespace, policy.resource_id, policy.scalable_dimension) == key:
                policy.delete_alarms(backend.account_id, backend.region_name)
                del backend.policies[policy_key]
        backend.scheduled_actions = [
            a for a in backend.scheduled_actions if (a.service_namespace, a.resource_id, a.scalable_dimension) != key
        ]
        return result

    def list_tags_for_resource(self: Any) -> str:
        target = _target_by_arn(self.applicationautoscaling_backend, self._get_param("ResourceARN"))
        return json.dumps({"Tags": _tags(target)})

    def tag_resource(self: Any) -> str:
        target = _target_by_arn(self.applicationautoscaling_backend, self._get_param("ResourceARN"))
        _tags(target).update(self._get_param("Tags") or {})
        return "{}"

    def untag_resource(self: Any) -> str:
        target = _target_by_arn(self.applicationautoscaling_backend, self._get_param("ResourceARN"))
        for key in self._get_param("TagKeys") or []:
            _tags(target).pop(key, None)
        return "{}"

    response.register_scalable_target = register_scalable_target
    response.deregister_scalable_target = deregister_scalable_target
    response.list_tags_for_resource = list_tags_for_resource
    response.tag_resource = tag_resource
    response.untag_resource = untag_resource
