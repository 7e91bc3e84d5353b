variable "aws_endpoint" {
  description = "Endpoint URL of a local AWS emulator (e.g. http://127.0.0.1:4566 for moto). null (default) uses real AWS."
  type        = string
  default     = null

  validation {
    condition     = var.aws_endpoint == null || can(regex("^https?://[^/]+/?$", coalesce(var.aws_endpoint, "http://x")))
    error_message = "aws_endpoint must be null or a URL such as http://127.0.0.1:4566."
  }
}

variable "region" {
  description = "Region of the registry (the environments' region: cross-region pulls cost transfer and latency)."
  type        = string
  default     = "us-east-1"
  nullable    = false

  validation {
    condition     = can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]$", var.region))
    error_message = "region must be an AWS region name such as us-east-1."
  }
}

variable "repositories" {
  description = "Names of the ECR repositories in this (tooling) account, one per service image, e.g. [\"acme/payments-api\"]."
  type        = list(string)
  nullable    = false

  validation {
    condition     = length(var.repositories) > 0 && alltrue([for r in var.repositories : can(regex("^[a-z0-9]+([._-][a-z0-9]+)*(/[a-z0-9]+([._-][a-z0-9]+)*)*$", r)) && length(r) <= 256])
    error_message = "repositories must list ECR repository names: lowercase letters, digits, ._- separators and / namespaces, e.g. acme/payments-api."
  }
}

variable "pull_accounts" {
  description = "Workload accounts whose services pull the images, account ID => environment names there; only their services' execution roles (`*-<environment>-execution`, see ecs-service) may pull."
  type        = map(list(string))
  nullable    = false

  validation {
    condition     = length(var.pull_accounts) > 0 && alltrue([for a, envs in var.pull_accounts : can(regex("^[0-9]{12}$", a)) && length(envs) > 0 && alltrue([for e in envs : can(regex("^[a-z][a-z0-9-]{1,20}$", e))])])
    error_message = "pull_accounts maps 12-digit account IDs to non-empty lists of environment names (e.g. { \"111111111111\" = [\"staging\"] })."
  }
}

variable "push_principal_arns" {
  description = "Principals that push images (the CI role of this account or another); empty: only this account's own policies decide."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for a in var.push_principal_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:(root|role/.+|user/.+)$", a))])
    error_message = "push_principal_arns must contain IAM principal ARNs."
  }
}

variable "read_principal_arns" {
  description = "Principals that read image metadata without pulling layers, e.g. the portal's task role (its pre-flight resolves a tag to a digest with ecr:DescribeImages)."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for a in var.read_principal_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:(root|role/.+|user/.+)$", a))])
    error_message = "read_principal_arns must contain IAM principal ARNs."
  }
}
