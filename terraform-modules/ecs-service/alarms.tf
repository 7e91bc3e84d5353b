################################################################################
# Deployment alarms: what ECS watches during (and after) every deployment
################################################################################

locals {
  # LoadBalancer dimension of the target group's metrics: app/<name>/<id> from the listener ARN
  # (arn:…:listener/app/<name>/<id>/<listener-id>).
  load_balancer_dimension = try(regex("listener/(app/[^/]+/[^/]+)/", var.environment.listener_arn)[0], null)
  target_group_dimensions = {
    TargetGroup  = try(aws_lb_target_group.this[0].arn_suffix, null)
    LoadBalancer = local.load_balancer_dimension
  }

  # Each kind: its settings (var.alarms), what it says, when it fires, and either one metric with an
  # extended statistic or metric math over named metrics (Sum or Average per period).
  alarm_definitions = {
    http-5xx-rate = {
      settings    = var.alarms.http_5xx_rate
      description = "More than ${var.alarms.http_5xx_rate.threshold_percent}% of the requests to ${var.name} in ${local.environment} answered 5xx (periods with at least ${var.alarms.http_5xx_rate.min_requests} requests)."
      comparison  = "GreaterThanThreshold"
      threshold   = var.alarms.http_5xx_rate.threshold_percent
      metric      = null
      expression  = { label = "5xx share of requests (%)", value = "IF(requests >= ${var.alarms.http_5xx_rate.min_requests}, 100 * errors / requests, 0)" }
      namespace   = "AWS/ApplicationELB"
      stat        = "Sum"
      metrics     = { errors = "HTTPCode_Target_5XX_Count", requests = "RequestCount" }
      dimensions  = local.target_group_dimensions
      with_lb     = true
    }
    latency-p95 = {
      settings    = var.alarms.latency_p95
      description = "p95 response time of ${var.name} in ${local.environment} above ${var.alarms.latency_p95.threshold_seconds} s."
      comparison  = "GreaterThanThreshold"
      threshold   = var.alarms.latency_p95.threshold_seconds
      metric      = { name = "TargetResponseTime", extended_statistic = "p95" }
      expression  = null
      namespace   = "AWS/ApplicationELB"
      stat        = null
      metrics     = {}
      dimensions  = local.target_group_dimensions
      with_lb     = true
    }
    running-below-desired = {
      settings    = var.alarms.running_below_desired
      description = "${var.name} in ${local.environment} runs at least ${var.alarms.running_below_desired.missing_tasks} task(s) fewer than desired (Container Insights)."
      comparison  = "GreaterThanOrEqualToThreshold"
      threshold   = var.alarms.running_below_desired.missing_tasks
      metric      = null
      expression  = { label = "Desired minus running tasks", value = "desired - running" }
      namespace   = "ECS/ContainerInsights"
      stat        = "Average"
      metrics     = { desired = "DesiredTaskCount", running = "RunningTaskCount" }
      dimensions  = { ClusterName = var.environment.cluster_name, ServiceName = var.name }
      with_lb     = false
    }
  }

  # 5xx and latency need the target group the module creates; nothing is created with create = false.
  alarms = { for kind, a in local.alarm_definitions : kind => a if var.alarms.create && a.settings.enabled && (local.create_target_group || !a.with_lb) }

  deployment_alarm_names = concat([for kind in keys(local.alarms) : "${local.family}-${kind}"], var.alarms.extra_alarm_names)
}

resource "aws_cloudwatch_metric_alarm" "this" {
  for_each = local.alarms

  alarm_name          = "${local.family}-${each.key}"
  alarm_description   = each.value.description
  comparison_operator = each.value.comparison
  threshold           = each.value.threshold
  evaluation_periods  = each.value.settings.evaluation_periods
  datapoints_to_alarm = each.value.settings.datapoints_to_alarm
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarms.alarm_actions

  # One metric with an extended statistic ...
  namespace          = each.value.metric == null ? null : each.value.namespace
  metric_name        = try(each.value.metric.name, null)
  extended_statistic = try(each.value.metric.extended_statistic, null)
  period             = each.value.metric == null ? null : each.value.settings.period_seconds
  dimensions         = each.value.metric == null ? null : each.value.dimensions

  # ... or metric math over named metrics.
  dynamic "metric_query" {
    for_each = each.value.expression == null ? {} : { result = each.value.expression }

    content {
      id          = "result"
      label       = metric_query.value.label
      expression  = metric_query.value.value
      return_data = true
    }
  }

  dynamic "metric_query" {
    for_each = each.value.metrics

    content {
      id = metric_query.key

      metric {
        namespace   = each.value.namespace
        metric_name = metric_query.value
        period      = each.value.settings.period_seconds
        stat        = each.value.stat
        dimensions  = each.value.dimensions
      }
    }
  }

  tags = merge(local.tags, { "ecs-deploy:check" = each.key })

  lifecycle {
    precondition {
      condition     = !each.value.with_lb || local.load_balancer_dimension != null
      error_message = "environment.listener_arn (${coalesce(var.environment.listener_arn, "null")}) is not an Application Load Balancer listener ARN (…:listener/app/<name>/<id>/<id>): the 5xx and latency alarms need its load balancer."
    }
  }
}
