# The shared registry applied to the local AWS emulator (scripts/test-terraform.sh runs it with
# -test-directory=tests/emulator -var aws_endpoint=<emulator>); terraform test destroys it after.
variables {
  repositories        = ["acme/payments-api", "acme/checkout-web"]
  pull_accounts       = { "111111111111" = ["staging"], "222222222222" = ["prod"] }
  push_principal_arns = ["arn:aws:iam::123456789012:role/ci-images"]
}

run "apply" {
  assert {
    condition     = alltrue([for r in aws_ecr_repository.this : r.image_tag_mutability == "IMMUTABLE" && r.image_scanning_configuration[0].scan_on_push])
    error_message = "Tags are immutable (a promoted tag always names the same image) and images are scanned."
  }

  assert {
    condition     = alltrue([for p in aws_ecr_repository_policy.this : jsondecode(p.policy) == jsondecode(output.repository_policy_json)])
    error_message = "Every repository carries the policy (read back from the emulator)."
  }

  assert {
    condition = one([for s in jsondecode(aws_ecr_repository_policy.this["acme/payments-api"].policy).Statement : s if s.Sid == "ServicesPull"]).Condition.ArnLike["aws:PrincipalArn"] == [
      "arn:aws:iam::111111111111:role/*-staging-execution",
      "arn:aws:iam::222222222222:role/*-prod-execution",
    ]
    error_message = "Only the workload accounts' service execution roles may pull."
  }

  assert {
    condition     = startswith(output.repository_urls["acme/payments-api"], "123456789012.dkr.ecr.us-east-1.amazonaws.com/acme/payments-api")
    error_message = "Repository URLs are the image references services use."
  }
}
