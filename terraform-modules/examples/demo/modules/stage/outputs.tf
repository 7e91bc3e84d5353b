output "environment" {
  description = "What services of this stage need (also published at /ecs-deploy/environments/<environment>)."
  value       = module.environment.service_environment
}

output "parameter_name" {
  description = "SSM parameter holding the environment document."
  value       = module.environment.parameter_name
}

output "vpc_id" {
  description = "ID of the stage's VPC."
  value       = aws_vpc.this.id
}

output "private_subnet_ids" {
  description = "IDs of the stage's two private subnets."
  value       = aws_subnet.private[*].id
}

# Only values that promotions do not change: exposing images or task definition revisions here
# would make the plan after a promotion report output changes (exit code 2) in any root that
# re-exports them. See the ecs-service README, "Promotion contract".
output "services" {
  description = "Per service: ECS service name, task definition family, log group and image parameter names."
  value = {
    for name, s in module.service : name => {
      service_name           = s.service_name
      task_definition_family = s.task_definition_family
      log_group_name         = s.log_group_name
      image_parameter_names  = s.image_parameter_names
    }
  }
}
