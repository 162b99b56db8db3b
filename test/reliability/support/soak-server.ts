/**
 * The sandbox in a child process for the soak test, on a given data file: it says where it listens, and on request
 * reports its memory after a full garbage collection (it runs with --expose-gc). It exits when its parent goes away.
 */
import { loadConfig } from '../../../src/config.ts';
import { buildSandbox } from '../../../src/sandbox/index.ts';
import { registry } from '../../../src/vendors/index.ts';

const dataFile = process.argv[2] ?? ':memory:';
// Rate limits off: a steady load is what the soak is about, not the vendors' 429/503.
const config = loadConfig(
  ['--data', dataFile, '--log-level', 'silent', '--port', '0', '--host', '127.0.0.1', '--no-rate-limit'],
  {},
);
const { app, prefixes } = await buildSandbox({ vendors: registry, config });
const address = await app.listen({ host: config.host, port: config.port });
const send = (message: unknown) => process.send?.(message);
const gc = (globalThis as { gc?: () => void }).gc;

process.on('message', (message) => {
  if (message === 'memory') {
    gc?.();
    gc?.();
    send({ type: 'memory', usage: process.memoryUsage() });
  } else if (message === 'stop') {
    void app.close().then(() => process.exit(0));
  }
});
process.on('disconnect', () => process.exit(0));
send({ type: 'ready', origin: address, prefixes });
