#!/usr/bin/env node
// Unpacks the built backend (packages/backend/dist/bundle.tar.gz, from yarn build:backend) into a
// folder of the repository and links its workspace packages, so that it runs on this machine
// with the repository's node_modules, as a container image runs it after `yarn workspaces focus`:
//   node scripts/unpack-bundle.mjs .run/portal
//   NODE_ENV=production node .run/portal/packages/backend --config app-config.yaml ...
import path from 'node:path';
import { unpackBundle } from '@internal/dev-kit';

const dir = process.argv[2];
if (!dir) {
  console.error(
    'usage: node scripts/unpack-bundle.mjs <folder inside the repository>',
  );
  process.exit(2);
}
try {
  console.log(unpackBundle(path.resolve(dir)));
} catch (e) {
  console.error(`error: ${e.message}`);
  process.exit(1);
}
