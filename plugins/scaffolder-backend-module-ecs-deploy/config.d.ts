export interface Config {
  ecsDeploy?: {
    /** Settings of the ECS service template's scaffolder actions. */
    scaffolder?: {
      /**
       * Where generated Terraform roots load terraform-modules from: a path relative to the
       * generated repository's root (default `../../../terraform-modules`, this repository's modules
       * seen from `.run/published/<name>`) or a git source such as
       * `git::https://github.com/acme/platform//terraform-modules?ref=v1`.
       */
      modulesSource?: string;
      /** Image repository prefix for services built from their own Dockerfile. Default ghcr.io/acme. */
      imageRepository?: string;
      /** Region used when neither the input nor the environment configures one. Default us-east-1. */
      defaultRegion?: string;
      /**
       * Directory `ecs-deploy:publish-local` copies new repositories into, relative to the backend's
       * working directory. Default `<repository root>/.run/published`.
       */
      localPublishDir?: string;
      /**
       * Let the catalog accept `file` locations, which `ecs-deploy:publish-local` registers.
       * Only for the local default (anyone who may create locations could register files of the
       * backend host). Default false.
       */
      allowFileLocations?: boolean;
      /** State backend of the generated roots. Default `local`. */
      backend?: {
        /** `none` (no backend block), `local` or `s3`. */
        type: 'none' | 'local' | 's3';
        /** S3 bucket (type s3). */
        bucket?: string;
        /** Key prefix (type s3); the key is `<keyPrefix>/<service>/<environment>/terraform.tfstate`. */
        keyPrefix?: string;
        /** Region of the bucket (type s3). Default the environment's region. */
        region?: string;
        /** DynamoDB lock table (type s3). Without it, S3 native locking (`use_lockfile`, Terraform >= 1.10). */
        dynamodbTable?: string;
      };
    };
  };
}
