provider "aws" {
  region = var.region

  # Against a local emulator: no credential or instance-metadata checks; ECR and STS point at it.
  skip_credentials_validation = var.aws_endpoint != null
  skip_metadata_api_check     = var.aws_endpoint != null

  dynamic "endpoints" {
    for_each = var.aws_endpoint == null ? [] : [var.aws_endpoint]

    content {
      ecr = endpoints.value
      iam = endpoints.value
      sts = endpoints.value
    }
  }
}
