import type { AddressInfo } from 'node:net';
import { type Config, loadConfig } from '../../src/config.ts';
import { buildSandbox, type Sandbox } from '../../src/sandbox/index.ts';
import { Store } from '../../src/store/store.ts';
import { registry } from '../../src/vendors/index.ts';

export interface RunningSandbox extends Sandbox {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  /** Base URL per vendor: `http://127.0.0.1:<port>/odyssee`. */
  base: Record<string, string>;
  close(): Promise<void>;
}

/** The sandbox on 127.0.0.1 at a port the OS picks, with an in-memory store unless a file is given. */
export async function startSandbox(overrides: Partial<Config> = {}): Promise<RunningSandbox> {
  const config = Object.freeze({ ...loadConfig([], {}), logLevel: 'silent', dataFile: ':memory:', ...overrides });
  const sandbox = await buildSandbox({ vendors: registry, config, store: new Store(config.dataFile) });
  await sandbox.app.listen({ host: '127.0.0.1', port: 0 });
  const origin = `http://127.0.0.1:${(sandbox.app.server.address() as AddressInfo).port}`;
  const base = Object.fromEntries(Object.entries(sandbox.prefixes).map(([name, prefix]) => [name, origin + prefix]));
  return { ...sandbox, origin, base, close: () => sandbox.app.close() };
}
