output "queue_url" {
  description = "URL of the queue the portal consumes (the backend's events queue setting), or null in forward mode."
  value       = try(aws_sqs_queue.this[0].url, null)
}

output "queue_arn" {
  description = "ARN of the queue, or null in forward mode."
  value       = try(aws_sqs_queue.this[0].arn, null)
}

output "dead_letter_queue_url" {
  description = "URL of the dead-letter queue (messages received max_receive_count times), or null in forward mode."
  value       = try(aws_sqs_queue.dlq[0].url, null)
}

output "dead_letter_queue_arn" {
  description = "ARN of the dead-letter queue, or null in forward mode."
  value       = try(aws_sqs_queue.dlq[0].arn, null)
}

output "rule_arns" {
  description = "ARNs of the rules on this account's default bus, by kind (deployment-state, service-action, task-state)."
  value       = { for k, r in aws_cloudwatch_event_rule.this : k => r.arn }
}

output "event_bus_arn" {
  description = "ARN of the central bus the workload accounts forward to (their forward_to_event_bus_arn), or null without source_account_ids."
  value       = try(aws_cloudwatch_event_bus.central[0].arn, null)
}

output "consumer_policy_json" {
  description = "Identity policy (JSON) the portal's role needs to consume the queue; give it to portal-access as `additional_portal_policies = { events = … }`. null in forward mode."
  value       = local.create_queue ? jsonencode(local.consumer_policy) : null
}

output "consumer_actions" {
  description = "The actions of consumer_policy_json."
  value       = local.create_queue ? local.consumer_actions : []
}
