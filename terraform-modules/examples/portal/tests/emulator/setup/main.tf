# What the portal example needs that a real account already has: a VPC with two public and two
# private subnets, and a certificate (requested, DNS validation: enough for the emulator's ALB).
terraform {
  required_providers {
    aws = {
      source = "hashicorp/aws"
    }
  }
}

# Run as the root of the test's first run: its own provider, on the emulator given with -var.
variable "aws_endpoint" {
  type = string
}

provider "aws" {
  region                      = "us-east-1"
  skip_credentials_validation = true
  skip_metadata_api_check     = true

  endpoints {
    acm = var.aws_endpoint
    ec2 = var.aws_endpoint
    sts = var.aws_endpoint
  }
}

data "aws_availability_zones" "available" {
  state = "available"
}

resource "aws_vpc" "this" {
  cidr_block = "10.40.0.0/16"
}

resource "aws_subnet" "this" {
  for_each = { public-0 = 0, public-1 = 1, private-0 = 2, private-1 = 3 }

  vpc_id            = aws_vpc.this.id
  cidr_block        = cidrsubnet(aws_vpc.this.cidr_block, 4, each.value)
  availability_zone = data.aws_availability_zones.available.names[each.value % 2]
}

resource "aws_acm_certificate" "this" {
  domain_name       = "portal.example.com"
  validation_method = "DNS"
}

output "network" {
  value = {
    vpc_id             = aws_vpc.this.id
    public_subnet_ids  = [aws_subnet.this["public-0"].id, aws_subnet.this["public-1"].id]
    private_subnet_ids = [aws_subnet.this["private-0"].id, aws_subnet.this["private-1"].id]
  }
}

output "certificate_arn" {
  value = aws_acm_certificate.this.arn
}
