# The prod stage of the demo: one root, one state. Everything but these values lives in
# ../modules/stage; the provider (emulator endpoints) and the backend stay here.
module "stage" {
  source = "../modules/stage"

  environment   = "prod"
  cidr_block    = "10.30.0.0/16"
  desired_count = 2

  # Backstage entity name => initial image (deploys and promotions change images outside Terraform).
  services = {
    "payments-api"   = { image = "ghcr.io/acme/payments-api:1.3.2" }
    "checkout-web"   = { image = "ghcr.io/acme/checkout-web:2.1.0", deployment_strategy = { type = "canary", canary_percent = 20, canary_bake_time_minutes = 1, bake_time_minutes = 1 } }
    "search-api"     = { image = "ghcr.io/acme/search-api:0.9.1" }
    "search-indexer" = { image = "ghcr.io/acme/search-indexer:2.8.5" }
    "refunds-api"    = { image = "ghcr.io/acme/refunds-api:1.9.0" }
    # A canary whose 30-minute step bake an admin may skip; 1 minute with all the traffic.
    "cart-api" = { image = "ghcr.io/acme/cart-api:1.0.0", deployment_strategy = { type = "canary", canary_percent = 25, canary_bake_time_minutes = 30, bake_time_minutes = 1 } }
    # Blue/green: all the traffic moves at once, then a 30-minute bake an admin may skip (J15).
    "wishlist-api" = { image = "ghcr.io/acme/wishlist-api:1.0.0", deployment_strategy = { type = "blue_green", bake_time_minutes = 30 } }
  }

  tags = {
    "project" = "ecs-deploy-demo"
  }
}
