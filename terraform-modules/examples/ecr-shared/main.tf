# One registry that every environment's account pulls from (a tooling or shared-services account):
# immutable tags, scanned on push, and a repository policy that lets only the workload accounts'
# service execution roles pull. A promotion never rebuilds nor re-pushes: it copies the exact image
# (pinned to its digest) from staging's task definition to prod's, so prod pulls the bytes staging ran.

locals {
  # What an ECS task's execution role needs on the repository (plus ecr:GetAuthorizationToken on "*"
  # in its own account, which ecs-service's execution role has).
  pull_actions = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"]
  push_actions = ["ecr:InitiateLayerUpload", "ecr:UploadLayerPart", "ecr:CompleteLayerUpload", "ecr:PutImage", "ecr:BatchCheckLayerAvailability"]

  execution_roles = flatten([for account, environments in var.pull_accounts : [
    for e in environments : "arn:aws:iam::${account}:role/*-${e}-execution"
  ]])

  repository_policy = {
    Version = "2012-10-17"
    Statement = concat(
      [{
        Sid       = "ServicesPull"
        Effect    = "Allow"
        Principal = { AWS = [for account in keys(var.pull_accounts) : "arn:aws:iam::${account}:root"] }
        Action    = local.pull_actions
        Condition = { ArnLike = { "aws:PrincipalArn" = local.execution_roles } }
      }],
      length(var.push_principal_arns) == 0 ? [] : [{
        Sid       = "CiPushes"
        Effect    = "Allow"
        Principal = { AWS = var.push_principal_arns }
        Action    = local.push_actions
      }],
      length(var.read_principal_arns) == 0 ? [] : [{
        Sid       = "PortalReads"
        Effect    = "Allow"
        Principal = { AWS = var.read_principal_arns }
        Action    = ["ecr:DescribeImages", "ecr:BatchGetImage"]
      }],
    )
  }
}

resource "aws_ecr_repository" "this" {
  for_each = toset(var.repositories)

  name                 = each.key
  image_tag_mutability = "IMMUTABLE"

  image_scanning_configuration {
    scan_on_push = true
  }

  encryption_configuration {
    encryption_type = "AES256"
  }
}

resource "aws_ecr_repository_policy" "this" {
  for_each = aws_ecr_repository.this

  repository = each.value.name
  policy     = jsonencode(local.repository_policy)
}
