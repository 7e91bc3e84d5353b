terraform {
  required_version = ">= 1.7"

  # Local state. Point it elsewhere per run with `apply -state=<path>` (or
  # `init -backend-config=path=<path>`); never commit state.
  backend "local" {}

  # Roots pin the provider (5.100 or a later 5.x); the modules they call only state minimums.
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.100"
    }
  }
}
