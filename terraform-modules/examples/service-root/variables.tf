variable "aws_endpoint" {
  description = "Endpoint URL of a local AWS emulator (e.g. http://127.0.0.1:4566 for moto). null (default) uses real AWS. Credentials come from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY."
  type        = string
  default     = null

  validation {
    condition     = var.aws_endpoint == null || can(regex("^https?://[^/]+/?$", coalesce(var.aws_endpoint, "http://x")))
    error_message = "aws_endpoint must be null or a URL such as http://127.0.0.1:4566."
  }
}

variable "assume_role" {
  description = "Role the provider assumes (cross-account: the environment account's Terraform role, see portal-access): `role_arn`, optional `external_id` and `session_name` (default ecs-deploy-terraform). null (default) uses the caller's credentials in their own account."
  type = object({
    role_arn     = string
    external_id  = optional(string)
    session_name = optional(string, "ecs-deploy-terraform")
  })
  default = null

  validation {
    condition     = var.assume_role == null || can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$", var.assume_role.role_arn))
    error_message = "assume_role.role_arn must be an IAM role ARN, e.g. arn:aws:iam::111111111111:role/ecs-deploy-terraform."
  }

  validation {
    condition     = var.assume_role == null || can(regex("^[A-Za-z0-9+=,.@_-]{2,64}$", var.assume_role.session_name))
    error_message = "assume_role.session_name must be 2-64 characters of letters, digits and +=,.@_-."
  }
}

variable "region" {
  description = "AWS region of the environment."
  type        = string
  default     = "us-east-1"
  nullable    = false

  validation {
    condition     = can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]$", var.region))
    error_message = "region must be an AWS region name such as us-east-1."
  }
}

variable "environment" {
  description = "Environment to deploy into (its ecs-environment must have been applied): e.g. staging, prod."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,20}$", var.environment))
    error_message = "environment must match ^[a-z][a-z0-9-]{1,20}$ (e.g. staging, prod)."
  }
}

variable "name" {
  description = "Backstage entity name of the service; ecs-service validates it (^[a-z][a-z0-9-]{1,30}[a-z0-9]$, no `--`, not reserved)."
  type        = string
  nullable    = false
}

variable "image" {
  description = "Initial container image; afterwards deploys write /ecs-deploy/<environment>/<name>/image/<name>."
  type        = string
  nullable    = false

  validation {
    condition     = length(trimspace(var.image)) > 0 && !strcontains(var.image, " ")
    error_message = "image must be a non-empty image reference without spaces, e.g. ghcr.io/acme/ledger-api:1.0.0."
  }
}

variable "desired_count" {
  description = "Number of tasks (0-100); with autoscaling, the count at creation."
  type        = number
  default     = 1
  nullable    = false

  validation {
    condition     = var.desired_count >= 0 && var.desired_count <= 100 && floor(var.desired_count) == var.desired_count
    error_message = "desired_count must be a whole number from 0 to 100."
  }
}

variable "autoscaling" {
  description = "Target-tracking autoscaling of the service (see ecs-service's `autoscaling`): `min_capacity` <= `max_capacity` (0-100), optional `cpu_target` (default 70) and `memory_target` (1-100 %). null (default) keeps desired_count tasks."
  type = object({
    min_capacity  = number
    max_capacity  = number
    cpu_target    = optional(number, 70)
    memory_target = optional(number)
  })
  default = null

  validation {
    condition     = var.autoscaling == null || try(var.autoscaling.min_capacity >= 0 && var.autoscaling.max_capacity <= 100 && var.autoscaling.min_capacity <= var.autoscaling.max_capacity, false)
    error_message = "autoscaling needs 0 <= min_capacity <= max_capacity <= 100 (targets: 1-100 %, checked by ecs-service)."
  }
}
