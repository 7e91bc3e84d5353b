import type { HumanDuration } from '@backstage/types';

export interface Config {
  ecsDeploy?: {
    /** Settings of the ECS service template's scaffolder actions. */
    scaffolder?: {
      /**
       * Where generated Terraform roots load terraform-modules from: a path relative to the
       * generated repository's root or a git source such as
       * `git::https://github.com/acme/platform//terraform-modules?ref=v1` (what production needs:
       * a repository published to a Git host cannot reach the backend's files). Default: the
       * modules shipped in this package (`terraform-modules/` in the repository when run from its
       * sources), seen from `<localPublishDir>/<name>`.
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
      /**
       * Who applies a new service's Terraform roots when it is created (`ecs-deploy:provision`):
       * `terraform` (the portal runs `terraform init` + `apply`, staging first; the local default),
       * `pipeline` (the repository's own CI, dispatched after publishing) or `none`. Default `none`.
       */
      provision?: 'terraform' | 'pipeline' | 'none';
      /**
       * Image of a new service's first deployment when the template names none, e.g.
       * `ghcr.io/acme/hello-world:1.0.0`. Default `<imageRepository>/<name>:initial`.
       */
      initialImage?: string;
      /** How the portal runs Terraform (provision `terraform`). */
      terraform?: {
        /**
         * The Terraform executable, or a wrapper that execs it (relative to the backend's working
         * directory), e.g. `../../scripts/terraform.sh` for the local provider mirror. Default `terraform`.
         */
        command?: string;
        /**
         * Time limit of one environment, `init` + `apply`, as a Backstage duration
         * (`{ minutes: 10 }`, `'10m'` or `'PT10M'`), at most 3 hours. Past it Terraform is stopped
         * and the task fails naming what did not finish, what exists and how to remove it.
         * Default 10 minutes.
         */
        timeout?: HumanDuration | string;
        /**
         * @deprecated Use `timeout`, e.g. `{ minutes: 10 }`.
         */
        timeoutMinutes?: number;
        /**
         * The environments' endpoints (`ecsDeploy.environments[].endpoint`) are the local AWS
         * emulator: Terraform signs with the emulator's test keys when the backend's environment
         * holds none. Every environment must then have an endpoint. Default false: Terraform gets
         * the backend's own credential chain (environment, profile, instance or task role), with or
         * without an endpoint (a VPC or FIPS endpoint is not an emulator).
         */
        localEmulator?: boolean;
        /**
         * Local backend only: states go to `<stateDir>/<service>/<environment>/terraform.tfstate`
         * (relative to the backend's working directory). Default `<repository root>/.run/terraform-state`.
         */
        stateDir?: string;
      };
      /**
       * The role every generated root's AWS provider assumes in its environment's account
       * (`ecsDeploy.environments[].accountId`, required on every environment when this is set):
       * portal-access's Terraform role, e.g. `ecs-deploy-terraform`. Rendered as the roots'
       * `aws_role_arn` and `aws_external_id` defaults. Unset: roots run with the caller's credentials.
       */
      terraformRole?: {
        /** Name of the role in each account. */
        roleName: string;
        /** External ID its trust policy requires (`sts:ExternalId`). */
        externalId?: string;
      };
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
