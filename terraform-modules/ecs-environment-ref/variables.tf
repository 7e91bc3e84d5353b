variable "environment" {
  description = "Environment name whose published document (/ecs-deploy/environments/<environment>) is read."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,20}$", var.environment))
    error_message = "environment must match ^[a-z][a-z0-9-]{1,20}$: a lowercase letter, then 1-20 lowercase letters, digits or hyphens (e.g. staging, prod)."
  }
}
