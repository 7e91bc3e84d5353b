variable "name" {
  description = "Name of the ECS cluster, for example `demo-staging`. Also names the ALB and security groups."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^[a-zA-Z][a-zA-Z0-9-]{0,31}$", var.name))
    error_message = "name must start with a letter and contain only letters, digits and hyphens (1-32 characters, so that derived ALB names stay within AWS limits)."
  }
}

variable "environment" {
  description = "Environment (stage) name as the portal knows it, for example `staging` or `prod`. Published at /ecs-deploy/environments/<environment>."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,20}$", var.environment))
    error_message = "environment must match ^[a-z][a-z0-9-]{1,20}$: a lowercase letter, then 1-20 lowercase letters, digits or hyphens (e.g. staging, prod)."
  }
}

variable "vpc_id" {
  description = "ID of the VPC the services run in."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^vpc-[0-9a-zA-Z]+$", var.vpc_id))
    error_message = "vpc_id must be a VPC id such as vpc-0123456789abcdef0."
  }
}

variable "private_subnet_ids" {
  description = "IDs of the private subnets tasks are placed in (at least one; use two or more in different AZs for production)."
  type        = list(string)
  nullable    = false

  validation {
    condition     = length(var.private_subnet_ids) > 0 && alltrue([for s in var.private_subnet_ids : can(regex("^subnet-[0-9a-zA-Z]+$", s))])
    error_message = "private_subnet_ids must be a non-empty list of subnet ids such as subnet-0123456789abcdef0."
  }
}

variable "public_subnet_ids" {
  description = "IDs of the subnets the shared ALB is placed in (two or more AZs). Empty means the ALB uses private_subnet_ids (an internal ALB)."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for s in var.public_subnet_ids : can(regex("^subnet-[0-9a-zA-Z]+$", s))])
    error_message = "public_subnet_ids must contain only subnet ids such as subnet-0123456789abcdef0."
  }
}

variable "create_service_security_group" {
  description = "Create a security group for the services' tasks (egress to anywhere; ingress from the ALB when the ALB is created)."
  type        = bool
  default     = true
  nullable    = false
}

variable "service_security_group_ids" {
  description = "Additional existing security group ids attached to every service of the environment."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for s in var.service_security_group_ids : can(regex("^sg-[0-9a-zA-Z]+$", s))])
    error_message = "service_security_group_ids must contain only security group ids such as sg-0123456789abcdef0."
  }
}

variable "container_insights" {
  description = "Enable CloudWatch Container Insights on the cluster."
  type        = bool
  default     = false
  nullable    = false
}

variable "fargate_spot_weight" {
  description = "Weight of FARGATE_SPOT in the cluster's default capacity provider strategy (FARGATE has base 1 and weight 1). 0 keeps everything on on-demand FARGATE."
  type        = number
  default     = 0
  nullable    = false

  validation {
    condition     = var.fargate_spot_weight >= 0 && var.fargate_spot_weight <= 1000 && floor(var.fargate_spot_weight) == var.fargate_spot_weight
    error_message = "fargate_spot_weight must be a whole number from 0 to 1000."
  }
}

variable "log_retention_in_days" {
  description = "Default CloudWatch log retention for services of this environment."
  type        = number
  default     = 30
  nullable    = false

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_in_days)
    error_message = "log_retention_in_days must be one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653."
  }
}

variable "alb" {
  description = <<-EOT
    Shared Application Load Balancer. `null` (the default) creates none. With an object:
    `internal` (default false), `certificate_arn` (HTTPS listener on 443 when set, else HTTP on 80),
    `ssl_policy`, `ingress_cidr_blocks` (default 0.0.0.0/0), `idle_timeout` (seconds).
  EOT
  type = object({
    internal            = optional(bool, false)
    certificate_arn     = optional(string)
    ssl_policy          = optional(string, "ELBSecurityPolicy-TLS13-1-2-2021-06")
    ingress_cidr_blocks = optional(list(string), ["0.0.0.0/0"])
    idle_timeout        = optional(number, 60)
  })
  default = null

  validation {
    condition     = var.alb == null || try(var.alb.certificate_arn == null || can(regex("^arn:aws[a-z-]*:acm:", var.alb.certificate_arn)), false)
    error_message = "alb.certificate_arn must be null (HTTP listener) or an ACM certificate ARN (arn:aws:acm:...)."
  }

  validation {
    condition     = var.alb == null || try(var.alb.idle_timeout >= 1 && var.alb.idle_timeout <= 4000, false)
    error_message = "alb.idle_timeout must be from 1 to 4000 seconds."
  }
}

variable "tags" {
  description = "Tags added to every resource (the module adds `backstage:environment`)."
  type        = map(string)
  default     = {}
  nullable    = false
}
