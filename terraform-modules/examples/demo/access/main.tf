# What the portal needs in one workload account of the demo, applied before the environments
# (scripts/demo-aws.sh in cross-account mode): the portal role, the Terraform role the environment
# roots then run with, and the ECS events queue the portal consumes with the portal role.
locals {
  principal = "arn:aws:iam::${var.main_account_id}:root"
  clusters  = [for e in var.environments : "arn:aws:ecs:${var.region}:${var.account_id}:cluster/demo-${e}"]
}

module "events" {
  source = "../../../portal-events"

  cluster_arns = local.clusters

  tags = { project = "ecs-deploy-demo" }
}

module "access" {
  source = "../../../portal-access"

  environments          = [for i, e in var.environments : { name = e, cluster_arn = local.clusters[i] }]
  portal_principal_arns = [local.principal]
  external_id           = var.external_id

  terraform_role = {
    principal_arns      = [local.principal]
    external_id         = var.terraform_external_id
    manage_environments = true # the demo roots create the VPC, cluster and ALB as well
  }

  additional_portal_policies = { events = module.events.consumer_policy_json }

  tags = { project = "ecs-deploy-demo" }
}
