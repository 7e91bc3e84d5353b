# The staging stage of the demo: one root, one state. Everything but these values lives in
# ../modules/stage; the provider (emulator endpoints) and the backend stay here.
module "stage" {
  source = "../modules/stage"

  environment   = "staging"
  cidr_block    = "10.20.0.0/16"
  desired_count = 1

  # Backstage entity name => initial image (deploys and promotions change images outside Terraform).
  services = {
    "payments-api"   = { image = "ghcr.io/acme/payments-api:1.4.0" }
    "checkout-web"   = { image = "ghcr.io/acme/checkout-web:2.1.0", deployment_strategy = { type = "canary", canary_percent = 20, canary_bake_time_minutes = 1, bake_time_minutes = 1 } }
    "search-api"     = { image = "ghcr.io/acme/search-api:0.9.1" }
    "search-indexer" = { image = "ghcr.io/acme/search-indexer:3.0.0" }
    # Staging only runs the build: no alarms (the portal verifies refunds-api in prod only).
    "refunds-api"  = { image = "ghcr.io/acme/refunds-api:2.0.0", alarms = false }
    "cart-api"     = { image = "ghcr.io/acme/cart-api:1.1.0" }
    "wishlist-api" = { image = "ghcr.io/acme/wishlist-api:1.1.0" }
  }

  tags = {
    "project" = "ecs-deploy-demo"
  }
}
