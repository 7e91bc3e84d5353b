variable "aws_endpoint" {
  description = "Endpoint URL of a local AWS emulator (e.g. http://127.0.0.1:4566 for moto). null (default) uses real AWS."
  type        = string
  default     = null

  validation {
    condition     = var.aws_endpoint == null || can(regex("^https?://[^/]+/?$", coalesce(var.aws_endpoint, "http://x")))
    error_message = "aws_endpoint must be null or a URL such as http://127.0.0.1:4566."
  }
}

variable "region" {
  description = "AWS region the portal runs in (its main account)."
  type        = string
  default     = "us-east-1"
  nullable    = false

  validation {
    condition     = can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]$", var.region))
    error_message = "region must be an AWS region name such as us-east-1."
  }
}

variable "name" {
  description = "Name of the portal's ECS service, cluster, ALB, database and Redis (an ecs-service name: 3-32 lowercase letters, digits and hyphens)."
  type        = string
  default     = "deployment-portal"
  nullable    = false

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}[a-z0-9]$", var.name)) && !strcontains(var.name, "--")
    error_message = "name must match ^[a-z][a-z0-9-]{1,30}[a-z0-9]$ without '--', e.g. deployment-portal."
  }
}

variable "network" {
  description = "Where the portal runs: `vpc_id`, `private_subnet_ids` (tasks, database, Redis; two or more AZs) and `public_subnet_ids` (the internet-facing ALB; two or more AZs)."
  type = object({
    vpc_id             = string
    private_subnet_ids = list(string)
    public_subnet_ids  = list(string)
  })
  nullable = false

  validation {
    condition     = can(regex("^vpc-[0-9a-zA-Z]+$", var.network.vpc_id)) && length(var.network.private_subnet_ids) >= 2 && length(var.network.public_subnet_ids) >= 2 && alltrue([for s in concat(var.network.private_subnet_ids, var.network.public_subnet_ids) : can(regex("^subnet-[0-9a-zA-Z]+$", s))])
    error_message = "network needs a vpc_id (vpc-…) and at least two private_subnet_ids and two public_subnet_ids (subnet-…), in different AZs."
  }
}

variable "certificate_arn" {
  description = "ACM certificate of the portal's host name, for the ALB's HTTPS listener (443; HTTP is not served)."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate/.+$", var.certificate_arn))
    error_message = "certificate_arn must be an ACM certificate ARN, e.g. arn:aws:acm:eu-west-1:123456789012:certificate/0123abcd-…."
  }
}

variable "app_base_url" {
  description = "The portal's public URL (https, the certificate's host name), e.g. https://portal.example.com: app.baseUrl and backend.baseUrl."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^https://[a-z0-9.-]+(:[0-9]+)?$", var.app_base_url))
    error_message = "app_base_url must be an https URL without a path, e.g. https://portal.example.com."
  }
}

variable "image" {
  description = "Initial image of the portal (packages/backend/Dockerfile, e.g. <account>.dkr.ecr.<region>.amazonaws.com/deployment-portal:1.0.0). Later versions are deployed like any service's: write the image parameter, then apply (see the ecs-service README)."
  type        = string
  nullable    = false

  validation {
    condition     = length(trimspace(var.image)) > 0 && !strcontains(var.image, " ")
    error_message = "image must be a non-empty image reference without spaces."
  }
}

variable "portal_role_arns" {
  description = "The portal roles of the workload accounts (portal-access's portal_role_arn in each): the portal's task role may assume them. Give the task role (output task_role_arn) to each portal-access as portal_principal_arns."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for a in var.portal_role_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$", a))])
    error_message = "portal_role_arns must contain IAM role ARNs, e.g. arn:aws:iam::111111111111:role/backstage-ecs-deploy."
  }
}

variable "event_queue_arns" {
  description = "SQS queues of ECS events in this account (portal-events in central mode) the portal consumes with its own task role. Queues in workload accounts are consumed through their portal roles instead."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for a in var.event_queue_arns : can(regex("^arn:aws[a-z-]*:sqs:[a-z0-9-]+:[0-9]{12}:.+$", a))])
    error_message = "event_queue_arns must contain SQS queue ARNs."
  }
}

variable "auth_secrets" {
  description = "Further secrets of the portal's container, environment variable => SSM parameter or Secrets Manager ARN (with an optional `:<json-key>::` suffix), e.g. the sign-in provider's client secret: { AUTH_GITHUB_CLIENT_SECRET = \"arn:aws:secretsmanager:…\" }."
  type        = map(string)
  default     = {}
  nullable    = false

  validation {
    condition     = alltrue([for k, v in var.auth_secrets : can(regex("^[A-Z][A-Z0-9_]*$", k)) && can(regex("^arn:aws[a-z-]*:(ssm|secretsmanager):", v))])
    error_message = "auth_secrets keys must be environment variable names (A-Z, 0-9, _) and values SSM parameter or Secrets Manager ARNs."
  }

  validation {
    condition     = length(setintersection(keys(var.auth_secrets), ["POSTGRES_PASSWORD", "REDIS_URL", "BACKEND_SECRET"])) == 0
    error_message = "auth_secrets must not set POSTGRES_PASSWORD, REDIS_URL or BACKEND_SECRET: this root creates them."
  }
}

variable "terraform_state_bucket" {
  description = "S3 bucket of the Terraform states of services created from the template (TERRAFORM_STATE_BUCKET in app-config.production.yaml)."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.terraform_state_bucket))
    error_message = "terraform_state_bucket must be an S3 bucket name (3-63 lowercase letters, digits, dots and hyphens)."
  }
}

variable "service" {
  description = "Size of the portal's ECS service: `desired_count` (default 2 replicas, they share PostgreSQL and Redis), `cpu` (default 1024) and `memory` (default 2048 MiB), a Fargate combination."
  type = object({
    desired_count = optional(number, 2)
    cpu           = optional(number, 1024)
    memory        = optional(number, 2048)
  })
  default  = {}
  nullable = false

  validation {
    condition     = var.service.desired_count >= 1 && var.service.desired_count <= 10 && floor(var.service.desired_count) == var.service.desired_count
    error_message = "service.desired_count must be a whole number from 1 to 10 (cpu and memory are checked by ecs-service)."
  }
}

variable "database" {
  description = "The PostgreSQL instance (RDS, encrypted, SSL enforced by its parameter group, master password managed by RDS in Secrets Manager): `instance_class`, `allocated_storage` (GiB), `engine_version` (major, e.g. 16), `multi_az`, `deletion_protection` (also keeps a final snapshot), `backup_retention_days`."
  type = object({
    instance_class        = optional(string, "db.t4g.medium")
    allocated_storage     = optional(number, 20)
    engine_version        = optional(string, "16")
    multi_az              = optional(bool, true)
    deletion_protection   = optional(bool, true)
    backup_retention_days = optional(number, 7)
  })
  default  = {}
  nullable = false

  validation {
    condition     = can(regex("^db\\.[a-z0-9]+\\.[a-z0-9]+$", var.database.instance_class)) && var.database.allocated_storage >= 20 && var.database.allocated_storage <= 65536 && contains(["13", "14", "15", "16", "17"], var.database.engine_version) && var.database.backup_retention_days >= 0 && var.database.backup_retention_days <= 35
    error_message = "database: instance_class like db.t4g.medium, allocated_storage 20-65536 GiB, engine_version one of 13, 14, 15, 16, 17, backup_retention_days 0-35."
  }
}

variable "redis" {
  description = "The Redis replication group (ElastiCache, TLS in transit, encrypted at rest, AUTH token): `node_type`, `num_cache_clusters` (1 = no replica; 2 or more: a replica with automatic failover), `engine_version`."
  type = object({
    node_type          = optional(string, "cache.t4g.small")
    num_cache_clusters = optional(number, 2)
    engine_version     = optional(string, "7.1")
  })
  default  = {}
  nullable = false

  validation {
    condition     = can(regex("^cache\\.[a-z0-9]+\\.[a-z0-9]+$", var.redis.node_type)) && var.redis.num_cache_clusters >= 1 && var.redis.num_cache_clusters <= 6 && floor(var.redis.num_cache_clusters) == var.redis.num_cache_clusters
    error_message = "redis: node_type like cache.t4g.small, num_cache_clusters a whole number from 1 to 6."
  }
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
  nullable    = false
}
