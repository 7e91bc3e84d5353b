provider "aws" {
  region = var.region

  # Against a local emulator: no credential or instance-metadata checks, and every service this root
  # uses points at the emulator (the account ID is asked of the emulator's STS).
  skip_credentials_validation = var.aws_endpoint != null
  skip_metadata_api_check     = var.aws_endpoint != null

  dynamic "endpoints" {
    for_each = var.aws_endpoint == null ? [] : [var.aws_endpoint]

    content {
      acm                    = endpoints.value
      applicationautoscaling = endpoints.value
      cloudwatch             = endpoints.value
      cloudwatchlogs         = endpoints.value
      ec2                    = endpoints.value
      ecs                    = endpoints.value
      elasticache            = endpoints.value
      elbv2                  = endpoints.value
      iam                    = endpoints.value
      rds                    = endpoints.value
      secretsmanager         = endpoints.value
      ssm                    = endpoints.value
      sts                    = endpoints.value
    }
  }
}
