# The portal itself on ECS: its cluster and internet-facing ALB (HTTPS) from ecs-environment, the
# backend container (packages/backend/Dockerfile) from ecs-service, PostgreSQL and Redis
# (stores.tf) and its secrets (secrets.tf). See README.md.

locals {
  tags = merge(var.tags, { "backstage:entity-ref" = "component:default/${var.name}" })

  container_secrets = merge(var.auth_secrets, {
    # The password of the RDS-managed master user secret (a JSON document with username and password).
    POSTGRES_PASSWORD = "${aws_db_instance.this.master_user_secret[0].secret_arn}:password::"
    REDIS_URL         = aws_secretsmanager_secret.redis_url.arn
    BACKEND_SECRET    = aws_secretsmanager_secret.backend.arn
  })
}

module "environment" {
  source = "../../ecs-environment"

  name               = var.name
  environment        = "portal"
  vpc_id             = var.network.vpc_id
  private_subnet_ids = var.network.private_subnet_ids
  public_subnet_ids  = var.network.public_subnet_ids
  container_insights = true

  alb = {
    certificate_arn = var.certificate_arn
  }

  tags = var.tags
}

module "service" {
  source = "../../ecs-service"

  name        = var.name
  entity_ref  = "component:default/${var.name}"
  environment = module.environment.service_environment

  cpu           = var.service.cpu
  memory        = var.service.memory
  desired_count = var.service.desired_count

  load_balancer = {
    priority          = 1
    path_patterns     = ["/*"]
    health_check_path = "/.backstage/health/v1/readiness"
  }
  health_check_grace_period_seconds = 180

  containers = [{
    name  = "backstage"
    image = var.image
    port  = 7007
    environment = {
      APP_BASE_URL           = var.app_base_url
      BACKEND_BASE_URL       = var.app_base_url
      POSTGRES_HOST          = aws_db_instance.this.address
      POSTGRES_PORT          = tostring(aws_db_instance.this.port)
      POSTGRES_USER          = aws_db_instance.this.username
      TERRAFORM_STATE_BUCKET = var.terraform_state_bucket
      AWS_REGION             = var.region
      # node-postgres reads PGSSLMODE: TLS to RDS, verified against RDS's CA bundle in the image.
      PGSSLMODE           = "verify-full"
      NODE_EXTRA_CA_CERTS = "/etc/ssl/certs/rds-global-bundle.pem"
    }
    secrets = local.container_secrets
  }]

  task_role_policy_json = local.task_role_policy_json

  tags = var.tags
}

# The portal's own identity (its principal in every portal-access trust policy): assume the workload
# accounts' portal roles, and consume event queues of this account.
locals {
  task_role_statements = concat(
    length(var.portal_role_arns) == 0 ? [] : [{
      Sid      = "AssumePortalRoles"
      Effect   = "Allow"
      Action   = ["sts:AssumeRole"]
      Resource = var.portal_role_arns
    }],
    length(var.event_queue_arns) == 0 ? [] : [{
      Sid      = "ConsumeEcsEvents"
      Effect   = "Allow"
      Action   = ["sqs:ReceiveMessage", "sqs:DeleteMessage"]
      Resource = var.event_queue_arns
    }],
  )
  task_role_policy_json = length(local.task_role_statements) == 0 ? null : jsonencode({ Version = "2012-10-17", Statement = local.task_role_statements })
}
