################################################################################
# The role the portal assumes: every AWS action the backend sends, in one list
################################################################################

locals {
  portal_statements = [
    {
      # ListServices supports no resource ARN and ListTasks only container instances: both are
      # limited to the environments' clusters through the ecs:cluster condition.
      Sid       = "ListInManagedClusters"
      Effect    = "Allow"
      Action    = ["ecs:ListServices", "ecs:ListTasks"]
      Resource  = "*"
      Condition = { ArnEquals = { "ecs:cluster" = local.arns.clusters } }
    },
    {
      Sid      = "ReadServices"
      Effect   = "Allow"
      Action   = ["ecs:DescribeServices", "ecs:ListServiceDeployments"]
      Resource = local.arns.services
    },
    {
      # Only services that carry the contract tag (ecs-service writes it): a promotion or rollback
      # never touches an ECS service the portal does not manage. The task definition, when the call
      # names one, must be of a family of these environments (<service>-<environment>).
      Sid      = "DeployManagedServices"
      Effect   = "Allow"
      Action   = ["ecs:UpdateService"]
      Resource = local.arns.services
      Condition = {
        Null            = { "aws:ResourceTag/backstage:entity-ref" = "false" }
        ArnLikeIfExists = { "ecs:task-definition" = local.arns.task_definitions }
      }
    },
    {
      # Deployment strategies (canary, linear, blue/green): follow, and stop a deployment to roll back.
      Sid      = "FollowServiceDeployments"
      Effect   = "Allow"
      Action   = ["ecs:DescribeServiceDeployments", "ecs:DescribeServiceRevisions", "ecs:StopServiceDeployment"]
      Resource = concat(local.arns.service_deployments, local.arns.service_revisions)
    },
    {
      Sid      = "ReadTasks"
      Effect   = "Allow"
      Action   = ["ecs:DescribeTasks"]
      Resource = local.arns.tasks
    },
    {
      # These three accept no resource ARN (Service Authorization Reference): Resource must be "*".
      # What bounds them: a registered revision may only carry the managed task and execution roles
      # (PassManagedTaskRoles), its tags only on the environments' families (TagRevisionsOnRegister),
      # and only managed services may be pointed at it (DeployManagedServices).
      Sid      = "TaskDefinitions"
      Effect   = "Allow"
      Action   = ["ecs:DescribeTaskDefinition", "ecs:RegisterTaskDefinition", "ecs:DeregisterTaskDefinition"]
      Resource = "*"
    },
    {
      # A promotion copies the revision's tags; ECS authorises tags on create as ecs:TagResource.
      Sid       = "TagRevisionsOnRegister"
      Effect    = "Allow"
      Action    = ["ecs:TagResource"]
      Resource  = local.arns.task_definitions
      Condition = { StringEquals = { "ecs:CreateAction" = ["RegisterTaskDefinition"] } }
    },
    {
      Sid       = "PassManagedTaskRoles"
      Effect    = "Allow"
      Action    = ["iam:PassRole"]
      Resource  = local.arns.task_roles
      Condition = { StringEquals = { "iam:PassedToService" = "ecs-tasks.amazonaws.com" } }
    },
    {
      # Read and write the images (the promotion contract); nothing else under the prefix is written.
      Sid      = "ImageParameters"
      Effect   = "Allow"
      Action   = ["ssm:GetParameter", "ssm:GetParameters", "ssm:PutParameter"]
      Resource = local.arns.image_parameters
    },
    {
      Sid      = "ReadDeploymentSettings"
      Effect   = "Allow"
      Action   = ["ssm:GetParameter", "ssm:GetParameters"]
      Resource = concat(local.arns.strategy_parameters, local.arns.environment_docs)
    },
    {
      Sid      = "ReadServiceLogs"
      Effect   = "Allow"
      Action   = ["logs:FilterLogEvents", "logs:GetLogEvents", "logs:DescribeLogStreams"]
      Resource = local.arns.log_groups
    },
    {
      # DescribeLogGroups is authorised on the account's log-group:* whatever the name prefix asked.
      Sid      = "FindLogGroups"
      Effect   = "Allow"
      Action   = ["logs:DescribeLogGroups"]
      Resource = local.arns.all_log_groups
    },
    {
      # Resource Groups Tagging accepts no resource ARN.
      Sid      = "FindTaggedResources"
      Effect   = "Allow"
      Action   = ["tag:GetResources"]
      Resource = "*"
    },
    {
      # Verification: the alarms a deployment is watched by (any name: services may add their own)
      # and metric analysis (GetMetricData accepts no resource ARN).
      Sid      = "ReadVerification"
      Effect   = "Allow"
      Action   = ["cloudwatch:DescribeAlarms"]
      Resource = local.arns.all_alarms
    },
    {
      Sid      = "ReadMetrics"
      Effect   = "Allow"
      Action   = ["cloudwatch:GetMetricData"]
      Resource = "*"
    },
  ]

  portal_policy = {
    Version   = "2012-10-17"
    Statement = local.portal_statements
  }
}

resource "aws_iam_role" "portal" {
  name                 = var.portal_role_name
  description          = "Assumed by the deployment portal (Backstage ecs-deploy) to read and promote the services of ${join(", ", local.environment_names)}"
  assume_role_policy   = jsonencode(local.portal_trust_policy)
  max_session_duration = var.max_session_duration

  tags = local.tags

  lifecycle {
    precondition {
      condition     = data.aws_caller_identity.current.account_id == local.account_id
      error_message = "The environments' clusters are in account ${local.account_id}, but this configuration runs in account ${data.aws_caller_identity.current.account_id}: apply it with credentials of (or a role in) account ${local.account_id}."
    }
  }
}

resource "aws_iam_role_policy" "portal" {
  name   = "ecs-deploy"
  role   = aws_iam_role.portal.id
  policy = jsonencode(local.portal_policy)
}

resource "aws_iam_role_policy" "portal_additional" {
  for_each = var.additional_portal_policies

  name   = each.key
  role   = aws_iam_role.portal.id
  policy = each.value
}
