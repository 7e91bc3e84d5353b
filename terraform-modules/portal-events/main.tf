# ECS's own events into the portal (issue: status from events instead of polling). Three modes:
#   queue (default)   rules on this account's default bus -> an SQS queue the portal consumes;
#   forward           rules on this account's default bus -> the portal account's central bus;
#   central           source_account_ids set: also a bus those accounts forward to, its rules -> the queue.

locals {
  forward      = var.forward_to_event_bus_arn != null
  central      = length(var.source_account_ids) > 0 && !local.forward
  create_queue = !local.forward

  tags = merge(var.tags, { "ecs-deploy:component" = "portal-events" })

  # The three ECS event types the portal follows, by rule name suffix.
  detail_types = {
    deployment-state = "ECS Deployment State Change"
    service-action   = "ECS Service Action"
    task-state       = "ECS Task State Change"
  }

  # Deployment and service action events name the service in `resources`; task events carry the
  # cluster in `detail.clusterArn`. Only tasks of services (group "service:<name>") are followed.
  service_arn_prefixes = [for a in var.cluster_arns : { prefix = "${replace(a, ":cluster/", ":service/")}/" }]
  patterns = {
    for key, detail_type in local.detail_types : key => merge(
      { source = ["aws.ecs"], "detail-type" = [detail_type] },
      key == "task-state" ? { detail = merge({ group = [{ prefix = "service:" }] }, length(var.cluster_arns) > 0 ? { clusterArn = var.cluster_arns } : {}) } : {},
      key != "task-state" && length(var.cluster_arns) > 0 ? { resources = local.service_arn_prefixes } : {},
    )
  }
  # On the central bus: the same types from the workload accounts (they filter their clusters).
  central_patterns = {
    for key, detail_type in local.detail_types : key => merge(
      { source = ["aws.ecs"], "detail-type" = [detail_type], account = var.source_account_ids },
      key == "task-state" ? { detail = { group = [{ prefix = "service:" }] } } : {},
    )
  }
}

################################################################################
# Rules on this account's default bus
################################################################################

resource "aws_cloudwatch_event_rule" "this" {
  for_each = local.detail_types

  name          = "${var.name}-${each.key}"
  description   = "${each.value} events of the portal's ECS services, to ${local.forward ? "the portal's event bus" : "the portal's queue"}"
  event_pattern = jsonencode(local.patterns[each.key])

  tags = local.tags

  lifecycle {
    precondition {
      condition     = !local.forward || length(var.source_account_ids) == 0
      error_message = "Set either forward_to_event_bus_arn (a workload account) or source_account_ids (the portal's account), not both."
    }
  }
}

resource "aws_cloudwatch_event_target" "queue" {
  for_each = local.create_queue ? local.detail_types : {}

  rule      = aws_cloudwatch_event_rule.this[each.key].name
  target_id = "portal-queue"
  arn       = aws_sqs_queue.this[0].arn
}

resource "aws_cloudwatch_event_target" "forward" {
  for_each = local.forward ? local.detail_types : {}

  rule      = aws_cloudwatch_event_rule.this[each.key].name
  target_id = "portal-event-bus"
  arn       = var.forward_to_event_bus_arn
  role_arn  = aws_iam_role.forward[0].arn
}

# EventBridge puts the events on the other account's bus with this role.
resource "aws_iam_role" "forward" {
  count = local.forward ? 1 : 0

  name        = "${var.name}-forward"
  description = "EventBridge forwards ECS events to the portal's event bus ${var.forward_to_event_bus_arn}"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "events.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })

  tags = local.tags
}

resource "aws_iam_role_policy" "forward" {
  count = local.forward ? 1 : 0

  name = "put-events"
  role = aws_iam_role.forward[0].id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["events:PutEvents"]
      Resource = var.forward_to_event_bus_arn
    }]
  })
}

################################################################################
# Central bus (portal account): what the workload accounts forward
################################################################################

resource "aws_cloudwatch_event_bus" "central" {
  count = local.central ? 1 : 0

  name = var.name

  tags = local.tags
}

resource "aws_cloudwatch_event_bus_policy" "central" {
  count = local.central ? 1 : 0

  event_bus_name = aws_cloudwatch_event_bus.central[0].name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "WorkloadAccountsPutEvents"
      Effect    = "Allow"
      Principal = { AWS = [for a in var.source_account_ids : "arn:${split(":", aws_cloudwatch_event_bus.central[0].arn)[1]}:iam::${a}:root"] }
      Action    = "events:PutEvents"
      Resource  = aws_cloudwatch_event_bus.central[0].arn
    }]
  })
}

resource "aws_cloudwatch_event_rule" "central" {
  for_each = local.central ? local.detail_types : {}

  name           = "${var.name}-${each.key}"
  description    = "${each.value} events forwarded by the workload accounts, to the portal's queue"
  event_bus_name = aws_cloudwatch_event_bus.central[0].name
  event_pattern  = jsonencode(local.central_patterns[each.key])

  tags = local.tags
}

resource "aws_cloudwatch_event_target" "central" {
  for_each = local.central ? local.detail_types : {}

  rule           = aws_cloudwatch_event_rule.central[each.key].name
  event_bus_name = aws_cloudwatch_event_bus.central[0].name
  target_id      = "portal-queue"
  arn            = aws_sqs_queue.this[0].arn
}

################################################################################
# The queue the portal consumes, its dead-letter queue and who may send to it
################################################################################

resource "aws_sqs_queue" "dlq" {
  count = local.create_queue ? 1 : 0

  name                      = "${var.name}-dlq"
  message_retention_seconds = var.queue.dlq_message_retention_seconds
  sqs_managed_sse_enabled   = true

  tags = local.tags
}

resource "aws_sqs_queue" "this" {
  count = local.create_queue ? 1 : 0

  name                       = var.name
  visibility_timeout_seconds = var.queue.visibility_timeout_seconds
  receive_wait_time_seconds  = var.queue.receive_wait_time_seconds
  message_retention_seconds  = var.queue.message_retention_seconds
  sqs_managed_sse_enabled    = true

  tags = local.tags

  lifecycle {
    # Managed by aws_sqs_queue_redrive_policy.this (the queue would read it back as its own).
    ignore_changes = [redrive_policy]
  }
}

resource "aws_sqs_queue_redrive_policy" "this" {
  count = local.create_queue ? 1 : 0

  queue_url = aws_sqs_queue.this[0].id
  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.dlq[0].arn
    maxReceiveCount     = var.queue.max_receive_count
  })
}

resource "aws_sqs_queue_policy" "this" {
  count = local.create_queue ? 1 : 0

  # After the redrive policy: setting one queue attribute must not race with setting the other (the
  # local emulator, moto 5.2, drops the queue policy when the redrive policy is set after it).
  depends_on = [aws_sqs_queue_redrive_policy.this]

  queue_url = aws_sqs_queue.this[0].id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "EventBridgeRulesSend"
        Effect    = "Allow"
        Principal = { Service = "events.amazonaws.com" }
        Action    = "sqs:SendMessage"
        Resource  = aws_sqs_queue.this[0].arn
        Condition = { ArnEquals = { "aws:SourceArn" = concat([for r in aws_cloudwatch_event_rule.this : r.arn], [for r in aws_cloudwatch_event_rule.central : r.arn]) } }
      },
      {
        Sid       = "TlsOnly"
        Effect    = "Deny"
        Principal = "*"
        Action    = "sqs:*"
        Resource  = aws_sqs_queue.this[0].arn
        Condition = { Bool = { "aws:SecureTransport" = "false" } }
      },
    ]
  })
}

################################################################################
# What the portal's role needs to consume the queue (attach with portal-access's additional_portal_policies)
################################################################################

locals {
  # What the portal's consumer sends (scripts/check-iam.mjs): long polls, and batch deletes
  # (authorised as sqs:DeleteMessage).
  consumer_actions = ["sqs:ReceiveMessage", "sqs:DeleteMessage"]
  consumer_policy = local.create_queue ? {
    Version = "2012-10-17"
    Statement = [{
      Sid      = "ConsumeEcsEvents"
      Effect   = "Allow"
      Action   = local.consumer_actions
      Resource = aws_sqs_queue.this[0].arn
    }]
  } : null
}
