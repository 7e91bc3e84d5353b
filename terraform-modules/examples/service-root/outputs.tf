# Only values that promotions do not change (see the ecs-service README, "Promotion contract").
output "service_name" {
  description = "ECS service name."
  value       = module.service.service_name
}

output "cluster_arn" {
  description = "Cluster the service runs in."
  value       = module.service.cluster_arn
}

output "task_definition_family" {
  description = "Task definition family."
  value       = module.service.task_definition_family
}

output "log_group_name" {
  description = "CloudWatch log group of the service."
  value       = module.service.log_group_name
}

output "image_parameter_names" {
  description = "Container name => SSM image parameter."
  value       = module.service.image_parameter_names
}
