variable "aws_endpoint" {
  description = "Endpoint URL of a local AWS emulator (e.g. http://127.0.0.1:4566 for moto). null (default) uses real AWS. Credentials come from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY."
  type        = string
  default     = null

  validation {
    condition     = var.aws_endpoint == null || can(regex("^https?://[^/]+/?$", coalesce(var.aws_endpoint, "http://x")))
    error_message = "aws_endpoint must be null or a URL such as http://127.0.0.1:4566."
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
