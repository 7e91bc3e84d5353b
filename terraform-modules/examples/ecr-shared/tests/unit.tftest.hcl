# Unit tests: plan only, against a mocked AWS provider (the emulator apply is tests/emulator/).
mock_provider "aws" {}

variables {
  repositories        = ["acme/payments-api"]
  pull_accounts       = { "111111111111" = ["staging", "qa"], "222222222222" = ["prod"] }
  read_principal_arns = ["arn:aws:iam::123456789012:role/deployment-portal-portal-task"]
}

run "policy" {
  command = plan

  assert {
    condition     = jsondecode(output.repository_policy_json).Statement[0].Principal.AWS == ["arn:aws:iam::111111111111:root", "arn:aws:iam::222222222222:root"] && jsondecode(output.repository_policy_json).Statement[0].Action == ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"]
    error_message = "The workload accounts may pull (layers and manifests), nothing more."
  }

  assert {
    condition     = length(jsondecode(output.repository_policy_json).Statement[0].Condition.ArnLike["aws:PrincipalArn"]) == 3 && [for s in jsondecode(output.repository_policy_json).Statement : s.Sid] == ["ServicesPull", "PortalReads"]
    error_message = "One execution-role pattern per account and environment; the portal reads; no push statement without push principals."
  }
}

run "rejects_an_uppercase_repository" {
  command = plan

  variables {
    repositories = ["Acme/Payments"]
  }

  expect_failures = [var.repositories]
}

run "rejects_an_account_without_environments" {
  command = plan

  variables {
    pull_accounts = { "111111111111" = [] }
  }

  expect_failures = [var.pull_accounts]
}
