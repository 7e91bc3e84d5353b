# Deployment alarms and deployment strategies: plan only, against a mocked AWS provider whose
# computed ARNs are known during the plan.
mock_provider "aws" {
  mock_resource "aws_lb_target_group" {
    override_during = plan
    defaults = {
      arn        = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/payments-api-staging/0123456789abcdef"
      arn_suffix = "targetgroup/payments-api-staging/0123456789abcdef"
    }
  }

  mock_resource "aws_lb_listener_rule" {
    override_during = plan
    defaults = {
      arn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule/app/demo-staging/0123456789abcdef/0123456789abcdef/0123456789abcdef"
    }
  }

  mock_resource "aws_iam_role" {
    override_during = plan
    defaults = {
      arn = "arn:aws:iam::123456789012:role/payments-api-staging-ecs-infra"
    }
  }
}

variables {
  name       = "payments-api"
  entity_ref = "component:default/payments-api"
  environment = {
    name         = "staging"
    region       = "us-east-1"
    cluster_name = "demo-staging"
    cluster_arn  = "arn:aws:ecs:us-east-1:123456789012:cluster/demo-staging"
    vpc_id       = "vpc-0123456789abcdef0"
    subnet_ids   = ["subnet-0a", "subnet-0b"]
    listener_arn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/demo-staging/50dc6c495c0c9188/f2f7dc8efc522ab2"
  }
  containers = [{
    name  = "payments-api"
    image = "ghcr.io/acme/payments-api:1.4.0"
    port  = 8080
  }]
}

run "without_load_balancer_only_running_below_desired" {
  command = plan

  variables {
    environment = merge(var.environment, { listener_arn = null })
  }

  assert {
    condition     = keys(aws_cloudwatch_metric_alarm.this) == ["running-below-desired"] && aws_cloudwatch_metric_alarm.this["running-below-desired"].alarm_name == "payments-api-staging-running-below-desired"
    error_message = "Without a load balancer only the running-below-desired alarm is created, named <name>-<environment>-<kind>."
  }

  assert {
    condition     = one(aws_ecs_service.this.alarms).alarm_names == toset(["payments-api-staging-running-below-desired"]) && one(aws_ecs_service.this.alarms).enable && one(aws_ecs_service.this.alarms).rollback
    error_message = "ECS watches the alarm during deployments and rolls back."
  }

  assert {
    condition     = aws_cloudwatch_metric_alarm.this["running-below-desired"].comparison_operator == "GreaterThanOrEqualToThreshold" && aws_cloudwatch_metric_alarm.this["running-below-desired"].threshold == 1 && aws_cloudwatch_metric_alarm.this["running-below-desired"].treat_missing_data == "notBreaching"
    error_message = "The alarm fires when at least one task is missing; missing data does not breach."
  }

  assert {
    condition = one([for q in aws_cloudwatch_metric_alarm.this["running-below-desired"].metric_query : q if q.id == "result"]).expression == "desired - running" && alltrue([for q in aws_cloudwatch_metric_alarm.this["running-below-desired"].metric_query :
      one(q.metric).namespace == "ECS/ContainerInsights" && one(q.metric).dimensions == tomap({ ClusterName = "demo-staging", ServiceName = "payments-api" }) if q.id != "result"
    ])
    error_message = "Desired minus running tasks of the service, from Container Insights."
  }

  assert {
    condition     = aws_cloudwatch_metric_alarm.this["running-below-desired"].tags["backstage:entity-ref"] == "component:default/payments-api" && aws_cloudwatch_metric_alarm.this["running-below-desired"].tags["ecs-deploy:check"] == "running-below-desired"
    error_message = "Alarms carry the contract tags and their check."
  }

  assert {
    condition     = jsondecode(aws_ssm_parameter.deployment_strategy.value) == { version = 1, type = "rolling", deploymentConfiguration = { strategy = "ROLLING" }, loadBalancers = [] } && aws_ecs_service.this.tags["ecs-deploy:deployment-strategy"] == "rolling"
    error_message = "The default strategy is rolling, written to the strategy parameter and tagged on the service."
  }

  assert {
    condition     = aws_ssm_parameter.deployment_strategy.name == "/ecs-deploy/staging/payments-api/deployment-strategy" && output.deployment_strategy_parameter_name == "/ecs-deploy/staging/payments-api/deployment-strategy"
    error_message = "The strategy parameter sits next to the image parameters."
  }
}

run "with_load_balancer_all_three" {
  command = plan

  variables {
    load_balancer = { priority = 100, host_headers = ["payments.example.com"] }
    alarms = {
      extra_alarm_names = ["payments-api-staging-synthetics"]
      alarm_actions     = ["arn:aws:sns:us-east-1:123456789012:deployments"]
      http_5xx_rate     = { threshold_percent = 2, min_requests = 50 }
      latency_p95       = { threshold_seconds = 0.5, period_seconds = 300, evaluation_periods = 2, datapoints_to_alarm = 2 }
    }
  }

  assert {
    condition     = output.deployment_alarm_names == ["payments-api-staging-http-5xx-rate", "payments-api-staging-latency-p95", "payments-api-staging-running-below-desired", "payments-api-staging-synthetics"]
    error_message = "The three alarms, then the extra ones, are deployment alarms."
  }

  assert {
    condition     = one([for q in aws_cloudwatch_metric_alarm.this["http-5xx-rate"].metric_query : q if q.id == "result"]).expression == "IF(requests >= 50, 100 * errors / requests, 0)" && aws_cloudwatch_metric_alarm.this["http-5xx-rate"].threshold == 2
    error_message = "The 5xx rate is metric math over the target group's counts, counted from min_requests."
  }

  assert {
    condition = alltrue([for q in aws_cloudwatch_metric_alarm.this["http-5xx-rate"].metric_query :
      one(q.metric).namespace == "AWS/ApplicationELB" && one(q.metric).stat == "Sum" && one(q.metric).dimensions == tomap({ TargetGroup = "targetgroup/payments-api-staging/0123456789abcdef", LoadBalancer = "app/demo-staging/50dc6c495c0c9188" }) if q.id != "result"
    ]) && toset([for q in aws_cloudwatch_metric_alarm.this["http-5xx-rate"].metric_query : try(one(q.metric).metric_name, "")]) == toset(["", "HTTPCode_Target_5XX_Count", "RequestCount"])
    error_message = "5xx and request counts of the service's target group on the environment's load balancer."
  }

  assert {
    condition     = aws_cloudwatch_metric_alarm.this["latency-p95"].extended_statistic == "p95" && aws_cloudwatch_metric_alarm.this["latency-p95"].metric_name == "TargetResponseTime" && aws_cloudwatch_metric_alarm.this["latency-p95"].threshold == 0.5 && aws_cloudwatch_metric_alarm.this["latency-p95"].period == 300
    error_message = "p95 response time with the overridden threshold and period."
  }

  assert {
    condition     = aws_cloudwatch_metric_alarm.this["http-5xx-rate"].alarm_actions == toset(["arn:aws:sns:us-east-1:123456789012:deployments"])
    error_message = "Alarm actions are notified."
  }
}

run "alarms_off" {
  command = plan

  variables {
    load_balancer = { priority = 100, host_headers = ["payments.example.com"] }
    alarms        = { create = false }
  }

  assert {
    condition     = length(aws_cloudwatch_metric_alarm.this) == 0 && length(aws_ecs_service.this.alarms) == 0
    error_message = "create = false creates no alarm and no deployment alarms block."
  }
}

run "existing_alarms_only_without_rollback" {
  command = plan

  variables {
    alarms = { create = false, rollback = false, extra_alarm_names = ["team-slo-burn"] }
  }

  assert {
    condition     = one(aws_ecs_service.this.alarms).alarm_names == toset(["team-slo-burn"]) && !one(aws_ecs_service.this.alarms).rollback
    error_message = "Existing alarms alone can be deployment alarms, with rollback off."
  }
}

run "canary_with_load_balancer" {
  command = plan

  variables {
    load_balancer       = { priority = 100, host_headers = ["payments.example.com"] }
    deployment_strategy = { type = "canary", canary_percent = 12.5, canary_bake_time_minutes = 15, bake_time_minutes = 5 }
  }

  assert {
    condition = jsondecode(aws_ssm_parameter.deployment_strategy.value).deploymentConfiguration == {
      strategy            = "CANARY"
      bakeTimeInMinutes   = 5
      canaryConfiguration = { canaryPercent = 12.5, canaryBakeTimeInMinutes = 15 }
    }
    error_message = "The canary settings are written in ECS's deploymentConfiguration shape."
  }

  assert {
    condition = jsondecode(aws_ssm_parameter.deployment_strategy.value).loadBalancers == [{
      targetGroupArn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/payments-api-staging/0123456789abcdef"
      containerName  = "payments-api"
      containerPort  = 8080
      advancedConfiguration = {
        alternateTargetGroupArn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/payments-api-staging/0123456789abcdef"
        productionListenerRule  = "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule/app/demo-staging/0123456789abcdef/0123456789abcdef/0123456789abcdef"
        roleArn                 = "arn:aws:iam::123456789012:role/payments-api-staging-ecs-infra"
      }
    }]
    error_message = "The load balancer wiring ECS needs to shift traffic is in the parameter."
  }

  assert {
    condition     = length(aws_lb_target_group.alternate) == 1 && aws_lb_target_group.alternate[0].name != aws_lb_target_group.this[0].name && length(aws_lb_target_group.alternate[0].name) <= 32 && aws_lb_target_group.alternate[0].port == 8080
    error_message = "An alternate target group of the same shape, with its own name."
  }

  assert {
    condition     = aws_iam_role.infrastructure[0].name == "payments-api-staging-ecs-infra" && jsondecode(aws_iam_role.infrastructure[0].assume_role_policy).Statement[0].Principal.Service == "ecs.amazonaws.com" && one([for st in jsondecode(aws_iam_role_policy.infrastructure[0].policy).Statement : st if st.Sid == "ShiftTraffic"]).Resource == ["arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule/app/demo-staging/0123456789abcdef/0123456789abcdef/0123456789abcdef", var.environment.listener_arn]
    error_message = "ECS gets a role that may shift traffic on this service's rule only."
  }

  assert {
    condition     = aws_ecs_service.this.tags["ecs-deploy:deployment-strategy"] == "canary" && output.deployment_strategy == "canary"
    error_message = "The service is tagged with its strategy."
  }
}

run "linear" {
  command = plan

  variables {
    load_balancer       = { priority = 100, host_headers = ["payments.example.com"] }
    deployment_strategy = { type = "linear", linear_step_percent = 25, linear_step_bake_time_minutes = 3 }
  }

  assert {
    condition     = jsondecode(aws_ssm_parameter.deployment_strategy.value).deploymentConfiguration == { strategy = "LINEAR", bakeTimeInMinutes = 10, linearConfiguration = { stepPercent = 25, stepBakeTimeInMinutes = 3 } }
    error_message = "Linear settings in ECS's shape, with the default bake time."
  }
}

run "blue_green" {
  command = plan

  variables {
    load_balancer       = { priority = 100, host_headers = ["payments.example.com"] }
    deployment_strategy = { type = "blue_green", bake_time_minutes = 30 }
    iam_role_path       = "/ecs-deploy/"
  }

  assert {
    condition     = jsondecode(aws_ssm_parameter.deployment_strategy.value).deploymentConfiguration == { strategy = "BLUE_GREEN", bakeTimeInMinutes = 30 } && length(aws_lb_target_group.alternate) == 1
    error_message = "Blue/green: bake time and the alternate target group."
  }

  assert {
    condition     = aws_iam_role.infrastructure[0].path == "/ecs-deploy/" && aws_iam_role.task[0].path == "/ecs-deploy/" && aws_iam_role.execution[0].path == "/ecs-deploy/"
    error_message = "Every role of the service is under iam_role_path."
  }
}

run "rejects_traffic_shifting_without_load_balancer" {
  command = plan

  variables {
    deployment_strategy = { type = "blue_green" }
  }

  expect_failures = [aws_ssm_parameter.deployment_strategy]
}

run "rejects_unknown_strategy" {
  command = plan

  variables {
    deployment_strategy = { type = "big_bang" }
  }

  expect_failures = [var.deployment_strategy]
}

run "rejects_canary_percent_off_the_grid" {
  command = plan

  variables {
    deployment_strategy = { canary_percent = 12.55 }
  }

  expect_failures = [var.deployment_strategy]
}

run "rejects_linear_step_under_3_percent" {
  command = plan

  variables {
    deployment_strategy = { linear_step_percent = 2 }
  }

  expect_failures = [var.deployment_strategy]
}

run "rejects_a_bake_time_over_a_day" {
  command = plan

  variables {
    deployment_strategy = { bake_time_minutes = 1441 }
  }

  expect_failures = [var.deployment_strategy]
}

run "rejects_an_alarm_period_of_45_seconds" {
  command = plan

  variables {
    alarms = { latency_p95 = { period_seconds = 45 } }
  }

  expect_failures = [var.alarms]
}

run "rejects_more_datapoints_than_periods" {
  command = plan

  variables {
    alarms = { http_5xx_rate = { evaluation_periods = 2, datapoints_to_alarm = 3 } }
  }

  expect_failures = [var.alarms]
}

run "rejects_a_5xx_threshold_over_100_percent" {
  command = plan

  variables {
    alarms = { http_5xx_rate = { threshold_percent = 150 } }
  }

  expect_failures = [var.alarms]
}

run "rejects_zero_missing_tasks" {
  command = plan

  variables {
    alarms = { running_below_desired = { missing_tasks = 0 } }
  }

  expect_failures = [var.alarms]
}

run "rejects_an_alarm_action_that_is_no_arn" {
  command = plan

  variables {
    alarms = { alarm_actions = ["deployments-topic"] }
  }

  expect_failures = [var.alarms]
}

run "rejects_a_role_path_without_slashes" {
  command = plan

  variables {
    iam_role_path = "ecs-deploy"
  }

  expect_failures = [var.iam_role_path]
}
