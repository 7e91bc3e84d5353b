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
  description = "AWS region of the demo environment."
  type        = string
  default     = "us-east-1"
  nullable    = false

  validation {
    condition     = can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]$", var.region))
    error_message = "region must be an AWS region name such as us-east-1."
  }
}
