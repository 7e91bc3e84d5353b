#!/usr/bin/env node
// Bulk adoption benchmark (yarn bench:adopt): BENCH_SERVICES (300) legacy services created in the
// emulator's staging (its own account, as app-config.yaml's; the portal and its Terraform reach it
// through their roles) through the AWS SDK, not Terraform, in varied shapes (Fargate and EC2; 1-3
// containers; every 4th with target-tracking autoscaling; every 10th Fargate one behind a load
// balancer; other tags beside team=payments). The portal's backend (from source, loopback, free
// ports) previews and then adopts them all in one job through POST /adoption-jobs (tag and image
// parameters). Then the Terraform part through the admin's template templates/import-ecs-services
// (BENCH_TERRAFORM_TASKS, default 2, at once, the services split between them): each renders its
// services' repositories and imports them in batches of BENCH_TERRAFORM_BATCH (30), one Terraform
// run per batch whose plan -detailed-exitcode must exit 0, splits the state into each service's
// own, then plans BENCH_VERIFY (10) services' own roots against their split state, then publishes
// each repository (publish-local) and registers its component. Prints the
// figures: total and per-service times, plans exiting 0, and the ECS changes other than tags
// (must be 0).
import { mkdirSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import {
  TEST_REGION,
  benchEnvironments,
  createLocalAccounts,
  ecsClient,
  eventually,
  repoRoot,
  sleep,
  startBackend,
  startEmulator,
} from '@internal/dev-kit';
import {
  awaitImportTask,
  ecsCalls,
  legacyNames,
  phaseFigures,
  seconds,
  resetEcsCalls,
  seedLegacy,
  snapshot,
} from './adoptLib.mjs';

const N = Number(process.env.BENCH_SERVICES ?? 300);
const TF = Math.min(N, Number(process.env.BENCH_TERRAFORM_SERVICES ?? N));
const TF_TASKS = Number(process.env.BENCH_TERRAFORM_TASKS ?? 2);
const TF_BATCH = Number(process.env.BENCH_TERRAFORM_BATCH ?? 30);
const VERIFY = Math.min(TF, Number(process.env.BENCH_VERIFY ?? 10));
const root = repoRoot();
const runDir = path.join(root, '.run/bench-adopt');
rmSync(runDir, { recursive: true, force: true });
mkdirSync(path.join(runDir, 'published'), { recursive: true });
mkdirSync(path.join(runDir, 'logs'));
symlinkSync(
  path.join(root, 'terraform-modules'),
  path.join(runDir, 'published/terraform-modules'),
);
const line = (...a) => console.log(...a);
const names = legacyNames(N);

// The Terraform part runs through the admin's template after a bulk job: import, then publish
// and register each service's repository.
const TEMPLATE = 'import-ecs-services';

const emulator = await startEmulator({ rolloutSeconds: 1 });
const accounts = await createLocalAccounts(emulator.endpoint);
const credentials = accounts.staging;
const ecs = ecsClient(emulator.endpoint, TEST_REGION, credentials);
let backend;
try {
  const seedStart = Date.now();
  const shapes = await seedLegacy(emulator.endpoint, accounts, names);
  line(
    `seeded ${N} legacy services through the AWS SDK in ${seconds(
      Date.now() - seedStart,
    )}: ${shapes}`,
  );
  const before = await snapshot(ecs, names);
  await resetEcsCalls(emulator.endpoint);

  backend = await startBackend({
    name: 'bench-adopt',
    dir: runDir,
    // STS and the main account's keys, which assume each environment's portal role and
    // Terraform role (app-config.yaml's aws.accounts and ecsDeploy.scaffolder.terraformRole).
    awsEndpoint: emulator.endpoint,
    env: {
      // info: the scaffolder tasks' logs (Terraform's plan lines) are read back from their events.
      LOG_LEVEL: 'info',
    },
    config: {
      ecsDeploy: {
        environments: benchEnvironments(emulator.endpoint, 'bench'),
        promotionPaths: [{ from: 'staging', to: 'prod' }],
        // The guest (alice of team-payments) is the admin here.
        permissions: { adminGroups: ['group:default/team-payments'] },
        onboarding: {
          ownerTags: {
            keys: ['team'],
            groups: { payments: 'group:default/team-payments' },
          },
        },
        scaffolder: {
          modulesSource: '../terraform-modules',
          localPublishDir: path.join(runDir, 'published'),
          provision: 'terraform',
          terraform: {
            command: path.join(root, 'scripts/terraform.sh'),
            stateDir: path.join(runDir, 'state'),
            localEmulator: true,
            timeout: { minutes: 10 },
          },
        },
      },
      scaffolder: { concurrentTasksLimit: TF_TASKS },
      catalog: {
        locations: [
          { type: 'file', target: path.join(root, 'catalog/all.yaml') },
          {
            type: 'file',
            target: path.join(root, `templates/${TEMPLATE}/template.yaml`),
            rules: [{ allow: ['Template'] }],
          },
        ],
      },
    },
  });
  const token = await backend.guestToken();
  const api = (p, options = {}) => backend.request(p, { token, ...options });
  await eventually(
    'the catalog with alice and the import template',
    async () =>
      (await api('/api/catalog/entities/by-name/user/default/alice')).status ===
        200 &&
      (
        await api(`/api/catalog/entities/by-name/template/default/${TEMPLATE}`)
      ).status === 200,
    { timeoutMs: 180_000, intervalMs: 1000 },
  );

  const services = names.map(serviceName => ({
    serviceName,
    environments: ['staging'],
    owner: 'group:default/team-payments',
  }));
  const preview = await api('/api/ecs-deploy/adoption-jobs', {
    method: 'POST',
    body: { services, dryRun: true },
  });
  if (preview.status !== 200) {
    throw new Error(`preview: ${preview.status} ${preview.text}`);
  }
  line(
    `preview of ${N}: ${seconds(preview.ms)} (${(preview.ms / N).toFixed(
      0,
    )} ms per service); would adopt ${preview.json.counts.ok}, refused ${
      preview.json.counts.refused
    }`,
  );

  const jobStart = Date.now();
  const started = await api('/api/ecs-deploy/adoption-jobs', {
    method: 'POST',
    body: { services },
  });
  if (started.status !== 202) {
    throw new Error(`start: ${started.status} ${started.text}`);
  }
  const job = await eventually(
    'the adoption job',
    async () => {
      const res = await api(`/api/ecs-deploy/adoption-jobs/${started.json.id}`);
      return res.json?.status === 'completed' ? res.json : undefined;
    },
    { timeoutMs: 600_000, intervalMs: 500 },
  );
  const jobMs = Date.now() - jobStart;
  line(
    `bulk job (tag + image parameters, each audited): ${seconds(
      jobMs,
    )} for ${N} (${(jobMs / N).toFixed(0)} ms per service): ${JSON.stringify(
      job.counts,
    )}`,
  );
  for (const item of job.items.filter(i => i.status === 'failed').slice(0, 3)) {
    line(`  failed: ${item.serviceName}: ${item.error.message}`);
  }

  // The Terraform part: TF_TASKS scaffolder tasks at once, the services split between them.
  const tfStart = Date.now();
  const tfNames = names.slice(0, TF);
  const share = Math.ceil(TF / TF_TASKS);
  const tasks = await Promise.all(
    Array.from({ length: TF_TASKS }, async (_, k) => {
      const mine = tfNames.slice(k * share, (k + 1) * share);
      if (mine.length === 0) return { log: '', ms: 0, status: 'completed' };
      const created = await api('/api/scaffolder/v2/tasks', {
        method: 'POST',
        body: {
          templateRef: `template:default/${TEMPLATE}`,
          values: {
            names: mine,
            owner: 'group:default/team-payments',
            environments: ['staging'],
            description: 'Adopted in bulk',
            batchSize: TF_BATCH,
            // This task's share of the own-root plans.
            verify:
              Math.round(((k + 1) * VERIFY) / TF_TASKS) -
              Math.round((k * VERIFY) / TF_TASKS),
          },
        },
      });
      if (created.status !== 201) {
        throw new Error(`task: ${created.status} ${created.text}`);
      }
      return awaitImportTask(
        api,
        created.json.id,
        path.join(runDir, 'logs', `import-${k + 1}.log`),
        tfStart,
      );
    }),
  );
  const tfMs = Date.now() - tfStart;
  const after = await snapshot(ecs, names);
  const changed = names.filter(
    n => before.get(n).settings !== after.get(n).settings,
  );
  const tagged = names.filter(
    n => after.get(n).entityRef === `component:default/${n}`,
  ).length;
  const log = tasks.map(t => t.log).join('\n');
  const matches = (re, f = () => 1) =>
    [...log.matchAll(re)].reduce((sum, m) => sum + f(m), 0);
  const batchOk = matches(
    /exits 0 \(no changes\) for (\d+) services imported together/g,
    m => Number(m[1]),
  );
  const batches = matches(/: imported \d+ services \(/g);
  const ownOk = matches(
    /\/terraform\/staging: terraform plan -detailed-exitcode exits 0/g,
  );
  const refused = [...log.matchAll(/Not imported: (\S+): ([^\n]*)/g)];
  line(
    `terraform (read and render, import apply, plan -detailed-exitcode, state split) and publish for ${TF} services, ${TF_TASKS} tasks at once, batches of ${TF_BATCH}: ${seconds(
      tfMs,
    )} (${seconds(tfMs / Math.max(1, TF))} per service); tasks ${tasks
      .map(t => t.status)
      .join(', ')}`,
  );
  line(
    `  imported ${batchOk} of ${TF} in ${batches} batches, each batch's plan -detailed-exitcode exiting 0 (${batchOk} services covered); own roots planned against their split state: ${ownOk} of ${VERIFY} sampled exit 0; not imported ${refused.length}`,
  );
  const published = readdirSync(path.join(runDir, 'published')).filter(
    n => n !== 'terraform-modules',
  );
  // The template registers each location without waiting for the catalog to process it: the
  // components appear as the catalog catches up.
  const inCatalog = async () => {
    const byRefs = await api('/api/catalog/entities/by-refs', {
      method: 'POST',
      body: { entityRefs: tfNames.map(n => `component:default/${n}`) },
    });
    return (byRefs.json?.items ?? []).filter(Boolean).length;
  };
  let registered = 0;
  await eventually(
    'the components in the catalog',
    async () => (registered = await inCatalog()) >= batchOk,
    { timeoutMs: 300_000, intervalMs: 1000 },
  ).catch(() => undefined);
  const catalogMs = Date.now() - tfStart - tfMs;
  line(
    `  published ${
      published.length
    } repositories (publish-local, in the template's last step: ${tasks
      .map(t => seconds(t.publishMs || 0))
      .join(
        ' and ',
      )} per task), ${registered} of ${TF} components in the catalog ${seconds(
      catalogMs,
    )} after the tasks ended`,
  );
  const reasons = new Map();
  for (const [, , why] of refused) {
    const key = why.replace(/legacy-\d+/g, '<name>').slice(0, 200);
    reasons.set(key, (reasons.get(key) ?? 0) + 1);
  }
  for (const [why, n] of reasons) line(`  not imported (${n}): ${why}`);
  for (const t of tasks.filter(x => x.status !== 'completed')) {
    line(`  task failed: ${(t.log.match(/Error[^\n]*/g) ?? ['?']).pop()}`);
  }
  line(
    `ECS calls after seeding (the emulator's counters): ${await ecsCalls(
      emulator.endpoint,
    )}`,
  );
  line(
    `ECS: ${tagged}/${N} services tagged for their component; changes other than tags: ${
      changed.length
    }${changed.length ? ` (${changed.slice(0, 5).join(', ')})` : ''}`,
  );
  const phases = phaseFigures(log);
  line(
    `  phases, summed over ${TF_TASKS} tasks at once (so above the wall time): ${[
      ...phases,
    ]
      .map(([phase, s]) => `${phase} ${s.toFixed(1)} s`)
      .join(', ')}`,
  );
  // The adoption the issue times: the job (tags, image parameters) and the Terraform import up to
  // the last task's import step end (batch plans exiting 0, state split, own roots verified).
  const importMs = Math.max(...tasks.map(t => t.importedMs || 0));
  line(
    `adoption (bulk job + Terraform import, every plan exit 0): ${seconds(
      jobMs + importMs,
    )} for ${N} services (${seconds(
      (jobMs + importMs) / N,
    )} per service): job ${seconds(jobMs)}, import ${seconds(
      importMs,
    )}; target: all ${N} within 10 min`,
  );
  line(
    `  not in it: publishing (publish-local and registration, after the import) ${seconds(
      tfMs - importMs,
    )} until the last task ended, then ${seconds(
      catalogMs,
    )} until the catalog showed every component; with them ${seconds(
      jobMs + tfMs + catalogMs,
    )}`,
  );
  if (TF < N) {
    line(
      `  Terraform measured for ${TF} of ${N}: all ${N} at this rate take about ${seconds(
        (importMs / TF) * N,
      )}`,
    );
  }
} finally {
  await backend?.stop();
  await emulator.stop();
  await sleep(0);
}
