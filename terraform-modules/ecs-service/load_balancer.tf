################################################################################
# Optional target group and listener rule on the environment's shared listener
################################################################################

resource "aws_lb_target_group" "this" {
  count = local.create_target_group ? 1 : 0

  # Target group names are limited to 32 characters: shortened name plus a stable hash.
  name                 = "${trimsuffix(substr(local.family, 0, 23), "-")}-${substr(md5(local.family), 0, 8)}"
  port                 = try(local.lb_container.port, 80)
  protocol             = "HTTP"
  target_type          = "ip"
  vpc_id               = var.environment.vpc_id
  deregistration_delay = var.load_balancer.deregistration_delay

  health_check {
    path    = var.load_balancer.health_check_path
    matcher = var.load_balancer.health_check_matcher
  }

  tags = local.tags

  lifecycle {
    precondition {
      condition     = var.environment.listener_arn != null
      error_message = "load_balancer is set but environment ${local.environment} has no shared listener (create its ALB in ecs-environment with `alb = {}`)."
    }

    precondition {
      condition     = local.lb_container != null && try(local.lb_container.port != null, false)
      error_message = "load_balancer needs a container with a port: set load_balancer.container_name to a container that has `port`."
    }
  }
}

resource "aws_lb_listener_rule" "this" {
  count = local.create_target_group ? 1 : 0

  listener_arn = var.environment.listener_arn
  priority     = var.load_balancer.priority

  action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.this[0].arn
  }

  dynamic "condition" {
    for_each = length(var.load_balancer.host_headers) > 0 ? [var.load_balancer.host_headers] : []

    content {
      host_header {
        values = condition.value
      }
    }
  }

  dynamic "condition" {
    for_each = length(var.load_balancer.path_patterns) > 0 ? [var.load_balancer.path_patterns] : []

    content {
      path_pattern {
        values = condition.value
      }
    }
  }

  tags = local.tags

  lifecycle {
    # Canary, linear and blue/green deployments rewrite this rule's forward action (weights between
    # the target group and its alternate); Terraform must not undo them. See README, "Deployment strategies".
    ignore_changes = [action]
  }
}

################################################################################
# Canary, linear and blue/green: the alternate target group and the role ECS shifts traffic with
################################################################################

resource "aws_lb_target_group" "alternate" {
  count = local.create_alternate ? 1 : 0

  # Same shape as the primary; the name hashes "<family>-alternate".
  name                 = "${trimsuffix(substr(local.family, 0, 23), "-")}-${substr(md5("${local.family}-alternate"), 0, 8)}"
  port                 = aws_lb_target_group.this[0].port
  protocol             = "HTTP"
  target_type          = "ip"
  vpc_id               = var.environment.vpc_id
  deregistration_delay = var.load_balancer.deregistration_delay

  health_check {
    path    = var.load_balancer.health_check_path
    matcher = var.load_balancer.health_check_matcher
  }

  tags = merge(local.tags, { "ecs-deploy:target-group-role" = "alternate" })
}

resource "aws_iam_role" "infrastructure" {
  count = local.create_alternate ? 1 : 0

  name        = "${local.family}-ecs-infra"
  path        = var.iam_role_path
  description = "Lets ECS shift traffic between the target groups of ${var.name} in ${local.environment} (canary, linear, blue/green)"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "ecs.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
  max_session_duration = 3600

  tags = local.tags
}

# What ECS's managed AmazonECSInfrastructureRolePolicyForLoadBalancers grants, limited to this
# service's target groups, production rule and listener.
resource "aws_iam_role_policy" "infrastructure" {
  count = local.create_alternate ? 1 : 0

  name = "shift-traffic"
  role = aws_iam_role.infrastructure[0].id

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "DescribeLoadBalancing"
        Effect   = "Allow"
        Action   = ["elasticloadbalancing:DescribeTargetGroups", "elasticloadbalancing:DescribeTargetHealth", "elasticloadbalancing:DescribeListeners", "elasticloadbalancing:DescribeRules"]
        Resource = "*"
      },
      {
        Sid      = "RegisterTasks"
        Effect   = "Allow"
        Action   = ["elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"]
        Resource = [aws_lb_target_group.this[0].arn, aws_lb_target_group.alternate[0].arn]
      },
      {
        Sid      = "ShiftTraffic"
        Effect   = "Allow"
        Action   = ["elasticloadbalancing:ModifyRule", "elasticloadbalancing:ModifyListener"]
        Resource = [aws_lb_listener_rule.this[0].arn, var.environment.listener_arn]
      },
    ]
  })
}
