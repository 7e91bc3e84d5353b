variable "name" {
  description = "Service name: the Backstage entity name, used as the ECS service name and in every derived name (task family `<name>-<environment>`, log group `/ecs/<environment>/<name>`)."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}[a-z0-9]$", var.name)) && !strcontains(var.name, "--")
    error_message = "name must match ^[a-z][a-z0-9-]{1,30}[a-z0-9]$ (3-32 characters: lowercase letters, digits and single hyphens, starting with a letter and not ending with a hyphen) and must not contain '--'."
  }

  validation {
    condition     = !contains(["aws", "amazon", "ecs", "default", "admin", "root", "system", "internal", "null", "none"], var.name)
    error_message = "name must not be a reserved word: aws, amazon, ecs, default, admin, root, system, internal, null, none."
  }
}

variable "entity_ref" {
  description = "Backstage entity reference of the service, `<kind>:<namespace>/<name>`, for example `component:default/payments-api`. Tagged as `backstage:entity-ref`."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]*:[a-z0-9][a-z0-9-]{0,62}/[a-z0-9][a-z0-9._-]{0,62}$", var.entity_ref))
    error_message = "entity_ref must be a full, lowercase Backstage entity ref <kind>:<namespace>/<name>, e.g. component:default/payments-api (kind: letters, digits, hyphens; namespace and name: letters, digits, hyphens, plus . and _ in the name)."
  }
}

variable "environment" {
  description = "The environment to deploy into: the `service_environment` output of ecs-environment or ecs-environment-ref."
  type = object({
    name                  = string
    region                = string
    cluster_name          = string
    cluster_arn           = string
    vpc_id                = string
    subnet_ids            = list(string)
    security_group_ids    = optional(list(string), [])
    listener_arn          = optional(string)
    log_retention_in_days = optional(number, 30)
  })
  nullable = false

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,20}$", var.environment.name))
    error_message = "environment.name must match ^[a-z][a-z0-9-]{1,20}$: a lowercase letter, then 1-20 lowercase letters, digits or hyphens (e.g. staging, prod)."
  }

  validation {
    condition     = length(var.environment.subnet_ids) > 0
    error_message = "environment.subnet_ids must list at least one subnet."
  }
}

variable "containers" {
  description = <<-EOT
    Containers of the task. Each: `name`, `image` (initial image only: afterwards the image comes from the
    SSM parameter /ecs-deploy/<environment>/<name>/image/<container>, see README), optional `port`
    (container port, TCP), `cpu` units, `memory` (hard limit, MiB), `memory_reservation` (MiB), `essential`
    (default true), `command`, `environment` (map of plain variables), `secrets` (map of variable name to
    an SSM parameter or Secrets Manager ARN; the execution role may read them), `health_check_command`
    (e.g. ["CMD-SHELL", "curl -f http://localhost:8080/health || exit 1"]) with `health_check_interval` (30),
    `health_check_timeout` (5), `health_check_retries` (3), `health_check_start_period` (0) seconds,
    `readonly_root_filesystem`, and for services adopted as they are: `host_port` (default: `port` with awsvpc,
    0 = dynamic otherwise), `protocol` (tcp or udp), `entry_point`.
  EOT
  type = list(object({
    name                      = string
    image                     = string
    port                      = optional(number)
    host_port                 = optional(number)
    protocol                  = optional(string, "tcp")
    cpu                       = optional(number, 0)
    memory                    = optional(number)
    memory_reservation        = optional(number)
    essential                 = optional(bool, true)
    command                   = optional(list(string), [])
    entry_point               = optional(list(string), [])
    environment               = optional(map(string), {})
    secrets                   = optional(map(string), {})
    health_check_command      = optional(list(string), [])
    health_check_interval     = optional(number, 30)
    health_check_timeout      = optional(number, 5)
    health_check_retries      = optional(number, 3)
    health_check_start_period = optional(number, 0)
    readonly_root_filesystem  = optional(bool, false)
  }))
  nullable = false

  validation {
    condition     = length(var.containers) >= 1 && length(var.containers) <= 10
    error_message = "containers must list from 1 to 10 containers."
  }

  validation {
    condition     = length(distinct([for c in var.containers : c.name])) == length(var.containers) && alltrue([for c in var.containers : can(regex("^[a-z][a-z0-9_-]{0,62}$", c.name))])
    error_message = "container names must be unique and match ^[a-z][a-z0-9_-]{0,62}$ (lowercase letter, then lowercase letters, digits, _ or -)."
  }

  validation {
    condition     = alltrue([for c in var.containers : length(trimspace(c.image)) > 0 && !strcontains(c.image, " ")])
    error_message = "every container needs a non-empty image reference without spaces, e.g. ghcr.io/acme/payments-api:1.4.0."
  }

  validation {
    condition     = alltrue([for c in var.containers : c.port == null || try(c.port >= 1 && c.port <= 65535 && floor(c.port) == c.port, false)])
    error_message = "container port must be a whole number from 1 to 65535 (or null for no port)."
  }

  validation {
    condition     = alltrue([for c in var.containers : contains(["tcp", "udp"], c.protocol) && (c.host_port == null || try(c.host_port >= 0 && c.host_port <= 65535, false))])
    error_message = "container protocol must be tcp or udp, and host_port (when set) from 0 (dynamic) to 65535."
  }

  validation {
    condition     = anytrue([for c in var.containers : c.essential])
    error_message = "at least one container must be essential."
  }

  validation {
    condition     = alltrue([for c in var.containers : c.cpu >= 0 && (c.memory == null || try(c.memory >= 6, false)) && (c.memory_reservation == null || try(c.memory_reservation >= 6, false))])
    error_message = "container cpu must be >= 0 and container memory / memory_reservation, when set, at least 6 MiB."
  }

  validation {
    condition     = alltrue(flatten([for c in var.containers : [for arn in values(c.secrets) : can(regex("^arn:aws[a-z-]*:(ssm|secretsmanager):[a-z0-9-]+:[0-9]{12}:(parameter/|secret:).+", arn))]]))
    error_message = "secrets values must be SSM parameter ARNs (arn:aws:ssm:<region>:<account>:parameter/...) or Secrets Manager ARNs (arn:aws:secretsmanager:<region>:<account>:secret:...)."
  }

  validation {
    condition     = alltrue([for c in var.containers : length(c.health_check_command) == 0 || contains(["CMD", "CMD-SHELL"], try(c.health_check_command[0], ""))])
    error_message = "health_check_command must be empty or start with CMD or CMD-SHELL, e.g. [\"CMD-SHELL\", \"curl -f http://localhost:8080/health || exit 1\"]."
  }
}

variable "cpu" {
  description = "Task CPU units. Fargate allows 256, 512, 1024, 2048, 4096, 8192, 16384, each with specific memory sizes (see `memory`). On EC2 (`launch_type`) any value from 128, or null for no task-level limit."
  type        = number
  default     = 256

  validation {
    condition     = var.cpu == null || try(var.cpu >= 128 && var.cpu <= 196608 && floor(var.cpu) == var.cpu, false)
    error_message = "cpu must be whole CPU units from 128 (Fargate: one of 256, 512, 1024, 2048, 4096, 8192, 16384), or null on EC2."
  }
}

variable "memory" {
  description = "Task memory (MiB). Fargate combinations: cpu 256 → 512, 1024, 2048; 512 → 1024-4096 (step 1024); 1024 → 2048-8192 (step 1024); 2048 → 4096-16384 (step 1024); 4096 → 8192-30720 (step 1024); 8192 → 16384-61440 (step 4096); 16384 → 32768-122880 (step 8192)."
  type        = number
  default     = 512

  validation {
    condition     = var.memory == null || try(var.memory >= 6 && var.memory <= 122880 && floor(var.memory) == var.memory, false)
    error_message = "memory must be whole MiB up to 122880 (null only on EC2), and on Fargate a valid combination with cpu: 256 → 512, 1024, 2048; 512 → 1024-4096; 1024 → 2048-8192; 2048 → 4096-16384; 4096 → 8192-30720 (step 1024); 8192 → 16384-61440 (step 4096); 16384 → 32768-122880 (step 8192)."
  }
}

variable "desired_count" {
  description = "Number of tasks the service is created with (clamped to min/max with autoscaling). Ignored afterwards: to change the count of a running service set autoscaling with min_capacity = max_capacity; see \"Desired count and autoscaling\" in the README."
  type        = number
  default     = 1
  nullable    = false

  validation {
    condition     = var.desired_count >= 0 && var.desired_count <= 100 && floor(var.desired_count) == var.desired_count
    error_message = "desired_count must be a whole number from 0 to 100."
  }
}

variable "load_balancer" {
  description = <<-EOT
    Route traffic from the environment's shared listener (`environment.listener_arn` must be set). `null` (default)
    creates no target group. `target_group_arn`: an existing target group instead (an adopted service's): the module
    creates no target group, listener rule or load-balancer alarms and only attaches the service. Otherwise
    `priority` of the listener rule (1-50000, unique per listener),
    `host_headers` and/or `path_patterns` (at least one), `container_name` (default: first container with a port),
    `health_check_path` (default "/"), `health_check_matcher` (default "200-399"), `deregistration_delay` (seconds).
  EOT
  type = object({
    priority             = optional(number)
    target_group_arn     = optional(string)
    host_headers         = optional(list(string), [])
    path_patterns        = optional(list(string), [])
    container_name       = optional(string)
    health_check_path    = optional(string, "/")
    health_check_matcher = optional(string, "200-399")
    deregistration_delay = optional(number, 30)
  })
  default = null

  validation {
    condition     = var.load_balancer == null || try(var.load_balancer.target_group_arn != null, false) || try(var.load_balancer.priority >= 1 && var.load_balancer.priority <= 50000 && floor(var.load_balancer.priority) == var.load_balancer.priority, false)
    error_message = "load_balancer.priority must be a whole number from 1 to 50000 (unless load_balancer.target_group_arn names an existing target group)."
  }

  validation {
    condition     = var.load_balancer == null || try(var.load_balancer.target_group_arn != null, false) || try(length(var.load_balancer.host_headers) + length(var.load_balancer.path_patterns) > 0, false)
    error_message = "load_balancer needs at least one of host_headers (e.g. [\"payments.example.com\"]) or path_patterns (e.g. [\"/payments/*\"])."
  }

  validation {
    condition     = try(var.load_balancer.target_group_arn, null) == null || can(regex("^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:[0-9]{12}:targetgroup/", var.load_balancer.target_group_arn))
    error_message = "load_balancer.target_group_arn must be a target group ARN (arn:aws:elasticloadbalancing:<region>:<account>:targetgroup/<name>/<id>)."
  }

  validation {
    condition     = var.load_balancer == null || try(var.load_balancer.deregistration_delay >= 0 && var.load_balancer.deregistration_delay <= 3600, false)
    error_message = "load_balancer.deregistration_delay must be from 0 to 3600 seconds."
  }
}

variable "autoscaling" {
  description = "Target-tracking autoscaling of the desired count. `null` (default) disables it. `min_capacity` <= `max_capacity` (0-100); `cpu_target` (default 70) and optional `memory_target` are average utilisation percentages (1-100); CPU tracking is on unless `track_cpu` is false, memory tracking only when memory_target is set. For services adopted as they are: the policies' names (`cpu_policy_name`, `memory_policy_name`, default `<family>-cpu` / `-memory`), `scale_in_cooldown` and `scale_out_cooldown` (seconds) and `disable_scale_in`."
  type = object({
    min_capacity       = number
    max_capacity       = number
    cpu_target         = optional(number, 70)
    track_cpu          = optional(bool, true)
    memory_target      = optional(number)
    cpu_policy_name    = optional(string)
    memory_policy_name = optional(string)
    scale_in_cooldown  = optional(number)
    scale_out_cooldown = optional(number)
    disable_scale_in   = optional(bool, false)
  })
  default = null

  validation {
    condition     = var.autoscaling == null || try(var.autoscaling.min_capacity >= 0 && var.autoscaling.max_capacity <= 100 && var.autoscaling.min_capacity <= var.autoscaling.max_capacity, false)
    error_message = "autoscaling needs 0 <= min_capacity <= max_capacity <= 100."
  }

  validation {
    condition = var.autoscaling == null ? true : (
      ((var.autoscaling.track_cpu && var.autoscaling.cpu_target != null) || var.autoscaling.memory_target != null) &&
      (var.autoscaling.cpu_target == null ? true : var.autoscaling.cpu_target >= 1 && var.autoscaling.cpu_target <= 100) &&
      (var.autoscaling.memory_target == null ? true : var.autoscaling.memory_target >= 1 && var.autoscaling.memory_target <= 100)
    )
    error_message = "autoscaling needs cpu_target and/or memory_target, each from 1 to 100 (percent)."
  }
}

variable "log_retention_in_days" {
  description = "Retention of the service's log group. null uses the environment's `log_retention_in_days`; 0 keeps events forever (an adopted log group without retention)."
  type        = number
  default     = null

  validation {
    condition     = var.log_retention_in_days == null || contains([0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], coalesce(var.log_retention_in_days, 30))
    error_message = "log_retention_in_days must be null, 0 (forever) or one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653."
  }
}

variable "assign_public_ip" {
  description = "Give tasks a public IP (only for public subnets without NAT)."
  type        = bool
  default     = false
  nullable    = false
}

variable "enable_execute_command" {
  description = "Enable ECS Exec on the service's tasks (the task role gets the SSM messages permissions)."
  type        = bool
  default     = false
  nullable    = false
}

variable "health_check_grace_period_seconds" {
  description = "Seconds the scheduler ignores load balancer health checks after a task starts (used only with load_balancer)."
  type        = number
  default     = 60
  nullable    = false

  validation {
    condition     = var.health_check_grace_period_seconds >= 0 && var.health_check_grace_period_seconds <= 2147483647
    error_message = "health_check_grace_period_seconds must be from 0 to 2147483647."
  }
}

variable "task_role_policy_json" {
  description = "Optional IAM policy document (JSON) attached inline to the task role: what the application itself may do."
  type        = string
  default     = null

  validation {
    condition     = var.task_role_policy_json == null || can(jsondecode(coalesce(var.task_role_policy_json, "{}")))
    error_message = "task_role_policy_json must be null or a JSON IAM policy document."
  }
}

variable "iam_role_path" {
  description = "IAM path of the service's roles (task, execution and, for traffic-shifting strategies, the ECS infrastructure role). portal-access's `managed_role_path` must match it."
  type        = string
  default     = "/"
  nullable    = false

  validation {
    condition     = can(regex("^/([A-Za-z0-9+=,.@_-]+/)*$", var.iam_role_path)) && length(var.iam_role_path) <= 512
    error_message = "iam_role_path must start and end with / (e.g. / or /ecs-deploy/), with segments of letters, digits and +=,.@_-."
  }
}

variable "alarms" {
  description = <<-EOT
    CloudWatch alarms that watch every deployment (ECS deployment alarms: a deployment during which one of them is in ALARM fails,
    and with `rollback` ECS rolls it back). The module creates `http_5xx_rate` (5xx share of the target group's requests, metric math
    over HTTPCode_Target_5XX_Count / RequestCount, only counted from `min_requests` requests per period) and `latency_p95`
    (p95 TargetResponseTime, seconds) when the service has a load balancer, and `running_below_desired` (ECS/ContainerInsights
    DesiredTaskCount - RunningTaskCount >= `missing_tasks`; needs Container Insights on the cluster, otherwise the alarm stays OK)
    always, each unless its `enabled` is false or `create` is false. Names: `<name>-<environment>-<kind>` (kind: http-5xx-rate,
    latency-p95, running-below-desired). `extra_alarm_names` adds existing alarms to the deployment alarms; `alarm_actions` are
    notified (e.g. SNS topic ARNs) when an alarm fires. Missing data never breaches. Periods: 10, 30 or a multiple of 60 seconds.
  EOT
  type = object({
    create            = optional(bool, true)
    rollback          = optional(bool, true)
    extra_alarm_names = optional(list(string), [])
    alarm_actions     = optional(list(string), [])
    http_5xx_rate = optional(object({
      enabled             = optional(bool, true)
      threshold_percent   = optional(number, 5)
      min_requests        = optional(number, 10)
      period_seconds      = optional(number, 60)
      evaluation_periods  = optional(number, 3)
      datapoints_to_alarm = optional(number, 2)
    }), {})
    latency_p95 = optional(object({
      enabled             = optional(bool, true)
      threshold_seconds   = optional(number, 1)
      period_seconds      = optional(number, 60)
      evaluation_periods  = optional(number, 5)
      datapoints_to_alarm = optional(number, 3)
    }), {})
    running_below_desired = optional(object({
      enabled             = optional(bool, true)
      missing_tasks       = optional(number, 1)
      period_seconds      = optional(number, 60)
      evaluation_periods  = optional(number, 5)
      datapoints_to_alarm = optional(number, 5)
    }), {})
  })
  default  = {}
  nullable = false

  validation {
    condition = alltrue([for a in [var.alarms.http_5xx_rate, var.alarms.latency_p95, var.alarms.running_below_desired] :
      (contains([10, 30], a.period_seconds) || (a.period_seconds >= 60 && a.period_seconds % 60 == 0)) && a.period_seconds * a.evaluation_periods <= 86400
    ])
    error_message = "alarms: every period_seconds must be 10, 30 or a multiple of 60, and period_seconds * evaluation_periods at most 86400 (one day)."
  }

  validation {
    condition = alltrue([for a in [var.alarms.http_5xx_rate, var.alarms.latency_p95, var.alarms.running_below_desired] :
      a.evaluation_periods >= 1 && floor(a.evaluation_periods) == a.evaluation_periods && a.datapoints_to_alarm >= 1 && floor(a.datapoints_to_alarm) == a.datapoints_to_alarm && a.datapoints_to_alarm <= a.evaluation_periods
    ])
    error_message = "alarms: evaluation_periods and datapoints_to_alarm must be whole numbers with 1 <= datapoints_to_alarm <= evaluation_periods."
  }

  validation {
    condition     = var.alarms.http_5xx_rate.threshold_percent > 0 && var.alarms.http_5xx_rate.threshold_percent <= 100 && var.alarms.http_5xx_rate.min_requests >= 0
    error_message = "alarms.http_5xx_rate: threshold_percent must be in (0, 100] and min_requests >= 0."
  }

  validation {
    condition     = var.alarms.latency_p95.threshold_seconds > 0 && var.alarms.latency_p95.threshold_seconds <= 3600
    error_message = "alarms.latency_p95.threshold_seconds must be in (0, 3600] (seconds, e.g. 0.5)."
  }

  validation {
    condition     = var.alarms.running_below_desired.missing_tasks >= 1 && floor(var.alarms.running_below_desired.missing_tasks) == var.alarms.running_below_desired.missing_tasks
    error_message = "alarms.running_below_desired.missing_tasks must be a whole number >= 1."
  }

  validation {
    condition     = alltrue([for n in var.alarms.extra_alarm_names : length(n) >= 1 && length(n) <= 255 && trimspace(n) == n]) && length(distinct(var.alarms.extra_alarm_names)) == length(var.alarms.extra_alarm_names)
    error_message = "alarms.extra_alarm_names must be distinct CloudWatch alarm names of 1-255 characters without surrounding spaces."
  }

  validation {
    condition     = alltrue([for a in var.alarms.alarm_actions : can(regex("^arn:aws[a-z-]*:[a-z0-9-]+:", a))])
    error_message = "alarms.alarm_actions must be ARNs (e.g. arn:aws:sns:eu-west-1:111111111111:deployments)."
  }
}

variable "deployment_strategy" {
  description = <<-EOT
    How the portal deploys this service: `type` rolling (default; ECS's rolling update with the circuit breaker), canary,
    linear or blue_green (ECS's native strategies; the last three need `load_balancer`). `bake_time_minutes`: after all
    traffic moved, how long ECS keeps the old revision ready for a rollback (canary, linear, blue_green; 0-1440).
    Canary: `canary_percent` of traffic (0.1-100, steps of 0.1) for `canary_bake_time_minutes` (0-1440), then the rest.
    Linear: `linear_step_percent` per step (3-100, steps of 0.1), `linear_step_bake_time_minutes` between steps (0-1440).
    The AWS provider 5.x cannot set these on the service: the module writes them as JSON to the SSM parameter
    `/ecs-deploy/<environment>/<name>/deployment-strategy`, which the portal applies with UpdateService (see README).
  EOT
  type = object({
    type                          = optional(string, "rolling")
    bake_time_minutes             = optional(number, 10)
    canary_percent                = optional(number, 10)
    canary_bake_time_minutes      = optional(number, 10)
    linear_step_percent           = optional(number, 20)
    linear_step_bake_time_minutes = optional(number, 6)
  })
  default  = {}
  nullable = false

  validation {
    condition     = contains(["rolling", "canary", "linear", "blue_green"], var.deployment_strategy.type)
    error_message = "deployment_strategy.type must be one of rolling, canary, linear, blue_green."
  }

  validation {
    condition = alltrue([for m in [var.deployment_strategy.bake_time_minutes, var.deployment_strategy.canary_bake_time_minutes, var.deployment_strategy.linear_step_bake_time_minutes] :
      m >= 0 && m <= 1440 && floor(m) == m
    ])
    error_message = "deployment_strategy: bake_time_minutes, canary_bake_time_minutes and linear_step_bake_time_minutes must be whole minutes from 0 to 1440."
  }

  validation {
    condition     = var.deployment_strategy.canary_percent >= 0.1 && var.deployment_strategy.canary_percent <= 100 && abs(var.deployment_strategy.canary_percent * 10 - floor(var.deployment_strategy.canary_percent * 10 + 0.5)) < 0.000001
    error_message = "deployment_strategy.canary_percent must be from 0.1 to 100 in steps of 0.1 (e.g. 5, 12.5)."
  }

  validation {
    condition     = var.deployment_strategy.linear_step_percent >= 3 && var.deployment_strategy.linear_step_percent <= 100 && abs(var.deployment_strategy.linear_step_percent * 10 - floor(var.deployment_strategy.linear_step_percent * 10 + 0.5)) < 0.000001
    error_message = "deployment_strategy.linear_step_percent must be from 3 to 100 in steps of 0.1 (e.g. 10, 33.3)."
  }
}

variable "tags" {
  description = "Tags added to every taggable resource. The module adds `backstage:entity-ref`, `backstage:environment` and `ecs-deploy:image-parameter-prefix`, which win over these."
  type        = map(string)
  default     = {}
  nullable    = false
}

################################################################################
# Existing services adopted as they are (the portal's adoption renders these from what AWS has)
################################################################################

variable "family" {
  description = "Task definition family. null (default) is `<name>-<environment>`; an adopted service keeps its own."
  type        = string
  default     = null

  validation {
    condition     = var.family == null || can(regex("^[A-Za-z0-9_-]{1,255}$", coalesce(var.family, "x")))
    error_message = "family must be 1-255 letters, digits, hyphens or underscores."
  }
}

variable "launch_type" {
  description = "FARGATE (default) or EC2."
  type        = string
  default     = "FARGATE"
  nullable    = false

  validation {
    condition     = contains(["FARGATE", "EC2"], var.launch_type)
    error_message = "launch_type must be FARGATE or EC2."
  }
}

variable "network_mode" {
  description = "Task network mode: awsvpc (default; required on Fargate), bridge or host (EC2)."
  type        = string
  default     = "awsvpc"
  nullable    = false

  validation {
    condition     = contains(["awsvpc", "bridge", "host"], var.network_mode)
    error_message = "network_mode must be awsvpc, bridge or host."
  }
}

variable "platform_version" {
  description = "Fargate platform version (LATEST, or e.g. 1.4.0). Ignored on EC2."
  type        = string
  default     = "LATEST"
  nullable    = false
}

variable "existing_roles" {
  description = "Existing task execution and task roles (ARNs; either may be null for none) instead of the two the module creates. An adopted service keeps its roles; the module then neither creates nor changes any role (so `task_role_policy_json` and ECS Exec's permissions are not attached)."
  type = object({
    execution_role_arn = optional(string)
    task_role_arn      = optional(string)
  })
  default = null

  validation {
    condition     = var.existing_roles == null || alltrue([for a in [try(var.existing_roles.execution_role_arn, null), try(var.existing_roles.task_role_arn, null)] : a == null || can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/", coalesce(a, "x")))])
    error_message = "existing_roles ARNs must be IAM role ARNs (arn:aws:iam::<account>:role/<path/name>) or null."
  }
}

variable "log_group_name" {
  description = "Name of the service's log group. null (default) is `/ecs/<environment>/<name>`; an adopted service keeps the group its containers log to."
  type        = string
  default     = null
}

variable "log_stream_prefix" {
  description = "awslogs stream prefix of every container (streams `<prefix>/<container>/<task-id>`)."
  type        = string
  default     = "ecs"
  nullable    = false
}

variable "network_configuration" {
  description = "awsvpc networking of the service. null (default) uses the environment's subnets and security groups with `assign_public_ip`; an adopted service keeps its own."
  type = object({
    subnets          = list(string)
    security_groups  = optional(list(string), [])
    assign_public_ip = optional(bool, false)
  })
  default = null
}

variable "deployment" {
  description = "Rolling deployment settings: `minimum_healthy_percent` (100), `maximum_percent` (200) and the deployment circuit breaker (`circuit_breaker_enable`, `circuit_breaker_rollback`, both true)."
  type = object({
    minimum_healthy_percent  = optional(number, 100)
    maximum_percent          = optional(number, 200)
    circuit_breaker_enable   = optional(bool, true)
    circuit_breaker_rollback = optional(bool, true)
  })
  default  = {}
  nullable = false

  validation {
    condition     = var.deployment.minimum_healthy_percent >= 0 && var.deployment.minimum_healthy_percent <= 100 && var.deployment.maximum_percent >= 100 && var.deployment.maximum_percent <= 200
    error_message = "deployment.minimum_healthy_percent must be from 0 to 100 and deployment.maximum_percent from 100 to 200."
  }
}

variable "enable_ecs_managed_tags" {
  description = "ECS managed tags on the service's tasks."
  type        = bool
  default     = true
  nullable    = false
}

variable "propagate_tags" {
  description = "Where tasks take their tags from: SERVICE (default), TASK_DEFINITION or NONE."
  type        = string
  default     = "SERVICE"
  nullable    = false

  validation {
    condition     = contains(["SERVICE", "TASK_DEFINITION", "NONE"], var.propagate_tags)
    error_message = "propagate_tags must be SERVICE, TASK_DEFINITION or NONE."
  }
}
