import type { AddressInfo } from 'node:net';
import { type Config, loadConfig } from '../../src/config.ts';
import { buildSandbox, type Sandbox } from '../../src/sandbox/index.ts';
import { openStore } from '../../src/store/store.ts';
import { registry } from '../../src/vendors/index.ts';
import { dropTestSchemas, schemaOf, testData, testEngine } from './store.ts';

export interface RunningSandbox extends Sandbox {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  /** Base URL per vendor: `http://127.0.0.1:<port>/odyssee`. */
  base: Record<string, string>;
  close(): Promise<void>;
}

/**
 * The sandbox on 127.0.0.1 at a port the OS picks, with an in-memory store unless a file is given, on the engine
 * under test (test/support/store.ts): on PostgreSQL, a schema of the test database (a fresh one for ':memory:',
 * dropped when the sandbox closes; one named after the file otherwise, so a second sandbox on the same file reads
 * the first one's data).
 */
export async function startSandbox(overrides: Partial<Config> = {}): Promise<RunningSandbox> {
  const config = Object.freeze({ ...loadConfig([], {}), logLevel: 'silent', dataFile: ':memory:', ...overrides });
  const data = testData(config.dataFile);
  const sandbox = await buildSandbox({
    vendors: registry,
    config,
    store: await openStore(data, { poolSize: config.poolSize }),
  });
  await sandbox.app.listen({ host: '127.0.0.1', port: 0 });
  const origin = `http://127.0.0.1:${(sandbox.app.server.address() as AddressInfo).port}`;
  const base = Object.fromEntries(Object.entries(sandbox.prefixes).map(([name, prefix]) => [name, origin + prefix]));
  const close = async () => {
    await sandbox.app.close();
    if (testEngine === 'postgres' && config.dataFile === ':memory:') await dropTestSchemas(schemaOf(data));
  };
  return { ...sandbox, origin, base, close };
}
