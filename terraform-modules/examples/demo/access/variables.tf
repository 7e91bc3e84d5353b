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
  description = "Role the provider assumes (cross-account: an administrator role of the workload account, e.g. OrganizationAccountAccessRole): `role_arn`, optional `external_id` and `session_name` (default ecs-deploy-bootstrap). null (default) uses the caller's credentials in their own account."
  type = object({
    role_arn     = string
    external_id  = optional(string)
    session_name = optional(string, "ecs-deploy-bootstrap")
  })
  default = null

  validation {
    condition     = var.assume_role == null || can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$", var.assume_role.role_arn))
    error_message = "assume_role.role_arn must be an IAM role ARN, e.g. arn:aws:iam::111111111111:role/OrganizationAccountAccessRole."
  }

  validation {
    condition     = var.assume_role == null || can(regex("^[A-Za-z0-9+=,.@_-]{2,64}$", var.assume_role.session_name))
    error_message = "assume_role.session_name must be 2-64 characters of letters, digits and +=,.@_-."
  }
}

variable "region" {
  description = "AWS region of the demo environment."
  type        = string
  default     = "us-east-1"
  nullable    = false

  validation {
    condition     = can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]$", var.region))
    error_message = "region must be an AWS region name such as us-east-1."
  }
}

variable "account_id" {
  description = "The workload account the environments run in (the roles and the queue are created there)."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^[0-9]{12}$", var.account_id))
    error_message = "account_id must be a 12-digit AWS account ID, e.g. 111111111111."
  }
}

variable "environments" {
  description = "Demo environments in this account (their clusters are `demo-<environment>`, see ../modules/stage)."
  type        = list(string)
  nullable    = false

  validation {
    condition     = length(var.environments) > 0 && alltrue([for e in var.environments : can(regex("^[a-z][a-z0-9-]{1,20}$", e))])
    error_message = "environments must list at least one environment name matching ^[a-z][a-z0-9-]{1,20}$ (e.g. staging)."
  }
}

variable "main_account_id" {
  description = "The portal's own account: its principals may assume the portal role and the Terraform role (with their external IDs). The emulator's default account is 123456789012."
  type        = string
  default     = "123456789012"
  nullable    = false

  validation {
    condition     = can(regex("^[0-9]{12}$", var.main_account_id))
    error_message = "main_account_id must be a 12-digit AWS account ID."
  }
}

variable "external_id" {
  description = "External ID of the portal role (the backend's aws.accounts[].externalId)."
  type        = string
  default     = "ecs-deploy-local"
  nullable    = false

  validation {
    condition     = length(var.external_id) >= 2 && length(var.external_id) <= 1224 && can(regex("^[A-Za-z0-9+=,.@:/_-]+$", var.external_id))
    error_message = "external_id must be 2-1224 characters of letters, digits and +=,.@:/-_."
  }
}

variable "terraform_external_id" {
  description = "External ID of the Terraform role (the roots' assume_role.external_id)."
  type        = string
  default     = "ecs-deploy-terraform-local"
  nullable    = false

  validation {
    condition     = length(var.terraform_external_id) >= 2 && length(var.terraform_external_id) <= 1224 && can(regex("^[A-Za-z0-9+=,.@:/_-]+$", var.terraform_external_id))
    error_message = "terraform_external_id must be 2-1224 characters of letters, digits and +=,.@:/-_."
  }
}
