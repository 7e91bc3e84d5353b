# Switching autoscaling on and off for an existing service, against a mocked AWS provider: the runs
# share one state (create, then change), and a replaced resource would get a new mocked id, unknown
# in a plan. Comparing ids with the first run's shows that the service and the scalable target are
# updated in place. (Moving a state written by the two-resource module is tested against the
# emulator: tests/integration.test.mjs, "autoscaling switch".)
mock_provider "aws" {
  # The provider validates these ARNs, so the mocked values must look like ARNs.
  mock_resource "aws_iam_role" {
    defaults = {
      arn = "arn:aws:iam::123456789012:role/payments-api-staging"
    }
  }

  mock_resource "aws_cloudwatch_log_group" {
    defaults = {
      arn = "arn:aws:logs:us-east-1:123456789012:log-group:/ecs/staging/payments-api"
    }
  }

  mock_resource "aws_ecs_task_definition" {
    defaults = {
      arn = "arn:aws:ecs:us-east-1:123456789012:task-definition/payments-api-staging:1"
    }
  }
}

variables {
  name       = "payments-api"
  entity_ref = "component:default/payments-api"
  environment = {
    name         = "staging"
    region       = "us-east-1"
    cluster_name = "demo-staging"
    cluster_arn  = "arn:aws:ecs:us-east-1:123456789012:cluster/demo-staging"
    vpc_id       = "vpc-0123456789abcdef0"
    subnet_ids   = ["subnet-0a", "subnet-0b"]
  }
  containers = [{
    name  = "payments-api"
    image = "ghcr.io/acme/payments-api:1.4.0"
    port  = 8080
  }]
  desired_count = 2
}

run "create_without_autoscaling" {
  assert {
    condition     = aws_appautoscaling_target.this.min_capacity == 2 && aws_appautoscaling_target.this.max_capacity == 2 && length(aws_appautoscaling_policy.cpu) == 0
    error_message = "Without autoscaling the scalable target pins the count to desired_count, with no policy."
  }
}

run "plan_autoscaling_on" {
  command = plan

  variables {
    autoscaling = { min_capacity = 2, max_capacity = 6 }
  }

  assert {
    condition     = output.service_arn == run.create_without_autoscaling.service_arn
    error_message = "Switching autoscaling on must not replace the service (its ARN stays known and the same)."
  }

  assert {
    condition     = output.autoscaling_target_id == run.create_without_autoscaling.autoscaling_target_id
    error_message = "Switching autoscaling on must update the scalable target in place."
  }
}

run "apply_autoscaling_on" {
  variables {
    autoscaling = { min_capacity = 2, max_capacity = 6 }
  }

  assert {
    condition     = output.service_arn == run.create_without_autoscaling.service_arn && aws_appautoscaling_target.this.max_capacity == 6 && length(aws_appautoscaling_policy.cpu) == 1
    error_message = "With autoscaling on, the same service gets the bounds and the CPU policy."
  }
}

run "switch_autoscaling_off" {
  variables {
    desired_count = 3
  }

  assert {
    condition     = output.service_arn == run.create_without_autoscaling.service_arn && output.autoscaling_target_id == run.create_without_autoscaling.autoscaling_target_id
    error_message = "Switching autoscaling off must not replace the service or the scalable target."
  }

  assert {
    condition     = aws_appautoscaling_target.this.min_capacity == 3 && aws_appautoscaling_target.this.max_capacity == 3 && length(aws_appautoscaling_policy.cpu) == 0
    error_message = "Without autoscaling again, desired_count pins the count and the policy is gone."
  }
}
