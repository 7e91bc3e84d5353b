variable "environments" {
  description = "The portal's environments in this account: `name` as the portal knows it (e.g. staging) and `cluster_arn` of its ECS cluster. Every permission is scoped to these clusters and to the names ecs-service derives from the environment (`/ecs-deploy/<name>/…` parameters, `/ecs/<name>/…` log groups, `<service>-<name>` task families and roles). All clusters must be in the same account, the one the roles are created in."
  type = list(object({
    name        = string
    cluster_arn = string
  }))
  nullable = false

  validation {
    condition     = length(var.environments) > 0 && length(distinct([for e in var.environments : e.name])) == length(var.environments)
    error_message = "environments must list at least one environment, each name once."
  }

  validation {
    condition     = alltrue([for e in var.environments : can(regex("^[a-z][a-z0-9-]{1,20}$", e.name))])
    error_message = "every environments[].name must match ^[a-z][a-z0-9-]{1,20}$ (e.g. staging, prod)."
  }

  validation {
    condition     = alltrue([for e in var.environments : can(regex("^arn:aws[a-z-]*:ecs:[a-z0-9-]+:[0-9]{12}:cluster/[A-Za-z0-9_-]{1,255}$", e.cluster_arn))])
    error_message = "every environments[].cluster_arn must be an ECS cluster ARN, e.g. arn:aws:ecs:eu-west-1:111111111111:cluster/platform-staging."
  }

  validation {
    condition     = length(distinct([for e in var.environments : try(join(":", slice(split(":", e.cluster_arn), 1, 5)), e.cluster_arn)])) <= 1
    error_message = "all environments[].cluster_arn must be in one partition, region and account: this module is applied once per account (and region)."
  }
}

variable "portal_principal_arns" {
  description = "IAM principals allowed to assume the portal role: the portal's own identity in the main account (its ECS task role, e.g. arn:aws:iam::123456789012:role/backstage-portal-task) or an account root (arn:aws:iam::123456789012:root, any principal of that account allowed by its own policies)."
  type        = list(string)
  nullable    = false

  validation {
    condition     = length(var.portal_principal_arns) > 0 && alltrue([for a in var.portal_principal_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:(root|role/.+|user/.+)$", a))])
    error_message = "portal_principal_arns must list at least one IAM principal ARN: arn:aws:iam::<account>:root, :role/<name> or :user/<name>."
  }
}

variable "external_id" {
  description = "External ID the portal must present when it assumes the portal role (`sts:ExternalId`; the backend's `aws.accounts[].externalId`). 2-1224 characters of letters, digits and +=,.@:/-_."
  type        = string
  nullable    = false

  validation {
    condition     = length(var.external_id) >= 2 && length(var.external_id) <= 1224 && can(regex("^[A-Za-z0-9+=,.@:/_-]+$", var.external_id))
    error_message = "external_id must be 2-1224 characters of letters, digits and +=,.@:/-_ (the characters STS accepts)."
  }
}

variable "portal_role_name" {
  description = "Name of the role the portal assumes in this account (the backend's `aws.accounts[].roleName`)."
  type        = string
  default     = "backstage-ecs-deploy"
  nullable    = false

  validation {
    condition     = can(regex("^[A-Za-z0-9+=,.@_-]{1,64}$", var.portal_role_name))
    error_message = "portal_role_name must be 1-64 characters of letters, digits and +=,.@_-."
  }
}

variable "managed_role_path" {
  description = "IAM path of the task and execution roles ecs-service creates (its `iam_role_path`, default \"/\"). The portal may pass only roles under this path named `<service>-<environment>-task` or `-execution`."
  type        = string
  default     = "/"
  nullable    = false

  validation {
    condition     = can(regex("^/([A-Za-z0-9+=,.@_-]+/)*$", var.managed_role_path)) && length(var.managed_role_path) <= 512
    error_message = "managed_role_path must start and end with / (e.g. / or /ecs-deploy/), with segments of letters, digits and +=,.@_-."
  }
}

variable "additional_portal_policies" {
  description = "Further inline policies of the portal role, name => policy JSON, e.g. `{ events = module.portal_events.consumer_policy_json }` (the keys must be known at plan time; the values may be computed)."
  type        = map(string)
  default     = {}
  nullable    = false

  validation {
    condition     = alltrue([for k in keys(var.additional_portal_policies) : can(regex("^[A-Za-z0-9+=,.@_-]{1,100}$", k)) && k != "ecs-deploy"])
    error_message = "additional_portal_policies keys are inline policy names: 1-100 characters of letters, digits and +=,.@_-, not \"ecs-deploy\" (the module's own policy)."
  }
}

variable "terraform_role" {
  description = <<-EOT
    The separate role Terraform assumes to provision services in this account (a CI pipeline, the portal's `provision` step).
    `null` (default) creates none. `name` (default ecs-deploy-terraform), `principal_arns` allowed to assume it, optional
    `external_id`, and `manage_environments` (default false): also create and change what ecs-environment and the demo
    network create (ECS clusters of `environments`, their ALB, security groups, VPCs and subnets, the environment document).
  EOT
  type = object({
    name                = optional(string, "ecs-deploy-terraform")
    principal_arns      = list(string)
    external_id         = optional(string)
    manage_environments = optional(bool, false)
  })
  default = null

  validation {
    condition     = var.terraform_role == null || try(can(regex("^[A-Za-z0-9+=,.@_-]{1,64}$", var.terraform_role.name)), false)
    error_message = "terraform_role.name must be 1-64 characters of letters, digits and +=,.@_-."
  }

  validation {
    condition     = var.terraform_role == null || try(length(var.terraform_role.principal_arns) > 0 && alltrue([for a in var.terraform_role.principal_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:(root|role/.+|user/.+)$", a))]), false)
    error_message = "terraform_role.principal_arns must list at least one IAM principal ARN: arn:aws:iam::<account>:root, :role/<name> or :user/<name>."
  }

  validation {
    condition     = var.terraform_role == null || try(var.terraform_role.external_id == null ? true : (length(var.terraform_role.external_id) >= 2 && length(var.terraform_role.external_id) <= 1224 && can(regex("^[A-Za-z0-9+=,.@:/_-]+$", var.terraform_role.external_id))), false)
    error_message = "terraform_role.external_id must be null or 2-1224 characters of letters, digits and +=,.@:/-_."
  }
}

variable "max_session_duration" {
  description = "Maximum session duration of both roles, in seconds (3600-43200)."
  type        = number
  default     = 3600
  nullable    = false

  validation {
    condition     = var.max_session_duration >= 3600 && var.max_session_duration <= 43200 && floor(var.max_session_duration) == var.max_session_duration
    error_message = "max_session_duration must be a whole number of seconds from 3600 to 43200."
  }
}

variable "tags" {
  description = "Tags added to both roles."
  type        = map(string)
  default     = {}
  nullable    = false
}
