# Unit tests: plan only, against a mocked AWS provider.
mock_provider "aws" {
  mock_data "aws_region" {
    defaults = {
      name = "us-east-1"
    }
  }
}

variables {
  name               = "demo-staging"
  environment        = "staging"
  vpc_id             = "vpc-0123456789abcdef0"
  private_subnet_ids = ["subnet-0a", "subnet-0b"]
}

run "defaults" {
  command = plan

  assert {
    condition     = aws_ecs_cluster.this.name == "demo-staging" && one([for s in aws_ecs_cluster.this.setting : s.value if s.name == "containerInsights"]) == "disabled"
    error_message = "Cluster is named var.name with Container Insights off by default."
  }

  assert {
    condition     = toset(aws_ecs_cluster_capacity_providers.this.capacity_providers) == toset(["FARGATE", "FARGATE_SPOT"]) && length(aws_ecs_cluster_capacity_providers.this.default_capacity_provider_strategy) == 1
    error_message = "Fargate and Fargate Spot are available; the default strategy is on-demand Fargate only."
  }

  assert {
    condition     = length(aws_security_group.service) == 1 && length(aws_lb.this) == 0 && length(aws_lb_listener.this) == 0 && length(aws_vpc_security_group_ingress_rule.service_from_alb) == 0
    error_message = "A service security group and no ALB by default."
  }

  assert {
    condition     = aws_ssm_parameter.this.name == "/ecs-deploy/environments/staging" && aws_ssm_parameter.this.type == "String"
    error_message = "The environment document is the String parameter /ecs-deploy/environments/<environment>."
  }

  assert {
    condition     = output.service_environment.name == "staging" && output.service_environment.region == "us-east-1" && output.service_environment.listener_arn == null && output.service_environment.log_retention_in_days == 30 && output.service_environment.subnet_ids == tolist(["subnet-0a", "subnet-0b"])
    error_message = "service_environment carries the environment name, region, subnets, null listener and retention."
  }

  assert {
    condition     = aws_ecs_cluster.this.tags["backstage:environment"] == "staging" && aws_ssm_parameter.this.tags["backstage:environment"] == "staging"
    error_message = "Resources are tagged with backstage:environment."
  }
}

run "container_insights_and_spot" {
  command = plan

  variables {
    container_insights  = true
    fargate_spot_weight = 3
  }

  assert {
    condition     = one([for s in aws_ecs_cluster.this.setting : s.value if s.name == "containerInsights"]) == "enabled"
    error_message = "Container Insights can be switched on."
  }

  assert {
    condition     = length(aws_ecs_cluster_capacity_providers.this.default_capacity_provider_strategy) == 2
    error_message = "A Fargate Spot weight adds FARGATE_SPOT to the default strategy."
  }
}

run "existing_security_groups_only" {
  command = plan

  variables {
    create_service_security_group = false
    service_security_group_ids    = ["sg-0123456789abcdef0"]
  }

  assert {
    condition     = length(aws_security_group.service) == 0 && output.security_group_ids == ["sg-0123456789abcdef0"]
    error_message = "Without a created group, services use the given ones."
  }
}

run "alb_http" {
  command = plan

  variables {
    alb = {}
  }

  assert {
    condition     = length(aws_lb.this) == 1 && aws_lb_listener.this[0].protocol == "HTTP" && aws_lb_listener.this[0].port == 80
    error_message = "Without a certificate the shared listener is HTTP on 80."
  }

  assert {
    condition     = length(aws_vpc_security_group_ingress_rule.service_from_alb) == 1 && aws_lb.this[0].internal == false
    error_message = "Services accept traffic from the ALB; the ALB is internet-facing by default."
  }

  assert {
    condition     = output.listener_protocol == "HTTP"
    error_message = "listener_protocol reports HTTP."
  }
}

run "alb_https" {
  command = plan

  variables {
    public_subnet_ids = ["subnet-0c", "subnet-0d"]
    alb = {
      certificate_arn = "arn:aws:acm:us-east-1:123456789012:certificate/0b3e1d2c-1111-2222-3333-444455556666"
    }
  }

  assert {
    condition     = aws_lb_listener.this[0].protocol == "HTTPS" && aws_lb_listener.this[0].port == 443 && aws_lb_listener.this[0].certificate_arn == var.alb.certificate_arn
    error_message = "With a certificate the shared listener is HTTPS on 443."
  }

  assert {
    condition     = toset(aws_lb.this[0].subnets) == toset(["subnet-0c", "subnet-0d"])
    error_message = "The ALB goes into the public subnets when given."
  }

  assert {
    condition     = one(values(aws_vpc_security_group_ingress_rule.alb_listener)).from_port == 443
    error_message = "The ALB accepts 443."
  }
}

run "reject_bad_environment_name" {
  command = plan
  variables { environment = "Prod_1" }
  expect_failures = [var.environment]
}

run "reject_bad_vpc_id" {
  command = plan
  variables { vpc_id = "my-vpc" }
  expect_failures = [var.vpc_id]
}

run "reject_no_subnets" {
  command = plan
  variables { private_subnet_ids = [] }
  expect_failures = [var.private_subnet_ids]
}

run "reject_bad_log_retention" {
  command = plan
  variables { log_retention_in_days = 10 }
  expect_failures = [var.log_retention_in_days]
}

run "reject_bad_certificate_arn" {
  command = plan
  variables { alb = { certificate_arn = "not-an-arn" } }
  expect_failures = [var.alb]
}
