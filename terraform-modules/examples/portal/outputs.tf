output "url" {
  description = "The portal's URL (app_base_url; point its DNS name at alb_dns_name)."
  value       = var.app_base_url
}

output "alb_dns_name" {
  description = "DNS name of the portal's load balancer (a CNAME or alias target for app_base_url's host)."
  value       = module.environment.alb_dns_name
}

output "task_role_arn" {
  description = "The portal's principal: give it to portal-access in every workload account as portal_principal_arns."
  value       = module.service.task_role_arn
}

output "task_role_policy_json" {
  description = "What the portal's principal may do itself (assume the portal roles, consume this account's event queues), JSON; null when nothing."
  value       = local.task_role_policy_json
}

output "cluster_arn" {
  description = "ECS cluster the portal runs in."
  value       = module.environment.cluster_arn
}

output "service_name" {
  description = "ECS service of the portal."
  value       = module.service.service_name
}

output "service_arn" {
  description = "ARN of the portal's ECS service."
  value       = module.service.service_arn
}

output "image_parameter_names" {
  description = "Container name => SSM image parameter: deploy a new portal version by writing it and applying."
  value       = module.service.image_parameter_names
}

output "log_group_name" {
  description = "CloudWatch log group of the portal's containers."
  value       = module.service.log_group_name
}

output "database_endpoint" {
  description = "Host of the PostgreSQL instance (POSTGRES_HOST)."
  value       = aws_db_instance.this.address
}

output "database_master_user_secret_arn" {
  description = "Secrets Manager secret RDS manages for the master user (POSTGRES_PASSWORD is its `password` key)."
  value       = aws_db_instance.this.master_user_secret[0].secret_arn
}

output "redis_primary_endpoint" {
  description = "Primary endpoint of the Redis replication group (in REDIS_URL)."
  value       = aws_elasticache_replication_group.this.primary_endpoint_address
}

output "secret_arns" {
  description = "Secrets injected into the portal's container, environment variable => ARN."
  value       = local.container_secrets
}
