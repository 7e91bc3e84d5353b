# Only values that promotions do not change (no images, no task definition revisions): see the
# ecs-service README, "Promotion contract".
output "environment" {
  description = "What services of this environment need (also published at /ecs-deploy/environments/<environment>)."
  value       = module.stage.environment
}

output "parameter_name" {
  description = "SSM parameter holding the environment document."
  value       = module.stage.parameter_name
}

output "services" {
  description = "Per service: ECS service name, task definition family, log group and image parameter names."
  value       = module.stage.services
}
