#!/usr/bin/env node
/**
 * `npm start`: the reference sandbox, every vendor under its prefix on one port (3000 unless told otherwise). It
 * stops gracefully on SIGTERM or SIGINT (src/server/lifecycle.ts); `npm start` runs it with `exec`, so the signal a
 * container runtime sends the npm process reaches it.
 */
import { enableCompileCache } from 'node:module';

// Node keeps each module's compiled code, TypeScript already stripped, on disk (os.tmpdir(), or NODE_COMPILE_CACHE;
// keyed by the file's content): a start after the first skips both, which is most of the start-up's CPU time.
// Everything else is imported after it, so that it applies to them.
enableCompileCache();
const { configFrom, defaultPorts, settingFlags, vendorSettingNotes } = await import('../config.ts');
const { buildSandbox } = await import('../sandbox/index.ts');
const { registry } = await import('../vendors/index.ts');
const { stopOnSignals } = await import('../server/lifecycle.ts');
const { runCommand } = await import('./command.ts');

const base = { port: defaultPorts.sandbox };

await runCommand(
  'sandbox',
  {
    name: 'npm start --',
    summary: `The reference sandbox: the task APIs of ${registry.map((d) => d.name).join(', ')}, with state.`,
    flags: settingFlags(
      [
        'host',
        'port',
        'dataFile',
        'poolSize',
        'logLevel',
        'rateLimit',
        'rateLimits',
        'corsOrigins',
        'drainSeconds',
        'shutdownTimeout',
      ],
      base,
    ),
    notes: vendorSettingNotes(registry),
  },
  async (values) => {
    const config = configFrom(values, base, registry);
    const { app, prefixes, store } = await buildSandbox({ vendors: registry, config });
    const log = (line: string) => process.stderr.write(`sandbox: ${line}\n`);
    stopOnSignals(app, { drainMs: config.drainSeconds * 1000, timeoutMs: config.shutdownTimeout * 1000, log });
    const address = await app.listen({ host: config.host, port: config.port });
    const bases = Object.entries(prefixes).map(([name, prefix]) => `${name} ${address}${prefix}`);
    console.log(`sandbox ready: ${bases.join(', ')}; data in ${store.location}; reset: POST ${address}/_sandbox/reset`);
    return 0;
  },
);
