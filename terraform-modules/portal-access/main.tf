# Per account: the role the portal assumes (portal_role.tf) and the role Terraform assumes to provision
# services (terraform_role.tf). This file derives the ARNs both policies are scoped to from the
# environments' cluster ARNs and the names ecs-service gives everything (see its README).

data "aws_caller_identity" "current" {}

locals {
  # arn:<partition>:ecs:<region>:<account>:cluster/<name>; the variable's validations make all equal.
  arn_parts  = split(":", var.environments[0].cluster_arn)
  partition  = local.arn_parts[1]
  region     = local.arn_parts[3]
  account_id = local.arn_parts[4]

  ecs  = "arn:${local.partition}:ecs:${local.region}:${local.account_id}"
  ssm  = "arn:${local.partition}:ssm:${local.region}:${local.account_id}"
  logs = "arn:${local.partition}:logs:${local.region}:${local.account_id}"
  iam  = "arn:${local.partition}:iam::${local.account_id}"
  cw   = "arn:${local.partition}:cloudwatch:${local.region}:${local.account_id}"
  elb  = "arn:${local.partition}:elasticloadbalancing:${local.region}:${local.account_id}"

  environment_names = [for e in var.environments : e.name]
  cluster_names     = [for e in var.environments : split("/", e.cluster_arn)[1]]
  cluster_arns      = [for e in var.environments : e.cluster_arn]

  # What ecs-service names per service and environment, as IAM resource patterns (all environments).
  arns = {
    services = [for c in local.cluster_names : "${local.ecs}:service/${c}/*"]
    tasks    = [for c in local.cluster_names : "${local.ecs}:task/${c}/*"]
    # Canary, linear and blue/green deployments the portal follows, holds and stops.
    service_deployments = [for c in local.cluster_names : "${local.ecs}:service-deployment/${c}/*"]
    task_definitions    = [for e in local.environment_names : "${local.ecs}:task-definition/*-${e}:*"]
    # The image parameters (promotion contract) and everything else a service keeps under its prefix.
    image_parameters = [for e in local.environment_names : "${local.ssm}:parameter/ecs-deploy/${e}/*/image/*"]
    # The deployment strategy ecs-service writes for the portal to apply.
    strategy_parameters = [for e in local.environment_names : "${local.ssm}:parameter/ecs-deploy/${e}/*/deployment-strategy"]
    service_parameters  = [for e in local.environment_names : "${local.ssm}:parameter/ecs-deploy/${e}/*"]
    environment_docs    = [for e in local.environment_names : "${local.ssm}:parameter/ecs-deploy/environments/${e}"]
    log_groups          = [for e in local.environment_names : "${local.logs}:log-group:/ecs/${e}/*"]
    all_log_groups      = "${local.logs}:log-group:*"
    task_roles = flatten([for e in local.environment_names : [
      "${local.iam}:role${var.managed_role_path}*-${e}-task",
      "${local.iam}:role${var.managed_role_path}*-${e}-execution",
    ]])
    # Blue/green, canary and linear: the role ECS uses to shift traffic between the target groups.
    infrastructure_roles = [for e in local.environment_names : "${local.iam}:role${var.managed_role_path}*-${e}-ecs-infra"]
    alarms               = [for e in local.environment_names : "${local.cw}:alarm:*-${e}-*"]
    all_alarms           = "${local.cw}:alarm:*"
    clusters             = local.cluster_arns
  }

  tags = merge(var.tags, {
    "ecs-deploy:environments" = join(" ", local.environment_names)
  })
}

# Both trust policies: principals, and an external ID when one is set.
locals {
  portal_trust_policy = {
    Version = "2012-10-17"
    Statement = [{
      Sid       = "PortalAssumesRole"
      Effect    = "Allow"
      Principal = { AWS = var.portal_principal_arns }
      Action    = "sts:AssumeRole"
      Condition = { StringEquals = { "sts:ExternalId" = var.external_id } }
    }]
  }

  terraform_trust_policy = var.terraform_role == null ? null : {
    Version = "2012-10-17"
    Statement = [merge(
      {
        Sid       = "TerraformAssumesRole"
        Effect    = "Allow"
        Principal = { AWS = var.terraform_role.principal_arns }
        Action    = "sts:AssumeRole"
      },
      var.terraform_role.external_id == null ? {} : {
        Condition = { StringEquals = { "sts:ExternalId" = var.terraform_role.external_id } }
      },
    )]
  }
}
