# The portal example applied to the local AWS emulator (scripts/test-terraform.sh runs it with
# -test-directory=tests/emulator -var aws_endpoint=<emulator>); terraform test destroys it after.
# Everything but Redis: moto 5.2 creates an ElastiCache replication group without its member cache
# clusters, which the provider then cannot read; the replication group and REDIS_URL's value are
# covered by tests/unit.tftest.hcl (mocked provider) only.
variables {
  app_base_url           = "https://portal.example.com"
  image                  = "ghcr.io/acme/deployment-portal:1.0.0"
  terraform_state_bucket = "acme-terraform-states"
  portal_role_arns       = ["arn:aws:iam::111111111111:role/backstage-ecs-deploy"]
  database               = { deletion_protection = false, multi_az = false }
}

run "setup" {
  module {
    source = "./tests/emulator/setup"
  }
}

run "apply" {
  variables {
    network         = run.setup.network
    certificate_arn = run.setup.certificate_arn
  }

  # The service needs the REDIS_URL secret, not its value (the version, which needs Redis's endpoint).
  plan_options {
    target = [
      module.environment, module.service, aws_db_instance.this, aws_vpc_security_group_ingress_rule.database,
      aws_secretsmanager_secret_version.backend, aws_secretsmanager_secret.redis_url,
    ]
  }

  assert {
    condition     = endswith(output.alb_dns_name, ".elb.amazonaws.com") && startswith(output.cluster_arn, "arn:aws:ecs:us-east-1:123456789012:cluster/deployment-portal")
    error_message = "The portal's cluster and load balancer exist."
  }

  assert {
    condition     = aws_db_instance.this.storage_encrypted && aws_db_instance.this.master_user_secret[0].secret_arn != "" && one([for p in aws_db_parameter_group.this.parameter : p.value if p.name == "rds.force_ssl"]) == "1"
    error_message = "PostgreSQL is encrypted, forces SSL and has an RDS-managed master secret."
  }

  assert {
    condition     = output.secret_arns["POSTGRES_PASSWORD"] == "${aws_db_instance.this.master_user_secret[0].secret_arn}:password::" && output.service_arn == "arn:aws:ecs:us-east-1:123456789012:service/deployment-portal/deployment-portal" && startswith(output.task_role_arn, "arn:aws:iam::123456789012:role/")
    error_message = "The portal's service runs with its secrets; its task role is the portal's principal."
  }
}
