# The portal's account (the emulator's main account): the central bus and the queue.
variable "aws_endpoint" {
  type = string
}

provider "aws" {
  region                      = "us-east-1"
  skip_credentials_validation = true
  skip_metadata_api_check     = true

  endpoints {
    events = var.aws_endpoint
    iam    = var.aws_endpoint
    sqs    = var.aws_endpoint
    sts    = var.aws_endpoint
  }
}

module "events" {
  source = "../../.."

  name               = "ecs-deploy-events-central"
  source_account_ids = ["111111111111"]
}

output "event_bus_arn" {
  value = module.events.event_bus_arn
}

output "queue_arn" {
  value = module.events.queue_arn
}

output "rule_arns" {
  value = module.events.rule_arns
}
