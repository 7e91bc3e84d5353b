# One demo stage: a VPC with two private subnets (no NAT), an ecs-environment with an internal ALB
# and one ecs-service per entry of var.services behind it. Each stage root (../../staging, ../../prod) calls this once with its
# values and keeps its own provider and state.

################################################################################
# Network (demo only: a VPC with two private subnets and no NAT)
################################################################################

data "aws_availability_zones" "available" {
  state = "available"
}

resource "aws_vpc" "this" {
  cidr_block           = var.cidr_block
  enable_dns_support   = true
  enable_dns_hostnames = true

  tags = merge(var.tags, { Name = "demo-${var.environment}", "backstage:environment" = var.environment })
}

resource "aws_subnet" "private" {
  count = 2

  vpc_id            = aws_vpc.this.id
  cidr_block        = cidrsubnet(var.cidr_block, 4, count.index)
  availability_zone = data.aws_availability_zones.available.names[count.index]

  tags = merge(var.tags, { Name = "demo-${var.environment}-private-${count.index}", "backstage:environment" = var.environment })
}

################################################################################
# Environment and services
################################################################################

module "environment" {
  source = "../../../../ecs-environment"

  name               = "demo-${var.environment}"
  environment        = var.environment
  vpc_id             = aws_vpc.this.id
  private_subnet_ids = aws_subnet.private[*].id

  # Container Insights feeds the running-below-desired alarm; the shared ALB (HTTP, internal) the
  # 5xx and latency alarms and the traffic-shifting strategies.
  container_insights    = true
  log_retention_in_days = 14
  alb                   = { internal = true, ingress_cidr_blocks = [var.cidr_block] }

  tags = var.tags
}

module "service" {
  source   = "../../../../ecs-service"
  for_each = var.services

  name        = each.key
  entity_ref  = "component:default/${each.key}"
  environment = module.environment.service_environment

  cpu           = 256
  memory        = 512
  desired_count = var.desired_count

  # Each service answers on its own host name on the environment's listener.
  load_balancer = {
    priority          = index(sort(keys(var.services)), each.key) + 1
    host_headers      = ["${each.key}.${var.environment}.demo.internal"]
    health_check_path = "/health"
  }
  deployment_strategy = each.value.deployment_strategy
  alarms              = { create = each.value.alarms }

  containers = [{
    name  = each.key
    image = each.value.image
    port  = 8080
    environment = {
      PORT        = "8080"
      ENVIRONMENT = var.environment
    }
  }]

  tags = var.tags
}
