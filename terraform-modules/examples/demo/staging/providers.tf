provider "aws" {
  region = var.region

  # Against a local emulator: no credential, account or instance-metadata checks, and every
  # service this root uses points at the emulator.
  skip_credentials_validation = var.aws_endpoint != null
  skip_requesting_account_id  = var.aws_endpoint != null
  skip_metadata_api_check     = var.aws_endpoint != null

  dynamic "endpoints" {
    for_each = var.aws_endpoint == null ? [] : [var.aws_endpoint]

    content {
      applicationautoscaling = endpoints.value
      cloudwatchlogs         = endpoints.value
      ec2                    = endpoints.value
      ecs                    = endpoints.value
      elbv2                  = endpoints.value
      iam                    = endpoints.value
      ssm                    = endpoints.value
      sts                    = endpoints.value
    }
  }
}
