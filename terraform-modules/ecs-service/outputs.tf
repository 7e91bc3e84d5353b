output "service_name" {
  description = "Name of the ECS service (= var.name, the Backstage entity name)."
  value       = aws_ecs_service.this.name
}

output "service_arn" {
  description = "ARN of the ECS service."
  value       = aws_ecs_service.this.id
}

output "cluster_arn" {
  description = "ARN of the cluster the service runs in."
  value       = var.environment.cluster_arn
}

output "environment" {
  description = "Environment name the service is deployed to."
  value       = local.environment
}

output "task_definition_family" {
  description = "Task definition family, `<name>-<environment>`."
  value       = aws_ecs_task_definition.this.family
}

output "task_definition_arn" {
  description = "ARN of the latest ACTIVE task definition revision of the family (track_latest: after a promotion, the portal's revision)."
  value       = aws_ecs_task_definition.this.arn
}

output "task_definition_revision" {
  description = "Revision number of task_definition_arn."
  value       = aws_ecs_task_definition.this.revision
}

output "images" {
  description = "Map of container name to the image Terraform deploys (the refreshed value of its image parameter)."
  value       = local.images
}

output "image_parameter_prefix" {
  description = "Prefix of the image parameters, `/ecs-deploy/<environment>/<name>/image`; the parameter of a container is `<prefix>/<container-name>`."
  value       = local.image_parameter_prefix
}

output "image_parameter_names" {
  description = "Map of container name to the name of its SSM image parameter."
  value       = { for name, p in aws_ssm_parameter.image : name => p.name }
}

output "log_group_name" {
  description = "CloudWatch log group, `/ecs/<environment>/<name>`."
  value       = aws_cloudwatch_log_group.this.name
}

output "log_group_arn" {
  description = "ARN of the CloudWatch log group."
  value       = aws_cloudwatch_log_group.this.arn
}

output "log_stream_prefix" {
  description = "awslogs stream prefix (`ecs`): streams are `ecs/<container-name>/<task-id>`."
  value       = local.log_stream_prefix
}

output "execution_role_arn" {
  description = "ARN of the task execution role (image pull, logs, the listed secrets)."
  value       = local.execution_role_arn
}

output "task_role_arn" {
  description = "ARN of the task role (the application's own permissions)."
  value       = local.task_role_arn
}

output "task_role_name" {
  description = "Name of the task role, to attach further policies."
  value       = local.create_roles ? aws_iam_role.task[0].name : try(regex("role/(?:.*/)?([^/]+)$", var.existing_roles.task_role_arn)[0], null)
}

output "target_group_arn" {
  description = "ARN of the target group, or null without load_balancer."
  value       = try(aws_lb_target_group.this[0].arn, null)
}

output "listener_rule_arn" {
  description = "ARN of the listener rule, or null without load_balancer."
  value       = try(aws_lb_listener_rule.this[0].arn, null)
}

output "alarm_names" {
  description = "Alarms the module created, kind => name (`<name>-<environment>-<kind>`; kinds http-5xx-rate, latency-p95, running-below-desired)."
  value       = { for kind, a in aws_cloudwatch_metric_alarm.this : kind => a.alarm_name }
}

output "alarm_arns" {
  description = "ARNs of the alarms the module created, kind => ARN."
  value       = { for kind, a in aws_cloudwatch_metric_alarm.this : kind => a.arn }
}

output "deployment_alarm_names" {
  description = "Every alarm ECS watches during a deployment (the created ones, then alarms.extra_alarm_names); empty when none."
  value       = local.deployment_alarm_names
}

output "deployment_strategy" {
  description = "Deployment strategy type: rolling, canary, linear or blue_green (also the service's `ecs-deploy:deployment-strategy` tag)."
  value       = local.strategy.type
}

output "deployment_strategy_parameter_name" {
  description = "SSM parameter with the deployment strategy the portal applies (`/ecs-deploy/<environment>/<name>/deployment-strategy`, JSON)."
  value       = aws_ssm_parameter.deployment_strategy.name
}

output "alternate_target_group_arn" {
  description = "ARN of the alternate target group (canary, linear, blue_green with load_balancer), else null."
  value       = try(aws_lb_target_group.alternate[0].arn, null)
}

output "infrastructure_role_arn" {
  description = "ARN of the role ECS shifts traffic with (canary, linear, blue_green with load_balancer), else null."
  value       = try(aws_iam_role.infrastructure[0].arn, null)
}

output "autoscaling_target_id" {
  description = "ID of the Application Auto Scaling target, or null without autoscaling."
  value       = try(aws_appautoscaling_target.this[0].id, null)
}

output "tags" {
  description = "Tags applied to every taggable resource (user tags plus backstage:entity-ref, backstage:environment, ecs-deploy:image-parameter-prefix)."
  value       = local.tags
}
