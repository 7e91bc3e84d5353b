# Switching autoscaling on and off for an existing service, and moving a service from the addresses of
# the two-resource module, against a mocked AWS provider. Runs with the same state_key share a state
# (create, then change); a replaced resource would get a new mocked id, unknown in a plan, so an ARN
# equal to the first run's shows that the service was updated in place. (The move from a state
# written by the real two-resource module is also tested against the emulator in
# terraform-modules/tests/migration.test.mjs.)
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
    condition     = aws_ecs_service.this.desired_count == 2 && length(aws_appautoscaling_target.this) == 0
    error_message = "Without autoscaling the service starts with desired_count and has no scalable target."
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
    condition     = aws_appautoscaling_target.this[0].resource_id == "service/demo-staging/payments-api" && aws_appautoscaling_target.this[0].max_capacity == 6
    error_message = "Switching autoscaling on adds the scalable target of the same service."
  }
}

run "apply_autoscaling_on" {
  variables {
    autoscaling = { min_capacity = 2, max_capacity = 6 }
  }

  assert {
    condition     = output.service_arn == run.create_without_autoscaling.service_arn && length(aws_appautoscaling_policy.cpu) == 1
    error_message = "With autoscaling on, the same service gets the scalable target and the CPU policy."
  }
}

run "switch_autoscaling_off" {
  assert {
    condition     = output.service_arn == run.create_without_autoscaling.service_arn
    error_message = "Switching autoscaling off must not replace the service."
  }

  assert {
    condition     = length(aws_appautoscaling_target.this) == 0 && length(aws_appautoscaling_policy.cpu) == 0
    error_message = "Switching autoscaling off removes the scalable target and the policy."
  }
}

run "two_resource_state_without_autoscaling" {
  state_key = "two_resource_fixed"

  module {
    source = "./tests/two-resource-service"
  }

  variables {
    autoscaled = false
  }
}

run "moves_this_0_without_replacing" {
  state_key = "two_resource_fixed"
  command   = plan

  assert {
    condition     = output.service_arn == run.two_resource_state_without_autoscaling.service_arn
    error_message = "aws_ecs_service.this[0] must move to aws_ecs_service.this, not be replaced."
  }
}

run "two_resource_state_with_autoscaling" {
  state_key = "two_resource_scaled"

  module {
    source = "./tests/two-resource-service"
  }

  variables {
    autoscaled = true
  }
}

run "moves_autoscaled_0_without_replacing" {
  state_key = "two_resource_scaled"
  command   = plan

  variables {
    autoscaling = { min_capacity = 2, max_capacity = 6 }
  }

  assert {
    condition     = output.service_arn == run.two_resource_state_with_autoscaling.service_arn
    error_message = "aws_ecs_service.autoscaled[0] must move to aws_ecs_service.this, not be replaced."
  }
}
