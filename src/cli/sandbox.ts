#!/usr/bin/env node
/**
 * `npm start`: the reference sandbox, every vendor under its prefix on one port (3000 unless told otherwise). It
 * stops gracefully on SIGTERM or SIGINT (src/server/lifecycle.ts); `npm start` runs it with `exec`, so the signal a
 * container runtime sends the npm process reaches it.
 */
import { defaultPorts, helpText, loadConfig } from '../config.ts';
import { buildSandbox } from '../server/app.ts';
import { stopOnSignals } from '../server/lifecycle.ts';

const args = process.argv.slice(2);
if (args.includes('--help')) {
  process.stdout.write(
    helpText(
      'npm start --',
      'The reference sandbox: Odyssee, iVvy and R7-Office task APIs with state.',
      [
        'host',
        'port',
        'dataFile',
        'poolSize',
        'logLevel',
        'rateLimit',
        'rateLimits',
        'drainSeconds',
        'shutdownTimeout',
        'odysseeUser',
        'odysseePassword',
        'odysseeDomain',
        'ivvyKey',
        'ivvySecret',
        'r7User',
        'r7Password',
      ],
      { port: defaultPorts.sandbox },
    ),
  );
  process.exit(0);
}

const log = (line: string) => process.stderr.write(`sandbox: ${line}\n`);

try {
  const config = loadConfig(args, process.env, { port: defaultPorts.sandbox });
  const { app, prefixes, store } = await buildSandbox({ config });
  stopOnSignals(app, { drainMs: config.drainSeconds * 1000, timeoutMs: config.shutdownTimeout * 1000, log });
  const address = await app.listen({ host: config.host, port: config.port });
  const bases = Object.entries(prefixes).map(([name, prefix]) => `${name} ${address}${prefix}`);
  console.log(`sandbox ready: ${bases.join(', ')}; data in ${store.location}; reset: POST ${address}/_sandbox/reset`);
} catch (error) {
  console.error(`sandbox: ${(error as Error).message}`);
  process.exit(1);
}
