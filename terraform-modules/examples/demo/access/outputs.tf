output "portal_role_arn" {
  description = "Role the portal assumes in this account (with external_id)."
  value       = module.access.portal_role_arn
}

output "terraform_role_arn" {
  description = "Role the environment roots assume in this account (with terraform_external_id)."
  value       = module.access.terraform_role_arn
}

output "events_queue_url" {
  description = "Queue of this account's ECS events, consumed with the portal role."
  value       = module.events.queue_url
}

output "portal_policy_documents" {
  description = "The portal role's permissions policies, name => JSON."
  value       = module.access.portal_policy_documents
}

output "portal_actions" {
  description = "Every action the portal role is granted."
  value       = module.access.portal_actions
}

output "terraform_policy_json" {
  description = "The Terraform role's permissions policy, JSON."
  value       = module.access.terraform_policy_json
}
