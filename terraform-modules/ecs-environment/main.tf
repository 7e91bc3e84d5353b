data "aws_region" "current" {}

locals {
  tags = merge(var.tags, {
    "backstage:environment" = var.environment
  })

  create_alb      = var.alb != null
  https           = local.create_alb && try(var.alb.certificate_arn, null) != null
  alb_subnet_ids  = length(var.public_subnet_ids) > 0 ? var.public_subnet_ids : var.private_subnet_ids
  parameter_name  = "/ecs-deploy/environments/${var.environment}"
  security_groups = concat(aws_security_group.service[*].id, var.service_security_group_ids)

  # The document services read (directly through the `service_environment` output, or through
  # the SSM parameter with the ecs-environment-ref module). Keep both shapes identical.
  service_environment = {
    name                  = var.environment
    region                = data.aws_region.current.name
    cluster_name          = aws_ecs_cluster.this.name
    cluster_arn           = aws_ecs_cluster.this.arn
    vpc_id                = var.vpc_id
    subnet_ids            = var.private_subnet_ids
    security_group_ids    = local.security_groups
    listener_arn          = local.create_alb ? aws_lb_listener.this[0].arn : null
    log_retention_in_days = var.log_retention_in_days
  }
}

################################################################################
# Cluster
################################################################################

resource "aws_ecs_cluster" "this" {
  name = var.name

  setting {
    name  = "containerInsights"
    value = var.container_insights ? "enabled" : "disabled"
  }

  tags = local.tags
}

resource "aws_ecs_cluster_capacity_providers" "this" {
  cluster_name       = aws_ecs_cluster.this.name
  capacity_providers = ["FARGATE", "FARGATE_SPOT"]

  default_capacity_provider_strategy {
    capacity_provider = "FARGATE"
    base              = 1
    weight            = 1
  }

  dynamic "default_capacity_provider_strategy" {
    for_each = var.fargate_spot_weight > 0 ? [var.fargate_spot_weight] : []

    content {
      capacity_provider = "FARGATE_SPOT"
      weight            = default_capacity_provider_strategy.value
    }
  }
}

################################################################################
# Network: the services' security group
################################################################################

resource "aws_security_group" "service" {
  count = var.create_service_security_group ? 1 : 0

  name        = "${var.name}-services"
  description = "ECS services of environment ${var.environment}"
  vpc_id      = var.vpc_id

  tags = merge(local.tags, { Name = "${var.name}-services" })

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_vpc_security_group_egress_rule" "service_all" {
  count = var.create_service_security_group ? 1 : 0

  security_group_id = aws_security_group.service[0].id
  description       = "All outbound traffic (image pulls, AWS APIs)"
  ip_protocol       = "-1"
  cidr_ipv4         = "0.0.0.0/0"

  tags = local.tags
}

# Traffic from the environment's load balancer. No description: the local emulator (moto 5.2) drops
# the description of a rule that references a security group, so it would show as a change after
# every apply there.
resource "aws_vpc_security_group_ingress_rule" "service_from_alb" {
  count = var.create_service_security_group && local.create_alb ? 1 : 0

  security_group_id            = aws_security_group.service[0].id
  ip_protocol                  = "tcp"
  from_port                    = 1
  to_port                      = 65535
  referenced_security_group_id = aws_security_group.alb[0].id

  tags = local.tags
}

################################################################################
# Optional shared load balancer
################################################################################

resource "aws_security_group" "alb" {
  count = local.create_alb ? 1 : 0

  name        = "${var.name}-alb"
  description = "Load balancer of environment ${var.environment}"
  vpc_id      = var.vpc_id

  tags = merge(local.tags, { Name = "${var.name}-alb" })

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_vpc_security_group_ingress_rule" "alb_listener" {
  for_each = local.create_alb ? toset(var.alb.ingress_cidr_blocks) : toset([])

  security_group_id = aws_security_group.alb[0].id
  description       = "Listener traffic"
  ip_protocol       = "tcp"
  from_port         = local.https ? 443 : 80
  to_port           = local.https ? 443 : 80
  cidr_ipv4         = each.value

  tags = local.tags
}

resource "aws_vpc_security_group_egress_rule" "alb_all" {
  count = local.create_alb ? 1 : 0

  security_group_id = aws_security_group.alb[0].id
  description       = "Traffic to the targets"
  ip_protocol       = "-1"
  cidr_ipv4         = "0.0.0.0/0"

  tags = local.tags
}

resource "aws_lb" "this" {
  count = local.create_alb ? 1 : 0

  name               = var.name
  load_balancer_type = "application"
  internal           = var.alb.internal
  subnets            = local.alb_subnet_ids
  security_groups    = [aws_security_group.alb[0].id]
  idle_timeout       = var.alb.idle_timeout

  tags = local.tags
}

resource "aws_lb_listener" "this" {
  count = local.create_alb ? 1 : 0

  load_balancer_arn = aws_lb.this[0].arn
  port              = local.https ? 443 : 80
  protocol          = local.https ? "HTTPS" : "HTTP"
  certificate_arn   = local.https ? var.alb.certificate_arn : null
  ssl_policy        = local.https ? var.alb.ssl_policy : null

  # Services add listener rules; anything unmatched gets a 404.
  default_action {
    type = "fixed-response"

    fixed_response {
      content_type = "text/plain"
      message_body = "Not found"
      status_code  = "404"
    }
  }

  tags = local.tags
}

################################################################################
# What services need, published for service roots (see ecs-environment-ref)
################################################################################

resource "aws_ssm_parameter" "this" {
  name        = local.parameter_name
  description = "ECS environment ${var.environment}: what ecs-service needs (JSON, read by ecs-environment-ref and the portal)"
  type        = "String"
  value       = jsonencode(local.service_environment)

  tags = local.tags
}
