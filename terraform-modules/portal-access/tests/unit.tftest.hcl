# Unit tests: plan only, against a mocked AWS provider in account 111111111111.
mock_provider "aws" {
  mock_data "aws_caller_identity" {
    defaults = {
      account_id = "111111111111"
    }
  }
}

variables {
  environments          = [{ name = "staging", cluster_arn = "arn:aws:ecs:eu-west-1:111111111111:cluster/platform-staging" }]
  portal_principal_arns = ["arn:aws:iam::123456789012:role/backstage-portal-task"]
  external_id           = "ecs-deploy-portal"
}

run "portal_role_defaults" {
  command = plan

  assert {
    condition     = aws_iam_role.portal.name == "backstage-ecs-deploy" && aws_iam_role.portal.max_session_duration == 3600 && length(aws_iam_role.terraform) == 0
    error_message = "The portal role is backstage-ecs-deploy; no Terraform role unless asked for."
  }

  assert {
    condition     = jsondecode(aws_iam_role.portal.assume_role_policy).Statement[0].Principal.AWS == ["arn:aws:iam::123456789012:role/backstage-portal-task"] && jsondecode(aws_iam_role.portal.assume_role_policy).Statement[0].Condition.StringEquals["sts:ExternalId"] == "ecs-deploy-portal" && jsondecode(aws_iam_role.portal.assume_role_policy).Statement[0].Action == "sts:AssumeRole"
    error_message = "Only the portal's principal may assume the role, and only with the external ID."
  }

  assert {
    condition = output.portal_actions == sort([
      "application-autoscaling:DescribeScalableTargets",
      "cloudwatch:DescribeAlarmHistory", "cloudwatch:DescribeAlarms", "cloudwatch:GetMetricData",
      "ecs:ContinueServiceDeployment", "ecs:DescribeServiceDeployments", "ecs:ListServiceDeployments", "ecs:StopServiceDeployment",
      "ecs:DeregisterTaskDefinition", "ecs:DescribeServices", "ecs:DescribeTaskDefinition", "ecs:DescribeTasks",
      "ecs:ListServices", "ecs:ListTasks", "ecs:RegisterTaskDefinition", "ecs:TagResource", "ecs:UntagResource", "ecs:UpdateService",
      "elasticloadbalancing:DescribeTargetGroups",
      "iam:GetRole", "iam:PassRole",
      "logs:DescribeLogGroups", "logs:FilterLogEvents",
      "secretsmanager:DescribeSecret",
      "ssm:DeleteParameter", "ssm:DescribeParameters", "ssm:GetParameter", "ssm:PutParameter",
    ])
    error_message = "The portal role grants exactly the actions the portal sends (scripts/check-iam.mjs derives them from the backend's source)."
  }

  assert {
    condition     = one([for s in jsondecode(aws_iam_role_policy.portal.policy).Statement : s if s.Sid == "PreflightRoles"]).Resource == ["arn:aws:iam::111111111111:role/*-staging-task", "arn:aws:iam::111111111111:role/*-staging-execution"] && one([for s in jsondecode(aws_iam_role_policy.portal.policy).Statement : s if s.Sid == "ReadDeploymentStrategy"]).Resource == ["arn:aws:ssm:eu-west-1:111111111111:parameter/ecs-deploy/staging/*/deployment-strategy"]
    error_message = "The pre-flight checks read only the environments' task and execution roles; the strategy only its parameter."
  }

  assert {
    condition     = one([for s in jsondecode(aws_iam_role_policy.portal.policy).Statement : s if s.Sid == "DeployManagedServices"]).Resource == ["arn:aws:ecs:eu-west-1:111111111111:service/platform-staging/*"] && one([for s in jsondecode(aws_iam_role_policy.portal.policy).Statement : s if s.Sid == "DeployManagedServices"]).Condition.Null["aws:ResourceTag/backstage:entity-ref"] == "false"
    error_message = "UpdateService only on tagged services of the configured cluster."
  }

  assert {
    condition     = one([for s in jsondecode(aws_iam_role_policy.portal.policy).Statement : s if s.Sid == "ListInManagedClusters"]).Condition.ArnEquals["ecs:cluster"] == ["arn:aws:ecs:eu-west-1:111111111111:cluster/platform-staging"]
    error_message = "ListTasks is limited to the configured clusters."
  }

  assert {
    condition     = one([for s in jsondecode(aws_iam_role_policy.portal.policy).Statement : s if s.Sid == "PassManagedTaskRoles"]).Resource == ["arn:aws:iam::111111111111:role/*-staging-task", "arn:aws:iam::111111111111:role/*-staging-execution"] && one([for s in jsondecode(aws_iam_role_policy.portal.policy).Statement : s if s.Sid == "PassManagedTaskRoles"]).Condition.StringEquals["iam:PassedToService"] == "ecs-tasks.amazonaws.com"
    error_message = "PassRole only for the managed task and execution roles, only to ECS tasks."
  }

  assert {
    condition     = one([for s in jsondecode(aws_iam_role_policy.portal.policy).Statement : s if s.Sid == "ImageParameters"]).Resource == ["arn:aws:ssm:eu-west-1:111111111111:parameter/ecs-deploy/staging/*/image/*"]
    error_message = "SSM writes only under the image prefix."
  }

  assert {
    condition     = one([for s in jsondecode(aws_iam_role_policy.portal.policy).Statement : s if s.Sid == "ReadServiceLogs"]).Resource == ["arn:aws:logs:eu-west-1:111111111111:log-group:/ecs/staging/*"]
    error_message = "Log reads only under the services' log groups."
  }

  assert {
    condition     = one([for s in jsondecode(aws_iam_role_policy.portal.policy).Statement : s if s.Sid == "TaskDefinitions"]).Resource == "*" && one([for s in jsondecode(aws_iam_role_policy.portal.policy).Statement : s if s.Sid == "TagRevisionsOnRegister"]).Condition.StringEquals["ecs:CreateAction"] == ["RegisterTaskDefinition"]
    error_message = "RegisterTaskDefinition cannot be resource-scoped; tags only on register, only on the environment's families."
  }

  assert {
    condition     = output.portal_policy_json == aws_iam_role_policy.portal.policy && keys(output.portal_policy_documents) == ["ecs-deploy"] && output.terraform_role_arn == null && output.terraform_actions == []
    error_message = "Outputs carry the policy the role gets."
  }
}

run "several_environments_in_one_account" {
  command = plan

  variables {
    environments = [
      { name = "staging", cluster_arn = "arn:aws:ecs:eu-west-1:111111111111:cluster/platform-staging" },
      { name = "qa", cluster_arn = "arn:aws:ecs:eu-west-1:111111111111:cluster/platform-qa" },
    ]
    managed_role_path = "/ecs-deploy/"
  }

  assert {
    condition     = one([for s in jsondecode(aws_iam_role_policy.portal.policy).Statement : s if s.Sid == "ReadServices"]).Resource == ["arn:aws:ecs:eu-west-1:111111111111:service/platform-staging/*", "arn:aws:ecs:eu-west-1:111111111111:service/platform-qa/*"]
    error_message = "Every environment's cluster is covered."
  }

  assert {
    condition     = contains(one([for s in jsondecode(aws_iam_role_policy.portal.policy).Statement : s if s.Sid == "PassManagedTaskRoles"]).Resource, "arn:aws:iam::111111111111:role/ecs-deploy/*-qa-execution")
    error_message = "PassRole follows managed_role_path."
  }
}

run "terraform_role_for_services" {
  command = plan

  variables {
    terraform_role = { principal_arns = ["arn:aws:iam::123456789012:root"], external_id = "ecs-deploy-terraform" }
  }

  assert {
    condition     = aws_iam_role.terraform[0].name == "ecs-deploy-terraform" && jsondecode(aws_iam_role.terraform[0].assume_role_policy).Statement[0].Condition.StringEquals["sts:ExternalId"] == "ecs-deploy-terraform"
    error_message = "The Terraform role is separate, trusted with its own external ID."
  }

  assert {
    condition     = contains(output.terraform_actions, "ecs:CreateService") && contains(output.terraform_actions, "cloudwatch:PutMetricAlarm") && contains(output.terraform_actions, "iam:CreateRole") && !contains(output.terraform_actions, "ecs:CreateCluster") && !contains(output.terraform_actions, "ec2:CreateVpc")
    error_message = "Without manage_environments the Terraform role manages services, not clusters or networks."
  }

  assert {
    condition     = one([for s in jsondecode(aws_iam_role_policy.terraform[0].policy).Statement : s if s.Sid == "ManageServiceRoles"]).Resource == ["arn:aws:iam::111111111111:role/*-staging-task", "arn:aws:iam::111111111111:role/*-staging-execution", "arn:aws:iam::111111111111:role/*-staging-ecs-infra"]
    error_message = "Terraform manages only the services' roles."
  }

  assert {
    condition     = !contains(output.portal_actions, "ecs:CreateService") && !contains(output.portal_actions, "iam:CreateRole")
    error_message = "The portal role gains nothing from the Terraform role."
  }
}

run "terraform_role_for_environments_without_external_id" {
  command = plan

  variables {
    terraform_role = { name = "platform-terraform", principal_arns = ["arn:aws:iam::123456789012:root"], manage_environments = true }
  }

  assert {
    condition     = contains(output.terraform_actions, "ecs:CreateCluster") && contains(output.terraform_actions, "ec2:CreateVpc") && contains(output.terraform_actions, "elasticloadbalancing:CreateLoadBalancer")
    error_message = "manage_environments adds what ecs-environment and the demo network need."
  }

  assert {
    condition     = !can(jsondecode(aws_iam_role.terraform[0].assume_role_policy).Statement[0].Condition)
    error_message = "Without external_id the trust policy has no condition."
  }
}

run "additional_portal_policies" {
  command = plan

  variables {
    additional_portal_policies = {
      events = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = ["sqs:ReceiveMessage", "sqs:DeleteMessage"], Resource = "arn:aws:sqs:eu-west-1:111111111111:ecs-deploy-events" }] })
    }
  }

  assert {
    condition     = aws_iam_role_policy.portal_additional["events"].name == "events" && contains(output.portal_actions, "sqs:ReceiveMessage") && contains(keys(output.portal_policy_documents), "events")
    error_message = "Additional policies are attached to the portal role and counted in portal_actions."
  }
}

run "wrong_account" {
  command = plan

  variables {
    environments = [{ name = "prod", cluster_arn = "arn:aws:ecs:eu-west-1:222222222222:cluster/platform-prod" }]
  }

  expect_failures = [aws_iam_role.portal]
}

run "rejects_a_cluster_that_is_no_arn" {
  command = plan

  variables {
    environments = [{ name = "staging", cluster_arn = "platform-staging" }]
  }

  expect_failures = [var.environments]
}

run "rejects_clusters_in_two_accounts" {
  command = plan

  variables {
    environments = [
      { name = "staging", cluster_arn = "arn:aws:ecs:eu-west-1:111111111111:cluster/platform-staging" },
      { name = "prod", cluster_arn = "arn:aws:ecs:eu-west-1:222222222222:cluster/platform-prod" },
    ]
  }

  expect_failures = [var.environments]
}

run "rejects_duplicate_environments" {
  command = plan

  variables {
    environments = [
      { name = "staging", cluster_arn = "arn:aws:ecs:eu-west-1:111111111111:cluster/a" },
      { name = "staging", cluster_arn = "arn:aws:ecs:eu-west-1:111111111111:cluster/b" },
    ]
  }

  expect_failures = [var.environments]
}

run "rejects_a_short_external_id" {
  command = plan

  variables {
    external_id = "x"
  }

  expect_failures = [var.external_id]
}

run "rejects_no_principal" {
  command = plan

  variables {
    portal_principal_arns = []
  }

  expect_failures = [var.portal_principal_arns]
}

run "rejects_a_principal_that_is_no_arn" {
  command = plan

  variables {
    portal_principal_arns = ["123456789012"]
  }

  expect_failures = [var.portal_principal_arns]
}

run "rejects_a_role_path_without_slashes" {
  command = plan

  variables {
    managed_role_path = "ecs-deploy"
  }

  expect_failures = [var.managed_role_path]
}

run "rejects_an_additional_policy_named_like_the_module_s" {
  command = plan

  variables {
    additional_portal_policies = { "ecs-deploy" = "{}" }
  }

  expect_failures = [var.additional_portal_policies]
}

run "rejects_a_terraform_role_without_principals" {
  command = plan

  variables {
    terraform_role = { principal_arns = [] }
  }

  expect_failures = [var.terraform_role]
}

run "rejects_a_terraform_role_named_like_the_portal_role" {
  command = plan

  variables {
    terraform_role = { name = "backstage-ecs-deploy", principal_arns = ["arn:aws:iam::123456789012:root"] }
  }

  expect_failures = [aws_iam_role.terraform]
}
