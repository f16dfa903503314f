# A two-AZ VPC stack: 2 public and 2 private subnets, an internet gateway, one NAT gateway (with
# its EIP) per AZ, public and private route tables, three security groups that reference each
# other, a key pair, a launch template and 2 instances from it in the private subnets.
# The test fixture (VpcStackFixture) passes var.endpoint; every resource carries Stack=vpc-stack
# through default_tags, which is what the test's DescribeX calls filter on.

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
  # false, unlike the usual emulator recipe: the provider then learns the account from
  # sts:GetCallerIdentity (served by the node). With true its account id is "", and every
  # aws_vpc_security_group_*_rule that references a group reads back "<userId>/sg-..." (the
  # userId that DescribeSecurityGroupRules returns, as AWS does) instead of "sg-...": a change
  # in every plan. Seen against moto_server: 4 rules drift with true, none with false.
  skip_requesting_account_id = false

  # iam too: with the account lookup on, the provider first tries iam:GetUser (the node answers
  # InvalidAction, and the provider falls back to sts:GetCallerIdentity); without it, that call
  # would go to iam.amazonaws.com.
  endpoints {
    ec2 = var.endpoint
    iam = var.endpoint
    sts = var.endpoint
  }

  default_tags {
    tags = {
      Stack = "vpc-stack"
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
  cidr_block           = "10.20.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
  tags                 = { Name = "vpc-stack" }
}

resource "aws_subnet" "public" {
  count                   = 2
  vpc_id                  = aws_vpc.main.id
  cidr_block              = cidrsubnet(aws_vpc.main.cidr_block, 8, count.index)
  availability_zone       = local.azs[count.index]
  map_public_ip_on_launch = true
  tags                    = { Name = "vpc-stack-public-${local.azs[count.index]}", Tier = "public" }
}

resource "aws_subnet" "private" {
  count             = 2
  vpc_id            = aws_vpc.main.id
  cidr_block        = cidrsubnet(aws_vpc.main.cidr_block, 8, count.index + 10)
  availability_zone = local.azs[count.index]
  tags              = { Name = "vpc-stack-private-${local.azs[count.index]}", Tier = "private" }
}

resource "aws_internet_gateway" "main" {
  vpc_id = aws_vpc.main.id
  tags   = { Name = "vpc-stack" }
}

resource "aws_eip" "nat" {
  count      = 2
  domain     = "vpc"
  tags       = { Name = "vpc-stack-nat-${local.azs[count.index]}" }
  depends_on = [aws_internet_gateway.main]
}

resource "aws_nat_gateway" "main" {
  count         = 2
  allocation_id = aws_eip.nat[count.index].id
  subnet_id     = aws_subnet.public[count.index].id
  tags          = { Name = "vpc-stack-${local.azs[count.index]}" }
  depends_on    = [aws_internet_gateway.main]
}

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.main.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.main.id
  }
  tags = { Name = "vpc-stack-public" }
}

resource "aws_route_table_association" "public" {
  count          = 2
  subnet_id      = aws_subnet.public[count.index].id
  route_table_id = aws_route_table.public.id
}

resource "aws_route_table" "private" {
  count  = 2
  vpc_id = aws_vpc.main.id
  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.main[count.index].id
  }
  tags = { Name = "vpc-stack-private-${local.azs[count.index]}" }
}

resource "aws_route_table_association" "private" {
  count          = 2
  subnet_id      = aws_subnet.private[count.index].id
  route_table_id = aws_route_table.private[count.index].id
}

# Security groups. bastion keeps its rules inline (AuthorizeSecurityGroupIngress/Egress through
# aws_security_group); web and app reference each other, which needs standalone rule resources
# (aws_vpc_security_group_*_rule: security group rule ids, DescribeSecurityGroupRules).
resource "aws_security_group" "bastion" {
  name        = "vpc-stack-bastion"
  description = "SSH from the office"
  vpc_id      = aws_vpc.main.id

  ingress {
    description = "ssh"
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["203.0.113.0/24"]
  }

  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_security_group" "web" {
  name        = "vpc-stack-web"
  description = "Web tier"
  vpc_id      = aws_vpc.main.id
}

resource "aws_security_group" "app" {
  name        = "vpc-stack-app"
  description = "App tier"
  vpc_id      = aws_vpc.main.id
}

resource "aws_vpc_security_group_ingress_rule" "web_http" {
  security_group_id = aws_security_group.web.id
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "tcp"
  from_port         = 80
  to_port           = 80
}

resource "aws_vpc_security_group_ingress_rule" "web_ssh_from_bastion" {
  security_group_id            = aws_security_group.web.id
  referenced_security_group_id = aws_security_group.bastion.id
  ip_protocol                  = "tcp"
  from_port                    = 22
  to_port                      = 22
}

resource "aws_vpc_security_group_egress_rule" "web_to_app" {
  security_group_id            = aws_security_group.web.id
  referenced_security_group_id = aws_security_group.app.id
  ip_protocol                  = "tcp"
  from_port                    = 8080
  to_port                      = 8080
}

resource "aws_vpc_security_group_ingress_rule" "app_from_web" {
  security_group_id            = aws_security_group.app.id
  referenced_security_group_id = aws_security_group.web.id
  ip_protocol                  = "tcp"
  from_port                    = 8080
  to_port                      = 8080
}

resource "aws_vpc_security_group_ingress_rule" "app_ssh_from_bastion" {
  security_group_id            = aws_security_group.app.id
  referenced_security_group_id = aws_security_group.bastion.id
  ip_protocol                  = "tcp"
  from_port                    = 22
  to_port                      = 22
}

resource "aws_vpc_security_group_egress_rule" "app_all" {
  security_group_id = aws_security_group.app.id
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "-1"
}

resource "aws_key_pair" "deployer" {
  key_name   = "vpc-stack"
  public_key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIC5tC1KOEfgvPbqMAWNOTs54VFSN+8Z0nIgJHZvLaspT vpc-stack"
}

resource "aws_launch_template" "app" {
  name                   = "vpc-stack-app"
  image_id               = var.image_id
  instance_type          = "t3.micro"
  key_name               = aws_key_pair.deployer.key_name
  vpc_security_group_ids = [aws_security_group.app.id]

  metadata_options {
    http_endpoint = "enabled"
    http_tokens   = "required"
  }

  tag_specifications {
    resource_type = "instance"
    tags          = { Tier = "app" }
  }
}

resource "aws_instance" "app" {
  count     = 2
  subnet_id = aws_subnet.private[count.index].id

  launch_template {
    id      = aws_launch_template.app.id
    version = "$Latest"
  }

  tags = { Name = "vpc-stack-app-${count.index}" }
}

output "vpc_id" { value = aws_vpc.main.id }
output "public_subnet_ids" { value = aws_subnet.public[*].id }
output "private_subnet_ids" { value = aws_subnet.private[*].id }
output "internet_gateway_id" { value = aws_internet_gateway.main.id }
output "nat_gateway_ids" { value = aws_nat_gateway.main[*].id }
output "eip_allocation_ids" { value = aws_eip.nat[*].id }
output "route_table_ids" { value = concat([aws_route_table.public.id], aws_route_table.private[*].id) }
output "security_group_ids" { value = [aws_security_group.bastion.id, aws_security_group.web.id, aws_security_group.app.id] }
output "key_pair_id" { value = aws_key_pair.deployer.key_pair_id }
output "launch_template_id" { value = aws_launch_template.app.id }
output "instance_ids" { value = aws_instance.app[*].id }
