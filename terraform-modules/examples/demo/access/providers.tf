provider "aws" {
  region = var.region

  # Against a local emulator: no credential or instance-metadata checks, and every service this root
  # uses points at the emulator. The account ID is asked of the emulator's STS (GetCallerIdentity),
  # as on AWS: the provider needs it to tell the account's own security groups from others'.
  skip_credentials_validation = var.aws_endpoint != null
  skip_metadata_api_check     = var.aws_endpoint != null

  # Cross-account: run in the workload account through its bootstrap role (an administrator role
  # such as OrganizationAccountAccessRole), from the credentials of the main account.
  dynamic "assume_role" {
    for_each = var.assume_role == null ? [] : [var.assume_role]

    content {
      role_arn     = assume_role.value.role_arn
      external_id  = assume_role.value.external_id
      session_name = assume_role.value.session_name
    }
  }

  dynamic "endpoints" {
    for_each = var.aws_endpoint == null ? [] : [var.aws_endpoint]

    content {
      applicationautoscaling = endpoints.value
      cloudwatch             = endpoints.value
      cloudwatchlogs         = endpoints.value
      ec2                    = endpoints.value
      ecs                    = endpoints.value
      elbv2                  = endpoints.value
      events                 = endpoints.value
      iam                    = endpoints.value
      sqs                    = endpoints.value
      ssm                    = endpoints.value
      sts                    = endpoints.value
    }
  }
}
