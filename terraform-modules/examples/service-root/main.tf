# One service in one environment: the shape of the root the scaffolder renders (one root and one
# state per service per environment). The environment is found through its SSM document, not
# through remote state.

module "environment" {
  source = "../../ecs-environment-ref"

  environment = var.environment
}

module "service" {
  source = "../../ecs-service"

  name        = var.name
  entity_ref  = "component:default/${var.name}"
  environment = module.environment.service_environment

  cpu           = 256
  memory        = 512
  desired_count = var.desired_count
  autoscaling   = var.autoscaling

  containers = [{
    name  = var.name
    image = var.image
    port  = 8080
  }]
}
