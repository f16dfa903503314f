# CloudWatch alarms, a log group and a dashboard: a single-metric alarm, a metric math alarm
# (error rate from two metrics), a composite alarm over both, a log group with retention and a
# dashboard. The test fixture (CloudWatchStackFixture) passes var.endpoint.

terraform {
  required_version = ">= 1.5"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "5.100.0"
    }
  }
}

variable "endpoint" {
  description = "The Orchestrator node's API endpoint, e.g. http://127.0.0.1:4566"
  type        = string
}

provider "aws" {
  region     = "us-east-1"
  access_key = "test"
  secret_key = "test"

  skip_credentials_validation = true
  skip_metadata_api_check     = true
  # The account comes from sts:GetCallerIdentity (served by the node), as in vpc-stack.
  skip_requesting_account_id = false

  endpoints {
    cloudwatch = var.endpoint
    logs       = var.endpoint
    iam        = var.endpoint
    sts        = var.endpoint
  }
}

resource "aws_cloudwatch_log_group" "app" {
  name              = "/cloudwatch-stack/app"
  retention_in_days = 7
}

resource "aws_cloudwatch_metric_alarm" "latency" {
  alarm_name          = "cloudwatch-stack-latency"
  alarm_description   = "p90 latency above 250 ms for 2 of 3 minutes"
  namespace           = "CloudWatchStack"
  metric_name         = "Latency"
  dimensions          = { Service = "web" }
  extended_statistic  = "p90"
  period              = 60
  evaluation_periods  = 3
  datapoints_to_alarm = 2
  threshold           = 250
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = ["arn:aws:sns:us-east-1:000000000000:ops"]
}

resource "aws_cloudwatch_metric_alarm" "error_rate" {
  alarm_name          = "cloudwatch-stack-error-rate"
  evaluation_periods  = 1
  threshold           = 5
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"

  metric_query {
    id = "e"
    metric {
      namespace   = "CloudWatchStack"
      metric_name = "Errors"
      period      = 60
      stat        = "Sum"
    }
  }

  metric_query {
    id = "r"
    metric {
      namespace   = "CloudWatchStack"
      metric_name = "Requests"
      period      = 60
      stat        = "Sum"
    }
  }

  metric_query {
    id          = "rate"
    expression  = "100 * e / r"
    label       = "error rate"
    return_data = true
  }
}

resource "aws_cloudwatch_composite_alarm" "service" {
  alarm_name        = "cloudwatch-stack-service"
  alarm_description = "latency or errors"
  alarm_rule        = "ALARM(${aws_cloudwatch_metric_alarm.latency.alarm_name}) OR ALARM(\"${aws_cloudwatch_metric_alarm.error_rate.alarm_name}\")"
  alarm_actions     = ["arn:aws:sns:us-east-1:000000000000:ops"]
  ok_actions        = ["arn:aws:sns:us-east-1:000000000000:ops"]
}

resource "aws_cloudwatch_dashboard" "ops" {
  dashboard_name = "cloudwatch-stack"
  dashboard_body = jsonencode({
    widgets = [
      {
        type   = "alarm"
        x      = 0
        y      = 0
        width  = 12
        height = 6
        properties = {
          title  = "service"
          alarms = [aws_cloudwatch_composite_alarm.service.arn]
        }
      },
      {
        type   = "text"
        x      = 12
        y      = 0
        width  = 12
        height = 6
        properties = {
          markdown = "Logs in ${aws_cloudwatch_log_group.app.name}"
        }
      },
    ]
  })
}

output "composite_alarm_arn" {
  value = aws_cloudwatch_composite_alarm.service.arn
}
