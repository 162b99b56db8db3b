#!/usr/bin/env node
/** `npm start`: the reference sandbox, every vendor under its prefix on one port (3000 unless told otherwise). */
import { enableCompileCache } from 'node:module';

// Node keeps each module's compiled code, TypeScript already stripped, on disk (os.tmpdir(), or NODE_COMPILE_CACHE;
// keyed by the file's content): a start after the first skips both, which is most of the start-up's CPU time.
// Everything else is imported after it, so that it applies to them.
enableCompileCache();
const { defaultPorts, helpText, loadConfig } = await import('../config.ts');
const { buildSandbox } = await import('../sandbox/index.ts');
const { registry } = await import('../vendors/index.ts');

const args = process.argv.slice(2);
if (args.includes('--help')) {
  process.stdout.write(
    helpText(
      'npm start --',
      'The reference sandbox: Odyssee, iVvy and R7-Office task APIs with state.',
      ['host', 'port', 'dataFile', 'logLevel', 'rateLimit', 'rateLimits', 'corsOrigins'],
      { port: defaultPorts.sandbox },
      registry,
    ),
  );
  process.exit(0);
}

try {
  const config = loadConfig(args, process.env, { port: defaultPorts.sandbox }, registry);
  const { app, prefixes, store } = await buildSandbox({ vendors: registry, config });
  const address = await app.listen({ host: config.host, port: config.port });
  const bases = Object.entries(prefixes).map(([name, prefix]) => `${name} ${address}${prefix}`);
  console.log(`sandbox ready: ${bases.join(', ')}; data in ${store.file}; reset: POST ${address}/_sandbox/reset`);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      void app.close().then(() => process.exit(0));
    });
  }
} catch (error) {
  console.error(`sandbox: ${(error as Error).message}`);
  process.exit(1);
}
