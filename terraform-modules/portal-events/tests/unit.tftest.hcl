# Unit tests: plan only, against a mocked AWS provider whose computed ARNs are known during the plan.
mock_provider "aws" {
  mock_resource "aws_sqs_queue" {
    override_during = plan
    defaults = {
      arn = "arn:aws:sqs:eu-west-1:111111111111:ecs-deploy-events"
      url = "https://sqs.eu-west-1.amazonaws.com/111111111111/ecs-deploy-events"
      id  = "https://sqs.eu-west-1.amazonaws.com/111111111111/ecs-deploy-events"
    }
  }

  mock_resource "aws_cloudwatch_event_rule" {
    override_during = plan
    defaults = {
      arn = "arn:aws:events:eu-west-1:111111111111:rule/ecs-deploy-events"
    }
  }

  mock_resource "aws_cloudwatch_event_bus" {
    override_during = plan
    defaults = {
      arn = "arn:aws:events:eu-west-1:123456789012:event-bus/ecs-deploy-events"
    }
  }

  mock_resource "aws_iam_role" {
    override_during = plan
    defaults = {
      arn = "arn:aws:iam::111111111111:role/ecs-deploy-events-forward"
    }
  }
}

variables {
  cluster_arns = ["arn:aws:ecs:eu-west-1:111111111111:cluster/platform-staging"]
}

run "queue_mode" {
  command = plan

  assert {
    condition     = toset(keys(aws_cloudwatch_event_rule.this)) == toset(["deployment-state", "service-action", "task-state"]) && aws_cloudwatch_event_rule.this["deployment-state"].name == "ecs-deploy-events-deployment-state"
    error_message = "One rule per ECS event type."
  }

  assert {
    condition = jsondecode(aws_cloudwatch_event_rule.this["deployment-state"].event_pattern) == {
      source        = ["aws.ecs"]
      "detail-type" = ["ECS Deployment State Change"]
      resources     = [{ prefix = "arn:aws:ecs:eu-west-1:111111111111:service/platform-staging/" }]
    }
    error_message = "Deployment events are limited to the services of the configured clusters."
  }

  assert {
    condition     = jsondecode(aws_cloudwatch_event_rule.this["task-state"].event_pattern).detail == { group = [{ prefix = "service:" }], clusterArn = ["arn:aws:ecs:eu-west-1:111111111111:cluster/platform-staging"] }
    error_message = "Task events: only service tasks of the configured clusters."
  }

  assert {
    condition     = alltrue([for t in aws_cloudwatch_event_target.queue : t.arn == "arn:aws:sqs:eu-west-1:111111111111:ecs-deploy-events"]) && length(aws_cloudwatch_event_target.queue) == 3 && length(aws_cloudwatch_event_target.forward) == 0
    error_message = "Every rule delivers to the queue."
  }

  assert {
    condition     = aws_sqs_queue.this[0].sqs_managed_sse_enabled && aws_sqs_queue.this[0].visibility_timeout_seconds == 60 && aws_sqs_queue.this[0].receive_wait_time_seconds == 20 && jsondecode(aws_sqs_queue_redrive_policy.this[0].redrive_policy).maxReceiveCount == 5 && jsondecode(aws_sqs_queue_redrive_policy.this[0].redrive_policy).deadLetterTargetArn == "arn:aws:sqs:eu-west-1:111111111111:ecs-deploy-events" && aws_sqs_queue.dlq[0].name == "ecs-deploy-events-dlq" && aws_sqs_queue.dlq[0].sqs_managed_sse_enabled
    error_message = "An encrypted, long-polled queue with a dead-letter queue after 5 receives."
  }

  assert {
    condition     = one([for s in jsondecode(aws_sqs_queue_policy.this[0].policy).Statement : s if s.Effect == "Allow"]).Principal.Service == "events.amazonaws.com" && length(one([for s in jsondecode(aws_sqs_queue_policy.this[0].policy).Statement : s if s.Effect == "Allow"]).Condition.ArnEquals["aws:SourceArn"]) == 3
    error_message = "Only EventBridge, and only for these rules, may send to the queue."
  }

  assert {
    condition     = jsondecode(output.consumer_policy_json).Statement[0].Action == ["sqs:ReceiveMessage", "sqs:DeleteMessage"] && jsondecode(output.consumer_policy_json).Statement[0].Resource == "arn:aws:sqs:eu-west-1:111111111111:ecs-deploy-events"
    error_message = "The consumer policy grants the four consumer actions on the queue."
  }

  assert {
    condition     = output.queue_url == "https://sqs.eu-west-1.amazonaws.com/111111111111/ecs-deploy-events" && output.event_bus_arn == null
    error_message = "The queue URL is an output; no central bus."
  }
}

run "all_clusters" {
  command = plan

  variables {
    cluster_arns = []
  }

  assert {
    condition     = jsondecode(aws_cloudwatch_event_rule.this["service-action"].event_pattern) == { source = ["aws.ecs"], "detail-type" = ["ECS Service Action"] } && jsondecode(aws_cloudwatch_event_rule.this["task-state"].event_pattern).detail == { group = [{ prefix = "service:" }] }
    error_message = "Without cluster_arns every cluster of the account is followed."
  }
}

run "forward_mode" {
  command = plan

  variables {
    forward_to_event_bus_arn = "arn:aws:events:eu-west-1:123456789012:event-bus/ecs-deploy-events"
  }

  assert {
    condition     = length(aws_sqs_queue.this) == 0 && length(aws_cloudwatch_event_target.queue) == 0 && alltrue([for t in aws_cloudwatch_event_target.forward : t.arn == "arn:aws:events:eu-west-1:123456789012:event-bus/ecs-deploy-events" && t.role_arn == "arn:aws:iam::111111111111:role/ecs-deploy-events-forward"])
    error_message = "A workload account forwards to the central bus, with a role, and has no queue."
  }

  assert {
    condition     = jsondecode(aws_iam_role_policy.forward[0].policy).Statement[0].Resource == "arn:aws:events:eu-west-1:123456789012:event-bus/ecs-deploy-events" && output.consumer_policy_json == null
    error_message = "The forwarding role may put events on that bus only."
  }
}

run "central_mode" {
  command = plan

  variables {
    cluster_arns       = []
    source_account_ids = ["111111111111", "222222222222"]
  }

  assert {
    condition     = aws_cloudwatch_event_bus.central[0].name == "ecs-deploy-events" && jsondecode(aws_cloudwatch_event_bus_policy.central[0].policy).Statement[0].Principal.AWS == ["arn:aws:iam::111111111111:root", "arn:aws:iam::222222222222:root"]
    error_message = "The central bus accepts events from the workload accounts."
  }

  assert {
    condition     = jsondecode(aws_cloudwatch_event_rule.central["deployment-state"].event_pattern).account == ["111111111111", "222222222222"] && alltrue([for t in aws_cloudwatch_event_target.central : t.arn == "arn:aws:sqs:eu-west-1:111111111111:ecs-deploy-events"])
    error_message = "The central rules deliver the workload accounts' events to the queue."
  }

  assert {
    condition     = length(one([for s in jsondecode(aws_sqs_queue_policy.this[0].policy).Statement : s if s.Effect == "Allow"]).Condition.ArnEquals["aws:SourceArn"]) == 6
    error_message = "Local and central rules may send to the queue."
  }
}

run "rejects_forward_and_central_together" {
  command = plan

  variables {
    forward_to_event_bus_arn = "arn:aws:events:eu-west-1:123456789012:event-bus/ecs-deploy-events"
    source_account_ids       = ["111111111111"]
  }

  expect_failures = [aws_cloudwatch_event_rule.this]
}

run "rejects_a_cluster_that_is_no_arn" {
  command = plan

  variables {
    cluster_arns = ["platform-staging"]
  }

  expect_failures = [var.cluster_arns]
}

run "rejects_a_bus_that_is_no_arn" {
  command = plan

  variables {
    forward_to_event_bus_arn = "ecs-deploy-events"
  }

  expect_failures = [var.forward_to_event_bus_arn]
}

run "rejects_an_account_id_of_11_digits" {
  command = plan

  variables {
    source_account_ids = ["11111111111"]
  }

  expect_failures = [var.source_account_ids]
}

run "rejects_long_polling_over_20_seconds" {
  command = plan

  variables {
    queue = { receive_wait_time_seconds = 30 }
  }

  expect_failures = [var.queue]
}

run "rejects_a_dlq_that_keeps_less_than_the_queue" {
  command = plan

  variables {
    queue = { message_retention_seconds = 1209600, dlq_message_retention_seconds = 86400 }
  }

  expect_failures = [var.queue]
}
