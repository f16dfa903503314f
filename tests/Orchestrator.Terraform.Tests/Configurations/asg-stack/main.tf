# An Auto Scaling group across two AZs behind a target group: VPC, two subnets, a launch template,
# an ALB target group, the group (target_group_arns, default wait_for_capacity_timeout, tags),
# a target tracking and a simple scaling policy, a scheduled action and a terminate lifecycle hook.
# The fixture (AsgStackFixture) passes var.endpoint; every resource carries Stack=asg-stack.

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

variable "image_id" {
  description = "An Amazon Linux 2023 x86_64 AMI of the node's catalogue (AmiCatalogue.cs)"
  type        = string
  default     = "ami-0453ec754f44f9a4a"
}

provider "aws" {
  region     = "us-east-1"
  access_key = "test"
  secret_key = "test"

  skip_credentials_validation = true
  skip_metadata_api_check     = true
  skip_requesting_account_id  = false

  endpoints {
    autoscaling = var.endpoint
    ec2         = var.endpoint
    elbv2       = var.endpoint
    iam         = var.endpoint
    sts         = var.endpoint
  }

  default_tags {
    tags = {
      Stack = "asg-stack"
    }
  }
}

data "aws_availability_zones" "available" {
  state = "available"
}

locals {
  azs = slice(data.aws_availability_zones.available.names, 0, 2)
}

resource "aws_vpc" "main" {
  cidr_block = "10.40.0.0/16"
  tags       = { Name = "asg-stack" }
}

resource "aws_subnet" "app" {
  count             = 2
  vpc_id            = aws_vpc.main.id
  cidr_block        = cidrsubnet(aws_vpc.main.cidr_block, 8, count.index)
  availability_zone = local.azs[count.index]
  tags              = { Name = "asg-stack-app-${count.index}" }
}

resource "aws_launch_template" "app" {
  name          = "asg-stack-app"
  image_id      = var.image_id
  instance_type = "t3.micro"
}

resource "aws_lb_target_group" "app" {
  name     = "asg-stack-app"
  port     = 80
  protocol = "HTTP"
  vpc_id   = aws_vpc.main.id
}

resource "aws_autoscaling_group" "app" {
  name                = "asg-stack-app"
  min_size            = 2
  max_size            = 4
  desired_capacity    = 2
  vpc_zone_identifier = aws_subnet.app[*].id
  target_group_arns   = [aws_lb_target_group.app.arn]
  health_check_type   = "EC2"

  launch_template {
    id      = aws_launch_template.app.id
    version = "$Latest"
  }

  tag {
    key                 = "Name"
    value               = "asg-stack-app"
    propagate_at_launch = true
  }

  tag {
    key                 = "Team"
    value               = "platform"
    propagate_at_launch = false
  }
}

resource "aws_autoscaling_policy" "cpu" {
  name                   = "asg-stack-cpu50"
  autoscaling_group_name = aws_autoscaling_group.app.name
  policy_type            = "TargetTrackingScaling"

  target_tracking_configuration {
    predefined_metric_specification {
      predefined_metric_type = "ASGAverageCPUUtilization"
    }
    target_value = 50
  }
}

resource "aws_autoscaling_policy" "step_up" {
  name                   = "asg-stack-add-one"
  autoscaling_group_name = aws_autoscaling_group.app.name
  policy_type            = "SimpleScaling"
  adjustment_type        = "ChangeInCapacity"
  scaling_adjustment     = 1
  cooldown               = 120
}

resource "aws_autoscaling_schedule" "night" {
  scheduled_action_name  = "asg-stack-night"
  autoscaling_group_name = aws_autoscaling_group.app.name
  recurrence             = "0 22 * * *"
  min_size               = 2
  max_size               = 4
  desired_capacity       = 2
}

resource "aws_autoscaling_lifecycle_hook" "flush" {
  name                   = "asg-stack-flush"
  autoscaling_group_name = aws_autoscaling_group.app.name
  lifecycle_transition   = "autoscaling:EC2_INSTANCE_TERMINATING"
  heartbeat_timeout      = 30
  default_result         = "CONTINUE"
}

output "group_name" {
  value = aws_autoscaling_group.app.name
}

output "target_group_arn" {
  value = aws_lb_target_group.app.arn
}
