# Unit tests: plan only, against a mocked AWS provider with the published document overridden.
mock_provider "aws" {}

override_data {
  target = data.aws_ssm_parameter.this
  values = {
    name           = "/ecs-deploy/environments/staging"
    insecure_value = <<-EOT
      {"name": "staging", "region": "us-east-1", "cluster_name": "demo-staging", "cluster_arn": "arn:aws:ecs:us-east-1:123456789012:cluster/demo-staging", "vpc_id": "vpc-0123456789abcdef0", "subnet_ids": ["subnet-0a", "subnet-0b"], "security_group_ids": ["sg-0123"], "listener_arn": null, "log_retention_in_days": 14}
    EOT
  }
}

override_data {
  target = data.aws_ecs_cluster.this
  values = {
    cluster_name = "demo-staging"
    arn          = "arn:aws:ecs:us-east-1:123456789012:cluster/demo-staging"
    status       = "ACTIVE"
  }
}

variables {
  environment = "staging"
}

run "reads_the_published_document" {
  command = plan

  assert {
    condition     = output.service_environment.name == "staging" && output.service_environment.cluster_name == "demo-staging" && output.service_environment.cluster_arn == "arn:aws:ecs:us-east-1:123456789012:cluster/demo-staging"
    error_message = "The cluster comes from the document and data.aws_ecs_cluster."
  }

  assert {
    condition     = output.service_environment.subnet_ids == tolist(["subnet-0a", "subnet-0b"]) && output.service_environment.security_group_ids == tolist(["sg-0123"]) && output.service_environment.listener_arn == null && output.service_environment.log_retention_in_days == 14
    error_message = "Network, listener and retention come from the document."
  }

  assert {
    condition     = data.aws_ssm_parameter.this.name == "/ecs-deploy/environments/staging"
    error_message = "The parameter read is /ecs-deploy/environments/<environment>."
  }
}

run "with_listener" {
  command = plan

  override_data {
    target = data.aws_ssm_parameter.this
    values = {
      insecure_value = <<-EOT
        {"name": "staging", "region": "us-east-1", "cluster_name": "demo-staging", "cluster_arn": "arn:aws:ecs:us-east-1:123456789012:cluster/demo-staging", "vpc_id": "vpc-0123456789abcdef0", "subnet_ids": ["subnet-0a"], "security_group_ids": [], "listener_arn": "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/demo-staging/0123/4567", "log_retention_in_days": 30}
      EOT
    }
  }

  assert {
    condition     = output.service_environment.listener_arn == "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/demo-staging/0123/4567"
    error_message = "A published listener ARN is passed through."
  }
}

run "reject_bad_environment_name" {
  command = plan
  variables { environment = "STAGING" }
  expect_failures = [var.environment]
}

run "reject_environment_with_underscore" {
  command = plan
  variables { environment = "pre_prod" }
  expect_failures = [var.environment]
}
