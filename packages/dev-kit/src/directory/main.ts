/*
 * scripts/directory.sh's way in: prepares a seeded directory (slapd.ts) and starts slapd in the
 * background, then prints its URL.
 *   node packages/dev-kit/src/directory/main.ts <port> [<dir>]
 */
import { startDirectoryDaemon } from './slapd.ts';

const [port, dir] = process.argv.slice(2);
if (!port) {
  console.error('usage: main.ts <port> [<dir>]');
  process.exit(2);
}
startDirectoryDaemon({ port: Number(port), dir }).then(
  info => console.log(info.url),
  error => {
    console.error(`error: ${(error as Error).message}`);
    process.exit(1);
  },
);
