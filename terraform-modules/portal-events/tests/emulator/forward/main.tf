# A workload account (111111111111, through a role assumed from the main account): forward to the
# central bus.
variable "aws_endpoint" {
  type = string
}

variable "event_bus_arn" {
  type = string
}

provider "aws" {
  region                      = "us-east-1"
  skip_credentials_validation = true
  skip_metadata_api_check     = true

  assume_role {
    role_arn = "arn:aws:iam::111111111111:role/OrganizationAccountAccessRole"
  }

  endpoints {
    events = var.aws_endpoint
    iam    = var.aws_endpoint
    sts    = var.aws_endpoint
  }
}

module "events" {
  source = "../../.."

  name                     = "ecs-deploy-events-forward"
  cluster_arns             = ["arn:aws:ecs:us-east-1:111111111111:cluster/demo-staging"]
  forward_to_event_bus_arn = var.event_bus_arn
}

output "rule_arns" {
  value = module.events.rule_arns
}
