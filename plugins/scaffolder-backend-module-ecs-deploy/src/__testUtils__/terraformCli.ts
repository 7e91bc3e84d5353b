import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { execFile, execFileSync } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import type { EcsDeployScaffolderOptions } from '../config';
import {
  createRenderServiceAction,
  RenderServiceInput,
} from '../actions/renderService';
import { testOptions } from './fixtures';

const exec = promisify(execFile);
export const REPO_ROOT = path.resolve(__dirname, '../../../..');
export const TERRAFORM_SH = path.join(REPO_ROOT, 'scripts/terraform.sh');

function hasTerraform(): boolean {
  try {
    execFileSync('terraform', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const terraformAvailable = hasTerraform();
if (!terraformAvailable) {
  // eslint-disable-next-line no-console
  console.warn(
    'SKIPPED terraform tests of the generated roots: `terraform` is not on PATH',
  );
}
/** `describe`, or `describe.skip` (with a warning) when `terraform` is not on PATH. */
export const describeTf = terraformAvailable ? describe : describe.skip;

/** `scripts/terraform.sh -chdir=<dir> ...args` with `env`; each call's duration in `timings`. */
export function terraformCli(env: NodeJS.ProcessEnv) {
  const timings: string[] = [];
  async function tf(dir: string, ...args: string[]) {
    const started = Date.now();
    try {
      return await exec(TERRAFORM_SH, [`-chdir=${dir}`, ...args], {
        env,
        maxBuffer: 64 * 1024 * 1024,
      });
    } catch (e: any) {
      throw new Error(
        `terraform ${args.join(' ')} in ${dir} failed:\n${e.stdout}\n${
          e.stderr
        }`,
      );
    } finally {
      timings.push(
        `${((Date.now() - started) / 1000).toFixed(1)}s terraform ${
          args[0]
        } ${path.basename(dir)}`,
      );
    }
  }
  return { tf, timings };
}

/**
 * Renders a service with the render-service action into `<root>/<name>`, next to a symlink
 * `<root>/terraform-modules` (modulesSource `../terraform-modules`).
 */
export async function renderInto(
  root: string,
  input: RenderServiceInput,
  options: Partial<EcsDeployScaffolderOptions> = {},
) {
  const workspacePath = path.join(root, input.name);
  const action = createRenderServiceAction(
    testOptions({
      environments: [
        { name: 'staging', region: 'us-east-1' },
        { name: 'prod', region: 'us-east-1' },
      ],
      modulesSource: '../terraform-modules',
      ...options,
    }),
  );
  await action.handler(
    createMockActionContext({ input: input as any, workspacePath }),
  );
  return workspacePath;
}

/**
 * A root with a VPC, a subnet and the ecs-environment module (what ecs-environment-ref reads) on
 * the emulator at `endpoint`; with `assumeRoleArn`, applied in that role's account. `extra` HCL is
 * appended (modules next to the environment).
 */
export function environmentRoot(opts: {
  endpoint: string;
  cluster: string;
  environment: string;
  cidrOctet: number;
  assumeRoleArn?: string;
  extra?: string;
}): string {
  const { endpoint, cidrOctet } = opts;
  const assumeRole = opts.assumeRoleArn
    ? `
  assume_role {
    role_arn     = "${opts.assumeRoleArn}"
    session_name = "test-environment"
  }`
    : '';
  return `
provider "aws" {
  region                      = "us-east-1"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true${assumeRole}
  endpoints {
    cloudwatchlogs = "${endpoint}"
    ec2            = "${endpoint}"
    ecs            = "${endpoint}"
    elbv2          = "${endpoint}"
    iam            = "${endpoint}"
    ssm            = "${endpoint}"
    sts            = "${endpoint}"
  }
}

resource "aws_vpc" "this" {
  cidr_block = "10.${cidrOctet}.0.0/16"
}

resource "aws_subnet" "private" {
  vpc_id     = aws_vpc.this.id
  cidr_block = "10.${cidrOctet}.1.0/24"
}

module "environment" {
  source             = "../terraform-modules/ecs-environment"
  name               = "${opts.cluster}"
  environment        = "${opts.environment}"
  vpc_id             = aws_vpc.this.id
  private_subnet_ids = [aws_subnet.private.id]
}
${opts.extra ?? ''}`;
}
