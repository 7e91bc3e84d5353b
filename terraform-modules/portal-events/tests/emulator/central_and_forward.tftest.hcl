# Central and forward modes applied to the local AWS emulator in two accounts (scripts/test-terraform.sh
# runs it with -test-directory=tests/emulator -var aws_endpoint=<emulator>); destroyed after. (Queue mode is
# applied in every account of the cross-account demo, examples/demo/access.)
run "central" {
  module {
    source = "./tests/emulator/central"
  }

  assert {
    condition     = output.event_bus_arn == "arn:aws:events:us-east-1:123456789012:event-bus/ecs-deploy-events-central" && output.queue_arn == "arn:aws:sqs:us-east-1:123456789012:ecs-deploy-events-central"
    error_message = "The central bus and queue are in the portal's account."
  }
}

run "forward" {
  module {
    source = "./tests/emulator/forward"
  }

  variables {
    event_bus_arn = run.central.event_bus_arn
  }

  assert {
    condition     = alltrue([for arn in values(output.rule_arns) : startswith(arn, "arn:aws:events:us-east-1:111111111111:rule/ecs-deploy-events-forward-")])
    error_message = "The forwarding rules are in the workload account."
  }
}
