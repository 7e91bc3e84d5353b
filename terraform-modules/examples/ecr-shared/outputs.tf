output "repository_urls" {
  description = "Repository name => URL (<account>.dkr.ecr.<region>.amazonaws.com/<name>): the image references of the services' containers."
  value       = { for name, r in aws_ecr_repository.this : name => r.repository_url }
}

output "repository_policy_json" {
  description = "The policy of every repository, JSON."
  value       = jsonencode(local.repository_policy)
}
