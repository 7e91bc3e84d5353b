// A loopback HTTP proxy in front of the AWS emulator that counts ECS calls by action and can
// inject faults (throttling, 5xx) — for the status benchmark and the load/fault suites.
import http from 'node:http';

export async function startAwsProxy({ target, port = 0 }) {
  const counts = new Map();
  let fault = null; // { kind: 'throttle' | '5xx' | 'down', rate: 0..1, action?: 'UpdateService' }
  const server = http.createServer((req, res) => {
    const action = String(req.headers['x-amz-target'] ?? 'other').split('.').pop();
    counts.set(action, (counts.get(action) ?? 0) + 1);
    if (fault && (!fault.action || fault.action === action) && Math.random() < fault.rate) {
      if (fault.kind === 'down') {
        req.socket.destroy();
        return;
      }
      const throttle = fault.kind === 'throttle';
      res.writeHead(throttle ? 400 : 503, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(
        JSON.stringify(
          throttle
            ? { __type: 'ThrottlingException', message: 'Rate exceeded' }
            : { __type: 'ServerException', message: 'Service unavailable (injected)' },
        ),
      );
      return;
    }
    const upstream = http.request(
      `${target}${req.url}`,
      { method: req.method, headers: req.headers },
      up => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', () => {
      res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });
  await new Promise(r => server.listen(port, '127.0.0.1', r));
  const address = server.address();
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    counts,
    total: () => [...counts.values()].reduce((a, b) => a + b, 0),
    reset: () => counts.clear(),
    setFault: f => {
      fault = f;
    },
    close: () => new Promise(r => server.close(r)),
  };
}
