################################################################################
# Secrets of the portal's container (its execution role may read exactly these, see ecs-service)
################################################################################

# Generated values are read once more at every plan, so every consumer keeps the first one
# (ignore_changes). They are in the state, as the AUTH token must be anyway (ElastiCache takes it as a
# plain argument; a write-only value could not be tested with a mocked provider): keep the state
# encrypted and private (an S3 backend with encryption and tight access).
data "aws_secretsmanager_random_password" "redis" {
  password_length     = 64
  exclude_punctuation = true
}

resource "aws_secretsmanager_secret" "redis_url" {
  name        = "${var.name}/redis-url"
  description = "REDIS_URL of ${var.name}: rediss://:<AUTH token>@<primary endpoint>:6379"

  tags = local.tags
}

resource "aws_secretsmanager_secret_version" "redis_url" {
  secret_id     = aws_secretsmanager_secret.redis_url.id
  secret_string = "rediss://:${data.aws_secretsmanager_random_password.redis.random_password}@${aws_elasticache_replication_group.this.primary_endpoint_address}:${aws_elasticache_replication_group.this.port}"

  lifecycle {
    ignore_changes = [secret_string]
  }
}

# The backend's own secret, e.g. a static token for backend.auth.externalAccess.
data "aws_secretsmanager_random_password" "backend" {
  password_length     = 64
  exclude_punctuation = true
}

resource "aws_secretsmanager_secret" "backend" {
  name        = "${var.name}/backend-secret"
  description = "BACKEND_SECRET of ${var.name}"

  tags = local.tags
}

resource "aws_secretsmanager_secret_version" "backend" {
  secret_id     = aws_secretsmanager_secret.backend.id
  secret_string = data.aws_secretsmanager_random_password.backend.random_password

  lifecycle {
    ignore_changes = [secret_string]
  }
}
