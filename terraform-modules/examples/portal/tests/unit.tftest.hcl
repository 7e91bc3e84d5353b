# Unit tests: plan only, against a mocked AWS provider (the emulator apply is tests/emulator/).
mock_provider "aws" {
  mock_data "aws_region" {
    defaults = {
      name = "eu-west-1"
    }
  }

  mock_data "aws_secretsmanager_random_password" {
    defaults = {
      random_password = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZab"
    }
  }

  mock_resource "aws_db_instance" {
    override_during = plan
    defaults = {
      address            = "deployment-portal.abcdefghijkl.eu-west-1.rds.amazonaws.com"
      port               = 5432
      master_user_secret = [{ secret_arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-0123-AbCdEf", kms_key_id = "", secret_status = "active" }]
    }
  }

  mock_resource "aws_elasticache_replication_group" {
    override_during = plan
    defaults = {
      primary_endpoint_address = "master.deployment-portal.abcdef.euw1.cache.amazonaws.com"
    }
  }

  mock_resource "aws_secretsmanager_secret" {
    override_during = plan
    defaults = {
      arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:deployment-portal/secret-AbCdEf"
    }
  }

  mock_resource "aws_lb_listener" {
    override_during = plan
    defaults = {
      arn = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/deployment-portal/50dc6c495c0c9188/f2f7dc8efc522ab2"
    }
  }

  mock_resource "aws_iam_role" {
    override_during = plan
    defaults = {
      arn = "arn:aws:iam::123456789012:role/deployment-portal-portal-task"
    }
  }
}

variables {
  network = {
    vpc_id             = "vpc-0123456789abcdef0"
    private_subnet_ids = ["subnet-0a", "subnet-0b"]
    public_subnet_ids  = ["subnet-1a", "subnet-1b"]
  }
  certificate_arn        = "arn:aws:acm:eu-west-1:123456789012:certificate/0123abcd-0000-0000-0000-000000000000"
  app_base_url           = "https://portal.example.com"
  image                  = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/deployment-portal:1.0.0"
  terraform_state_bucket = "acme-terraform-states"
  portal_role_arns       = ["arn:aws:iam::111111111111:role/backstage-ecs-deploy", "arn:aws:iam::222222222222:role/backstage-ecs-deploy"]
  auth_secrets           = { AUTH_GITHUB_CLIENT_SECRET = "arn:aws:ssm:eu-west-1:123456789012:parameter/portal/github-client-secret" }
}

run "portal" {
  command = plan

  assert {
    condition     = module.environment.listener_protocol == "HTTPS"
    error_message = "The portal is served over HTTPS only, from an ALB with the given certificate."
  }

  assert {
    condition     = one(aws_db_parameter_group.this.parameter).name == "rds.force_ssl" && one(aws_db_parameter_group.this.parameter).value == "1" && aws_db_instance.this.parameter_group_name == aws_db_parameter_group.this.name
    error_message = "PostgreSQL refuses connections without TLS."
  }

  assert {
    condition     = aws_db_instance.this.storage_encrypted && aws_db_instance.this.manage_master_user_password && !aws_db_instance.this.publicly_accessible && aws_db_instance.this.deletion_protection && aws_db_instance.this.multi_az
    error_message = "The database is encrypted, private, protected, multi-AZ, with its password managed by RDS."
  }

  assert {
    condition     = aws_elasticache_replication_group.this.transit_encryption_enabled && aws_elasticache_replication_group.this.at_rest_encryption_enabled && aws_elasticache_replication_group.this.automatic_failover_enabled && length(aws_elasticache_replication_group.this.auth_token) == 64
    error_message = "Redis: TLS in transit, encrypted at rest, an AUTH token, a replica with failover."
  }

  assert {
    condition     = aws_secretsmanager_secret_version.redis_url.secret_string == "rediss://:0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZab@master.deployment-portal.abcdef.euw1.cache.amazonaws.com:6379"
    error_message = "REDIS_URL is a TLS (rediss) URL with the AUTH token to the primary endpoint."
  }

  assert {
    condition = output.secret_arns == {
      AUTH_GITHUB_CLIENT_SECRET = "arn:aws:ssm:eu-west-1:123456789012:parameter/portal/github-client-secret"
      BACKEND_SECRET            = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:deployment-portal/secret-AbCdEf"
      POSTGRES_PASSWORD         = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-0123-AbCdEf:password::"
      REDIS_URL                 = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:deployment-portal/secret-AbCdEf"
    }
    error_message = "The database password, Redis URL, backend secret and auth secrets reach the container as secrets."
  }

  assert {
    condition     = one([for s in jsondecode(output.task_role_policy_json).Statement : s if s.Sid == "AssumePortalRoles"]).Resource == ["arn:aws:iam::111111111111:role/backstage-ecs-deploy", "arn:aws:iam::222222222222:role/backstage-ecs-deploy"]
    error_message = "The portal's task role may assume the workload accounts' portal roles."
  }

  assert {
    condition     = output.task_role_arn == "arn:aws:iam::123456789012:role/deployment-portal-portal-task"
    error_message = "The task role is the portal's principal (portal-access's portal_principal_arns)."
  }
}

run "rejects_an_http_base_url" {
  command = plan

  variables {
    app_base_url = "http://portal.example.com"
  }

  expect_failures = [var.app_base_url]
}

run "rejects_a_certificate_that_is_no_acm_arn" {
  command = plan

  variables {
    certificate_arn = "arn:aws:iam::123456789012:server-certificate/portal"
  }

  expect_failures = [var.certificate_arn]
}

run "rejects_one_private_subnet" {
  command = plan

  variables {
    network = { vpc_id = "vpc-0123456789abcdef0", private_subnet_ids = ["subnet-0a"], public_subnet_ids = ["subnet-1a", "subnet-1b"] }
  }

  expect_failures = [var.network]
}

run "rejects_an_auth_secret_named_like_a_managed_one" {
  command = plan

  variables {
    auth_secrets = { POSTGRES_PASSWORD = "arn:aws:ssm:eu-west-1:123456789012:parameter/x" }
  }

  expect_failures = [var.auth_secrets]
}

run "rejects_a_portal_role_that_is_no_role_arn" {
  command = plan

  variables {
    portal_role_arns = ["arn:aws:iam::111111111111:user/portal"]
  }

  expect_failures = [var.portal_role_arns]
}
