import { createServer } from 'node:net';

function listenOnce(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        resolve(typeof address === 'object' && address ? address.port : 0),
      );
    });
  });
}

/** A free TCP port on loopback. */
export function freePort(): Promise<number> {
  return listenOnce(0);
}

/** Throws when something already listens on the loopback port. */
export async function assertPortFree(port: number): Promise<void> {
  try {
    await listenOnce(port);
  } catch (e) {
    throw new Error(`port ${port} is already in use (${(e as Error).message})`);
  }
}
