################################################################################
# The role Terraform assumes to provision services: what ecs-service (and ecs-environment-ref) need
# to create, update and destroy a service; with manage_environments, what ecs-environment needs too.
################################################################################

locals {
  create_terraform_role = var.terraform_role != null
  manage_environments   = local.create_terraform_role && try(var.terraform_role.manage_environments, false)

  terraform_service_statements = [
    {
      Sid      = "ReadEnvironments"
      Effect   = "Allow"
      Action   = ["ecs:DescribeClusters"]
      Resource = local.arns.clusters
    },
    {
      Sid      = "ManageServices"
      Effect   = "Allow"
      Action   = ["ecs:CreateService", "ecs:UpdateService", "ecs:DeleteService", "ecs:DescribeServices", "ecs:TagResource", "ecs:UntagResource", "ecs:ListTagsForResource"]
      Resource = local.arns.services
    },
    {
      # No resource ARN for these (Service Authorization Reference); bounded by PassServiceRoles.
      Sid      = "TaskDefinitions"
      Effect   = "Allow"
      Action   = ["ecs:RegisterTaskDefinition", "ecs:DescribeTaskDefinition", "ecs:DeregisterTaskDefinition"]
      Resource = "*"
    },
    {
      Sid      = "TagTaskDefinitions"
      Effect   = "Allow"
      Action   = ["ecs:TagResource", "ecs:UntagResource", "ecs:ListTagsForResource"]
      Resource = local.arns.task_definitions
    },
    {
      Sid    = "ManageServiceRoles"
      Effect = "Allow"
      Action = [
        "iam:CreateRole", "iam:DeleteRole", "iam:GetRole", "iam:UpdateRole", "iam:UpdateRoleDescription", "iam:UpdateAssumeRolePolicy",
        "iam:TagRole", "iam:UntagRole", "iam:ListRoleTags", "iam:ListInstanceProfilesForRole",
        "iam:PutRolePolicy", "iam:GetRolePolicy", "iam:DeleteRolePolicy", "iam:ListRolePolicies", "iam:ListAttachedRolePolicies",
      ]
      Resource = concat(local.arns.task_roles, local.arns.infrastructure_roles)
    },
    {
      Sid       = "PassServiceRoles"
      Effect    = "Allow"
      Action    = ["iam:PassRole"]
      Resource  = local.arns.task_roles
      Condition = { StringEquals = { "iam:PassedToService" = "ecs-tasks.amazonaws.com" } }
    },
    {
      Sid       = "PassTrafficShiftingRoles"
      Effect    = "Allow"
      Action    = ["iam:PassRole"]
      Resource  = local.arns.infrastructure_roles
      Condition = { StringEquals = { "iam:PassedToService" = "ecs.amazonaws.com" } }
    },
    {
      Sid       = "ServiceLinkedRoles"
      Effect    = "Allow"
      Action    = ["iam:CreateServiceLinkedRole"]
      Resource  = "*"
      Condition = { StringEquals = { "iam:AWSServiceName" = ["ecs.amazonaws.com", "ecs.application-autoscaling.amazonaws.com"] } }
    },
    {
      Sid    = "ServiceParameters"
      Effect = "Allow"
      # GetParametersByPath: an adopted service's root finds the image parameters to import
      # (aws_ssm_parameters_by_path under /ecs-deploy/<env>/<service>/image).
      Action   = ["ssm:PutParameter", "ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath", "ssm:DeleteParameter", "ssm:AddTagsToResource", "ssm:RemoveTagsFromResource", "ssm:ListTagsForResource"]
      Resource = local.arns.service_parameters
    },
    {
      Sid      = "ReadEnvironmentDocuments"
      Effect   = "Allow"
      Action   = ["ssm:GetParameter", "ssm:GetParameters", "ssm:ListTagsForResource"]
      Resource = local.arns.environment_docs
    },
    {
      Sid      = "DescribeParameters"
      Effect   = "Allow"
      Action   = ["ssm:DescribeParameters"]
      Resource = "*"
    },
    {
      Sid    = "ServiceLogGroups"
      Effect = "Allow"
      Action = [
        "logs:CreateLogGroup", "logs:DeleteLogGroup", "logs:PutRetentionPolicy", "logs:DeleteRetentionPolicy",
        "logs:TagResource", "logs:UntagResource", "logs:ListTagsForResource", "logs:TagLogGroup", "logs:UntagLogGroup", "logs:ListTagsLogGroup",
      ]
      Resource = local.arns.log_groups
    },
    {
      Sid      = "FindLogGroups"
      Effect   = "Allow"
      Action   = ["logs:DescribeLogGroups"]
      Resource = local.arns.all_log_groups
    },
    {
      Sid      = "ServiceAlarms"
      Effect   = "Allow"
      Action   = ["cloudwatch:PutMetricAlarm", "cloudwatch:DeleteAlarms", "cloudwatch:TagResource", "cloudwatch:UntagResource", "cloudwatch:ListTagsForResource"]
      Resource = local.arns.alarms
    },
    {
      Sid      = "DescribeAlarms"
      Effect   = "Allow"
      Action   = ["cloudwatch:DescribeAlarms"]
      Resource = local.arns.all_alarms
    },
    {
      # Target group names are hashed (32-character limit), so they cannot be matched by environment.
      Sid    = "ServiceTargetGroupsAndRules"
      Effect = "Allow"
      Action = [
        "elasticloadbalancing:CreateTargetGroup", "elasticloadbalancing:DeleteTargetGroup", "elasticloadbalancing:ModifyTargetGroup",
        "elasticloadbalancing:ModifyTargetGroupAttributes", "elasticloadbalancing:CreateRule", "elasticloadbalancing:DeleteRule",
        "elasticloadbalancing:ModifyRule", "elasticloadbalancing:SetRulePriorities", "elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags",
      ]
      Resource = [
        "${local.elb}:targetgroup/*",
        "${local.elb}:listener/app/*",
        "${local.elb}:listener-rule/app/*",
      ]
    },
    {
      # Describe calls of Elastic Load Balancing and Application Auto Scaling accept no resource ARN.
      Sid    = "DescribeLoadBalancingAndScaling"
      Effect = "Allow"
      Action = [
        "elasticloadbalancing:DescribeTargetGroups", "elasticloadbalancing:DescribeTargetGroupAttributes", "elasticloadbalancing:DescribeRules",
        "elasticloadbalancing:DescribeTags", "elasticloadbalancing:DescribeListeners", "elasticloadbalancing:DescribeLoadBalancers",
        "application-autoscaling:DescribeScalableTargets", "application-autoscaling:DescribeScalingPolicies",
      ]
      Resource = "*"
    },
    {
      Sid    = "ServiceAutoscaling"
      Effect = "Allow"
      Action = [
        "application-autoscaling:RegisterScalableTarget", "application-autoscaling:DeregisterScalableTarget",
        "application-autoscaling:PutScalingPolicy", "application-autoscaling:DeleteScalingPolicy",
        "application-autoscaling:TagResource", "application-autoscaling:UntagResource", "application-autoscaling:ListTagsForResource",
      ]
      Resource = "arn:${local.partition}:application-autoscaling:${local.region}:${local.account_id}:scalable-target/*"
    },
  ]

  # What ecs-environment (and the demo's network) create: a platform team's job, broader by nature.
  terraform_environment_statements = [
    {
      Sid      = "ManageClusters"
      Effect   = "Allow"
      Action   = ["ecs:CreateCluster", "ecs:DeleteCluster", "ecs:UpdateCluster", "ecs:UpdateClusterSettings", "ecs:PutClusterCapacityProviders", "ecs:TagResource", "ecs:UntagResource", "ecs:ListTagsForResource"]
      Resource = local.arns.clusters
    },
    {
      Sid      = "EnvironmentDocuments"
      Effect   = "Allow"
      Action   = ["ssm:PutParameter", "ssm:DeleteParameter", "ssm:AddTagsToResource", "ssm:RemoveTagsFromResource"]
      Resource = local.arns.environment_docs
    },
    {
      # The environment's shared ALB is named like its cluster.
      Sid    = "EnvironmentLoadBalancers"
      Effect = "Allow"
      Action = [
        "elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:DeleteLoadBalancer", "elasticloadbalancing:ModifyLoadBalancerAttributes",
        "elasticloadbalancing:DescribeLoadBalancerAttributes", "elasticloadbalancing:SetSecurityGroups", "elasticloadbalancing:SetSubnets",
        "elasticloadbalancing:CreateListener", "elasticloadbalancing:DeleteListener", "elasticloadbalancing:ModifyListener",
        "elasticloadbalancing:DescribeListenerAttributes", "elasticloadbalancing:DescribeCapacityReservation", "elasticloadbalancing:AddTags",
        "elasticloadbalancing:RemoveTags",
      ]
      Resource = flatten([for c in local.cluster_names : ["${local.elb}:loadbalancer/app/${c}/*", "${local.elb}:listener/app/${c}/*"]])
    },
    {
      # VPCs, subnets and security groups: EC2 scopes these by resource ID, unknown before creation.
      Sid    = "EnvironmentNetwork"
      Effect = "Allow"
      Action = [
        "ec2:DescribeVpcs", "ec2:DescribeVpcAttribute", "ec2:DescribeSubnets", "ec2:DescribeSecurityGroups", "ec2:DescribeSecurityGroupRules",
        "ec2:DescribeAvailabilityZones", "ec2:DescribeNetworkInterfaces", "ec2:DescribeTags", "ec2:DescribeNetworkAcls", "ec2:DescribeRouteTables",
        "ec2:CreateVpc", "ec2:DeleteVpc", "ec2:ModifyVpcAttribute", "ec2:CreateSubnet", "ec2:DeleteSubnet", "ec2:ModifySubnetAttribute",
        "ec2:CreateSecurityGroup", "ec2:DeleteSecurityGroup", "ec2:AuthorizeSecurityGroupIngress", "ec2:AuthorizeSecurityGroupEgress",
        "ec2:RevokeSecurityGroupIngress", "ec2:RevokeSecurityGroupEgress", "ec2:ModifySecurityGroupRules", "ec2:CreateTags", "ec2:DeleteTags",
      ]
      Resource = "*"
    },
  ]

  terraform_policy = local.create_terraform_role ? {
    Version   = "2012-10-17"
    Statement = concat(local.terraform_service_statements, [for s in local.terraform_environment_statements : s if local.manage_environments])
  } : null
}

resource "aws_iam_role" "terraform" {
  count = local.create_terraform_role ? 1 : 0

  name                 = var.terraform_role.name
  description          = "Assumed by Terraform to provision the ECS services of ${join(", ", local.environment_names)}${local.manage_environments ? " and their environments" : ""}"
  assume_role_policy   = jsonencode(local.terraform_trust_policy)
  max_session_duration = var.max_session_duration

  tags = local.tags

  lifecycle {
    precondition {
      condition     = var.terraform_role.name != var.portal_role_name
      error_message = "terraform_role.name must differ from portal_role_name (${var.portal_role_name}): they are two roles."
    }
  }
}

resource "aws_iam_role_policy" "terraform" {
  count = local.create_terraform_role ? 1 : 0

  name   = "ecs-deploy-terraform"
  role   = aws_iam_role.terraform[0].id
  policy = jsonencode(local.terraform_policy)
}
