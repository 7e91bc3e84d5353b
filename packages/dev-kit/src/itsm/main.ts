/*
 * The ITSM stub for the local portal, in the foreground (scripts/itsm-stub.sh runs it):
 *   node packages/dev-kit/src/itsm/main.ts <port> [<id>=<state> ...]
 * e.g. 7420 CHG-1001=approved CHG-1002=pending CHG-1003=rejected. The token is ITSM_TOKEN
 * (default local-itsm-token). Set a ticket while it runs:
 *   curl -X PUT -H 'authorization: Bearer local-itsm-token' -H 'content-type: application/json' \
 *     -d '{"state":"approved"}' http://127.0.0.1:7420/api/changes/CHG-1002
 */
import { type ChangeState, startItsmStub } from './itsm.ts';

const [port, ...seeds] = process.argv.slice(2);
if (!port) {
  console.error('usage: main.ts <port> [<id>=approved|pending|rejected ...]');
  process.exit(2);
}
startItsmStub({
  port: Number(port),
  token: process.env.ITSM_TOKEN || undefined,
  tickets: seeds.map(seed => {
    const [id, state] = seed.split('=');
    return { id, state: state as ChangeState };
  }),
}).then(stub => {
  console.log(`ready ${stub.url}`);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => stub.stop().then(() => process.exit(0)));
  }
});
