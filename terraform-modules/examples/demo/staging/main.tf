locals {
  environment = "staging"
  cidr_block  = "10.20.0.0/16"

  tags = {
    "project" = "ecs-deploy-demo"
  }

  # Backstage entity name => what differs per service. All: cpu 256 / memory 512, port 8080.
  services = {
    "payments-api"   = { image = "ghcr.io/acme/payments-api:1.4.0" }
    "checkout-web"   = { image = "ghcr.io/acme/checkout-web:2.1.0" }
    "search-api"     = { image = "ghcr.io/acme/search-api:0.9.1" }
    "search-indexer" = { image = "ghcr.io/acme/search-indexer:3.0.0" }
  }
  desired_count = 1
}

################################################################################
# Network (demo only: a VPC with two private subnets and no NAT)
################################################################################

data "aws_availability_zones" "available" {
  state = "available"
}

resource "aws_vpc" "this" {
  cidr_block           = local.cidr_block
  enable_dns_support   = true
  enable_dns_hostnames = true

  tags = merge(local.tags, { Name = "demo-${local.environment}", "backstage:environment" = local.environment })
}

resource "aws_subnet" "private" {
  count = 2

  vpc_id            = aws_vpc.this.id
  cidr_block        = cidrsubnet(local.cidr_block, 4, count.index)
  availability_zone = data.aws_availability_zones.available.names[count.index]

  tags = merge(local.tags, { Name = "demo-${local.environment}-private-${count.index}", "backstage:environment" = local.environment })
}

################################################################################
# Environment and services
################################################################################

module "environment" {
  source = "../../../ecs-environment"

  name               = "demo-${local.environment}"
  environment        = local.environment
  vpc_id             = aws_vpc.this.id
  private_subnet_ids = aws_subnet.private[*].id

  container_insights    = false
  log_retention_in_days = 14

  tags = local.tags
}

module "service" {
  source   = "../../../ecs-service"
  for_each = local.services

  name        = each.key
  entity_ref  = "component:default/${each.key}"
  environment = module.environment.service_environment

  cpu           = 256
  memory        = 512
  desired_count = local.desired_count

  containers = [{
    name  = each.key
    image = each.value.image
    port  = 8080
    environment = {
      PORT        = "8080"
      ENVIRONMENT = local.environment
    }
  }]

  tags = local.tags
}
