variable "environment" {
  description = "Environment (stage) name as the portal knows it, e.g. `staging` or `prod`. Names the cluster `demo-<environment>`, the task families `<service>-<environment>` and the SSM document /ecs-deploy/environments/<environment>."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,20}$", var.environment))
    error_message = "environment must match ^[a-z][a-z0-9-]{1,20}$ (e.g. staging, prod)."
  }
}

variable "cidr_block" {
  description = "IPv4 CIDR of the stage's VPC, /16 to /24; the two private subnets are its first two /(prefix+4) blocks."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^[0-9.]+/(1[6-9]|2[0-4])$", var.cidr_block)) && try(cidrhost(var.cidr_block, 0) == split("/", var.cidr_block)[0], false)
    error_message = "cidr_block must be an IPv4 network address with a prefix from /16 to /24, e.g. 10.20.0.0/16."
  }
}

variable "services" {
  description = "Backstage entity name => what differs per service: the initial `image` (deploys and promotions change it outside Terraform, see the ecs-service README) an optional `deployment_strategy` (ecs-service's; default rolling) and `alarms` (default true; false: no CloudWatch alarms, so no ECS deployment alarms either). Every service gets 256 CPU / 512 MiB, one container named like the service listening on 8080, and the host <name>.<environment>.demo.internal on the environment's ALB."
  type = map(object({
    image  = string
    alarms = optional(bool, true)
    deployment_strategy = optional(object({
      type                          = optional(string, "rolling")
      bake_time_minutes             = optional(number, 10)
      canary_percent                = optional(number, 10)
      canary_bake_time_minutes      = optional(number, 10)
      linear_step_percent           = optional(number, 20)
      linear_step_bake_time_minutes = optional(number, 6)
    }), {})
  }))
  nullable = false

  validation {
    condition     = length(var.services) > 0
    error_message = "services must name at least one service."
  }

  validation {
    condition     = alltrue([for s in values(var.services) : length(trimspace(s.image)) > 0 && !strcontains(s.image, " ")])
    error_message = "every service needs a non-empty image reference without spaces, e.g. ghcr.io/acme/payments-api:1.4.0."
  }
}

variable "desired_count" {
  description = "Tasks per service (0-100)."
  type        = number
  default     = 1
  nullable    = false

  validation {
    condition     = var.desired_count >= 0 && var.desired_count <= 100 && floor(var.desired_count) == var.desired_count
    error_message = "desired_count must be a whole number from 0 to 100."
  }
}

variable "tags" {
  description = "Tags for every resource of the stage (the modules add the backstage:* contract tags)."
  type        = map(string)
  default     = {}
  nullable    = false
}
