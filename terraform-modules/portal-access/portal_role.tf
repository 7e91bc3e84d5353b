################################################################################
# The role the portal assumes: every AWS action the backend sends, in one list
################################################################################

locals {
  portal_statements = [
    {
      # ListServices and ListTasks accept no cluster ARN as resource: they are limited to the environments'
      # clusters through the ecs:cluster condition.
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
      # Deployment strategies (canary, linear, blue/green): follow a deployment, continue the
      # portal's PAUSE hooks (end a bake, release a hold), stop it to abort (ECS rolls it back).
      Sid      = "FollowServiceDeployments"
      Effect   = "Allow"
      Action   = ["ecs:DescribeServiceDeployments", "ecs:ContinueServiceDeployment", "ecs:StopServiceDeployment"]
      Resource = local.arns.service_deployments
    },
    {
      # The service's deployment strategy, applied on promotion and rollback.
      Sid      = "ReadDeploymentStrategy"
      Effect   = "Allow"
      Action   = ["ssm:GetParameter"]
      Resource = local.arns.strategy_parameters
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
      # Onboarding: adopting a running service writes its backstage:entity-ref tag; releasing the
      # adoption puts the previous value back or removes it. No other tag key.
      Sid       = "AdoptServices"
      Effect    = "Allow"
      Action    = ["ecs:TagResource", "ecs:UntagResource"]
      Resource  = local.arns.services
      Condition = { "ForAllValues:StringEquals" = { "aws:TagKeys" = ["backstage:entity-ref"] } }
    },
    {
      # Read and write the images (the promotion contract); nothing else under the prefix is written.
      # Releasing an adoption deletes the image parameters the adoption created.
      Sid      = "ImageParameters"
      Effect   = "Allow"
      Action   = ["ssm:DeleteParameter", "ssm:GetParameter", "ssm:PutParameter"]
      Resource = local.arns.image_parameters
    },
    {
      Sid      = "ReadServiceLogs"
      Effect   = "Allow"
      Action   = ["logs:FilterLogEvents"]
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
      # The autoscaling bounds the status shows; Application Auto Scaling's Describe* accept no
      # resource ARN.
      Sid      = "ReadAutoscaling"
      Effect   = "Allow"
      Action   = ["application-autoscaling:DescribeScalableTargets"]
      Resource = "*"
    },
    {
      # Verification: the alarms a deployment is watched by (any name: services may add their own)
      # and their history (an ALARM between two reads).
      Sid      = "ReadVerificationAlarms"
      Effect   = "Allow"
      Action   = ["cloudwatch:DescribeAlarmHistory", "cloudwatch:DescribeAlarms"]
      Resource = local.arns.all_alarms
    },
    {
      # Verification's metric analysis; GetMetricData accepts no resource ARN.
      Sid      = "ReadVerificationMetrics"
      Effect   = "Allow"
      Action   = ["cloudwatch:GetMetricData"]
      Resource = "*"
    },
    {
      # Pre-flight checks of a promotion: the services' task and execution roles exist and trust ECS.
      Sid      = "PreflightRoles"
      Effect   = "Allow"
      Action   = ["iam:GetRole"]
      Resource = local.arns.task_roles
    },
    {
      # Pre-flight checks: the referenced secrets exist (metadata only, never the value).
      Sid      = "PreflightSecrets"
      Effect   = "Allow"
      Action   = ["secretsmanager:DescribeSecret"]
      Resource = "arn:${local.partition}:secretsmanager:${local.region}:${local.account_id}:secret:*"
    },
    {
      # Pre-flight checks: referenced parameters exist and the target group's port matches;
      # ssm:DescribeParameters and ELBv2's Describe* accept no resource ARN.
      Sid      = "PreflightDescribe"
      Effect   = "Allow"
      Action   = ["ssm:DescribeParameters", "elasticloadbalancing:DescribeTargetGroups"]
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
