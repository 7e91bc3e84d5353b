/*
 * scripts/oidc-provider.sh's way in: starts the local OpenID provider (server.ts) in the
 * background, its output in a log file and its pid in a pid file, waits for its discovery
 * document and prints its URL.
 *   node packages/dev-kit/src/oidc/main.ts <port> <clients json> <pid file> <log file>
 */
import { spawn } from 'node:child_process';
import { openSync, writeFileSync } from 'node:fs';
import { eventually } from '../poll.ts';
import { oidcProviderServer } from './oidcProvider.ts';

const [port, clients, pidFile, logFile] = process.argv.slice(2);
if (!logFile) {
  console.error('usage: main.ts <port> <clients json> <pid file> <log file>');
  process.exit(2);
}
const log = openSync(logFile, 'a');
const child = spawn(
  process.execPath,
  [oidcProviderServer(), '--port', port, '--clients', clients],
  { detached: true, stdio: ['ignore', log, log] },
);
child.unref();
writeFileSync(pidFile, `${child.pid}\n`);
let exited = false;
child.once('exit', () => {
  exited = true;
});
const metadataUrl = `http://127.0.0.1:${port}/.well-known/openid-configuration`;
eventually(
  `the OpenID provider on port ${port} (log ${logFile})`,
  async () => {
    if (exited) throw new Error(`it exited at start; see ${logFile}`);
    return (await fetch(metadataUrl)).ok;
  },
  { timeoutMs: 20_000, intervalMs: 200 },
).then(
  () => {
    console.log(metadataUrl);
    process.exit(0);
  },
  error => {
    console.error(`error: ${(error as Error).message}`);
    process.exit(1);
  },
);
