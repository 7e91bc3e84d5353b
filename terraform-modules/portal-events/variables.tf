variable "name" {
  description = "Name of the queue and the prefix of the rules, the dead-letter queue (`<name>-dlq`), the forwarding role (`<name>-forward`) and the central event bus."
  type        = string
  default     = "ecs-deploy-events"
  nullable    = false

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,40}$", var.name))
    error_message = "name must be 1-40 characters of letters, digits, - and _ (queue and rule names derive from it)."
  }
}

variable "cluster_arns" {
  description = "ECS clusters whose events are delivered (the portal's environments in this account). Empty (default): every cluster of the account and region."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for a in var.cluster_arns : can(regex("^arn:aws[a-z-]*:ecs:[a-z0-9-]+:[0-9]{12}:cluster/[A-Za-z0-9_-]{1,255}$", a))])
    error_message = "cluster_arns must contain ECS cluster ARNs, e.g. arn:aws:ecs:eu-west-1:111111111111:cluster/platform-staging."
  }
}

variable "forward_to_event_bus_arn" {
  description = "Cross-account, in a workload account: send the ECS events to this event bus in the portal's account (created there by this module with `source_account_ids`) instead of a local queue. null (default): deliver to a queue in this account."
  type        = string
  default     = null

  validation {
    condition     = var.forward_to_event_bus_arn == null || can(regex("^arn:aws[a-z-]*:events:[a-z0-9-]+:[0-9]{12}:event-bus/[A-Za-z0-9._/-]+$", var.forward_to_event_bus_arn))
    error_message = "forward_to_event_bus_arn must be null or an EventBridge event bus ARN, e.g. arn:aws:events:eu-west-1:123456789012:event-bus/ecs-deploy-events."
  }
}

variable "source_account_ids" {
  description = "Cross-account, in the portal's account: create an event bus named `name` that these workload accounts may put events on (their modules set forward_to_event_bus_arn to it), with the same rules into the queue. Empty (default): no central bus."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for a in var.source_account_ids : can(regex("^[0-9]{12}$", a))]) && length(distinct(var.source_account_ids)) == length(var.source_account_ids)
    error_message = "source_account_ids must be distinct 12-digit AWS account IDs."
  }
}

variable "queue" {
  description = <<-EOT
    The queue the portal consumes (queue and central modes). `visibility_timeout_seconds` (default 60): longer than the consumer
    takes for one batch, so a replica that dies mid-batch lets another receive it again; `receive_wait_time_seconds` (default 20,
    long polling); `message_retention_seconds` (default 4 days); `max_receive_count` (default 5) receives before a message goes
    to the dead-letter queue, which keeps it `dlq_message_retention_seconds` (default 14 days). Both queues use SSE-SQS.
  EOT
  type = object({
    visibility_timeout_seconds    = optional(number, 60)
    receive_wait_time_seconds     = optional(number, 20)
    message_retention_seconds     = optional(number, 345600)
    max_receive_count             = optional(number, 5)
    dlq_message_retention_seconds = optional(number, 1209600)
  })
  default  = {}
  nullable = false

  validation {
    condition     = var.queue.visibility_timeout_seconds >= 0 && var.queue.visibility_timeout_seconds <= 43200 && var.queue.receive_wait_time_seconds >= 0 && var.queue.receive_wait_time_seconds <= 20
    error_message = "queue.visibility_timeout_seconds must be 0-43200 and queue.receive_wait_time_seconds 0-20."
  }

  validation {
    condition = alltrue([for s in [var.queue.message_retention_seconds, var.queue.dlq_message_retention_seconds] : s >= 60 && s <= 1209600]) && var.queue.max_receive_count >= 1 && var.queue.max_receive_count <= 1000 && alltrue([
      for n in [var.queue.visibility_timeout_seconds, var.queue.receive_wait_time_seconds, var.queue.message_retention_seconds, var.queue.dlq_message_retention_seconds, var.queue.max_receive_count] : floor(n) == n
    ])
    error_message = "queue: retention periods must be 60-1209600 seconds, max_receive_count 1-1000, all whole numbers."
  }

  validation {
    condition     = var.queue.dlq_message_retention_seconds >= var.queue.message_retention_seconds
    error_message = "queue.dlq_message_retention_seconds must be at least queue.message_retention_seconds: a message keeps its age when it moves to the dead-letter queue."
  }
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
  nullable    = false
}
