################################################################################
# PostgreSQL: RDS, encrypted, SSL enforced, master password managed by RDS in Secrets Manager
################################################################################

resource "aws_db_subnet_group" "this" {
  name       = var.name
  subnet_ids = var.network.private_subnet_ids

  tags = local.tags
}

resource "aws_db_parameter_group" "this" {
  name        = "${var.name}-postgres${var.database.engine_version}"
  family      = "postgres${var.database.engine_version}"
  description = "PostgreSQL of ${var.name}: connections only over TLS"

  parameter {
    name  = "rds.force_ssl"
    value = "1"
  }

  tags = local.tags

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_security_group" "database" {
  name        = "${var.name}-database"
  description = "PostgreSQL of ${var.name}, reachable from the portal's tasks on 5432"
  vpc_id      = var.network.vpc_id

  tags = merge(local.tags, { Name = "${var.name}-database" })
}

# No rule descriptions here: the security groups' say what they admit (the local emulator drops the
# description of a rule that references a security group).
resource "aws_vpc_security_group_ingress_rule" "database" {
  security_group_id            = aws_security_group.database.id
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
  referenced_security_group_id = module.environment.service_security_group_id

  tags = local.tags
}

resource "aws_db_instance" "this" {
  identifier     = var.name
  engine         = "postgres"
  engine_version = var.database.engine_version
  instance_class = var.database.instance_class

  allocated_storage = var.database.allocated_storage
  storage_type      = "gp3"
  storage_encrypted = true

  db_name                     = "backstage"
  username                    = "backstage"
  manage_master_user_password = true

  db_subnet_group_name   = aws_db_subnet_group.this.name
  vpc_security_group_ids = [aws_security_group.database.id]
  parameter_group_name   = aws_db_parameter_group.this.name
  publicly_accessible    = false
  multi_az               = var.database.multi_az

  backup_retention_period   = var.database.backup_retention_days
  deletion_protection       = var.database.deletion_protection
  skip_final_snapshot       = !var.database.deletion_protection
  final_snapshot_identifier = var.database.deletion_protection ? "${var.name}-final" : null
  apply_immediately         = false

  tags = local.tags
}

################################################################################
# Redis: ElastiCache, TLS in transit, encrypted at rest, AUTH token
################################################################################

resource "aws_elasticache_subnet_group" "this" {
  name       = var.name
  subnet_ids = var.network.private_subnet_ids

  tags = local.tags
}

resource "aws_security_group" "redis" {
  name        = "${var.name}-redis"
  description = "Redis of ${var.name}, reachable from the portal's tasks on 6379"
  vpc_id      = var.network.vpc_id

  tags = merge(local.tags, { Name = "${var.name}-redis" })
}

resource "aws_vpc_security_group_ingress_rule" "redis" {
  security_group_id            = aws_security_group.redis.id
  ip_protocol                  = "tcp"
  from_port                    = 6379
  to_port                      = 6379
  referenced_security_group_id = module.environment.service_security_group_id

  tags = local.tags
}

resource "aws_elasticache_replication_group" "this" {
  replication_group_id = var.name
  description          = "Status cache shared by the replicas of ${var.name}"
  engine               = "redis"
  engine_version       = var.redis.engine_version
  node_type            = var.redis.node_type
  num_cache_clusters   = var.redis.num_cache_clusters
  port                 = 6379

  subnet_group_name  = aws_elasticache_subnet_group.this.name
  security_group_ids = [aws_security_group.redis.id]

  automatic_failover_enabled = var.redis.num_cache_clusters > 1
  multi_az_enabled           = var.redis.num_cache_clusters > 1
  transit_encryption_enabled = true
  at_rest_encryption_enabled = true
  auth_token                 = data.aws_secretsmanager_random_password.redis.random_password

  tags = local.tags

  lifecycle {
    # The token is generated once (secrets.tf); rotate it with auth_token_update_strategy, not by plan.
    ignore_changes = [auth_token]
  }
}
