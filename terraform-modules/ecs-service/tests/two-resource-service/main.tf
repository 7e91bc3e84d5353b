# Test fixture for tests/autoscaling_switch.tftest.hcl: only the service addresses of ecs-service
# before it had one service resource, aws_ecs_service.this[0] without autoscaling and
# aws_ecs_service.autoscaled[0] with it, so that a run of the current module can start from them.
variable "autoscaled" {
  description = "Write the state of a service with autoscaling (aws_ecs_service.autoscaled[0]) instead of one without (aws_ecs_service.this[0])."
  type        = bool
  nullable    = false
}

variable "name" {
  description = "Service name."
  type        = string
  nullable    = false
}

variable "environment" {
  description = "The environment object of ecs-service (only cluster_arn is read)."
  type        = object({ cluster_arn = string })
  nullable    = false
}

resource "aws_ecs_service" "this" {
  count = var.autoscaled ? 0 : 1

  name          = var.name
  cluster       = var.environment.cluster_arn
  desired_count = 2
}

resource "aws_ecs_service" "autoscaled" {
  count = var.autoscaled ? 1 : 0

  name          = var.name
  cluster       = var.environment.cluster_arn
  desired_count = 2

  lifecycle {
    ignore_changes = [desired_count]
  }
}

output "service_arn" {
  description = "ARN of whichever service resource exists."
  value       = one(concat(aws_ecs_service.this[*].id, aws_ecs_service.autoscaled[*].id))
}
