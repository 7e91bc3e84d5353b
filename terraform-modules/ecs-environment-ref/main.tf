# Reads what ecs-environment published, so that a service root needs no remote state.

data "aws_ssm_parameter" "this" {
  name = "/ecs-deploy/environments/${var.environment}"
}

locals {
  document = jsondecode(data.aws_ssm_parameter.this.insecure_value)
}

data "aws_ecs_cluster" "this" {
  cluster_name = local.document.cluster_name
}

locals {
  service_environment = {
    name                  = local.document.name
    region                = local.document.region
    cluster_name          = data.aws_ecs_cluster.this.cluster_name
    cluster_arn           = data.aws_ecs_cluster.this.arn
    vpc_id                = local.document.vpc_id
    subnet_ids            = tolist(local.document.subnet_ids)
    security_group_ids    = tolist(local.document.security_group_ids)
    listener_arn          = try(local.document.listener_arn, null)
    log_retention_in_days = local.document.log_retention_in_days
  }
}

check "environment_document" {
  assert {
    condition     = local.document.name == var.environment
    error_message = "The document at /ecs-deploy/environments/${var.environment} names environment '${local.document.name}'."
  }

  assert {
    condition     = data.aws_ecs_cluster.this.status == "ACTIVE"
    error_message = "ECS cluster ${local.document.cluster_name} of environment ${var.environment} is not ACTIVE."
  }
}
