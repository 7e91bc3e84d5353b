output "service_environment" {
  description = "The environment as the ecs-service module takes it (same shape as ecs-environment's output): name, region, cluster_name, cluster_arn, vpc_id, subnet_ids, security_group_ids, listener_arn (null without ALB), log_retention_in_days."
  value       = local.service_environment
}

output "cluster_arn" {
  description = "ARN of the environment's ECS cluster (from data.aws_ecs_cluster)."
  value       = data.aws_ecs_cluster.this.arn
}

output "parameter_name" {
  description = "Name of the SSM parameter that was read."
  value       = data.aws_ssm_parameter.this.name
}
