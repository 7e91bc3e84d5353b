################################################################################
# Deployment alarms: what ECS watches during (and after) every deployment
################################################################################

locals {
  # LoadBalancer dimension of the target group's metrics: app/<name>/<id> from the listener ARN
  # (arn:…:listener/app/<name>/<id>/<listener-id>).
  load_balancer_dimension = try(regex("listener/(app/[^/]+/[^/]+)/", var.environment.listener_arn)[0], null)

  alarm_specs = {
    http-5xx-rate         = var.alarms.http_5xx_rate
    latency-p95           = var.alarms.latency_p95
    running-below-desired = var.alarms.running_below_desired
  }
  # 5xx and latency need a load balancer; nothing is created with create = false.
  alarm_kinds = [for kind, a in local.alarm_specs : kind if var.alarms.create && a.enabled && (local.create_load_balancer || kind == "running-below-desired")]

  alarm_names            = { for kind in local.alarm_kinds : kind => "${local.family}-${kind}" }
  deployment_alarm_names = concat([for kind in local.alarm_kinds : local.alarm_names[kind]], var.alarms.extra_alarm_names)
}

resource "aws_cloudwatch_metric_alarm" "http_5xx_rate" {
  count = contains(local.alarm_kinds, "http-5xx-rate") ? 1 : 0

  alarm_name          = local.alarm_names["http-5xx-rate"]
  alarm_description   = "More than ${var.alarms.http_5xx_rate.threshold_percent}% of the requests to ${var.name} in ${local.environment} answered 5xx (periods with at least ${var.alarms.http_5xx_rate.min_requests} requests)."
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.alarms.http_5xx_rate.threshold_percent
  evaluation_periods  = var.alarms.http_5xx_rate.evaluation_periods
  datapoints_to_alarm = var.alarms.http_5xx_rate.datapoints_to_alarm
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarms.alarm_actions

  metric_query {
    id          = "rate"
    label       = "5xx share of requests (%)"
    expression  = "IF(requests >= ${var.alarms.http_5xx_rate.min_requests}, 100 * errors / requests, 0)"
    return_data = true
  }

  dynamic "metric_query" {
    for_each = { errors = "HTTPCode_Target_5XX_Count", requests = "RequestCount" }

    content {
      id = metric_query.key

      metric {
        namespace   = "AWS/ApplicationELB"
        metric_name = metric_query.value
        period      = var.alarms.http_5xx_rate.period_seconds
        stat        = "Sum"
        dimensions = {
          TargetGroup  = aws_lb_target_group.this[0].arn_suffix
          LoadBalancer = local.load_balancer_dimension
        }
      }
    }
  }

  tags = merge(local.tags, { "ecs-deploy:check" = "http-5xx-rate" })

  lifecycle {
    precondition {
      condition     = local.load_balancer_dimension != null
      error_message = "environment.listener_arn (${coalesce(var.environment.listener_arn, "null")}) is not an Application Load Balancer listener ARN (…:listener/app/<name>/<id>/<id>): the 5xx and latency alarms need its load balancer."
    }
  }
}

resource "aws_cloudwatch_metric_alarm" "latency_p95" {
  count = contains(local.alarm_kinds, "latency-p95") ? 1 : 0

  alarm_name          = local.alarm_names["latency-p95"]
  alarm_description   = "p95 response time of ${var.name} in ${local.environment} above ${var.alarms.latency_p95.threshold_seconds} s."
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.alarms.latency_p95.threshold_seconds
  evaluation_periods  = var.alarms.latency_p95.evaluation_periods
  datapoints_to_alarm = var.alarms.latency_p95.datapoints_to_alarm
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarms.alarm_actions

  namespace          = "AWS/ApplicationELB"
  metric_name        = "TargetResponseTime"
  period             = var.alarms.latency_p95.period_seconds
  extended_statistic = "p95"
  dimensions = {
    TargetGroup  = aws_lb_target_group.this[0].arn_suffix
    LoadBalancer = local.load_balancer_dimension
  }

  tags = merge(local.tags, { "ecs-deploy:check" = "latency-p95" })
}

resource "aws_cloudwatch_metric_alarm" "running_below_desired" {
  count = contains(local.alarm_kinds, "running-below-desired") ? 1 : 0

  alarm_name          = local.alarm_names["running-below-desired"]
  alarm_description   = "${var.name} in ${local.environment} runs at least ${var.alarms.running_below_desired.missing_tasks} task(s) fewer than desired (Container Insights)."
  comparison_operator = "GreaterThanOrEqualToThreshold"
  threshold           = var.alarms.running_below_desired.missing_tasks
  evaluation_periods  = var.alarms.running_below_desired.evaluation_periods
  datapoints_to_alarm = var.alarms.running_below_desired.datapoints_to_alarm
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarms.alarm_actions

  metric_query {
    id          = "missing"
    label       = "Desired minus running tasks"
    expression  = "desired - running"
    return_data = true
  }

  dynamic "metric_query" {
    for_each = { desired = "DesiredTaskCount", running = "RunningTaskCount" }

    content {
      id = metric_query.key

      metric {
        namespace   = "ECS/ContainerInsights"
        metric_name = metric_query.value
        period      = var.alarms.running_below_desired.period_seconds
        stat        = "Average"
        dimensions = {
          ClusterName = var.environment.cluster_name
          ServiceName = var.name
        }
      }
    }
  }

  tags = merge(local.tags, { "ecs-deploy:check" = "running-below-desired" })
}
