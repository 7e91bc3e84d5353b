terraform {
  required_version = ">= 1.7"

  # Local state. Point it elsewhere per run with `apply -state=<path>` (or
  # `init -backend-config=path=<path>`); never commit state.
  backend "local" {}

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.37"
    }
  }
}
