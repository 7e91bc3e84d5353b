locals {
  environment = var.environment.name
  partition   = split(":", var.environment.cluster_arn)[1]

  family                 = coalesce(var.family, "${var.name}-${local.environment}")
  log_group_name         = coalesce(var.log_group_name, "/ecs/${local.environment}/${var.name}")
  log_stream_prefix      = var.log_stream_prefix
  image_parameter_prefix = "/ecs-deploy/${local.environment}/${var.name}/image"
  log_retention_in_days  = coalesce(var.log_retention_in_days, var.environment.log_retention_in_days)

  fargate = var.launch_type == "FARGATE"
  awsvpc  = var.network_mode == "awsvpc"

  # Roles the module creates, or the existing ones an adopted service keeps (existing_roles).
  create_roles       = var.existing_roles == null
  execution_role_arn = local.create_roles ? aws_iam_role.execution[0].arn : var.existing_roles.execution_role_arn
  task_role_arn      = local.create_roles ? aws_iam_role.task[0].arn : var.existing_roles.task_role_arn

  # The contract with the portal and the scaffolder: these three tags on every taggable resource.
  tags = merge(var.tags, {
    "backstage:entity-ref"              = var.entity_ref
    "backstage:environment"             = local.environment
    "ecs-deploy:image-parameter-prefix" = local.image_parameter_prefix
  })

  containers = { for c in var.containers : c.name => c }

  # Valid Fargate task sizes: cpu => allowed memory (MiB).
  fargate_memory = {
    "256"   = [512, 1024, 2048]
    "512"   = range(1024, 4097, 1024)
    "1024"  = range(2048, 8193, 1024)
    "2048"  = range(4096, 16385, 1024)
    "4096"  = range(8192, 30721, 1024)
    "8192"  = range(16384, 61441, 4096)
    "16384" = range(32768, 122881, 8192)
  }

  secret_arns     = distinct(flatten([for c in var.containers : values(c.secrets)]))
  ssm_secret_arns = [for a in local.secret_arns : a if can(regex("^arn:[^:]+:ssm:", a))]
  # A Secrets Manager reference may name a JSON key, version stage and version after the secret's ARN
  # (arn:…:secret:<name>:<json-key>:<stage>:<id>); the execution role is granted the secret itself.
  secretsmanager_arns = distinct([for a in local.secret_arns : join(":", slice(split(":", a), 0, 7)) if can(regex("^arn:[^:]+:secretsmanager:", a))])

  # A load-balanced service: behind a target group the module creates (with a listener rule on the
  # environment's listener), or behind an existing one (load_balancer.target_group_arn).
  create_load_balancer = var.load_balancer != null
  create_target_group  = local.create_load_balancer && try(var.load_balancer.target_group_arn, null) == null
  target_group_arn     = local.create_target_group ? aws_lb_target_group.this[0].arn : try(var.load_balancer.target_group_arn, null)
  lb_container = local.create_load_balancer ? try(
    local.containers[var.load_balancer.container_name],
    [for c in var.containers : c if c.port != null][0],
    null
  ) : null

  # The image of each container: the refreshed value of its parameter. A parameter Terraform
  # created keeps it in insecure_value; one it imported (an adoption: the portal created it from the
  # running image) in value only, which is sensitive for every parameter type.
  images = {
    for name, p in aws_ssm_parameter.image : name => p.insecure_value != null ? p.insecure_value : nonsensitive(p.value)
  }

  # Fields are emitted only when set, in the shape ECS returns them, so that a refreshed task
  # definition compares equal to the configuration (no perpetual diff).
  container_definitions = [
    for c in var.containers : merge(
      {
        name      = c.name
        image     = local.images[c.name]
        essential = c.essential
        cpu       = c.cpu
        logConfiguration = {
          logDriver = "awslogs"
          options = {
            "awslogs-group"         = local.log_group_name
            "awslogs-region"        = var.environment.region
            "awslogs-stream-prefix" = local.log_stream_prefix
          }
        }
      },
      c.port == null ? {} : {
        portMappings = [{ containerPort = c.port, hostPort = coalesce(c.host_port, local.awsvpc ? c.port : 0), protocol = c.protocol }]
      },
      c.memory == null ? {} : { memory = c.memory },
      c.memory_reservation == null ? {} : { memoryReservation = c.memory_reservation },
      length(c.command) == 0 ? {} : { command = c.command },
      length(c.entry_point) == 0 ? {} : { entryPoint = c.entry_point },
      length(c.environment) == 0 ? {} : {
        environment = [for k in sort(keys(c.environment)) : { name = k, value = c.environment[k] }]
      },
      length(c.secrets) == 0 ? {} : {
        secrets = [for k in sort(keys(c.secrets)) : { name = k, valueFrom = c.secrets[k] }]
      },
      length(c.health_check_command) == 0 ? {} : {
        healthCheck = {
          command     = c.health_check_command
          interval    = c.health_check_interval
          timeout     = c.health_check_timeout
          retries     = c.health_check_retries
          startPeriod = c.health_check_start_period
        }
      },
      c.readonly_root_filesystem ? { readonlyRootFilesystem = true } : {},
    )
  ]

  autoscaling = var.autoscaling != null

  ecs_tasks_assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "ecs-tasks.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

################################################################################
# Image parameters: the promotion contract (see README)
################################################################################

resource "aws_ssm_parameter" "image" {
  for_each = local.containers

  name        = "${local.image_parameter_prefix}/${each.key}"
  description = "Current image of container ${each.key} of ${var.name} in ${local.environment}. Written by the portal (promotion) and CI (deploy); Terraform only creates it."
  type        = "String"
  # Initial value only: after creation the parameter is the source of truth for the image.
  insecure_value = each.value.image

  tags = local.tags

  lifecycle {
    ignore_changes = [value, insecure_value]
  }
}

################################################################################
# Logs
################################################################################

resource "aws_cloudwatch_log_group" "this" {
  name              = local.log_group_name
  retention_in_days = local.log_retention_in_days

  tags = local.tags
}

################################################################################
# IAM
################################################################################

resource "aws_iam_role" "execution" {
  count = local.create_roles ? 1 : 0

  name                 = "${local.family}-execution"
  path                 = var.iam_role_path
  description          = "ECS task execution role of ${var.name} in ${local.environment} (image pull, logs, secrets)"
  assume_role_policy   = local.ecs_tasks_assume_role_policy
  max_session_duration = 3600

  tags = local.tags
}

resource "aws_iam_role_policy" "execution" {
  count = local.create_roles ? 1 : 0

  name = "ecs-task-execution"
  role = aws_iam_role.execution[0].id

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = concat(
      [
        {
          Sid      = "PullImages"
          Effect   = "Allow"
          Action   = ["ecr:GetAuthorizationToken", "ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"]
          Resource = "*"
        },
        {
          Sid      = "WriteLogs"
          Effect   = "Allow"
          Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
          Resource = "${aws_cloudwatch_log_group.this.arn}:*"
        },
      ],
      length(local.ssm_secret_arns) == 0 ? [] : [{
        Sid      = "ReadSsmSecrets"
        Effect   = "Allow"
        Action   = ["ssm:GetParameters"]
        Resource = local.ssm_secret_arns
      }],
      length(local.secretsmanager_arns) == 0 ? [] : [{
        Sid      = "ReadSecretsManagerSecrets"
        Effect   = "Allow"
        Action   = ["secretsmanager:GetSecretValue"]
        Resource = local.secretsmanager_arns
      }],
    )
  })
}

resource "aws_iam_role" "task" {
  count = local.create_roles ? 1 : 0

  name                 = "${local.family}-task"
  path                 = var.iam_role_path
  description          = "ECS task role of ${var.name} in ${local.environment} (what the application may do)"
  assume_role_policy   = local.ecs_tasks_assume_role_policy
  max_session_duration = 3600

  tags = local.tags
}

resource "aws_iam_role_policy" "task_exec" {
  count = local.create_roles && var.enable_execute_command ? 1 : 0

  name = "ecs-exec"
  role = aws_iam_role.task[0].id

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel", "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel"]
      Resource = "*"
    }]
  })
}

resource "aws_iam_role_policy" "task" {
  count = local.create_roles && var.task_role_policy_json != null ? 1 : 0

  name   = "application"
  role   = aws_iam_role.task[0].id
  policy = var.task_role_policy_json
}

################################################################################
# Task definition
################################################################################

resource "aws_ecs_task_definition" "this" {
  family                   = local.family
  requires_compatibilities = [var.launch_type]
  network_mode             = var.network_mode
  cpu                      = var.cpu == null ? null : tostring(var.cpu)
  memory                   = var.memory == null ? null : tostring(var.memory)
  execution_role_arn       = local.execution_role_arn
  task_role_arn            = local.task_role_arn
  container_definitions    = jsonencode(local.container_definitions)

  # Read the latest ACTIVE revision of the family (the one the portal registered on promotion)
  # instead of the revision Terraform created: see "Promotion contract" in the README.
  track_latest = true

  tags = local.tags

  lifecycle {
    precondition {
      condition     = !local.fargate || (local.awsvpc && var.cpu != null && var.memory != null)
      error_message = "launch_type FARGATE needs network_mode awsvpc and a task cpu and memory; task-level cpu and memory may be null only on EC2."
    }

    precondition {
      condition     = !local.fargate || try(contains(local.fargate_memory[tostring(var.cpu)], var.memory), false)
      error_message = "cpu ${var.cpu} does not allow memory ${var.memory}. Fargate combinations: 256 → 512, 1024, 2048; 512 → 1024-4096; 1024 → 2048-8192; 2048 → 4096-16384; 4096 → 8192-30720 (step 1024); 8192 → 16384-61440 (step 4096); 16384 → 32768-122880 (step 8192)."
    }
  }
}

################################################################################
# Service
################################################################################

resource "aws_ecs_service" "this" {
  name            = var.name
  cluster         = var.environment.cluster_arn
  task_definition = aws_ecs_task_definition.this.arn
  # The count at creation only (see lifecycle), within the autoscaling bounds when there are any.
  desired_count = local.autoscaling ? max(var.autoscaling.min_capacity, min(var.autoscaling.max_capacity, var.desired_count)) : var.desired_count

  launch_type      = var.launch_type
  platform_version = local.fargate ? var.platform_version : null

  deployment_minimum_healthy_percent = var.deployment.minimum_healthy_percent
  deployment_maximum_percent         = var.deployment.maximum_percent

  deployment_circuit_breaker {
    enable   = var.deployment.circuit_breaker_enable
    rollback = var.deployment.circuit_breaker_rollback
  }

  dynamic "network_configuration" {
    for_each = local.awsvpc ? [coalesce(var.network_configuration, {
      subnets          = var.environment.subnet_ids
      security_groups  = var.environment.security_group_ids
      assign_public_ip = var.assign_public_ip
    })] : []

    content {
      subnets          = network_configuration.value.subnets
      security_groups  = network_configuration.value.security_groups
      assign_public_ip = network_configuration.value.assign_public_ip
    }
  }

  dynamic "alarms" {
    for_each = length(local.deployment_alarm_names) > 0 ? [local.deployment_alarm_names] : []

    content {
      alarm_names = alarms.value
      enable      = true
      rollback    = var.alarms.rollback
    }
  }

  dynamic "load_balancer" {
    for_each = local.create_load_balancer ? [local.lb_container] : []

    content {
      target_group_arn = local.target_group_arn
      container_name   = load_balancer.value.name
      container_port   = load_balancer.value.port
    }
  }

  health_check_grace_period_seconds = local.create_load_balancer ? var.health_check_grace_period_seconds : null
  enable_execute_command            = var.enable_execute_command
  enable_ecs_managed_tags           = var.enable_ecs_managed_tags
  propagate_tags                    = var.propagate_tags
  wait_for_steady_state             = false

  # The strategy tag tells the portal to read the deployment-strategy parameter (see README).
  tags = merge(local.tags, { "ecs-deploy:deployment-strategy" = local.strategy.type })

  depends_on = [
    aws_lb_listener_rule.this, aws_iam_role_policy.execution,
    aws_cloudwatch_metric_alarm.this,
  ]

  lifecycle {
    # desired_count: always ignored, with or without autoscaling (ignore_changes cannot depend on a
    # variable), so that switching autoscaling on or off never replaces the service.
    # load_balancer: canary, linear and blue/green deployments move the service to the alternate
    # target group and back; Terraform must not undo that. See the README.
    ignore_changes = [desired_count, load_balancer]
  }
}

# Earlier versions had two service resources, aws_ecs_service.this[0] (without autoscaling) and
# aws_ecs_service.autoscaled[0] (with it); a state holds at most one of them. Terraform takes one
# moved block per destination, so autoscaled moves to this (autoscaled[0] to this[0]) and the first
# block carries this[0] on to this.
moved {
  from = aws_ecs_service.this[0]
  to   = aws_ecs_service.this
}

moved {
  from = aws_ecs_service.autoscaled
  to   = aws_ecs_service.this
}

# The roles became optional (existing_roles): states from before carry them without an index.
moved {
  from = aws_iam_role.execution
  to   = aws_iam_role.execution[0]
}

moved {
  from = aws_iam_role_policy.execution
  to   = aws_iam_role_policy.execution[0]
}

moved {
  from = aws_iam_role.task
  to   = aws_iam_role.task[0]
}
