################################################################################
# Deployment strategy: what the portal applies through the ECS API (see README, "Deployment strategies")
################################################################################

locals {
  strategy         = var.deployment_strategy
  traffic_shifting = local.strategy.type != "rolling"
  # Canary, linear and blue/green move traffic between two target groups of one listener rule.
  create_alternate = local.traffic_shifting && local.create_target_group

  strategy_parameter_name = "/ecs-deploy/${local.environment}/${var.name}/deployment-strategy"

  # The fragments of ECS's UpdateService input (API names), so that the portal passes them through:
  # deploymentConfiguration is merged into the service's (circuit breaker and alarms stay), and
  # loadBalancers, when present, replaces the service's with the alternate target group wired in.
  strategy_document = {
    version = 1
    type    = local.strategy.type
    deploymentConfiguration = merge(
      { strategy = upper(local.strategy.type) },
      local.traffic_shifting ? { bakeTimeInMinutes = local.strategy.bake_time_minutes } : {},
      local.strategy.type == "canary" ? {
        canaryConfiguration = {
          canaryPercent           = local.strategy.canary_percent
          canaryBakeTimeInMinutes = local.strategy.canary_bake_time_minutes
        }
      } : {},
      local.strategy.type == "linear" ? {
        linearConfiguration = {
          stepPercent           = local.strategy.linear_step_percent
          stepBakeTimeInMinutes = local.strategy.linear_step_bake_time_minutes
        }
      } : {},
    )
    loadBalancers = local.create_alternate ? [{
      targetGroupArn = aws_lb_target_group.this[0].arn
      containerName  = local.lb_container.name
      containerPort  = local.lb_container.port
      advancedConfiguration = {
        alternateTargetGroupArn = aws_lb_target_group.alternate[0].arn
        productionListenerRule  = aws_lb_listener_rule.this[0].arn
        roleArn                 = aws_iam_role.infrastructure[0].arn
      }
    }] : []
  }
}

resource "aws_ssm_parameter" "deployment_strategy" {
  name        = local.strategy_parameter_name
  description = "Deployment strategy of ${var.name} in ${local.environment} (ECS UpdateService fragments, JSON), applied by the portal on deploy and promotion. Managed by Terraform."
  type        = "String"
  value       = jsonencode(local.strategy_document)

  tags = local.tags

  lifecycle {
    precondition {
      condition     = !local.traffic_shifting || local.create_target_group
      error_message = "deployment_strategy.type = ${local.strategy.type} shifts traffic between two target groups and needs load_balancer with a target group the module creates (not load_balancer.target_group_arn); otherwise use rolling."
    }
  }
}
