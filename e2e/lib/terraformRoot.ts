// A published service's Terraform root, planned against the journeys' emulator with the state the
// portal's provisioning keeps (.run/terraform-state/<service>/<env>): `terraform plan
// -detailed-exitcode` exits 0 when Terraform agrees with what runs (the promotion contract).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot, runCommand } from '@internal/dev-kit';

/** The exit code of `terraform plan -detailed-exitcode` of the service's root (0: no changes). */
export async function planExitCode(
  service: string,
  environment: string,
  awsEndpoint: string,
) {
  const root = repoRoot();
  const dir = path.join(
    root,
    '.run/published',
    service,
    'terraform',
    environment,
  );
  const data = mkdtempSync(path.join(os.tmpdir(), `plan-${service}-`));
  const tf = path.join(root, 'scripts/terraform.sh');
  const env = {
    TF_DATA_DIR: data,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
  };
  try {
    await runCommand(
      tf,
      [
        `-chdir=${dir}`,
        'init',
        '-input=false',
        '-no-color',
        '-reconfigure',
        `-backend-config=path=${path.join(
          root,
          '.run/terraform-state',
          service,
          environment,
          'terraform.tfstate',
        )}`,
      ],
      { cwd: root, env },
    );
    try {
      await runCommand(
        tf,
        [
          `-chdir=${dir}`,
          'plan',
          '-detailed-exitcode',
          '-input=false',
          '-no-color',
          '-lock=false',
          `-var=aws_endpoint=${awsEndpoint}`,
        ],
        { cwd: root, env },
      );
      return 0;
    } catch (e) {
      const code = /exit(?:ed with)? (?:code )?(\d+)/.exec(
        (e as Error).message,
      )?.[1];
      console.log(
        `terraform plan of ${service}/${environment}: ${(
          e as Error
        ).message.slice(-1500)}`,
      );
      return code ? Number(code) : 1;
    }
  } finally {
    rmSync(data, { recursive: true, force: true });
  }
}
