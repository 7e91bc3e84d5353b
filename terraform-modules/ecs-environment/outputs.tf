output "service_environment" {
  description = "Everything the ecs-service module needs, as one object (same shape as ecs-environment-ref's output and as the JSON in the SSM parameter): name, region, cluster_name, cluster_arn, vpc_id, subnet_ids, security_group_ids, listener_arn (null without ALB), log_retention_in_days."
  value       = local.service_environment
}

output "environment" {
  description = "Environment name."
  value       = var.environment
}

output "region" {
  description = "AWS region the environment is in."
  value       = data.aws_region.current.name
}

output "cluster_name" {
  description = "Name of the ECS cluster."
  value       = aws_ecs_cluster.this.name
}

output "cluster_arn" {
  description = "ARN of the ECS cluster."
  value       = aws_ecs_cluster.this.arn
}

output "vpc_id" {
  description = "VPC id the services run in."
  value       = var.vpc_id
}

output "subnet_ids" {
  description = "Private subnet ids for the services' tasks."
  value       = var.private_subnet_ids
}

output "security_group_ids" {
  description = "Security group ids attached to every service (the created one first, then service_security_group_ids)."
  value       = local.security_groups
}

output "service_security_group_id" {
  description = "ID of the created services' security group, or null when create_service_security_group is false."
  value       = try(aws_security_group.service[0].id, null)
}

output "alb_arn" {
  description = "ARN of the shared load balancer, or null without one."
  value       = try(aws_lb.this[0].arn, null)
}

output "alb_dns_name" {
  description = "DNS name of the shared load balancer, or null without one."
  value       = try(aws_lb.this[0].dns_name, null)
}

output "alb_security_group_id" {
  description = "Security group id of the shared load balancer, or null without one."
  value       = try(aws_security_group.alb[0].id, null)
}

output "listener_arn" {
  description = "ARN of the shared listener (HTTPS on 443 with a certificate, else HTTP on 80), or null without an ALB."
  value       = try(aws_lb_listener.this[0].arn, null)
}

output "listener_protocol" {
  description = "HTTPS, HTTP, or null without an ALB."
  value       = local.create_alb ? (local.https ? "HTTPS" : "HTTP") : null
}

output "log_retention_in_days" {
  description = "Default log retention of the environment's services."
  value       = var.log_retention_in_days
}

output "parameter_name" {
  description = "Name of the SSM String parameter holding the service_environment JSON (/ecs-deploy/environments/<environment>)."
  value       = aws_ssm_parameter.this.name
}
