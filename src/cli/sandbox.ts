#!/usr/bin/env node
/** `npm start`: the reference sandbox, every vendor under its prefix on one port (3000 unless told otherwise). */
import { enableCompileCache } from 'node:module';

// Node keeps each module's compiled code, TypeScript already stripped, on disk (os.tmpdir(), or NODE_COMPILE_CACHE;
// keyed by the file's content): a start after the first skips both, which is most of the start-up's CPU time.
// Everything else is imported after it, so that it applies to them.
enableCompileCache();
const { configFrom, defaultPorts, settingFlags, vendorSettingNotes } = await import('../config.ts');
const { buildSandbox } = await import('../sandbox/index.ts');
const { registry } = await import('../vendors/index.ts');
const { runCommand } = await import('./command.ts');

const base = { port: defaultPorts.sandbox };

await runCommand(
  'sandbox',
  {
    name: 'npm start --',
    summary: `The reference sandbox: the task APIs of ${registry.map((d) => d.name).join(', ')}, with state.`,
    flags: settingFlags(['host', 'port', 'dataFile', 'logLevel', 'rateLimit', 'rateLimits', 'corsOrigins'], base),
    notes: vendorSettingNotes(registry),
  },
  async (values) => {
    const config = configFrom(values, base, registry);
    const { app, prefixes, store } = await buildSandbox({ vendors: registry, config });
    const address = await app.listen({ host: config.host, port: config.port });
    const bases = Object.entries(prefixes).map(([name, prefix]) => `${name} ${address}${prefix}`);
    console.log(`sandbox ready: ${bases.join(', ')}; data in ${store.file}; reset: POST ${address}/_sandbox/reset`);
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => {
        void app.close().then(() => process.exit(0));
      });
    }
    return 0;
  },
);
