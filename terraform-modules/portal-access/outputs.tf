output "account_id" {
  description = "Account the roles are in (from the environments' cluster ARNs)."
  value       = local.account_id
}

output "portal_role_arn" {
  description = "ARN of the role the portal assumes (the backend's `aws.accounts[]` entry: this account, `roleName` = portal_role_name, `externalId`)."
  value       = aws_iam_role.portal.arn
}

output "portal_role_name" {
  description = "Name of the portal role."
  value       = aws_iam_role.portal.name
}

output "portal_policy_json" {
  description = "The portal role's own permissions policy (inline policy `ecs-deploy`), JSON."
  value       = jsonencode(local.portal_policy)
}

output "portal_trust_policy_json" {
  description = "The portal role's trust policy (portal_principal_arns, with sts:ExternalId), JSON."
  value       = jsonencode(local.portal_trust_policy)
}

output "portal_policy_documents" {
  description = "Every permissions policy of the portal role, inline policy name => JSON: `ecs-deploy` and the additional_portal_policies."
  value       = merge(var.additional_portal_policies, { "ecs-deploy" = jsonencode(local.portal_policy) })
}

output "portal_actions" {
  description = "Sorted, distinct AWS actions the portal role is granted by all its policies (what scripts/check-iam.mjs compares with the actions the backend sends)."
  value = sort(distinct(flatten(concat(
    [for s in local.portal_statements : s.Action],
    [for doc in values(var.additional_portal_policies) : [for s in jsondecode(doc).Statement : s.Action]],
  ))))
}

output "terraform_role_arn" {
  description = "ARN of the role Terraform assumes (the roots' `assume_role.role_arn`), or null without terraform_role."
  value       = try(aws_iam_role.terraform[0].arn, null)
}

output "terraform_role_name" {
  description = "Name of the Terraform role, or null without terraform_role."
  value       = try(aws_iam_role.terraform[0].name, null)
}

output "terraform_policy_json" {
  description = "The Terraform role's permissions policy (inline policy `ecs-deploy-terraform`), JSON; null without terraform_role."
  value       = local.create_terraform_role ? jsonencode(local.terraform_policy) : null
}

output "terraform_trust_policy_json" {
  description = "The Terraform role's trust policy, JSON; null without terraform_role."
  value       = local.create_terraform_role ? jsonencode(local.terraform_trust_policy) : null
}

output "terraform_actions" {
  description = "Sorted, distinct AWS actions the Terraform role is granted; empty without terraform_role."
  value       = local.create_terraform_role ? sort(distinct(flatten([for s in local.terraform_policy.Statement : s.Action]))) : []
}
