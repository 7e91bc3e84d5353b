# Unit tests: plan only, against a mocked AWS provider.
mock_provider "aws" {
  mock_resource "aws_cloudwatch_log_group" {
    override_during = plan
    defaults = {
      arn = "arn:aws:logs:us-east-1:123456789012:log-group:/ecs/staging/payments-api"
    }
  }
}

variables {
  name       = "payments-api"
  entity_ref = "component:default/payments-api"
  environment = {
    name                  = "staging"
    region                = "us-east-1"
    cluster_name          = "demo-staging"
    cluster_arn           = "arn:aws:ecs:us-east-1:123456789012:cluster/demo-staging"
    vpc_id                = "vpc-0123456789abcdef0"
    subnet_ids            = ["subnet-0a", "subnet-0b"]
    security_group_ids    = ["sg-0123"]
    listener_arn          = null
    log_retention_in_days = 14
  }
  containers = [{
    name  = "payments-api"
    image = "ghcr.io/acme/payments-api:1.4.0"
    port  = 8080
  }]
}

run "defaults" {
  command = plan

  assert {
    condition     = aws_ecs_service.this.name == "payments-api" && aws_ecs_service.this.cluster == var.environment.cluster_arn
    error_message = "The ECS service must be named after the entity and run in the environment's cluster."
  }

  assert {
    condition     = aws_ecs_service.this.desired_count == 1 && aws_ecs_service.this.launch_type == "FARGATE"
    error_message = "Default desired_count is 1 on Fargate."
  }

  assert {
    condition     = aws_ecs_service.this.deployment_circuit_breaker[0].enable && aws_ecs_service.this.deployment_circuit_breaker[0].rollback
    error_message = "The deployment circuit breaker must be enabled with rollback."
  }

  assert {
    condition     = aws_ecs_service.this.propagate_tags == "SERVICE" && aws_ecs_service.this.enable_ecs_managed_tags
    error_message = "Tags must propagate from the service and ECS managed tags must be on."
  }

  assert {
    condition     = aws_ecs_task_definition.this.family == "payments-api-staging" && aws_ecs_task_definition.this.track_latest
    error_message = "Task family must be <name>-<environment> with track_latest."
  }

  assert {
    condition     = aws_ecs_task_definition.this.cpu == "256" && aws_ecs_task_definition.this.memory == "512"
    error_message = "Default task size is 256 CPU / 512 MiB."
  }

  assert {
    condition     = aws_cloudwatch_log_group.this.name == "/ecs/staging/payments-api" && aws_cloudwatch_log_group.this.retention_in_days == 14
    error_message = "Log group must be /ecs/<environment>/<name> with the environment's retention."
  }

  assert {
    condition     = jsondecode(aws_ecs_task_definition.this.container_definitions)[0].logConfiguration.options["awslogs-stream-prefix"] == "ecs" && jsondecode(aws_ecs_task_definition.this.container_definitions)[0].logConfiguration.options["awslogs-group"] == "/ecs/staging/payments-api"
    error_message = "awslogs must write to the service's log group with stream prefix ecs."
  }

  assert {
    condition     = jsondecode(aws_ecs_task_definition.this.container_definitions)[0].image == "ghcr.io/acme/payments-api:1.4.0"
    error_message = "The image must come from the image parameter (initially the container's image)."
  }

  assert {
    condition     = aws_ssm_parameter.image["payments-api"].name == "/ecs-deploy/staging/payments-api/image/payments-api" && aws_ssm_parameter.image["payments-api"].type == "String"
    error_message = "Image parameter must be the String /ecs-deploy/<environment>/<name>/image/<container>."
  }

  assert {
    condition = alltrue([for r in [aws_ecs_service.this.tags, aws_ecs_task_definition.this.tags, aws_cloudwatch_log_group.this.tags, aws_iam_role.execution[0].tags, aws_iam_role.task[0].tags, aws_ssm_parameter.image["payments-api"].tags] :
      r["backstage:entity-ref"] == "component:default/payments-api" && r["backstage:environment"] == "staging" && r["ecs-deploy:image-parameter-prefix"] == "/ecs-deploy/staging/payments-api/image"
    ])
    error_message = "Every taggable resource must carry the backstage and ecs-deploy tags."
  }

  assert {
    condition     = length(aws_lb_target_group.this) == 0 && length(aws_lb_listener_rule.this) == 0 && length(aws_appautoscaling_target.this) == 0 && length(aws_appautoscaling_policy.cpu) == 0
    error_message = "No target group, listener rule or autoscaling by default."
  }

  assert {
    condition     = length(jsondecode(aws_iam_role_policy.execution[0].policy).Statement) == 2
    error_message = "Without secrets the execution role may only pull images and write logs."
  }
}

run "user_tags_cannot_override_contract_tags" {
  command = plan

  variables {
    tags = { team = "payments", "backstage:environment" = "wrong" }
  }

  assert {
    condition     = aws_ecs_service.this.tags["team"] == "payments" && aws_ecs_service.this.tags["backstage:environment"] == "staging"
    error_message = "User tags are added, but the contract tags win."
  }
}

run "multiple_containers_and_secrets" {
  command = plan

  variables {
    cpu    = 1024
    memory = 4096
    containers = [
      {
        name                 = "app"
        image                = "ghcr.io/acme/payments-api:1.4.0"
        port                 = 8080
        environment          = { B = "2", A = "1" }
        health_check_command = ["CMD-SHELL", "curl -f http://localhost:8080/health || exit 1"]
        secrets = {
          DB_PASSWORD = "arn:aws:ssm:us-east-1:123456789012:parameter/payments/db-password"
          API_KEY     = "arn:aws:secretsmanager:us-east-1:123456789012:secret:payments/api-key-AbCdEf"
          DB_USER     = "arn:aws:secretsmanager:us-east-1:123456789012:secret:payments/db-GhIjKl:username::"
          DB_PASS     = "arn:aws:secretsmanager:us-east-1:123456789012:secret:payments/db-GhIjKl:password::"
        }
      },
      {
        name      = "log-router"
        image     = "public.ecr.aws/aws-observability/aws-for-fluent-bit:stable"
        essential = false
        memory    = 128
      },
    ]
  }

  assert {
    condition     = length(jsondecode(aws_ecs_task_definition.this.container_definitions)) == 2 && length(aws_ssm_parameter.image) == 2
    error_message = "Each container gets a definition and an image parameter."
  }

  assert {
    condition     = aws_ssm_parameter.image["log-router"].name == "/ecs-deploy/staging/payments-api/image/log-router"
    error_message = "Image parameters are per container."
  }

  assert {
    condition     = [for e in jsondecode(aws_ecs_task_definition.this.container_definitions)[0].environment : e.name] == ["A", "B"]
    error_message = "Environment variables are emitted sorted by name (as ECS returns them)."
  }

  assert {
    condition     = length(jsondecode(aws_ecs_task_definition.this.container_definitions)[0].secrets) == 4 && jsondecode(aws_ecs_task_definition.this.container_definitions)[0].healthCheck.command[0] == "CMD-SHELL"
    error_message = "Secrets and the health check must reach the container definition."
  }

  assert {
    condition     = contains([for s in jsondecode(aws_iam_role_policy.execution[0].policy).Statement : s.Sid], "ReadSsmSecrets") && contains([for s in jsondecode(aws_iam_role_policy.execution[0].policy).Statement : s.Sid], "ReadSecretsManagerSecrets") && one([for s in jsondecode(aws_iam_role_policy.execution[0].policy).Statement : s.Resource if s.Sid == "ReadSsmSecrets"]) == ["arn:aws:ssm:us-east-1:123456789012:parameter/payments/db-password"] && toset(one([for s in jsondecode(aws_iam_role_policy.execution[0].policy).Statement : s.Resource if s.Sid == "ReadSecretsManagerSecrets"])) == toset(["arn:aws:secretsmanager:us-east-1:123456789012:secret:payments/api-key-AbCdEf", "arn:aws:secretsmanager:us-east-1:123456789012:secret:payments/db-GhIjKl"])
    error_message = "The execution role must be able to read exactly the listed secrets (a JSON key's secret once, by its ARN)."
  }
}

run "load_balancer" {
  command = plan

  variables {
    environment = merge(var.environment, { listener_arn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/demo-staging/0123456789abcdef/0123456789abcdef" })
    load_balancer = {
      priority      = 100
      host_headers  = ["payments.example.com"]
      path_patterns = ["/api/*"]
    }
  }

  assert {
    condition     = aws_lb_target_group.this[0].port == 8080 && aws_lb_target_group.this[0].target_type == "ip" && length(aws_lb_target_group.this[0].name) <= 32
    error_message = "The target group targets the container port by IP, with a name of at most 32 characters."
  }

  assert {
    condition     = aws_lb_listener_rule.this[0].priority == 100 && length(aws_lb_listener_rule.this[0].condition) == 2
    error_message = "The listener rule needs the priority and both host and path conditions."
  }

  assert {
    condition     = one(aws_ecs_service.this.load_balancer).container_name == "payments-api" && one(aws_ecs_service.this.load_balancer).container_port == 8080
    error_message = "The service registers the container with the port in the target group."
  }

  assert {
    condition     = aws_ecs_service.this.health_check_grace_period_seconds == 60
    error_message = "A health check grace period applies with a load balancer."
  }
}

run "autoscaling" {
  command = plan

  variables {
    desired_count = 1
    autoscaling   = { min_capacity = 2, max_capacity = 6, cpu_target = 60, memory_target = 75 }
  }

  assert {
    condition     = aws_ecs_service.this.desired_count == 2
    error_message = "With autoscaling the service starts with desired_count clamped to min/max."
  }

  assert {
    condition     = aws_appautoscaling_target.this[0].min_capacity == 2 && aws_appautoscaling_target.this[0].max_capacity == 6 && aws_appautoscaling_target.this[0].resource_id == "service/demo-staging/payments-api"
    error_message = "Scalable target must cover the service with the given bounds."
  }

  assert {
    condition     = aws_appautoscaling_policy.cpu[0].target_tracking_scaling_policy_configuration[0].target_value == 60 && aws_appautoscaling_policy.memory[0].target_tracking_scaling_policy_configuration[0].target_value == 75
    error_message = "CPU and memory target tracking policies must use the given targets."
  }
}

run "desired_count_without_autoscaling" {
  command = plan

  variables {
    desired_count = 3
  }

  assert {
    condition     = aws_ecs_service.this.desired_count == 3
    error_message = "Without autoscaling the service starts with desired_count."
  }
}

run "autoscaling_cpu_only" {
  command = plan

  variables {
    autoscaling = { min_capacity = 1, max_capacity = 3 }
  }

  assert {
    condition     = length(aws_appautoscaling_policy.cpu) == 1 && length(aws_appautoscaling_policy.memory) == 0
    error_message = "Default autoscaling tracks CPU only."
  }
}

run "largest_fargate_size" {
  command = plan

  variables {
    cpu    = 16384
    memory = 122880
  }

  assert {
    condition     = aws_ecs_task_definition.this.cpu == "16384"
    error_message = "16 vCPU / 120 GiB is a valid Fargate size."
  }
}

# ---------------------------------------------------------------------------
# Bad inputs
# ---------------------------------------------------------------------------

run "reject_name_with_underscore" {
  command = plan
  variables { name = "payments_api" }
  expect_failures = [var.name]
}

run "reject_uppercase_name" {
  command = plan
  variables { name = "PaymentsApi" }
  expect_failures = [var.name]
}

run "reject_reserved_name" {
  command = plan
  variables { name = "admin" }
  expect_failures = [var.name]
}

run "reject_double_hyphen_name" {
  command = plan
  variables { name = "payments--api" }
  expect_failures = [var.name]
}

run "reject_too_long_name" {
  command = plan
  variables { name = "a-very-long-service-name-that-exceeds" }
  expect_failures = [var.name]
}

run "reject_bad_entity_ref" {
  command = plan
  variables { entity_ref = "payments-api" }
  expect_failures = [var.entity_ref]
}

run "reject_bad_environment_name" {
  command = plan
  variables { environment = merge(var.environment, { name = "Staging" }) }
  expect_failures = [var.environment]
}

run "reject_unknown_cpu" {
  command = plan
  variables { cpu = 300 }
  # Any whole number from 128 is a valid EC2 size; on Fargate the size table refuses it.
  expect_failures = [aws_ecs_task_definition.this]
}

run "reject_cpu_under_128" {
  command = plan
  variables { cpu = 64 }
  expect_failures = [var.cpu]
}

run "reject_bad_cpu_memory_pair" {
  command = plan
  variables {
    cpu    = 256
    memory = 4096
  }
  expect_failures = [aws_ecs_task_definition.this]
}

run "reject_port_0" {
  command = plan
  variables {
    containers = [{ name = "app", image = "ghcr.io/acme/app:1", port = 0 }]
  }
  expect_failures = [var.containers]
}

run "reject_port_65536" {
  command = plan
  variables {
    containers = [{ name = "app", image = "ghcr.io/acme/app:1", port = 65536 }]
  }
  expect_failures = [var.containers]
}

run "reject_duplicate_container_names" {
  command = plan
  variables {
    containers = [{ name = "app", image = "ghcr.io/acme/app:1" }, { name = "app", image = "ghcr.io/acme/app:2" }]
  }
  expect_failures = [var.containers]
}

run "reject_bad_secret_arn" {
  command = plan
  variables {
    containers = [{ name = "app", image = "ghcr.io/acme/app:1", secrets = { DB = "db-password" } }]
  }
  expect_failures = [var.containers]
}

run "reject_negative_desired_count" {
  command = plan
  variables { desired_count = -1 }
  expect_failures = [var.desired_count]
}

run "reject_desired_count_over_100" {
  command = plan
  variables { desired_count = 101 }
  expect_failures = [var.desired_count]
}

run "reject_autoscaling_min_over_max" {
  command = plan
  variables { autoscaling = { min_capacity = 5, max_capacity = 2 } }
  expect_failures = [var.autoscaling]
}

run "reject_load_balancer_without_conditions" {
  command = plan
  variables { load_balancer = { priority = 10 } }
  expect_failures = [var.load_balancer]
}

run "reject_load_balancer_without_listener" {
  command = plan
  variables { load_balancer = { priority = 10, path_patterns = ["/*"] } }
  expect_failures = [aws_lb_target_group.this]
}
