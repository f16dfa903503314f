# A Multi-AZ PostgreSQL instance in a DB subnet group over two zones of its own VPC.
# The test fixture (RdsStackFixture) passes var.endpoint; every resource carries Stack=rds-stack
# through default_tags.

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
  skip_requesting_account_id  = false

  endpoints {
    ec2 = var.endpoint
    iam = var.endpoint
    rds = var.endpoint
    sts = var.endpoint
  }

  default_tags {
    tags = {
      Stack = "rds-stack"
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
  cidr_block = "10.30.0.0/16"
  tags       = { Name = "rds-stack" }
}

resource "aws_subnet" "db" {
  count             = 2
  vpc_id            = aws_vpc.main.id
  cidr_block        = cidrsubnet(aws_vpc.main.cidr_block, 8, count.index)
  availability_zone = local.azs[count.index]
  tags              = { Name = "rds-stack-db-${local.azs[count.index]}" }
}

resource "aws_db_subnet_group" "db" {
  name        = "rds-stack"
  description = "database tier"
  subnet_ids  = aws_subnet.db[*].id
}

resource "aws_db_instance" "orders" {
  identifier           = "rds-stack-orders"
  engine               = "postgres"
  instance_class       = "db.t3.micro"
  allocated_storage    = 20
  username             = "app"
  password             = "not-a-real-secret"
  db_subnet_group_name = aws_db_subnet_group.db.name
  multi_az             = true
  skip_final_snapshot  = true
}

output "db_instance_id" {
  value = aws_db_instance.orders.identifier
}

output "db_endpoint" {
  value = aws_db_instance.orders.address
}
